"""Operators' commands (ids in BOT_ADMINS): /stats, /inconnues, /annonce with preview.

Anyone else is told the command is reserved, and sees no figure. Operators get the figures only
in their private chat with the bot: in a group, everybody would read them.
"""

from __future__ import annotations

from typing import Any, Final

from telegram import CallbackQuery, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from conversations import deeplinks, stale
from conversations.common import ack, callback, keyboard, reply, user_lang
from conversations.i18n import Catalogue
from conversations.limits import utf16_units
from conversations.services import Context, Services
from knowledge.model import Lang

PREFIX: Final = "adm"
SEND: Final = "send"  # adm:send:<announcement id>
CANCEL: Final = "cancel"  # adm:cancel:<announcement id>
MAX_ANNOUNCEMENT_CHARS: Final = 3500  # leaves room for the header within Telegram's 4096
UNANSWERED_SHOWN: Final = 30
TOP_TOPICS_SHOWN: Final = 10


def announcement_html(catalogue: Catalogue, lang: Lang, text: str) -> str:
    """The message every user receives; the preview shows exactly this."""
    return catalogue.t("admin.announcement_message", lang, text=text)


def is_admin(update: Update, context: Context) -> bool:
    user = update.effective_user
    return user is not None and user.id in context.services.settings.admins


async def _allowed(update: Update, context: Context) -> bool:
    """Operators in their private chat; anyone else is refused without a single figure."""
    if not is_admin(update, context):
        lang = await user_lang(update, context)
        await reply(update, context, context.services.catalogue.t("admin.reserved", lang))
        return False
    if not deeplinks.is_private(update):
        await deeplinks.send_to_private(update, context, None)
        return False
    return True


def topic_title(services: Services, topic_id: str, lang: Lang) -> str:
    topic = services.titre.topic(topic_id)
    return topic.title.get(lang) if topic is not None else topic_id


def format_stats(stats: dict[str, Any], lang: Lang, services: Services) -> str:
    t = services.catalogue.t
    topics = ", ".join(
        f"{topic_title(services, str(topic), lang)} ({count})"
        for topic, count in list(stats.get("top_topics", []))[:TOP_TOPICS_SHOWN]
    )
    return t(
        "admin.stats",
        lang,
        users=stats.get("users", 0),
        active_7d=stats.get("active_7d", 0),
        active_30d=stats.get("active_30d", 0),
        blocked=stats.get("blocked_users", 0),
        declarations=stats.get("declarations", 0),
        users_with_declarations=stats.get("users_with_declarations", 0),
        reminders_sent=stats.get("reminders_sent", 0),
        reminders_failed=stats.get("reminders_failed", 0),
        questions=stats.get("questions", 0),
        top_topics=topics or "—",
        unanswered_share=f"{float(stats.get('unanswered_share', 0.0)):.0%}",
        clarified_share=f"{float(stats.get('clarified_share', 0.0)):.0%}",
        replies_waiting=stats.get("replies_waiting", 0),
        outbox_hours=f"{services.settings.outbox_hours:g}",
        replies_lost=stats.get("replies_lost_7d", 0),
    )


async def stats(update: Update, context: Context) -> None:
    if not await _allowed(update, context):
        return
    services = context.services
    figures = await services.store.stats(now=services.now())
    await reply(update, context, format_stats(figures, await user_lang(update, context), services))


async def unknown_questions(update: Update, context: Context) -> None:
    if not await _allowed(update, context):
        return
    lang = await user_lang(update, context)
    t = context.services.catalogue.t
    services = context.services
    groups = await services.store.unanswered(now=services.now(), limit=UNANSWERED_SHOWN)
    if not groups:
        await reply(update, context, t("admin.unanswered_none", lang))
        return
    lines = [t("admin.unanswered_title", lang)]
    lines += [t("admin.unanswered_line", lang, count=count, text=text) for text, count in groups]
    await reply(update, context, "\n".join(lines))


def announcement_text(message_text: str | None) -> str:
    """What follows the command, line breaks kept ("/annonce\\nLigne 1\\nLigne 2" works)."""
    parts = (message_text or "").split(None, 1)
    return parts[1].strip() if len(parts) == 2 else ""


async def announce(update: Update, context: Context) -> None:
    """Create a draft and show the preview with "send" / "cancel"; nothing is sent yet."""
    if not await _allowed(update, context):
        return
    lang = await user_lang(update, context)
    services = context.services
    t = services.catalogue.t
    message = update.effective_message
    text = announcement_text(message.text if message else None)
    if not text:
        await reply(update, context, t("admin.announce_usage", lang))
        return
    if (length := utf16_units(text)) > MAX_ANNOUNCEMENT_CHARS:
        await reply(
            update,
            context,
            t("admin.announce_too_long", lang, limit=MAX_ANNOUNCEMENT_CHARS, length=length),
        )
        return
    user_id = update.effective_user.id if update.effective_user else 0
    announcement_id = await services.store.create_announcement(
        text, created_by=user_id, now=services.now()
    )
    buttons = keyboard(
        [
            [
                (t("admin.announce_send", lang), callback(PREFIX, SEND, announcement_id)),
                (t("admin.announce_cancel", lang), callback(PREFIX, CANCEL, announcement_id)),
            ]
        ]
    )
    preview = (
        t("admin.announce_preview", lang)
        + "\n\n"
        + announcement_html(services.catalogue, lang, text)
    )
    await reply(update, context, preview, buttons)


async def on_button(update: Update, context: Context) -> None:
    """adm:send:<id> / adm:cancel:<id>, pressed under a preview (maybe twice, maybe late)."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    lang = await user_lang(update, context)
    t = context.services.catalogue.t
    if not is_admin(update, context):
        await query.answer(t("admin.reserved_short", lang), show_alert=True)
        return
    _, action, raw_id = [*query.data.split(":"), "", ""][:3]
    if action not in (SEND, CANCEL) or not raw_id.isdigit():
        await stale.stale_button(update, context)
        return
    announcement_id = int(raw_id)
    announcer = context.services.announcer
    await ack(query)  # too old to answer: the edit below says enough
    if announcer is None:
        await _edit(query, t("admin.announce_unavailable", lang))
        return
    if action == CANCEL:
        cancelled = await announcer.cancel(announcement_id)
        key = "admin.announce_cancelled" if cancelled else "admin.announce_not_cancelled"
        await _edit(query, t(key, lang))
        return
    # The preview stays as the record of what was sent; its buttons go.
    await _edit(query, None)
    await reply(update, context, t("admin.announce_sending", lang))

    async def send_and_report() -> None:
        summary = await announcer(announcement_id)
        await reply(update, context, t("admin.announce_done", lang, summary=summary))

    # Thousands of users take minutes at 30 messages a second: the operator's chat must not
    # wait for it (one user's updates are handled in order).
    context.application.create_task(send_and_report(), update=update)


async def _edit(query: CallbackQuery, html_text: str | None) -> None:
    """Replace the preview's text, or with None only remove its buttons; pressed twice, the
    message already shows this ("not modified" is not an error then)."""
    try:
        if html_text is None:
            await query.edit_message_reply_markup(reply_markup=None)
        else:
            await query.edit_message_text(html_text)
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise


def handlers() -> list[BaseHandler[Update, Context, Any]]:
    return [
        CommandHandler("stats", stats),
        CommandHandler(["inconnues", "unanswered"], unknown_questions),
        CommandHandler(["annonce", "announce"], announce),
        CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:"),
    ]
