"""Guards that run before every feature: edits, and buttons under inline-mode messages.

Edited messages are ignored, silently, as the other features already agreed (an edit is not a
new message). PTB's command and conversation handlers accept edits by default, so an edited
`/declarer 1 12/03/2022` stored the declaration again, an edited `/oublier` asked again, and an
edit during a dialogue's date step was read as an empty answer: this guard stops every edit
before any feature sees it, so nothing that changes data can run twice.

A button under a message sent through inline mode (`@bot vae` in another chat) comes with no
message and no chat: the handlers would not know where to answer. The user gets a kind notice
on the button itself, pointing them to the private chat.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, TypeHandler

from conversations.common import ack, user_lang
from conversations.services import Context

GROUP = -2  # before `_touch_user` (-1) and every feature (0)


def _edited(update: object) -> bool:
    return isinstance(update, Update) and (
        update.edited_message is not None or update.edited_channel_post is not None
    )


async def on_edit(update: Update, context: Context) -> None:
    raise ApplicationHandlerStop


class EditGuard(TypeHandler[Update, Context, None]):
    """Add with `application.add_handler(EditGuard(), group=GROUP)`."""

    def __init__(self) -> None:
        super().__init__(Update, on_edit)

    def check_update(self, update: object) -> bool:
        return _edited(update)


async def on_inline_button(update: Update, context: Context) -> None:
    notice = context.services.catalogue.t("guards.inline_button", await user_lang(update, context))
    await ack(update.callback_query, notice)
    raise ApplicationHandlerStop


class InlineButtonGuard(TypeHandler[Update, Context, None]):
    """Add with `application.add_handler(InlineButtonGuard(), group=GROUP)`."""

    def __init__(self) -> None:
        super().__init__(Update, on_inline_button)

    def check_update(self, update: object) -> bool:
        return (
            isinstance(update, Update)
            and update.callback_query is not None
            and update.callback_query.message is None
        )
