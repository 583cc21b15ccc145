"""Operators' commands (ids in BOT_ADMINS): /stats, /inconnues, /annonce with preview."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from conversations.common import callback, keyboard, reply, user_lang
from conversations.services import Context
from knowledge.model import Lang

PREFIX = "adm"
SEND = "send"
CANCEL = "cancel"
MAX_ANNOUNCEMENT_CHARS = 3500  # leaves room for the header within Telegram's 4096


def is_admin(update: Update, context: Context) -> bool:
    user = update.effective_user
    return user is not None and user.id in context.services.settings.admins


async def _refuse(update: Update, context: Context, lang: Lang) -> None:
    await reply(update, context, context.services.catalogue.t("admin.reserved", lang))


def format_stats(stats: dict[str, Any], lang: Lang, context: Context) -> str:
    t = context.services.catalogue.t
    topics = ", ".join(f"{topic} ({count})" for topic, count in stats.get("top_topics", [])[:10])
    share = float(stats.get("unanswered_share", 0.0))
    return t(
        "admin.stats",
        lang,
        users=stats.get("users", 0),
        active_7d=stats.get("active_7d", 0),
        active_30d=stats.get("active_30d", 0),
        declarations=stats.get("declarations", 0),
        users_with_declarations=stats.get("users_with_declarations", 0),
        reminders_sent=stats.get("reminders_sent", 0),
        reminders_failed=stats.get("reminders_failed", 0),
        top_topics=topics or "—",
        unanswered_share=f"{share:.0%}",
    )


async def stats(update: Update, context: Context) -> None:
    lang = user_lang(update, context)
    if not is_admin(update, context):
        await _refuse(update, context, lang)
        return
    figures = context.services.store.stats(now=context.services.now())
    await reply(update, context, format_stats(figures, lang, context))


async def unknown_questions(update: Update, context: Context) -> None:
    lang = user_lang(update, context)
    t = context.services.catalogue.t
    if not is_admin(update, context):
        await _refuse(update, context, lang)
        return
    groups = context.services.store.unanswered(now=context.services.now(), limit=30)
    if not groups:
        await reply(update, context, t("admin.unanswered_none", lang))
        return
    lines = [t("admin.unanswered_title", lang)]
    lines += [t("admin.unanswered_line", lang, count=count, text=text) for text, count in groups]
    await reply(update, context, "\n".join(lines))


async def announce(update: Update, context: Context) -> None:
    lang = user_lang(update, context)
    t = context.services.catalogue.t
    if not is_admin(update, context):
        await _refuse(update, context, lang)
        return
    message = update.effective_message
    text = (message.text or "").partition(" ")[2].strip() if message else ""
    if not text:
        await reply(update, context, t("admin.announce_usage", lang))
        return
    if len(text) > MAX_ANNOUNCEMENT_CHARS:
        await reply(update, context, t("admin.announce_too_long", lang, limit=MAX_ANNOUNCEMENT_CHARS))
        return
    user_id = update.effective_user.id if update.effective_user else 0
    announcement_id = context.services.store.create_announcement(
        text, created_by=user_id, now=context.services.now()
    )
    buttons = keyboard(
        [[
            (t("admin.announce_send", lang), callback(PREFIX, SEND, announcement_id)),
            (t("admin.announce_cancel", lang), callback(PREFIX, CANCEL, announcement_id)),
        ]]
    )
    await reply(update, context, t("admin.announce_preview", lang, text=text), buttons)


async def on_button(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None or query.data is None:
        return
    lang = user_lang(update, context)
    t = context.services.catalogue.t
    if not is_admin(update, context):
        await query.answer(t("admin.reserved_short", lang), show_alert=True)
        return
    _, action, raw_id = (query.data.split(":") + ["", ""])[:3]
    await query.answer()
    if not raw_id.isdigit():
        return
    if action == CANCEL:
        await _edit(query, t("admin.announce_cancelled", lang))
        return
    announcer = context.services.announcer
    if announcer is None:
        await _edit(query, t("admin.announce_unavailable", lang))
        return
    await _edit(query, t("admin.announce_sending", lang))
    summary = await announcer(int(raw_id))
    await reply(update, context, t("admin.announce_done", lang, summary=summary))


async def _edit(query: Any, html_text: str) -> None:
    try:
        await query.edit_message_text(html_text)
    except BadRequest as error:  # pressed twice: the message already says this
        if "not modified" not in str(error).lower():
            raise


def handlers() -> list[BaseHandler[Update, Context, Any]]:
    return [
        CommandHandler("stats", stats),
        CommandHandler(["inconnues", "unanswered"], unknown_questions),
        CommandHandler(["annonce", "announce"], announce),
        CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:"),
    ]
