"""/rappels and the reminder's buttons: snooze a week, add to my calendar, stop, turn on/off.

Every button is a constant string (`rem:<action>`), so a reminder sent months ago still works
after any restart. What the user sees always comes from the database (settings and declared
dates) and the configured steps, never from memory.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, Final

from telegram import InlineKeyboardMarkup, InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from conversations import deeplinks
from conversations import reminder_message as msg
from conversations.calendar_file import FILENAME, closing_calendar
from conversations.common import keyboard, reply, show, user_id, user_lang
from conversations.deeplinks import private_only
from conversations.services import Context, ReminderSettings, Store
from knowledge.deadline import Deadline, deadline_from, format_date
from knowledge.model import Lang
from knowledge.reminder_plan import step_date

COMMANDS: Final = ("rappels", "reminders")
_UNITS: Final = {
    "fr": {"d": ("jour", "jours"), "w": ("semaine", "semaines"), "m": ("mois", "mois"),
           "y": ("an", "ans")},
    "en": {"d": ("day", "days"), "w": ("week", "weeks"), "m": ("month", "months"),
           "y": ("year", "years")},
}  # fmt: skip


def t(context: Context, key: str, lang: Lang, **values: Any) -> str:
    return context.services.catalogue.t(f"reminders.{key}", lang, **values)


def step_words(step: str, lang: Lang) -> str:
    """"12m" → "12 mois" / "12 months"."""
    amount, unit = int(step[:-1]), step[-1]
    singular, plural = _UNITS[lang][unit]
    return f"{amount} {singular if amount == 1 else plural}"


def next_reminder(
    closes_on: date,
    steps: Sequence[str],
    first_day: date,
    settings: ReminderSettings,
    tracked_next: date | None = None,
) -> date | None:
    """The next day a reminder is planned, as the daily run will decide it.

    `first_day` is the first day the daily run can still send (`first_run_day`: today before
    the reminder hour, tomorrow once it has passed). `tracked_next` is storage's
    `next_reminder_on` when known (it accounts for the steps already sent: a missed step still
    to send goes at the next run). A snooze moves everything due before its end to that day.
    Without storage's date, the next step from `first_day` on is used.
    """
    if settings.snoozed_until is not None and first_day <= settings.snoozed_until <= closes_on:
        return settings.snoozed_until
    if tracked_next is not None:
        return max(tracked_next, first_day)
    upcoming = [d for d in (step_date(closes_on, s) for s in steps) if first_day <= d <= closes_on]
    return min(upcoming, default=None)


def first_run_day(now: datetime, hour: time) -> date:
    """The first day the daily reminder run can still send: today until its hour has come
    (`now` and `hour` in the bot's time zone), tomorrow after."""
    return now.date() if now.time() < hour else now.date() + timedelta(days=1)


async def _tracked_next(store: Store, uid: int, closes_on: date) -> date | None:
    """Storage's next reminder date for this window (None when the window changed)."""
    row = await store.tracking(uid)
    if row is None or row[0] != closes_on:
        return None
    return row[2]


async def _deadline(context: Context, uid: int) -> tuple[dict[int, date], Deadline | None]:
    services = context.services
    declared = await services.store.declarations(uid)
    return declared, deadline_from(services.titre.capitalisation, declared.values())


async def status_text(
    context: Context, uid: int, lang: Lang
) -> tuple[str, InlineKeyboardMarkup]:
    """What /rappels shows: on or off, the next reminder date, the steps; one toggle button."""
    services = context.services
    settings = await services.store.reminder_settings(uid)
    today = first_run_day(services.now(), services.settings.reminder_hour)  # not "today" at 20:00
    declared, deadline = await _deadline(context, uid)
    on = settings.enabled
    parts = [t(context, "status_on" if on else "status_off", lang)]
    if deadline is None:
        parts.append(t(context, "status_none", lang))
    elif {c.number for c in services.titre.ccps} <= set(declared):
        parts.append(t(context, "status_complete", lang))
    elif on:
        closes = format_date(deadline.closes_on, lang)
        steps = services.settings.reminder_steps
        tracked = await _tracked_next(services.store, uid, deadline.closes_on)
        upcoming = next_reminder(deadline.closes_on, steps, today, settings, tracked)
        target = "_target" if deadline.provisional else ""  # a date to aim for, not a closing
        if upcoming is None:
            gone = "_passed" if target and deadline.closes_on < today else ""
            parts.append(t(context, f"status_no_more{target}{gone}", lang, closes=closes))
        else:
            parts.append(t(context, f"status_next{target}", lang,
                           date=format_date(upcoming, lang), closes=closes))  # fmt: skip
    if on:
        hour = services.settings.reminder_hour.strftime("%H:%M")
        words = ", ".join(step_words(s, lang) for s in services.settings.reminder_steps)
        aim = deadline is not None and deadline.provisional  # before a date to aim for
        parts.append(t(context, "steps_target" if aim else "steps", lang, steps=words, hour=hour))
    button = ("button.off", msg.TURN_OFF) if on else ("button.on", msg.TURN_ON)
    rows = [[(t(context, button[0], lang), button[1])]]
    if msg.offers_calendar(services.titre, declared, deadline, services.today()):
        rows.append([(t(context, "button.ics", lang), msg.ICS)])
    return "\n\n".join(parts), keyboard(rows)


async def on_command(update: Update, context: Context) -> None:
    lang = await user_lang(update, context)
    if not await private_only(update, context):
        return
    text, markup = await status_text(context, user_id(update), lang)
    await reply(update, context, text, markup)


async def on_toggle(update: Update, context: Context) -> None:
    """rem:on / rem:off from /rappels: change, then show the new status in the same message."""
    query = update.callback_query
    assert query is not None
    lang = await user_lang(update, context)
    uid = user_id(update)
    await context.services.store.set_reminders_enabled(uid, query.data == msg.TURN_ON)
    text, markup = await status_text(context, uid, lang)
    await show(update, context, text, markup)


async def on_stop(update: Update, context: Context) -> None:
    """rem:stop from a reminder: stop, say how to come back (the reminder stays as it was)."""
    query = update.callback_query
    assert query is not None
    lang = await user_lang(update, context)
    await context.services.store.set_reminders_enabled(user_id(update), False)
    await query.answer()
    markup = keyboard([[(t(context, "button.on", lang), msg.TURN_ON)]])
    await reply(update, context, t(context, "stopped", lang), markup)


async def on_snooze(update: Update, context: Context) -> None:
    """rem:snooze: one more reminder in a week (the daily run sends it as a step of its own)."""
    query = update.callback_query
    assert query is not None
    lang = await user_lang(update, context)
    services = context.services
    today = services.today()
    uid = user_id(update)
    until = today + timedelta(days=msg.SNOOZE_DAYS)
    _, deadline = await _deadline(context, uid)
    if deadline is not None and today < deadline.closes_on < until:
        until = deadline.closes_on  # a week would be too late: remind on the last day
    if not (await services.store.reminder_settings(uid)).enabled:
        await services.store.set_reminders_enabled(uid, True)
    await services.store.snooze_reminders(uid, until)
    await query.answer()
    await reply(update, context, t(context, "snoozed", lang, date=format_date(until, lang)))


def calendar_bytes(context: Context, uid: int, lang: Lang, deadline: Deadline) -> bytes:
    """The .ics for this user: closing date, the rule in a few words and a link back to the bot
    in the description (nothing that goes stale), alarms at the steps still to come."""
    services = context.services
    closes = format_date(deadline.closes_on, lang)
    name = services.titre.identity.short_name
    plain = services.catalogue.t  # these texts hold no HTML tags: the .ics is plain text
    target = "_target" if deadline.provisional else ""  # a prudent date is no closing day
    why = plain(f"reminders.ics_why.{'target' if deadline.provisional else deadline.rule}", lang,
                years=deadline.years, first=format_date(deadline.first_ccp, lang))  # fmt: skip
    link = deeplinks.link(context.bot.username, deeplinks.DELAI)
    return closing_calendar(
        user_id=uid,
        closes_on=deadline.closes_on,
        summary=_unescape(plain(f"reminders.ics_summary{target}", lang, titre=name)),
        description=_unescape(
            plain(f"reminders.ics_description{target}", lang, why=why, titre=name, link=link)
        ).strip(),
        alarm_text=_unescape(plain(f"reminders.ics_alarm{target}", lang, date=closes, titre=name)),
        alarm_dates=[step_date(deadline.closes_on, s) for s in services.settings.reminder_steps],
        now=services.now(),
        alarm_hour=services.settings.reminder_hour,
    )


def _unescape(text: str) -> str:
    return html.unescape(text)


async def on_ics(update: Update, context: Context) -> None:
    """rem:ics: send the calendar file (or say why there is none yet)."""
    query = update.callback_query
    assert query is not None
    lang = await user_lang(update, context)
    uid = user_id(update)
    await query.answer()
    _, deadline = await _deadline(context, uid)
    chat = update.effective_chat
    if deadline is None or chat is None:
        await reply(update, context, t(context, "ics_none", lang))
        return
    if deadline.closes_on < context.services.today():  # an old button: no event in the past
        await reply(update, context, t(context, "ics_past", lang,
                                       closes=format_date(deadline.closes_on, lang)))  # fmt: skip
        return
    data = calendar_bytes(context, uid, lang, deadline)
    await context.bot.send_document(
        chat.id,
        InputFile(data, filename=FILENAME),
        caption=t(context, "ics_caption_target" if deadline.provisional else "ics_caption", lang),
    )


def handlers() -> list[BaseHandler[Update, Context, Any]]:
    return [
        CommandHandler(list(COMMANDS), on_command),
        CallbackQueryHandler(on_snooze, pattern=f"^{msg.SNOOZE}$"),
        CallbackQueryHandler(on_ics, pattern=f"^{msg.ICS}$"),
        CallbackQueryHandler(on_stop, pattern=f"^{msg.STOP}$"),
        CallbackQueryHandler(on_toggle, pattern=f"^({msg.TURN_ON}|{msg.TURN_OFF})$"),
    ]
