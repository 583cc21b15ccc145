"""The SQLite connection shared by the storage mixins, and the value conversions they use.

Two connections, opened with `check_same_thread=False, isolation_level=None`: one writes (on
the file's one writing thread in the running bot: `run`, `submit`), one reads (`read`: reading
threads; in WAL a reader never waits for a writer); each is used under its lock. The running
bot's event loop never calls SQLite: dialogues go through `bot.storage.threaded.ThreadedStore`.
`isolation_level=None` leaves transactions to us: writes go through `transaction()` (`BEGIN
IMMEDIATE`, so two processes — the bot and a `python -m bot remind` cron — queue on
`busy_timeout` instead of failing on a lock upgrade). sqlite-utils wraps the connection for
schema work and inserts; queries are plain parameterised SQL (`?` only — table and column
names come from this code, never from users)."""

from __future__ import annotations

import asyncio
import json
import logging
import pickle
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import sqlite_utils

from bot.storage.migrations import migrate
from knowledge.model import Lang

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

CHECKPOINT_ATTEMPTS = 10
CHECKPOINT_WAIT_MS = 100  # busy wait of one checkpoint attempt
CHECKPOINT_PAUSE = 0.05  # seconds between attempts
CHECKPOINT_RETRY_EVERY = 5.0  # seconds between retries of an owed checkpoint
READERS = 2  # reading threads: an export waiting for queued writes leaves one for questions


@dataclass(frozen=True, slots=True)
class Tracking:
    """A user's window as computed by the knowledge engine, kept for the due-reminder query."""

    closes_on: date
    complete: bool
    next_reminder_on: date | None


TrackFn = Callable[[Mapping[int, date], date], "Tracking | None"]


@dataclass(frozen=True, slots=True)
class DueReminder:
    user_id: int
    lang: Lang
    closes_on: date
    declared: dict[int, date]
    last_step: str | None
    next_reminder_on: date


def utc_iso(moment: datetime) -> str:
    """Datetimes are stored as UTC ISO text so that string order is time order."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def to_date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def as_lang(value: object) -> Lang:
    return "en" if value == "en" else "fr"


def dump_blob(value: object) -> bytes:
    """PTB user/chat data and conversation states may hold dates or tuples: pickle them.

    Only this bot writes the file, so unpickling it is trusted.
    """
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def load_blob(blob: bytes) -> Any:
    return pickle.loads(blob)


def jsonable(value: object) -> Any:
    """Make stored values fit a JSON export (dates as ISO text, unknown objects as text)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, date):  # datetime is a date too
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return str(value)


def key_json(key: tuple[Any, ...]) -> str:
    """Conversation keys as JSON arrays, so `json_each` can find a user's id inside them."""
    return json.dumps(list(key), separators=(",", ":"))


