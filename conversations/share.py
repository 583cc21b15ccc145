"""/partager: the bot's link, a QR code to print or project, links that open a topic.

The links are built from the bot's own username (getMe), never written in code, so the same
code serves a test bot and the production one. A registered advisor gets their personal
`?start=ref-<code>` link instead of the plain one, and topic links `?start=<topic>-ref-<code>`,
so that the people they bring are counted; their label is printed under their QR code.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urlencode

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler

from conversations import deeplinks
from conversations.common import reply, user_lang
from conversations.i18n import Catalogue
from conversations.qr_picture import qr_png
from conversations.services import Context
from knowledge.model import Lang

# Deep links listed under the bot's link (each has a `share.topic.<payload>` text).
SHARED_TOPICS: Final = (
    deeplinks.VAE,
    deeplinks.CCP1,
    deeplinks.CCP2,
    deeplinks.CCP3,
    deeplinks.DELAI,  # opens the deadline calculator
    deeplinks.PARCOURS,  # opens the guided questionnaire
)
QR_FILENAME: Final = "conseiller-tsgri-qr.png"


def share_markup(
    catalogue: Catalogue, lang: Lang, link: str, *, inline: bool
) -> InlineKeyboardMarkup:
    """Send the link to a contact (Telegram's share screen); drop an answer into any chat
    (only when inline mode is on for this bot: getMe says so)."""
    share_url = "https://t.me/share/url?" + urlencode(
        {"url": link, "text": catalogue.t("share.forward_text", lang)}
    )
    rows = [[InlineKeyboardButton(catalogue.t("share.button_forward", lang), url=share_url)]]
    if inline:
        rows.append([InlineKeyboardButton(catalogue.t("share.button_inline", lang),
                                          switch_inline_query="")])
    return InlineKeyboardMarkup(rows)


async def share(update: Update, context: Context) -> None:
    services = context.services
    lang = await user_lang(update, context)
    t = services.catalogue.t
    username = context.bot.username
    user = update.effective_user
    code = await services.store.advisor_code(user.id) if user is not None else None
    main_link = deeplinks.link(username, deeplinks.referral_payload(code) if code else None)
    lines = [t("share.intro", lang, link=main_link)]
    if code:
        lines.append(t("share.personal", lang))
    lines.append(t("share.topics_title", lang))
    lines += [
        t(
            f"share.topic.{topic}",
            lang,
            link=deeplinks.link(
                username, deeplinks.referral_payload(code, topic) if code else topic
            ),
        )
        for topic in SHARED_TOPICS
    ]
    markup = share_markup(
        services.catalogue, lang, main_link, inline=bool(context.bot.supports_inline_queries)
    )
    await reply(update, context, "\n".join(lines), markup)
    chat = update.effective_chat
    if chat is not None:
        label = await services.store.advisor_label(user.id) if code and user is not None else None
        title = label or context.bot.first_name or t("share.qr_title", lang)
        await context.bot.send_photo(
            chat.id,
            photo=qr_png(main_link, title),
            caption=t("share.qr_caption", lang, link=main_link),
            filename=QR_FILENAME,
        )


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [CommandHandler(["partager", "share"], share)]
