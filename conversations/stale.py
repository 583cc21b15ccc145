"""The last handler: any button nobody else recognised (old message, old version, restart).

Buttons carry plain strings, so most old buttons still work; those that do not get a kind
answer and the menu instead of an error or an endless spinner.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from conversations import deeplinks, render
from conversations.common import ack, reply, user_lang
from conversations.services import Context


async def stale_button(update: Update, context: Context) -> None:
    """Answer the query (a short notice) and, in a private chat, offer the menu again."""
    query = update.callback_query
    if query is None:
        return
    catalogue = context.services.catalogue
    lang = await user_lang(update, context)
    await ack(query, catalogue.t("stale.notice", lang))
    if deeplinks.is_private(update):
        await reply(update, context, catalogue.t("stale.menu", lang),
                    render.menu_markup(catalogue, lang))


def handlers() -> list[BaseHandler[Update, Context, Any]]:
    return [CallbackQueryHandler(stale_button)]
