"""/confidentialite, /mesdonnees and /oublier: what is kept, a copy of it, and erasure.

Erasure has two halves: the rows in SQLite (`store.forget_user`) and what the running
Application still holds in memory (user_data, chat_data, conversation states), which would
otherwise be written back by the next persistence flush. Both go.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Final

from telegram import InputFile, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from conversations import leaving
from conversations.common import (
    ack,
    callback,
    keyboard,
    reply,
    show,
    split_message,
    user_id,
    user_lang,
)
from conversations.deeplinks import private_only
from conversations.privacy_export import readable_export
from conversations.reminder_settings import first_run_day
from conversations.services import Context
from knowledge.deadline import deadline_from
from knowledge.model import Lang

log = logging.getLogger(__name__)

PREFIX: Final = "priv"
FORGET: Final = "forget"  # priv:forget — confirmed: erase everything
KEEP: Final = "keep"  # priv:keep — changed their mind
EXPORT: Final = "export"  # priv:export — the /mesdonnees button under /confidentialite
ASK: Final = "ask"  # priv:ask — the /oublier button under /confidentialite
DETAILS: Final = "details"  # priv:details — the whole notice, under the short one
INFO_COMMANDS: Final = ("confidentialite", "privacy")
EXPORT_COMMANDS: Final = ("mesdonnees", "mydata")
FORGET_COMMANDS: Final = ("oublier", "forget")
EXPORT_FILENAME: Final = "mes-donnees-tsgri.json"
CB_CONSENT: Final = "cons:list"  # conversations/consent.py: who sees my progress


def t(context: Context, key: str, lang: Lang, **values: Any) -> str:
    return context.services.catalogue.t(f"privacy.{key}", lang, **values)


async def on_info(update: Update, context: Context) -> None:
    """The notice in one phone screen, the whole of it behind « Détails ». No personal data
    in these texts, so they may be read in a group too."""
    lang = await user_lang(update, context)
    chat = update.effective_chat
    rows = [[(t(context, "button_details", lang), callback(PREFIX, DETAILS))]]
    if chat is not None and chat.type == ChatType.PRIVATE:
        rows += [
            [(t(context, "button_export", lang), callback(PREFIX, EXPORT))],
            [(t(context, "button_forget", lang), callback(PREFIX, ASK))],
        ]
        if await context.services.store.consents(user_id(update)):  # sharing with an advisor
            rows.insert(1, [(context.services.catalogue.t("consent.button_overview", lang),
                             CB_CONSENT)])  # fmt: skip
    days = context.services.settings.unanswered_days
    await reply(update, context, t(context, "info", lang, days=days), keyboard(rows))


async def on_details(update: Update, context: Context) -> None:
    """« ➕ Détails »: the whole notice, as a new message (the short one stays above)."""
    lang = await user_lang(update, context)
    await ack(update.callback_query)
    days = context.services.settings.unanswered_days
    await reply(update, context, t(context, "details", lang, days=days))


def _json_default(value: object) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def export_document(data: Mapping[str, Any]) -> bytes:
    """The raw export (`Store.export_user`: the database rows) as a JSON file."""
    return json.dumps(
        data, ensure_ascii=False, indent=2, sort_keys=True, default=_json_default
    ).encode()


async def on_export(update: Update, context: Context) -> None:
    lang = await user_lang(update, context)
    if not await private_only(update, context):
        return
    await ack(update.callback_query)
    chat = update.effective_chat  # None under an inline-mode message: the private chat then
    uid = user_id(update)
    target = chat.id if chat is not None else uid
    services = context.services
    await context.application.update_persistence()  # a dialogue in progress is data too
    data = await services.store.export_user(uid)
    deadline = deadline_from(services.titre.capitalisation,
                             (await services.store.declarations(uid)).values())  # fmt: skip
    readable = readable_export(
        data,
        services.catalogue,
        lang,
        today=services.today(),
        local=lambda moment: moment.astimezone(services.settings.timezone),
        unanswered_days=services.settings.unanswered_days,
        first_send_day=first_run_day(services.now(), services.settings.reminder_hour),
        provisional=deadline is not None and deadline.provisional,
    )
    for part in split_message(readable):
        await context.bot.send_message(target, part)
    await context.bot.send_document(
        target,
        InputFile(export_document(data), filename=EXPORT_FILENAME),
        caption=t(context, "export_caption", lang),
    )


async def on_forget_ask(update: Update, context: Context) -> None:
    lang = await user_lang(update, context)
    if not await private_only(update, context):
        return
    markup = keyboard(
        [
            [(t(context, "button_forget_yes", lang), callback(PREFIX, FORGET))],
            [(t(context, "button_forget_no", lang), callback(PREFIX, KEEP))],
        ]
    )
    await ack(update.callback_query)  # from /confidentialite: keep that text, ask below
    text = t(context, "forget_confirm", lang)
    store = context.services.store
    if (code := await store.advisor_code(user_id(update))) is not None:
        # an advisor loses more than their own rows: say so before they choose
        sharing = (await store.referral_counts(code)).sharing
        text += "\n\n" + t(context, "forget_confirm_advisor", lang, sharing=sharing)
    await reply(update, context, text, markup)


def forget_in_memory(context: Context, uid: int, chat_id: int | None) -> int:
    """Drop what the Application holds about the user; the next flush deletes it from disk.

    Returns how many conversation states were ended (in every persistent dialogue).
    """
    application = context.application
    application.drop_user_data(uid)
    if chat_id is not None and chat_id == uid:  # a private chat's data is the user's
        application.drop_chat_data(chat_id)
    ended = 0
    for handler in leaving.dialogues(context):
        index = 1 if handler.per_chat else 0
        conversations = handler._conversations
        for key in [k for k in conversations if len(k) > index and k[index] == uid]:
            conversations.pop(key, None)  # tracked: the flush deletes the stored state
            ended += 1
    return ended


async def on_forget(update: Update, context: Context) -> None:
    lang = await user_lang(update, context)  # read before the language setting is erased
    if not await private_only(update, context):
        return
    uid = user_id(update)
    chat = update.effective_chat
    await context.services.store.forget_user(uid)
    ended = forget_in_memory(context, uid, chat.id if chat else None)
    log.info("forgot a user on request (%d dialogue states ended)", ended)
    await show(update, context, t(context, "forgotten", lang), None)


async def on_keep(update: Update, context: Context) -> None:
    lang = await user_lang(update, context)
    await show(update, context, t(context, "kept", lang), None)


def handlers() -> list[BaseHandler[Update, Context, Any]]:
    return [
        CommandHandler(list(INFO_COMMANDS), on_info),
        CommandHandler(list(EXPORT_COMMANDS), on_export),
        CommandHandler(list(FORGET_COMMANDS), on_forget_ask),
        CallbackQueryHandler(on_details, pattern=rf"^{PREFIX}:{DETAILS}$"),
        CallbackQueryHandler(on_export, pattern=rf"^{PREFIX}:{EXPORT}$"),
        CallbackQueryHandler(on_forget_ask, pattern=rf"^{PREFIX}:{ASK}$"),
        CallbackQueryHandler(on_forget, pattern=rf"^{PREFIX}:{FORGET}$"),
        CallbackQueryHandler(on_keep, pattern=rf"^{PREFIX}:{KEEP}$"),
    ]
