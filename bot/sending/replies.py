"""Replies are delivered, not dropped: every Bot API call of a handler goes through here.

Telegram answers 429, 5xx and time-outs every day. A handler that awaits `send_message` gets
its message delivered or, after a bounded time, a `ReplyUndelivered` that the error handler
logs once (without a second send and without the generic error message):

- 429 (`RetryAfter`): *every* reply waits `retry_after` (Telegram asks the whole bot to slow
  down), then the same call is made again;
- 5xx, network errors and time-outs: retried with exponential backoff;
- both within `deadline` seconds of the first attempt (`BOT_REPLY_RETRY_SECONDS`, 60 s;
  at most 10 s for a button's answer, which Telegram forgets after about 15 s); past it, a
  message is kept in the outbox and sent when Telegram is back (`bot.sending.outbox`), and every
  later reply to that chat waits behind it;
- 400, 403 and the rest are raised at once: retrying cannot help (a button's or an inline
  query's answer refused as "too old" on a retry was delivered by the attempt that timed out).

Order per chat is kept because the handler awaits each call before the next, and one user's
updates are handled one at a time (`bot.updates.processor`). Group chats keep Telegram's limit
of 20 messages a minute. Bulk senders (`bot.sending.bulk`) have their
own pacing and retry rules: inside `bulk_sending()` calls pass straight through.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import BaseRateLimiter

from bot.sending.bulk import in_bulk_sending, retry_after_seconds
from bot.sending.outbox import Outbox

log = logging.getLogger(__name__)

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]
Callback = Callable[..., Coroutine[Any, Any, JSONResult]]

# Calls whose loss a user would notice; anything else (menus at start-up...) is tried once.
RETRIED = frozenset({
    "sendMessage", "sendDocument", "sendPhoto", "editMessageText", "editMessageReplyMarkup",
    "answerCallbackQuery", "answerInlineQuery", "deleteMessage",
})
# Telegram forgets a button press or an inline query after about 15 s.
SHORT_LIVED = frozenset({"answerCallbackQuery", "answerInlineQuery"})
REPLY_DEADLINE = 60.0
SHORT_DEADLINE = 10.0
GROUP_RATE = 20  # messages a minute in one group chat

class ReplyUndelivered(NetworkError):
    """A reply could not be delivered within the deadline; `reason` is the last error."""

    def __init__(self, endpoint: str, chat_id: object, reason: str, attempts: int) -> None:
        super().__init__(f"{endpoint} to chat {chat_id} lost after {attempts} attempts: {reason}")
        self.endpoint = endpoint
        self.chat_id = chat_id
        self.reason = reason
        self.attempts = attempts


class ReplyRetrier(BaseRateLimiter[int]):
    """A PTB rate limiter that retries replies; see the module docstring."""

    def __init__(
        self,
        *,
        deadline: float = REPLY_DEADLINE,
        short_deadline: float = SHORT_DEADLINE,
        backoff: float = 0.25,
        max_backoff: float = 4.0,
        retry_after_margin: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._groups: dict[int | str, AsyncLimiter] = {}  # 20 a minute per group chat
        self.deadline = deadline
        self.short_deadline = short_deadline
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.retry_after_margin = retry_after_margin
        self.clock = clock
        self._paused_until = 0.0
        self.outbox: Outbox | None = None  # opened with the storage, in post_init
        self.retries = 0  # figures for tests and the benchmark
        self.kept = 0
        self.lost = 0

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        self._groups.clear()

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSONResult:
        if in_bulk_sending():
            return await callback(*args, **kwargs)
        if endpoint not in RETRIED:
            return await self._once(callback, args, kwargs, data)
        if self.outbox is not None and self.outbox.holds(data.get("chat_id")):
            kept = await self.outbox.keep(endpoint, data, "behind earlier replies")
            if kept is not None:  # earlier replies to this chat wait: this one joins them
                return kept
        return await self._retried(callback, args, kwargs, endpoint, data)

    async def _retried(
        self, callback: Callback, args: Any, kwargs: dict[str, Any], endpoint: str,
        data: dict[str, Any],
    ) -> JSONResult:
        """Sent again on 5xx, time-outs and 429 until the deadline; then kept or lost."""
        deadline = self.short_deadline if endpoint in SHORT_LIVED else self.deadline
        give_up = self.clock() + deadline
        attempts = 0
        while True:
            await self._wait_pause(give_up)
            attempts += 1
            try:
                result = await self._once(callback, args, kwargs, data)
            except RetryAfter as error:
                wait = retry_after_seconds(error) + self.retry_after_margin
                self._paused_until = max(self._paused_until, self.clock() + wait)
                reason = f"429, retry after {wait:.1f} s"
                delay = 0.0
            except BadRequest as error:
                if attempts > 1 and endpoint in SHORT_LIVED and _too_old(error):
                    # A time-out hid the first answer's success (Telegram then refuses the
                    # same query twice): the user has seen it; nothing more to do.
                    return True
                raise
            except NetworkError as error:  # 5xx, time-outs, connection errors
                reason = str(error) or type(error).__name__
                delay = min(self.max_backoff, self.backoff * 2 ** (attempts - 1))
            else:
                if self.outbox is not None:
                    self.outbox.nudge()  # Telegram takes replies again: send the kept ones
                return result
            if self.clock() + delay >= give_up:
                return await self._keep_or_lose(endpoint, data, reason, attempts)
            self.retries += 1
            log.info("%s to chat %s: %s; retry %d", endpoint, data.get("chat_id"), reason,
                     attempts)
            await asyncio.sleep(delay)

    async def _keep_or_lose(
        self, endpoint: str, data: dict[str, Any], reason: str, attempts: int
    ) -> JSONResult:
        """Past the deadline: a message reply goes to the outbox; anything else is lost."""
        if self.outbox is not None and endpoint not in SHORT_LIVED:
            kept = await self.outbox.keep(endpoint, data, reason)
            if kept is not None:
                self.kept += 1
                return kept
        self.lost += 1
        raise ReplyUndelivered(endpoint, data.get("chat_id"), reason, attempts)

    async def _once(
        self, callback: Callback, args: Any, kwargs: dict[str, Any], data: dict[str, Any]
    ) -> JSONResult:
        group = _group_of(data.get("chat_id"))
        if group is None:
            return await callback(*args, **kwargs)
        limiter = self._groups.setdefault(group, AsyncLimiter(GROUP_RATE, 60))
        async with limiter:
            return await callback(*args, **kwargs)

    async def _wait_pause(self, give_up: float) -> None:
        """Wait out a 429 pause (never past this call's own deadline)."""
        left = min(self._paused_until, give_up) - self.clock()
        if left > 0:
            await asyncio.sleep(left)


def _group_of(chat_id: object) -> int | str | None:
    """Group and channel ids are negative (or @names); private chats are positive."""
    if isinstance(chat_id, str):
        with contextlib.suppress(ValueError):
            chat_id = int(chat_id)
    if isinstance(chat_id, str) or (isinstance(chat_id, int) and chat_id < 0):
        return chat_id
    return None


def _too_old(error: BadRequest) -> bool:
    return "query is too old" in str(error).lower()
