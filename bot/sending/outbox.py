"""Replies kept, not lost: what `ReplyRetrier` could not deliver in time is sent later.

A reply still refused after the retry bound (`BOT_REPLY_RETRY_SECONDS`, 60 s) for a transient
reason — 5xx, 429, a time-out, a network error — is written to the `outbox` table
(`bot.storage.outbox`) and the handler goes on as if it had been sent (its dialogue moves on).
Every later reply to that chat joins the queue behind it, so each chat's order holds. A task
sends the queue, oldest first in each chat, after the next reply that goes through and every
`BOT_OUTBOX_EVERY` seconds; the table survives a restart, and the next run sends what is left.

A reply is logged once as lost, with its reason, only when it never can be delivered: Telegram
refuses it for good (400: a message that no longer exists…), the user blocked the bot (403:
marked inactive, their queue dropped), or it waited longer than `BOT_OUTBOX_HOURS` (24 h).
Button and inline answers are never kept: Telegram forgets them after about 15 s.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import warnings
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from telegram import Bot, TelegramObject
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.warnings import PTBUserWarning

from bot.sending.bulk import bulk_sending
from bot.storage import Storage
from bot.storage.transit import KeptReply

log = logging.getLogger(__name__)

KEPT = frozenset({"sendMessage", "editMessageText", "editMessageReplyMarkup", "deleteMessage"})
JSONResult = bool | dict[str, Any] | list[dict[str, Any]]


def _plain(value: object) -> object:
    if isinstance(value, TelegramObject):
        return value.to_dict()
    if isinstance(value, datetime):
        return int(value.timestamp())
    raise TypeError(f"cannot keep a {type(value).__name__}")


def payload_of(data: dict[str, Any]) -> str | None:
    """The request's parameters as JSON, or None when they cannot be kept (files)."""
    try:
        return json.dumps(data, default=_plain, ensure_ascii=False)
    except (TypeError, ValueError):
        return None


def stand_in(endpoint: str, data: dict[str, Any]) -> JSONResult:
    """What the handler gets back for a kept reply: the message as it will be."""
    if endpoint == "deleteMessage":
        return True
    chat_id = int(data["chat_id"])
    return {
        "message_id": int(data.get("message_id") or 0),
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
        "text": str(data.get("text", "")),
    }


class Outbox:
    """The running bot's outbox: which chats have replies waiting, and the task sending them."""

    def __init__(
        self,
        storage: Storage,
        bot: Bot,
        *,
        max_age: timedelta,
        every: float,
        clock: Callable[[], datetime],
    ) -> None:
        self.storage = storage
        self.bot = bot
        self.max_age = max_age
        self.every = every
        self.clock = clock
        self.waiting: dict[int, int] = {}  # chat id → replies kept and not finished
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        # Kept requests are sent by endpoint name, as stored: PTB's hint to use the typed
        # method instead is for hand-written calls.
        warnings.filterwarnings("ignore", "Please use 'Bot", PTBUserWarning, __name__)
        self.waiting = await self.storage.read(self.storage.kept_chats)
        if self.waiting:
            log.info("%d replies kept by the previous run will be sent",
                     sum(self.waiting.values()))  # fmt: skip
        self._task = asyncio.create_task(self._run(), name="outbox")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def holds(self, chat_id: object) -> bool:
        return isinstance(chat_id, int) and chat_id in self.waiting

    def nudge(self) -> None:
        """Telegram took a reply: if some are waiting, try them now."""
        if self.waiting:
            self._wake.set()

    async def keep(self, endpoint: str, data: dict[str, Any], reason: str) -> JSONResult | None:
        """Keep the reply for later; None when it cannot be kept (then it is lost)."""
        chat_id = data.get("chat_id")
        payload = payload_of(data)
        if endpoint not in KEPT or not isinstance(chat_id, int) or payload is None:
            return None
        self.waiting[chat_id] = self.waiting.get(chat_id, 0) + 1  # before the write: in order
        await self.storage.run(
            self.storage.keep_reply, chat_id, endpoint, payload, reason, now=self.clock()
        )
        log.info("%s to chat %s kept for later: %s", endpoint, chat_id, reason)
        return stand_in(endpoint, data)

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.every)
            self._wake.clear()
            try:
                await self.drain()
            except Exception:  # never let the sender die: the rows stay for the next round
                log.exception("sending the kept replies failed")

    async def drain(self) -> None:
        """Send what waits, chat by chat, oldest first; stop at the first transient failure
        (Telegram is still down: the rest waits for the next round)."""
        for chat_id in list(self.waiting):
            if not await self._drain_chat(chat_id):
                return

    async def _drain_chat(self, chat_id: int) -> bool:
        while self.waiting.get(chat_id):
            kept = await self.storage.read(self.storage.next_kept, chat_id)
            if kept is None:  # its write is still on the storage thread: next round
                return True
            if self.clock() - kept.created_at > self.max_age:
                await self._lost(kept, "too_old", f"kept more than {self.max_age}")
                continue
            try:
                with bulk_sending():  # straight through: no second retry loop, no re-keeping
                    await self.bot.do_api_request(kept.endpoint, api_kwargs=kept.params)
            except RetryAfter as error:
                await self._failed(kept, f"429, retry after {error.retry_after}")
                return False
            except Forbidden as error:  # the user blocked the bot: nothing will get through
                await self.storage.run(self.storage.mark_blocked, chat_id, self.clock())
                ids = await self.storage.read(self.storage.kept_ids, chat_id)
                # said before it is recorded: a shutdown between the two would leave the rows
                # lost and nothing in the log (the other way round, they are tried again)
                log.warning("%d kept replies to chat %s lost: %s", len(ids), chat_id, error)
                await self.storage.run(self.storage.kept_lost, ids, "blocked", now=self.clock())
                self.waiting.pop(chat_id, None)
                return True
            except BadRequest as error:
                if "not modified" in str(error).lower():  # an edit already shown
                    await self._sent(kept)
                    continue
                await self._lost(kept, "refused", str(error))
                continue
            except NetworkError as error:  # 5xx, time-outs, connection errors
                await self._failed(kept, str(error) or type(error).__name__)
                return False
            except TelegramError as error:
                await self._lost(kept, "refused", str(error))
                continue
            await self._sent(kept)
        return True

    def _finished(self, chat_id: int) -> None:
        left = self.waiting.get(chat_id, 0) - 1
        if left > 0:
            self.waiting[chat_id] = left
        else:
            self.waiting.pop(chat_id, None)

    async def _sent(self, kept: KeptReply) -> None:
        await self.storage.run(self.storage.kept_sent, kept.row_id)
        self._finished(kept.chat_id)

    async def _failed(self, kept: KeptReply, reason: str) -> None:
        await self.storage.run(self.storage.kept_failed, kept.row_id, reason)

    async def _lost(self, kept: KeptReply, why: str, reason: str) -> None:
        # logged before it is recorded, as a blocked chat's replies are (`_drain_chat`)
        log.warning("%s to chat %s lost: %s", kept.endpoint, kept.chat_id, reason)
        await self.storage.run(self.storage.kept_lost, [kept.row_id], why, now=self.clock())
        self._finished(kept.chat_id)
