"""Guards that run before every feature: edits, and buttons under inline-mode messages.

Edited messages never re-run an action that changes data.

Telegram sends an edit as a new update. PTB's command and text handlers accept edits by
default, so an edited `/declarer 1 12/03/2022` stored the declaration again, an edited
`/oublier` asked again, and an edit during a dialogue's date step was read as an empty answer.
This guard runs before every feature:
- an edited command is not run again (the user is told once, kindly, to send it anew);
- an edit while the user is in a dialogue is not taken as the dialogue's answer (same notice);
- an edited question is answered again, like a new question;
- any other edit (a caption, a location) is ignored.

A button under a message sent through inline mode (`@bot vae` in another chat) comes with no
message and no chat: the handlers would not know where to answer. The user gets a kind notice
on the button itself, pointing them to the private chat.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ConversationHandler, TypeHandler

from conversations import ask
from conversations.common import ack, reply, user_lang
from conversations.services import Context

GROUP = -2  # before `_touch_user` (-1) and every feature (0)


def _edited(update: object) -> bool:
    return isinstance(update, Update) and (
        update.edited_message is not None or update.edited_channel_post is not None
    )


def _in_dialogue(update: Update, context: Context) -> bool:
    for handlers in context.application.handlers.values():
        for handler in handlers:
            if isinstance(handler, ConversationHandler):
                check = handler.check_update(update)
                if check is not None:
                    return True
    return False


async def on_edit(update: Update, context: Context) -> None:
    message = update.effective_message
    text = message.text if message is not None else None
    if text is None:
        raise ApplicationHandlerStop
    if text.startswith("/") or _in_dialogue(update, context):
        notice = context.services.catalogue.t("guards.edit_not_rerun", user_lang(update, context))
        await reply(update, context, notice)
        raise ApplicationHandlerStop
    await ask.on_text(update, context)
    raise ApplicationHandlerStop


class EditGuard(TypeHandler[Update, Context, None]):
    """Add with `application.add_handler(EditGuard(), group=GROUP)`."""

    def __init__(self) -> None:
        super().__init__(Update, on_edit)

    def check_update(self, update: object) -> bool:
        return _edited(update)


async def on_inline_button(update: Update, context: Context) -> None:
    notice = context.services.catalogue.t("guards.inline_button", user_lang(update, context))
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
