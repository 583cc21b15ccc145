"""/mesccp: where the user stands, short enough for a phone; the rest one button away.

The first message is the answer (`my_ccps_text.summary`): the CCPs held and missing in words,
the date that applies with its state and the days left, the one next step. Its buttons:
"📜 Règle et source" (the rule in full, its sources, the changes of the law), "➕ Détails" (each
CCP with its title and date), "✏️ Modifier" (change a date through the declare dialogue,
`decl:ccp:<n>`, or delete a declaration after a confirmation), declare another CCP, the
calendar file, the advisor sharing. Each detail is a new message, so the summary stays
readable; every button carries its own data and reads the declarations afresh, so one
pressed twice, or after a restart, or after a deletion, still answers with the truth.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date
from typing import Any, Final

from telegram import InlineKeyboardMarkup, InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from conversations import declare, reminder_message
from conversations.common import ack, callback, keyboard, reply, show, user_id, user_lang
from conversations.deeplinks import private_only
from conversations.my_ccps_text import deadline_for, details, edit_text, rule, summary
from conversations.services import Context
from conversations.timeline import TimelineTexts, ccp_marks, timeline_png
from knowledge.deadline import Deadline
from knowledge.deadline import format_date as fmt
from knowledge.model import Lang

log = logging.getLogger(__name__)

PREFIX: Final = "mine"
COMMANDS: Final = ("mesccp", "myccps")
SHOW: Final = "show"  # mine:show — the summary again (also sent by the declare dialogue)
RULE: Final = "rule"  # mine:rule — the date with its rule and sources, the changes of the law
DETAILS: Final = "details"  # mine:details — each CCP with its title and date
EDIT: Final = "edit"  # mine:edit — a button per CCP to change its date or delete it
DELETE: Final = "del"  # mine:del:<n> — ask to confirm
DELETE_YES: Final = "delok"  # mine:delok:<n> — confirmed
KEEP: Final = "keep"  # mine:keep — changed their mind
CB_CONSENT: Final = "cons:list"  # conversations/consent.py: sharing with an advisor
assert f"{PREFIX}:{SHOW}" == declare.CB_MY_CCPS
__all__ = ["deadline_for", "handlers", "send_window_picture", "summary"]


def t(context: Context, key: str, lang: Lang, **values: Any) -> str:
    return context.services.catalogue.t(f"mine.{key}", lang, **values)


Rows = list[list[tuple[str, str]]]


async def buttons(
    context: Context, lang: Lang, declared: dict[int, date], uid: int | None = None
) -> InlineKeyboardMarkup:
    """Under the summary: what it leaves out, one tap away, then what the user can do."""
    titre = context.services.titre
    more = [(t(context, "button_details", lang), callback(PREFIX, DETAILS))]
    if declared:
        more.insert(0, (t(context, "button_rule", lang), callback(PREFIX, RULE)))
    rows: Rows = [more]
    act: list[tuple[str, str]] = []
    if len(declared) < len(titre.ccps):
        act.append((t(context, "button_declare", lang), declare.CB_START))
    if declared:
        act.append((t(context, "button_edit", lang), callback(PREFIX, EDIT)))
    rows.append(act)
    deadline = deadline_for(context.services, declared)
    if reminder_message.offers_calendar(titre, declared, deadline, context.services.today()):
        rows.append([(context.services.catalogue.t("reminders.button.ics", lang),
                      reminder_message.ICS)])  # fmt: skip
    if uid is not None and await context.services.store.consents(uid):  # issue 14: who sees this
        rows.append([(context.services.catalogue.t("consent.button_overview", lang),
                      CB_CONSENT)])  # fmt: skip
    return keyboard(rows)


def back_row(context: Context, lang: Lang) -> list[tuple[str, str]]:
    return [(t(context, "button_back", lang), callback(PREFIX, SHOW))]


def edit_buttons(context: Context, lang: Lang, declared: dict[int, date]) -> InlineKeyboardMarkup:
    """A row per saved CCP: change its date, delete it; then back to the summary."""
    rows: Rows = [
        [
            (t(context, "button_change", lang, number=n), declare.cb_pick(n)),
            (t(context, "button_delete", lang, number=n), callback(PREFIX, DELETE, n)),
        ]
        for n in sorted(declared)
    ]
    rows.append(back_row(context, lang))
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


async def on_more(update: Update, context: Context) -> None:
    """"📜 Règle et source", "➕ Détails", "✏️ Modifier": each a new message (the summary stays
    readable), read afresh from the declarations: pressed twice, after a restart or after a
    deletion, a button still tells the truth (with nothing declared, the summary says so)."""
    lang = await user_lang(update, context)
    if not await private_only(update, context):
        return
    query = update.callback_query
    await ack(query)
    action = (query.data or "").rsplit(":", 1)[-1] if query is not None else ""
    declared = await context.services.store.declarations(user_id(update))
    text, markup = await more_message(context, lang, declared, action)
    await reply(update, context, text, markup)


async def more_message(
    context: Context, lang: Lang, declared: dict[int, date], action: str
) -> tuple[str, InlineKeyboardMarkup]:
    if action == DETAILS:
        first = (
            (t(context, "button_edit", lang), callback(PREFIX, EDIT)) if declared
            else (t(context, "button_declare", lang), declare.CB_START)
        )
        return details(context, lang, declared), keyboard([[first], back_row(context, lang)])
    explained = rule(context, lang, declared) if action == RULE else None
    if explained is not None:
        return explained, keyboard([back_row(context, lang)])
    if action == EDIT and declared:
        return edit_text(context, lang, declared), edit_buttons(context, lang, declared)
    return summary(context, lang, declared), await buttons(context, lang, declared)


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
        CallbackQueryHandler(on_more, pattern=rf"^{PREFIX}:({RULE}|{DETAILS}|{EDIT})$"),
        CallbackQueryHandler(on_delete, pattern=rf"^{PREFIX}:{DELETE}:"),
        CallbackQueryHandler(on_delete_yes, pattern=rf"^{PREFIX}:{DELETE_YES}:"),
        CallbackQueryHandler(on_keep, pattern=rf"^{PREFIX}:{KEEP}$"),
        CallbackQueryHandler(on_stale, pattern=rf"^{PREFIX}:"),
    ]
