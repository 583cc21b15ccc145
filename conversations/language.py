"""/langue: Français or English, remembered for the user (store.set_user_lang)."""

from __future__ import annotations

from typing import Any, Final, get_args

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from conversations import deeplinks, render, stale
from conversations.common import callback, keyboard, show, user_lang
from conversations.services import Context
from knowledge.model import Lang

PREFIX: Final = deeplinks.LANGUAGE
SET: Final = "set"
LANGS: Final[tuple[Lang, ...]] = get_args(Lang)


async def send_choice(update: Update, context: Context) -> None:
    """The two buttons; in a group the choice is personal, so it moves to the private chat."""
    if not deeplinks.is_private(update):
        await deeplinks.send_to_private(update, context, deeplinks.LANGUE)
        return
    catalogue = context.services.catalogue
    lang = await user_lang(update, context)
    rows = [[(catalogue.t(f"language.name.{code}", lang), callback(PREFIX, SET, code))
             for code in LANGS]]
    await show(update, context, catalogue.t("language.choose", lang), keyboard(rows))


async def language_command(update: Update, context: Context) -> None:
    await send_choice(update, context)


async def on_button(update: Update, context: Context) -> None:
    """lang:set:<fr|en>; pressing it twice is harmless (same value, same message)."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    parts = (query.data or "").split(":")[1:]
    chosen = next((code for code in LANGS if parts == [SET, code]), None)
    if chosen is None:
        await stale.stale_button(update, context)
        return
    if not deeplinks.is_private(update):
        await deeplinks.send_to_private(update, context, deeplinks.LANGUE)
        return
    await context.services.store.set_user_lang(user.id, chosen)
    catalogue = context.services.catalogue
    await show(update, context, catalogue.t("language.chosen", chosen),
                      render.menu_markup(catalogue, chosen))


def handlers() -> list[BaseHandler[Update, Context, Any]]:
    return [
        CommandHandler(
            ["langue", "language", "lang"], language_command, filters=filters.UpdateType.MESSAGE
        ),
        CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:"),
    ]
