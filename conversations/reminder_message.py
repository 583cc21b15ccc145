"""The reminder a user receives: what is left, until when, by which rule, and four buttons.

Built here (conversations) so that `bot.sending.reminders` only decides *when* to send; the
texts are in `locales/reminders.yaml`. Button data are constants: a reminder sent months ago must
still work after any number of restarts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from telegram import InlineKeyboardMarkup

from conversations.common import MAX_MESSAGE_CHARS, callback, keyboard
from conversations.i18n import Catalogue
from knowledge.deadline import Deadline, explain_for
from knowledge.model import Lang, Titre

PREFIX = "rem"
DECLARE_START = callback("decl", "start")  # handled by the declaration dialogue
SNOOZE = callback(PREFIX, "snooze")
ICS = callback(PREFIX, "ics")
STOP = callback(PREFIX, "stop")
TURN_ON = callback(PREFIX, "on")
TURN_OFF = callback(PREFIX, "off")
SNOOZE_DAYS = 7


def remaining_ccps(
    titre: Titre, declared: Mapping[int, date], lang: Lang = "fr"
) -> list[tuple[int, str]]:
    """(number, title) of CCPs not declared yet, in the référentiel's order."""
    return [(ccp.number, ccp.title.get(lang)) for ccp in titre.ccps if ccp.number not in declared]


def offers_calendar(
    titre: Titre, declared: Mapping[int, date], deadline: Deadline | None, today: date
) -> bool:
    """A calendar event is offered for a day to come, while CCPs are still missing (/mesccp,
    /rappels: the same rule)."""
    missing = bool(remaining_ccps(titre, declared))
    return deadline is not None and missing and deadline.closes_on >= today


def reminder_keyboard(
    catalogue: Catalogue, lang: Lang, *, date_passed: bool = False
) -> InlineKeyboardMarkup:
    """Declare, snooze, calendar, stop; once the date has passed, no calendar (a day gone)."""
    second = [(catalogue.t("reminders.button.snooze", lang), SNOOZE)]
    if not date_passed:
        second.append((catalogue.t("reminders.button.ics", lang), ICS))
    return keyboard(
        [
            [(catalogue.t("reminders.button.declare", lang), DECLARE_START)],
            second,
            [(catalogue.t("reminders.button.stop", lang), STOP)],
        ]
    )


def reminder_text(
    catalogue: Catalogue,
    titre: Titre,
    *,
    lang: Lang,
    declared: Mapping[int, date],
    deadline: Deadline,
    today: date,
) -> str:
    """HTML: days left, the CCPs still missing with their titles, then the deadline explained
    (date, rule and sources, as `explain_for` states it everywhere else). A prudent target is
    said as a date to aim for; once passed, the one last message says what to check."""
    left = deadline.days_left(today)
    short = titre.identity.short_name
    standing = deadline.standing(today)
    target = "_target" if deadline.provisional else ""
    footer = "reminders.footer"
    if standing == "target_passed":  # the one last message: what to check, never "closed"
        headline = catalogue.t("reminders.headline_check", lang, titre=short)
        footer = "reminders.footer_last"
    elif left <= 0:
        headline = catalogue.t(f"reminders.headline_today{target}", lang)
    elif left == 1:
        headline = catalogue.t(f"reminders.headline_tomorrow{target}", lang)
    else:
        headline = catalogue.t(f"reminders.headline{target}", lang, days=left, titre=short)
    remaining = remaining_ccps(titre, declared, lang)
    lines = [catalogue.t("reminders.remaining", lang)] + [
        catalogue.t("reminders.remaining_item", lang, number=number, title=title)
        for number, title in remaining
    ]
    rule = explain_for(titre, deadline, lang, today, sources=False)  # sources: under /mesccp
    paragraphs = [
        headline,
        "\n".join(lines),
        catalogue.t("reminders.rule", lang, rule=rule),
        catalogue.t(footer, lang),
    ]
    text = "\n\n".join(paragraphs)
    if len(text) > MAX_MESSAGE_CHARS:  # never in practice: drop the long rule text, keep facts
        text = "\n\n".join([headline, "\n".join(lines), catalogue.t(footer, lang)])
    return text
