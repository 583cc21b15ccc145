"""/partager: the bot's link, a QR code to print or project, links that open a topic."""

from __future__ import annotations

import io

import qrcode
from telegram import Update
from telegram.ext import BaseHandler, CommandHandler
from telegram.helpers import create_deep_linked_url

from conversations.common import reply, user_lang
from conversations.deeplinks import REFERRAL_PREFIX, SHARED_TOPICS
from conversations.services import Context


def bot_link(username: str, payload: str | None = None) -> str:
    """`https://t.me/<username>[?start=payload]`, from the bot's own username."""
    return create_deep_linked_url(username, payload) if payload else f"https://t.me/{username}"


def qr_png(url: str) -> bytes:
    """A QR code big enough to be read from a projected slide or a printed sheet."""
    code = qrcode.QRCode(box_size=10, border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


async def share(update: Update, context: Context) -> None:
    lang = user_lang(update, context)
    t = context.services.catalogue.t
    username = context.bot.username
    user = update.effective_user
    code = context.services.store.advisor_code(user.id) if user else None
    main_link = bot_link(username, f"{REFERRAL_PREFIX}{code}" if code else None)
    lines = [t("share.intro", lang, link=main_link)]
    if code:
        lines.append(t("share.personal", lang, link=main_link))
    lines.append(t("share.topics_title", lang))
    for payload in SHARED_TOPICS:
        lines.append(t(f"share.topic.{payload}", lang, link=bot_link(username, payload)))
    await reply(update, context, "\n".join(lines))
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_photo(
            chat.id,
            photo=qr_png(main_link),
            caption=t("share.qr_caption", lang, link=main_link),
            filename="tsgri-bot-qr.png",
        )


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [CommandHandler(["partager", "share"], share)]
