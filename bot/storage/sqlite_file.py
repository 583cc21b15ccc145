"""`SqliteFile`: the bot's SQLite file, its two connections, its threads and its transactions.

Two connections, opened with `check_same_thread=False, isolation_level=None`: one writes (on
the file's one writing thread in the running bot: `run`, `submit`), one reads (`read`: reading
threads; in WAL a reader never waits for a writer); each is used under its lock, and each is
wrapped in a `sqlite_utils.Database`, which `transaction()` and `reading()` hand out. The running
bot's event loop never calls SQLite: dialogues go through `bot.storage.threaded.ThreadedStore`.
`isolation_level=None` leaves transactions to us: writes go through `transaction()` (`BEGIN
IMMEDIATE`, so two processes — the bot and a `python -m bot remind` cron — queue on
`busy_timeout` instead of failing on a lock upgrade); sqlite-utils nests its own writes inside
it as savepoints. No domain logic here; imports only the migrations.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import ParamSpec, TypeVar

from sqlite_utils import Database

from bot.storage.migrations import migrate

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

CHECKPOINT_ATTEMPTS = 10
CHECKPOINT_WAIT_MS = 100  # busy wait of one checkpoint attempt
CHECKPOINT_PAUSE = 0.05  # seconds between attempts
CHECKPOINT_RETRY_EVERY = 5.0  # seconds between retries of an owed checkpoint
READERS = 2  # reading threads: an export waiting for queued writes leaves one for questions


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
        self.db = Database(conn, execute_plugins=False)  # the writing connection
        with self._lock:
            self.migrated = migrate(self.db)
        # Reads have a connection of their own: in WAL a reader never waits for a writer, so
        # a write stuck behind another process's lock (on the storage thread) delays no read.
        self._in_transaction: int | None = None
        self._read_lock: threading.RLock = self._lock
        self._reader = conn
        self._read_db = self.db
        if self.path != ":memory:":
            self._read_lock = threading.RLock()
            self._reader = sqlite3.connect(
                self.path, check_same_thread=False, isolation_level=None
            )
            self._reader.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            self._read_db = Database(self._reader, execute_plugins=False)

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One write transaction, serialised in this process by the lock, across processes
        by SQLite's write lock (`BEGIN IMMEDIATE` waits up to busy_timeout)."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            self._in_transaction = threading.get_ident()
            try:
                yield self.db
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
    def reading(self) -> Iterator[Database]:
        """The read connection (its own lock: many threads), or, inside a transaction of
        this thread, the writing one (to see what the transaction wrote)."""
        if self._in_transaction == threading.get_ident():
            with self._lock:
                yield self.db
            return
        with self._read_lock:
            yield self._read_db

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