def _log_failure(future: Future[object]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.warning("a background storage write failed: %s", future.exception())


class SqliteFile:
    """The connection: pragmas, migrations, the lock and transactions (no domain logic).

    `SqlitePersistence` uses one directly when given a path instead of a `Storage`.
    """

    def __init__(self, path: str | Path, *, busy_timeout_ms: int = 5000) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._busy_timeout_ms = int(busy_timeout_ms)
        self._checkpoint_owed = False
        self._next_checkpoint_try = 0.0
        self.checkpoint_retry_every = CHECKPOINT_RETRY_EVERY
        self._worker: ThreadPoolExecutor | None = None
        self._worker_thread: int | None = None
        self._readers: ThreadPoolExecutor | None = None
        conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute("PRAGMA journal_mode = WAL")
        # FULL: every commit (a declaration the user was told is saved) reaches the disk; NORMAL
        # in WAL can lose the last commits on power loss. Measured (bench/durability_bench.py,
        # ext4): a declaration costs 0.44 ms median with FULL against 0.06 ms with NORMAL.
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")  # forgotten rows are zeroed, not left behind
        self._conn = conn
        self.db = sqlite_utils.Database(conn, execute_plugins=False)
        with self._lock:
            self.migrated = migrate(self.db)
        # Reads have a connection of their own: in WAL a reader never waits for a writer, so
        # a write stuck behind another process's lock (on the storage thread) delays no read.
        self._in_transaction: int | None = None
        self._read_lock: threading.RLock = self._lock
        self._reader = conn
        if self.path != ":memory:":
            self._read_lock = threading.RLock()
            self._reader = sqlite3.connect(
                self.path, check_same_thread=False, isolation_level=None
            )
            self._reader.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, serialised in this process by the lock, across processes
        by SQLite's write lock (`BEGIN IMMEDIATE` waits up to busy_timeout)."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            self._in_transaction = threading.get_ident()
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            finally:
                self._in_transaction = None
            self._conn.execute("COMMIT")
            if self._checkpoint_owed and time.monotonic() >= self._next_checkpoint_try:
                self.checkpoint(attempts=1)

    def checkpoint(self, *, attempts: int = CHECKPOINT_ATTEMPTS) -> bool:
        """Empty the WAL into the file (TRUNCATE), so erased rows leave no copy behind.

        Another process reading (a backup, `python -m bot remind`) makes it busy: it is tried
        again a few times, each wait short (the busy timeout is lowered meanwhile); if still
        busy it is owed, and tried again after later commits until it succeeds.
        """
        with self._lock:
            self._conn.execute(f"PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}")
            try:
                for attempt in range(attempts):
                    busy = self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                    if not busy:
                        self._checkpoint_owed = False
                        return True
                    if attempt + 1 < attempts:
                        time.sleep(CHECKPOINT_PAUSE)
            finally:
                self._conn.execute(f"PRAGMA busy_timeout = {self._busy_timeout_ms}")
            if not self._checkpoint_owed:
                log.warning("WAL checkpoint busy (another process reads): will retry")
            self._checkpoint_owed = True
            self._next_checkpoint_try = time.monotonic() + self.checkpoint_retry_every
            return False

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The read connection (its own lock: many threads), or, inside a transaction of
        this thread, the writing one (to see what the transaction wrote)."""
        if self._in_transaction == threading.get_ident():
            with self._lock:
                yield self._conn
            return
        with self._read_lock:
            yield self._reader

    async def run(self, call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`call(*args, **kwargs)` on this file's one worker thread, off the event loop.

        One thread, so calls run in the order they were made; a lock held by another process
        (a cron `remind`, a backup) or an fsync then stalls that thread, not every update.
        """
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor(), partial(call, *args, **kwargs))

    async def read(self, call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`call(*args, **kwargs)` on a reading thread, off the event loop and never queued
        behind the writes: a read waits for no other process's lock (WAL)."""
        if self._readers is None:
            self._readers = ThreadPoolExecutor(READERS, thread_name_prefix="sqlite-read")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._readers, partial(call, *args, **kwargs))

    def submit(
        self, call: Callable[P, object], *args: P.args, **kwargs: P.kwargs
    ) -> Future[object]:
        """`call` on the worker thread without waiting for it (in order with `run`): for
        writes no reply depends on (last seen, anonymous question counts). A failure is
        logged; the caller may still wait on the returned future."""
        future = self._executor().submit(call, *args, **kwargs)
        future.add_done_callback(_log_failure)
        return future

    def _executor(self) -> ThreadPoolExecutor:
        if self._worker is None:
            self._worker = ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="sqlite", initializer=self._note_worker
            )
        return self._worker

    def _note_worker(self) -> None:
        self._worker_thread = threading.get_ident()

    def settle(self) -> None:
        """Wait until every write submitted so far is done (read-your-writes for the caller):
        before forgetting a user (a late "last seen" must not bring their row back) and
        before operators' figures."""
        if self._worker is not None and threading.get_ident() != self._worker_thread:
            self._worker.submit(lambda: None).result()

    def trace(self, callback: Callable[[str], None] | None) -> None:
        """`sqlite3` trace callback on both connections (None removes it): what runs where."""
        with self._lock, self._read_lock:
            for conn in {id(c): c for c in (self._conn, self._reader)}.values():
                conn.set_trace_callback(callback)

    def close(self) -> None:
        for pool in (self._readers, self._worker):
            if pool is not None:
                pool.shutdown(wait=True)
        self._worker = self._readers = None
        with self._read_lock:
            if self._reader is not self._conn:
                self._reader.close()
        with self._lock:
            self._conn.close()


