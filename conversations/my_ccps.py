"""/mesccp: where the user stands — CCPs held and missing, the window, the next step.

The closing date is never typed by anyone: it is computed by `knowledge.deadline` (the one
deadline service) from the earliest declared date and said with the rule that applies. A CCP
obtained after that date is pointed out kindly, with who can say what it is worth; a prudent
date that has passed is never called a closed window. Buttons change a
date (the declare dialogue, `decl:ccp:<n>`), delete a declaration after a confirmation, or
declare another CCP. Every button carries its own data, so an old one still works.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import date
from typing import Any, Final

from telegram import InlineKeyboardMarkup, InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from conversations import declare, reminder_message
from conversations.common import callback, keyboard, show, user_id, user_lang
from conversations.deeplinks import private_only
from conversations.services import Context, Services
from conversations.timeline import TimelineTexts, ccp_marks, timeline_png
from knowledge.deadline import Deadline, deadline_from, explain_for
from knowledge.deadline import format_date as fmt
from knowledge.model import Ccp, Lang

log = logging.getLogger(__name__)

PREFIX: Final = "mine"
COMMANDS: Final = ("mesccp", "myccps")
SHOW: Final = "show"  # mine:show — the summary again (also sent by the declare dialogue)
DELETE: Final = "del"  # mine:del:<n> — ask to confirm
DELETE_YES: Final = "delok"  # mine:delok:<n> — confirmed
KEEP: Final = "keep"  # mine:keep — changed their mind
CB_CONSENT: Final = "cons:list"  # conversations/consent.py: sharing with an advisor
NEXT_STEP_TOPIC: Final = "entretien_final"  # what the référentiel says once every CCP is held
assert f"{PREFIX}:{SHOW}" == declare.CB_MY_CCPS


def t(context: Context, key: str, lang: Lang, **values: Any) -> str:
    return context.services.catalogue.t(f"mine.{key}", lang, **values)


def deadline_for(services: Services, declared: dict[int, date]) -> Deadline | None:
    """The user's deadline from their saved CCPs (None before the first one)."""
    return deadline_from(services.titre.capitalisation, declared.values())


def late_numbers(deadline: Deadline, declared: dict[int, date]) -> list[int]:
    """The CCPs obtained after the date that applies, in number order."""
    return sorted(n for n, obtained in declared.items() if deadline.late(obtained))


def late_warning(context: Context, lang: Lang, deadline: Deadline, numbers: list[int]) -> str:
    """A kind word on CCPs obtained after the date: by a firm rule, they may not count; after
    the prudent target of the rule in force, they may well count (to confirm)."""
    key = "late_target" if deadline.provisional else "late_firm"
    return t(context, key, lang, numbers=", ".join(map(str, numbers)),
             closes=fmt(deadline.closes_on, lang))  # fmt: skip


def ccps_named(context: Context, lang: Lang, ccps: Sequence[Ccp]) -> str:
    """"le CCP 3", "les CCP 2 et 3": never "le(s) CCP 2, 3"."""
    numbers = [str(c.number) for c in ccps]
    if len(numbers) == 1:
        return t(context, "ccp_one", lang, number=numbers[0])
    return t(context, "ccp_many", lang, numbers=", ".join(numbers[:-1]), last=numbers[-1])


def next_step(context: Context, lang: Lang, deadline: Deadline, missing: str) -> str:
    """What to do now, as the rule allows: never "closed" for a prudent date."""
    standing = deadline.standing(context.services.today())
    closes = fmt(deadline.closes_on, lang)
    if standing == "closed":
        return t(context, "next_closed", lang, missing=missing)
    if standing == "target_passed":
        return t(context, "next_check", lang, missing=missing)
    key = "next_target" if deadline.provisional else "next_missing"
    return t(context, key, lang, missing=missing, closes=closes)


