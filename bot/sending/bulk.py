"""Bulk sending within Telegram's limits: paced, bounded, and honest about each result.

Used for reminders and operator announcements; it knows nothing of either. Each `Outgoing`
carries a chat id and a coroutine factory that does the actual Bot API call(s), so the caller
decides what a message is (text, buttons, a document). The sender guarantees:

- at most `rate` calls a second overall (evenly paced, no burst: a server that counts in a
  sliding window must never see more than it allows);
- at most `concurrency` calls in flight;
- a 429 (`RetryAfter`) pauses *every* sender for `retry_after`, then the same message is tried
  again (Telegram asks the whole bot to slow down, not one chat);
- a 403 (`Forbidden`: the user blocked the bot) is "blocked" and never retried;
- network errors, timeouts and 5xx are retried with exponential backoff, then "failed"
  (the caller leaves them for the next run); a 400 is "failed" at once (retrying cannot help).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import warnings
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Literal

from telegram import Bot, InlineKeyboardMarkup, InputFile
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.request import HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)

Status = Literal["sent", "blocked", "failed"]
SendFn = Callable[[Bot], Awaitable[object]]

TELEGRAM_BULK_RATE = 30.0  # messages a second overall, Telegram's documented bulk limit
DEFAULT_RATE = 29.6  # evenly spaced; the Pacer's window keeps any second under 31
GRID_TOLERANCE = 0.005  # seconds a paced call may wake late and keep the grid
DEFAULT_CONCURRENCY = 8  # enough to keep 28/s going with ~250 ms round trips

# Set while a bulk sender calls the Bot API: the replies' retrier (bot.sending.replies) lets
# these calls through untouched, since the sender paces and retries them itself.
_BULK: ContextVar[bool] = ContextVar("bulk_sending", default=False)


@contextlib.contextmanager
def bulk_sending() -> Iterator[None]:
    token = _BULK.set(True)
    try:
        yield
    finally:
        _BULK.reset(token)


def in_bulk_sending() -> bool:
    return _BULK.get()


def bulk_bot(
    token: str,
    base_url: str,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    read_timeout: float = 10.0,
) -> Bot:
    """A `Bot` for bulk sending outside the Application (`python -m bot remind`, tests, bench).

    The pool holds the sender's concurrency and the read timeout is explicit: a request that
    never answers becomes a `TimedOut` after `read_timeout` and is retried with backoff.
    """
    request = HTTPXRequest(
        connection_pool_size=concurrency,
        read_timeout=read_timeout,
        pool_timeout=read_timeout,
    )
    return Bot(token, base_url=base_url, request=request)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message to deliver: `send(bot)` performs the Bot API call(s) for `chat_id`."""

    chat_id: int
    send: SendFn
    key: Hashable = None  # what the caller uses to recognise the result


@dataclass(frozen=True, slots=True)
class Result:
    item: Outgoing
    status: Status
    attempts: int
    error: str | None = None


def text_message(
    chat_id: int,
    html: str,
    *,
    markup: InlineKeyboardMarkup | None = None,
    key: Hashable = None,
) -> Outgoing:
    """An HTML text message, with optional inline buttons."""

    async def send(bot: Bot) -> object:
        return await bot.send_message(
            chat_id, html, parse_mode=ParseMode.HTML, reply_markup=markup
        )

    return Outgoing(chat_id, send, key)


def document_message(
    chat_id: int,
    data: bytes,
    filename: str,
    *,
    caption: str | None = None,
    key: Hashable = None,
) -> Outgoing:
    """A file (for example an .ics) with an optional HTML caption."""

    async def send(bot: Bot) -> object:
        return await bot.send_document(
            chat_id,
            InputFile(data, filename=filename),
            caption=caption,
            parse_mode=ParseMode.HTML if caption else None,
        )

    return Outgoing(chat_id, send, key)


