"""The door every update comes through, by long polling or webhook.

Before any handler reads an update:
- its text is sanitised: lone surrogates (valid JSON such as `"VAE \\ud83d x"`, which no
  encoder accepts) become U+FFFD, so a reply, a log line or SQLite never fails on them;
- an update the library cannot parse (a "poison" update) is logged once, without its text, and
  replaced by an empty update with the same id: polling moves on instead of fetching it again
  and again;
- it is written to the durable inbox (SQLite) *before* the next `getUpdates` acknowledges it
  to Telegram, and marked done once handled (`bot.updates.durable.DurableApplication`); after a
  `kill -9` the pending ones are handled at start-up. An update already in the inbox (Telegram
  sent it again) is replaced by an empty update, so it is never handled twice.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC, datetime
from typing import Any

from telegram import Bot, Update
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

from bot.storage.transit import TransitPart

log = logging.getLogger(__name__)

JSON = dict[str, Any]
_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def sanitise(value: Any) -> Any:
    """The same JSON value with every lone surrogate replaced (pairs were joined by the JSON
    decoder, so any surrogate left is alone)."""
    if isinstance(value, str):
        return _SURROGATE.sub(REPLACEMENT, value) if _SURROGATE.search(value) else value
    if isinstance(value, dict):
        return {sanitise(k): sanitise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [sanitise(v) for v in value]
    return value


class Intake:
    """Sanitise, skip poison, keep in the inbox; see the module docstring."""

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        self.inbox: TransitPart | None = None  # the storage, set once it is open (post_init)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.poisoned = 0
        self.duplicates = 0
        self._storing: list[tuple[Future[object], list[JSON]]] = []

    async def admit(
        self, raw: list[Any], bot: Bot | None = None, *, wait: bool = True
    ) -> list[JSON]:
        """What PTB should parse instead of `raw` (a `getUpdates` result or one webhook body).

        Every id stays (so Telegram's offset moves on); poison and duplicates become empty.
        With `wait`, returns once the new updates are in the inbox (a webhook answers 200
        after that); without, they are being written and `stored()` waits for them (polling:
        handling starts at once, the next getUpdates, which acknowledges them, waits).
        """
        admitted: list[JSON] = []
        fresh: list[JSON] = []
        for item in raw:
            update = sanitise(item)
            update_id = update.get("update_id") if isinstance(update, dict) else None
            if not isinstance(update_id, int):
                self.poisoned += 1
                log.warning("an update without an id was dropped")
                continue
            try:
                Update.de_json(update, bot)
            except Exception as error:  # any parse failure: the library cannot read it
                self.poisoned += 1
                log.warning(
                    "update %s cannot be read (%s; fields: %s): skipped",
                    update_id, type(error).__name__, ", ".join(sorted(update)),
                )
                admitted.append({"update_id": update_id})
                continue
            admitted.append(update)
            fresh.append(update)
        if self.inbox is None or not fresh:
            return admitted
        # A read: in WAL it never waits for a writer (another process's lock).
        known = self.inbox.inbox_known([u["update_id"] for u in fresh])
        if known:
            self.duplicates += len(known)
            admitted = [
                {"update_id": u["update_id"]} if u["update_id"] in known else u
                for u in admitted
            ]
            fresh = [u for u in fresh if u["update_id"] not in known]
        if fresh and wait:
            await self._stored(self._store(fresh), fresh)
        elif fresh:
            self._storing.append((self._store(fresh), fresh))
        return admitted

    def _store(self, updates: list[JSON]) -> Future[object]:
        assert self.inbox is not None
        return self.inbox.submit(self.inbox.inbox_add, updates, self.clock())

    async def stored(self) -> None:
        """Every update admitted without `wait` is in the inbox (one caller: the getUpdates
        loop, which must acknowledge nothing before)."""
        while self._storing:
            future, updates = self._storing.pop(0)
            await self._stored(future, updates)

    async def _stored(self, future: Future[object], updates: list[JSON]) -> None:
        """Wait for one write; a failed one is tried again until it succeeds."""
        while True:
            try:
                await asyncio.wrap_future(future)
                return
            except Exception as error:  # "database is locked" past the busy timeout...
                log.warning("inbox write failed (%s): trying again", error)
                await asyncio.sleep(0.5)
                future = self._store(updates)

    async def done(self, update_id: int) -> None:
        """Handled: queued on the storage thread, not waited for (no reply depends on it; a
        kill before it is written means the update is handled again after the restart)."""
        if self.inbox is not None:
            self.inbox.submit(self.inbox.inbox_done, update_id, self.clock())


class IntakeRequest(BaseRequest):
    """Wraps the `getUpdates` transport: its results go through the `Intake` first."""

    def __init__(self, inner: BaseRequest, intake: Intake) -> None:
        self.inner = inner
        self.intake = intake

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if url.endswith("/getUpdates"):
            # This request acknowledges the previous batch: it must be in the inbox first.
            await self.intake.stored()
        status, payload = await self.inner.do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )
        if status != 200 or not url.endswith("/getUpdates"):
            return status, payload
        try:
            body = json.loads(payload.decode("utf-8", "replace"))
        except ValueError:
            return status, payload  # PTB reports an unreadable answer itself
        if isinstance(body, dict) and isinstance(body.get("result"), list):
            body["result"] = await self.intake.admit(body["result"], wait=False)
            payload = json.dumps(body).encode()
        return status, payload