class StorageBase(SqliteFile):
    """Adds what the mixins share: the tracking function, the clock, small helpers."""

    def __init__(
        self,
        path: str | Path,
        *,
        track: TrackFn,
        unanswered_days: int = 90,
        busy_timeout_ms: int = 5000,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(path, busy_timeout_ms=busy_timeout_ms)
        self._track = track
        self.unanswered_days = unanswered_days
        self._clock = clock or (lambda: datetime.now(UTC))
        self._backfill_tracking()

    # -- helpers shared by the mixins --------------------------------------------------------
    def _now(self) -> datetime:
        return self._clock()

    def _ensure_user(self, conn: sqlite3.Connection, user_id: int, now: datetime) -> None:
        stamp = utc_iso(now)
        conn.execute(
            "INSERT OR IGNORE INTO users (user_id, first_seen, last_seen) VALUES (?, ?, ?)",
            (user_id, stamp, stamp),
        )

    def _declared(self, conn: sqlite3.Connection, user_id: int) -> dict[int, date]:
        rows = conn.execute(
            "SELECT ccp, obtained FROM declarations WHERE user_id = ? ORDER BY ccp", (user_id,)
        )
        return {int(ccp): date.fromisoformat(obtained) for ccp, obtained in rows}

    def _retrack(self, conn: sqlite3.Connection, user_id: int, today: date) -> None:
        """Recompute one user's tracking row inside the caller's transaction.

        The last step sent is kept only while the closing date stays the same: a new date
        starts a new series of steps (the delivery log is keyed by closing date too).
        """
        declared = self._declared(conn, user_id)
        tracking = self._track(declared, today) if declared else None
        if tracking is None:
            conn.execute("DELETE FROM tracking WHERE user_id = ?", (user_id,))
            return
        closes_on = tracking.closes_on.isoformat()
        prior = conn.execute(
            "SELECT closes_on, last_step FROM tracking WHERE user_id = ?", (user_id,)
        ).fetchone()
        last_step = prior[1] if prior is not None and prior[0] == closes_on else None
        next_on = (
            None
            if tracking.complete or tracking.next_reminder_on is None
            else tracking.next_reminder_on.isoformat()
        )
        conn.execute(
            "INSERT INTO tracking (user_id, closes_on, complete, next_reminder_on, last_step)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET"
            " closes_on = excluded.closes_on, complete = excluded.complete,"
            " next_reminder_on = excluded.next_reminder_on, last_step = excluded.last_step",
            (user_id, closes_on, int(tracking.complete), next_on, last_step),
        )

    def _backfill_tracking(self) -> None:
        """Migration 2 flags a v1 file's declarations as lacking tracking rows (`meta.retrack`);
        the flag stays until a Storage, which knows the rule, computes them."""
        today = self._now().date()
        with self.reading() as conn:  # usually nothing to do: no write lock for that
            if conn.execute("SELECT 1 FROM meta WHERE key = 'retrack'").fetchone() is None:
                return
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM meta WHERE key = 'retrack'").fetchone() is None:
                return
            users = [
                row[0]
                for row in conn.execute(
                    "SELECT DISTINCT user_id FROM declarations WHERE user_id NOT IN"
                    " (SELECT user_id FROM tracking)"
                )
            ]
            for user_id in users:
                self._retrack(conn, user_id, today)
            conn.execute("DELETE FROM meta WHERE key = 'retrack'")

    def _reactivate(self, conn: sqlite3.Connection, user_id: int, today: date) -> None:
        """A blocked user is back: deliveries resume from a freshly computed next date
        (the sender may have cleared it when Telegram answered 403)."""
        back = conn.execute(
            "UPDATE users SET active = 1, blocked_at = NULL WHERE user_id = ? AND active = 0",
            (user_id,),
        ).rowcount
        if back:
            self._retrack(conn, user_id, today)

    def _bump(self, conn: sqlite3.Connection, now: datetime, kind: str, key: str) -> None:
        """Anonymous daily counters: what stats need, without keeping who did it."""
        conn.execute(
            "INSERT INTO counters (day, kind, key, n) VALUES (?, ?, ?, 1)"
            " ON CONFLICT (day, kind, key) DO UPDATE SET n = n + 1",
            (utc_iso(now)[:10], kind, key),
        )