def retry_after_seconds(error: RetryAfter) -> float:
    """`retry_after` as seconds, without PTB's warning about its type changing (int today,
    timedelta when PTB_TIMEDELTA is set or in a later major version)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


@dataclass(slots=True)
class Pacer:
    """Even spacing of calls (a token bucket of size one) plus a shared flood pause.

    Why not a bucket with burst: Telegram (and the local test server) count messages in a
    sliding second; a burst of 30 followed by a steady 30/s puts up to 60 in one window.
    """

    rate: float
    clock: Callable[[], float] = time.monotonic
    # And never more than `window` calls in any `window_span` seconds: the 31st call comes
    # at least `window_span` after the 1st, so up to 20 ms of jitter on the way cannot put 31
    # in Telegram's second (bench/reminder_bench.py: 29.3/s, 0 x 429 at a strict 30/s).
    window: int = 30
    window_span: float = 1.02
    _next_slot: float = 0.0
    _paused_until: float = 0.0
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _recent: deque[float] = field(default_factory=deque)

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = self.clock()
                slot = max(now, self._next_slot, self._paused_until)
                if len(self._recent) >= self.window:
                    slot = max(slot, self._recent[0] + self.window_span)
                if slot <= now:
                    self._recent.append(now)
                    if len(self._recent) > self.window:
                        self._recent.popleft()
                    # On a grid, not from the wake-up time: each sleep overshoots by a
                    # millisecond or two and that made 28/s come out at 25/s. A later wake-up
                    # (idle, a flood pause, a busy loop) restarts the grid: no catching up,
                    # which would bring two calls closer than the interval.
                    interval = 1.0 / self.rate
                    late = now - self._next_slot
                    base = self._next_slot if late < GRID_TOLERANCE else now
                    self._next_slot = max(base, self._paused_until) + interval
                    return
                await asyncio.sleep(slot - now)

    def pause(self, seconds: float) -> None:
        """Everyone waits: called on a 429."""
        self._paused_until = max(self._paused_until, self.clock() + seconds)


@dataclass(slots=True)
class Counters:
    """Figures for logs and the benchmark."""

    calls: int = 0
    flood_waits: int = 0
    retries: int = 0


class BulkSender:
    """Deliver many messages through one `Bot`; see the module docstring for the rules."""

    def __init__(
        self,
        bot: Bot,
        *,
        rate: float = DEFAULT_RATE,
        concurrency: int = DEFAULT_CONCURRENCY,
        max_attempts: int = 4,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
        max_flood_waits: int = 5,
        retry_after_margin: float = 0.1,
    ) -> None:
        if not 0 < rate <= TELEGRAM_BULK_RATE:
            raise ValueError(f"rate must be in (0, {TELEGRAM_BULK_RATE}]")
        self.bot = bot
        self.pacer = Pacer(rate)
        self.concurrency = max(1, concurrency)
        self.max_attempts = max(1, max_attempts)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_flood_waits = max_flood_waits
        self.retry_after_margin = retry_after_margin
        self.counters = Counters()

    async def send_one(self, item: Outgoing) -> Result:
        """Send one message, retrying as the rules say; never raises a Telegram error."""
        attempts = 0
        floods = 0
        while True:
            await self.pacer.acquire()
            attempts += 1
            self.counters.calls += 1
            try:
                with bulk_sending():
                    await item.send(self.bot)
            except RetryAfter as exc:
                floods += 1
                self.counters.flood_waits += 1
                wait = retry_after_seconds(exc) + self.retry_after_margin
                self.pacer.pause(wait)
                if floods > self.max_flood_waits:
                    return Result(item, "failed", attempts, f"flood: {exc}")
                log.info("429 for chat %s: everyone waits %.1f s", item.chat_id, wait)
                continue  # not counted against max_attempts: Telegram told us when to retry
            except Forbidden as exc:
                return Result(item, "blocked", attempts, str(exc))
            except BadRequest as exc:
                return Result(item, "failed", attempts, f"bad request: {exc}")
            except NetworkError as exc:  # includes TimedOut and 5xx
                if attempts - floods >= self.max_attempts:
                    return Result(item, "failed", attempts, str(exc))
                self.counters.retries += 1
                delay = min(self.max_backoff, self.backoff * 2 ** (attempts - floods - 1))
                log.info("chat %s: %s; retry in %.1f s", item.chat_id, exc, delay)
                await asyncio.sleep(delay)
                continue
            except TelegramError as exc:  # InvalidToken, ChatMigrated, Conflict...
                return Result(item, "failed", attempts, f"{type(exc).__name__}: {exc}")
            return Result(item, "sent", attempts)

    async def send_all(
        self,
        items: Iterable[Outgoing] | AsyncIterator[Outgoing],
        on_result: Callable[[Result], Awaitable[None]] | None = None,
    ) -> list[Result]:
        """Send every item with bounded concurrency; `on_result` runs as each one ends.

        Items are pulled lazily, so a generator that claims each item just before it is
        sent keeps the claims close to the sending (a killed run leaves few claims behind).
        If cancelled, in-flight sends are cancelled too and nothing more is pulled.
        """
        results: list[Result] = []
        source_lock = asyncio.Lock()
        if isinstance(items, AsyncIterator):
            pull: Callable[[], Awaitable[Outgoing | None]] = partial(anext, items, None)
        else:
            iterator = iter(items)

            async def pull() -> Outgoing | None:
                return next(iterator, None)

        async def worker() -> None:
            while True:
                async with source_lock:
                    item = await pull()
                if item is None:
                    return
                result = await self.send_one(item)
                results.append(result)
                if on_result is not None:
                    await on_result(result)

        async with asyncio.TaskGroup() as group:
            for _ in range(self.concurrency):
                group.create_task(worker())
        return results