def summary(context: Context, lang: Lang, declared: dict[int, date]) -> str:
    """The whole picture as HTML (values escaped by the catalogue)."""
    services = context.services
    today = services.today()
    titre = services.titre
    total = len(titre.ccps)
    held = [c for c in titre.ccps if c.number in declared]
    missing = [c for c in titre.ccps if c.number not in declared]
    parts = [t(context, "title", lang, held=len(held), total=total)]
    if held:
        lines = [
            t(
                context,
                "held_line",
                lang,
                number=c.number,
                title=c.title.get(lang),
                date=fmt(declared[c.number], lang),
            )
            for c in held
        ]
        parts.append(t(context, "held_header", lang) + "\n" + "\n".join(lines))
    if missing:
        lines = [
            t(context, "missing_line", lang, number=c.number, title=c.title.get(lang))
            for c in missing
        ]
        parts.append(t(context, "missing_header", lang) + "\n" + "\n".join(lines))
    deadline = deadline_for(services, declared)
    if deadline is None:
        parts.append(t(context, "none", lang))
        return "\n\n".join(parts)
    late = late_numbers(deadline, declared)
    if not missing and not late:
        parts.append(all_held(context, lang))
        return "\n\n".join(parts)
    parts.append(t(context, "deadline", lang, explain=explain_for(titre, deadline, lang, today)))
    if late:
        parts.append(late_warning(context, lang, deadline, late))
    if missing:
        parts.append(next_step(context, lang, deadline, ccps_named(context, lang, missing)))
    else:
        parts.append(all_held(context, lang))
    return "\n\n".join(parts)


def all_held(context: Context, lang: Lang) -> str:
    topic = context.services.titre.topic(NEXT_STEP_TOPIC)
    if topic is None:
        return t(context, "all_held_generic", lang)
    return t(context, "all_held", lang, answer=topic.answer.get(lang), source=topic.source or "—")


async def buttons(
    context: Context, lang: Lang, declared: dict[int, date], uid: int | None = None
) -> InlineKeyboardMarkup:
    titre = context.services.titre
    rows = [
        [
            (t(context, "button_change", lang, number=n), declare.cb_pick(n)),
            (t(context, "button_delete", lang, number=n), callback(PREFIX, DELETE, n)),
        ]
        for n in sorted(declared)
    ]
    if len(declared) < len(titre.ccps):
        rows.append([(t(context, "button_declare", lang), declare.CB_START)])
        if declared:  # the closing date in the user's calendar, as from a reminder
            ics = context.services.catalogue.t("reminders.button.ics", lang)
            rows.append([(ics, reminder_message.ICS)])
    if uid is not None and await context.services.store.consents(uid):  # issue 14: who sees this
        rows.append([(context.services.catalogue.t("consent.button_overview", lang),
                      CB_CONSENT)])  # fmt: skip
    return keyboard(rows)


async def send_timeline(
    update: Update, context: Context, lang: Lang, declared: dict[int, date]
) -> None:
    deadline = deadline_for(context.services, declared)
    if deadline is not None:
        await send_window_picture(update, context, lang, ccp_marks(declared), deadline)


async def send_window_picture(
    update: Update, context: Context, lang: Lang, marks: dict[str, date], deadline: Deadline
) -> None:
    """The window as a picture (/mesccp, /delai); a drawing problem must not hide the text
    already sent, so it is logged and the picture left out."""
    chat = update.effective_chat
    if chat is None:
        return
    today = context.services.today()
    all_held = ccp_marks({ccp.number: today for ccp in context.services.titre.ccps})
    try:
        png = await asyncio.to_thread(
            timeline_png,
            marks,
            closes_on=deadline.closes_on,
            today=today,
            texts=TimelineTexts.from_catalogue(context.services.catalogue, lang),
            provisional=deadline.provisional,
            complete=set(marks) == set(all_held),  # every CCP held: no closing to fear
        )
    except Exception:
        log.exception("could not draw the timeline")
        return
    standing = deadline.standing(today)
    key = (
        "timeline_caption_passed" if standing == "target_passed"
        else "timeline_caption_target" if deadline.provisional
        else "timeline_caption"
    )
    await context.bot.send_photo(
        chat.id,
        InputFile(png, filename="fenetre-ccp.png"),
        caption=t(context, key, lang, closes=fmt(deadline.closes_on, lang)),
    )


