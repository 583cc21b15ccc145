"""The application's error handler: what a failure means for the user who wrote.

- The handler itself failed (a bug, a refused request): the trace is logged and the user gets
  the kind generic message.
- Telegram said the user blocked the bot (403): the user is marked inactive at once, one INFO
  line, nothing more is sent.
- A reply could not be delivered in time and could not be kept in the outbox (`bot.sending.outbox`:
  a button or inline answer, a file), `ReplyUndelivered`, network errors, 429: logged once
  as lost with its reason; the generic message would not get through either, and it must
  never stand in for an answer that exists. An inline query or button answered after
  Telegram forgot it ("query is too old") is logged as a warning too.
"""

from __future__ import annotations

import html
import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.storage.threaded import storage_of
from conversations.common import lang_from_code
from conversations.services import Context

log = logging.getLogger(__name__)


async def on_error(update: object, context: Context) -> None:
    error = context.error
    chat = update.effective_chat if isinstance(update, Update) else None
    if isinstance(error, Forbidden):
        await _mark_blocked(update, context)
        log.info("chat %s: the bot is blocked (%s); user marked inactive",
                 chat.id if chat else None, error)
        return
    if isinstance(error, RetryAfter | NetworkError) and not isinstance(error, BadRequest):
        log.warning("reply lost for chat %s: %s", chat.id if chat else None, error)
        return
    if isinstance(error, BadRequest) and "query is too old" in str(error).lower():
        # An inline query or a button answered after Telegram's ~15 s (the bot was slowed
        # down by Telegram itself): the user moved on; not a bug, nothing to send.
        log.warning("an answer came too late for Telegram: %s", error)
        return
    log.error("Error while handling an update", exc_info=error)
    if not isinstance(update, Update) or chat is None:
        return
    lang = lang_from_code(update.effective_user.language_code if update.effective_user else None)
    try:
        text = context.services.catalogue.t("errors.generic", lang)
    except (RuntimeError, KeyError):
        text = html.escape("Oups, quelque chose s'est mal passé. Réessayez dans un instant.")
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
        await context.bot.send_message(chat.id, text)
    except TelegramError as failure:
        log.warning("Could not tell chat %s about the error: %s", chat.id, failure)


async def _mark_blocked(update: object, context: Context) -> None:
    user = update.effective_user if isinstance(update, Update) else None
    if user is None:
        return
    try:
        storage = storage_of(context.services)
    except RuntimeError:  # not started
        return
    await storage.run(storage.mark_blocked, user.id, context.services.now())
