"""/mesdonnees as a person reads it: each part of what is kept, what it is for, in plain words
and dates. The raw data (`Store.export_user`, the database rows) goes alongside as JSON.

The export's keys are the store's table names; this module is the one place that says what
each of them means to the user.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Final

from conversations.i18n import Catalogue
from conversations.reminder_settings import step_words
from knowledge.deadline import format_date
from knowledge.model import Lang

MAX_QUESTIONS: Final = 10  # beyond: "and N more", all of them are in the JSON file
Rows = Sequence[Mapping[str, Any]]


def readable_export(
    data: Mapping[str, Any],
    catalogue: Catalogue,
    lang: Lang,
    *,
    today: date,
    local: Callable[[datetime], datetime],
    unanswered_days: int,
    first_send_day: date | None = None,
    provisional: bool = False,
) -> str:
    """HTML: a heading, then one paragraph per part of the data (parts with nothing in them
    say so in a word, so the reader sees what is *not* kept too). `provisional`: the tracked
    date is a prudent date to aim for (rule in force since 2016), not a window closing."""

    def t(key: str, **values: Any) -> str:
        return catalogue.t(f"privacy_export.{key}", lang, **values)

    def day(value: Any) -> str:
        if not value:
            return t("never")
        if isinstance(value, str) and "T" in value:
            return format_date(local(datetime.fromisoformat(value)).date(), lang)
        return format_date(date.fromisoformat(str(value)), lang)

    def rows(name: str) -> Rows:
        value = data.get(name) or []
        return value if isinstance(value, list) else []

    parts = [t("title", date=format_date(today, lang))]
    parts.append(_you(rows("users"), data.get("user_id"), t, day))
    declared = [
        t("ccp", number=r["ccp"], obtained=day(r["obtained"]), declared=day(r["declared_at"]))
        for r in sorted(rows("declarations"), key=lambda r: int(r["ccp"]))
    ]
    parts.append(_part(t, "ccps", declared))
    parts.append(_part(t, "reminders", _reminders(rows("users"), rows("tracking"),
                                                  rows("reminder_log"), t, day, lang,
                                                  first_send_day or today, provisional)))
    questions = sorted(rows("questions"), key=lambda r: str(r.get("asked_at")))
    shown = [t("question", text=str(r.get("text") or ""), date=day(r.get("asked_at")))
             for r in questions[:MAX_QUESTIONS]]
    if len(questions) > MAX_QUESTIONS:
        shown.append(t("more", count=len(questions) - MAX_QUESTIONS))
    parts.append(_part(t, "questions", shown, days=unanswered_days))
    dialogues = [
        t(f"dialogue_{name}") if catalogue.has(f"privacy_export.dialogue_{name}")
        else t("dialogue", name=name)
        for name in (str(r.get("name", "")) for r in rows("ptb_conversations"))
    ]
    parts.append(_part(t, "dialogues", dialogues))
    def entry(key: object) -> str:  # said in words when the catalogue knows it
        said = f"memory_key.{str(key).replace('.', '_')}"
        return t(said) if catalogue.has(f"privacy_export.{said}") else str(key)

    memory = [
        t("memory_item", keys=", ".join(sorted(entry(k) for k in r["data"])) or "—")
        for name in ("ptb_user_data", "ptb_chat_data")
        for r in rows(name)
        if isinstance(r.get("data"), dict) and r["data"]
    ]
    parts.append(_part(t, "memory", memory))
    shares = [
        t("share_yes", code=str(r.get("code", "")), name=str(r.get("shown_name") or ""))
        if r.get("status") == "yes" else t("share_no", code=str(r.get("code", "")))
        for r in rows("advisor_shares")
    ]
    parts.append(_part(t, "shares", shares))
    advisor = [t("advisor_item", label=str(r.get("label", "")), code=str(r.get("code", "")))
               for r in rows("advisors")]
    if advisor:
        parts.append(_part(t, "advisor", advisor))
    sent = len(rows("announcement_log")) + len(rows("announcements_created"))
    if sent:
        parts.append(_part(t, "announcements", [t("announcements_item", count=sent)]))
    parts.append(t("footer"))
    return "\n\n".join(parts)


def _part(t: Callable[..., str], name: str, lines: list[str], **values: Any) -> str:
    """"<b>Heading</b> — what it is for" then the lines, or "nothing"."""
    head = t(f"{name}_head", **values)
    return "\n".join([head, *(lines or [t("nothing")])])


def _you(users: Rows, user_id: Any, t: Callable[..., str], day: Callable[[Any], str]) -> str:
    lines = [t("id", id=user_id)]
    if users:
        user = users[0]
        chosen = user.get("lang")
        lines.append(t(f"lang_{chosen}") if chosen in ("fr", "en") else t("lang_telegram"))
        lines.append(t("seen", first=day(user.get("first_seen")), last=day(user.get("last_seen"))))
        code = user.get("referral")
        lines.append(t("referral", code=code) if code else t("no_referral"))
        if user.get("shown_name"):
            lines.append(t("chosen_name", name=user["shown_name"]))
    return "\n".join([t("you_head"), *lines])


def _reminders(
    users: Rows,
    tracking: Rows,
    log: Rows,
    t: Callable[..., str],
    day: Callable[[Any], str],
    lang: Lang,
    first_send_day: date,
    provisional: bool,
) -> list[str]:
    lines: list[str] = []
    enabled = bool(users) and bool(users[0].get("reminders_enabled"))
    if users:
        user = users[0]
        lines.append(t("reminders_on") if enabled else t("reminders_off"))
        if user.get("snoozed_until"):
            lines.append(t("snoozed", date=day(user["snoozed_until"])))
    for row in tracking:
        planned = row.get("next_reminder_on") if enabled else None  # off: none is planned
        # a reminder due before the daily run can send goes at that run, as /rappels says
        if planned and date.fromisoformat(str(planned)[:10]) < first_send_day:
            planned = first_send_day.isoformat()
        lines.append(t("window_target" if provisional else "window",
                       closes=day(row.get("closes_on")), next=day(planned)))
    for row in log:
        step = str(row.get("step", ""))
        when = step_words(step, lang) if step[:-1].isdigit() else step
        if row.get("status") == "sent":
            lines.append(t("sent_item", step=when, date=day(row.get("sent_at"))))
        else:  # claimed, failed or blocked: tried, not (yet) received
            lines.append(t("pending_item", step=when))
    return lines
