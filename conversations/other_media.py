"""Everything that is not a text question: a kind word in private, silence in groups.

Edited messages are ignored on purpose: the first version was already answered, and
answering again on every typo fix would be noise.
"""

from __future__ import annotations

from typing import Any, Final

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler, filters

from conversations import deeplinks, render
from conversations.common import reply, user_lang
from conversations.services import Context

# (filter, catalogue key) in the order they are tried.
KINDS: Final = (
    (filters.Sticker.ALL | filters.ANIMATION | filters.Dice.ALL, "other_media.sticker"),
    (filters.PHOTO | filters.VIDEO | filters.VIDEO_NOTE, "other_media.photo"),
    (filters.VOICE | filters.AUDIO, "other_media.voice"),
    (filters.Document.ALL, "other_media.document"),
    (filters.COMMAND, "other_media.unknown_command"),
)
NEW_MESSAGE: Final = filters.UpdateType.MESSAGE


def _reply_with(key: str) -> Any:
    async def kind_reply(update: Update, context: Context) -> None:
        if not deeplinks.is_private(update):
            return  # in a group, people share pictures with each other: not for the bot
        catalogue = context.services.catalogue
        lang = await user_lang(update, context)
        await reply(update, context, catalogue.t(key, lang), render.menu_markup(catalogue, lang))

    kind_reply.__name__ = f"reply_{key.rsplit('.', 1)[-1]}"
    return kind_reply


async def ignore(update: Update, context: Context) -> None:
    """Edited messages and channel posts: handled here so that nothing else reacts to them."""


def handlers() -> list[BaseHandler[Update, Context, Any]]:
    found: list[BaseHandler[Update, Context, Any]] = [
        MessageHandler(NEW_MESSAGE & kind, _reply_with(key)) for kind, key in KINDS
    ]
    found.append(
        MessageHandler(
            NEW_MESSAGE & ~filters.TEXT & ~filters.StatusUpdate.ALL,
            _reply_with("other_media.other"),
        )
    )
    found.append(
        MessageHandler(filters.UpdateType.EDITED | filters.UpdateType.CHANNEL_POSTS, ignore)
    )
    return found