async def on_command(update: Update, context: Context) -> None:
    lang = await user_lang(update, context)
    if not await private_only(update, context):
        return
    uid = user_id(update)
    declared = await context.services.store.declarations(uid)
    await show(update, context, summary(context, lang, declared),
               await buttons(context, lang, declared, uid))  # fmt: skip
    await send_timeline(update, context, lang, declared)


async def on_show(update: Update, context: Context) -> None:
    lang = await user_lang(update, context)
    if not await private_only(update, context):
        return
    uid = user_id(update)
    declared = await context.services.store.declarations(uid)
    await show(update, context, summary(context, lang, declared),
               await buttons(context, lang, declared, uid))  # fmt: skip


def _number(update: Update) -> int | None:
    query = update.callback_query
    data = query.data if query is not None and isinstance(query.data, str) else ""
    last = data.rsplit(":", 1)[-1]
    return int(last) if last.isdigit() else None


async def on_delete(update: Update, context: Context) -> None:
    lang = await user_lang(update, context)
    if not await private_only(update, context):
        return
    number = _number(update)
    declared = await context.services.store.declarations(user_id(update))
    if number is None or number not in declared:
        await on_gone(update, context, lang, number, declared)
        return
    markup = keyboard(
        [
            [
                (
                    t(context, "button_delete_yes", lang, number=number),
                    callback(PREFIX, DELETE_YES, number),
                )
            ],
            [(t(context, "button_delete_no", lang), callback(PREFIX, KEEP))],
        ]
    )
    text = t(context, "confirm_delete", lang, number=number, date=fmt(declared[number], lang))
    await show(update, context, text, markup)


async def on_delete_yes(update: Update, context: Context) -> None:
    lang = await user_lang(update, context)
    if not await private_only(update, context):
        return
    number = _number(update)
    store = context.services.store
    uid = user_id(update)
    if number is None or not await store.delete_declaration(uid, number):
        await on_gone(update, context, lang, number, await store.declarations(uid))
        return
    declared = await store.declarations(uid)
    text = t(context, "deleted", lang, number=number) + "\n\n" + summary(context, lang, declared)
    await show(update, context, text, await buttons(context, lang, declared))


async def on_gone(
    update: Update, context: Context, lang: Lang, number: int | None, declared: dict[int, date]
) -> None:
    """Pressed twice, or after the declaration was already deleted: say so, show the truth."""
    text = t(context, "already_deleted", lang, number=number if number is not None else "?")
    await show(
        update,
        context,
        text + "\n\n" + summary(context, lang, declared),
        await buttons(context, lang, declared),
    )


async def on_keep(update: Update, context: Context) -> None:
    lang = await user_lang(update, context)
    if not await private_only(update, context):
        return
    declared = await context.services.store.declarations(user_id(update))
    text = t(context, "kept", lang) + "\n\n" + summary(context, lang, declared)
    await show(update, context, text, await buttons(context, lang, declared))


async def on_stale(update: Update, context: Context) -> None:
    await on_show(update, context)


def handlers() -> list[BaseHandler[Update, Context, Any]]:
    return [
        CommandHandler(list(COMMANDS), on_command),
        CallbackQueryHandler(on_show, pattern=rf"^{PREFIX}:{SHOW}$"),
        CallbackQueryHandler(on_delete, pattern=rf"^{PREFIX}:{DELETE}:"),
        CallbackQueryHandler(on_delete_yes, pattern=rf"^{PREFIX}:{DELETE_YES}:"),
        CallbackQueryHandler(on_keep, pattern=rf"^{PREFIX}:{KEEP}$"),
        CallbackQueryHandler(on_stale, pattern=rf"^{PREFIX}:"),
    ]
