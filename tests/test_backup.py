"""`python -m bot backup PATH` while the bot keeps writing: the copy passes SQLite's integrity
check and holds every row committed before the backup began, each transaction whole."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.cli.commands import main
from bot.storage import Storage
from bot.storage.tracking import tracker_for
from knowledge.loader import default_titre_path, load_titre

NOW = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)
BEFORE = 200  # declarations committed before the backup starts


@dataclass
class Writer:
    """Another thread declaring CCPs, one user per transaction, until told to stop."""

    storage: Storage
    committed: int = 0
    ready: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None

    def run(self) -> None:
        try:
            user = 0
            while not self.stop.is_set():
                user += 1
                self.storage.declare(user, 1 + user % 3, date(2024, 1, 1), now=NOW)
                self.committed = user
                if user == BEFORE:
                    self.ready.set()
                # A bot writes per update, not in a tight loop: a loop that takes the write
                # lock again at once starves the backup's own connection (SQLite's busy
                # handler is not fair) and fails the test on a loaded machine.
                time.sleep(0.001)
        except BaseException as error:  # reported by the test, not lost in the thread
            self.error = error
            self.ready.set()


@pytest.fixture
def writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Writer]:
    db = tmp_path / "bot.sqlite3"
    monkeypatch.setenv("BOT_DB", str(db))
    titre = load_titre(default_titre_path())
    storage = Storage(db, track=tracker_for(titre, ("12m", "1m")))
    job = Writer(storage)
    thread = threading.Thread(target=job.run, daemon=True)
    thread.start()
    try:
        yield job
    finally:
        job.stop.set()
        thread.join(timeout=30)
        storage.close()


@pytest.mark.slow
def test_backup_while_another_thread_writes(
    writer: Writer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert writer.ready.wait(timeout=30)
    assert writer.error is None
    committed_before = writer.committed  # everything up to here must be in the copy
    target = tmp_path / "copy.sqlite3"
    assert main(["backup", str(target)]) == 0
    writer.stop.set()
    assert "integrity_check: ok" in capsys.readouterr().out
    assert writer.error is None

    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        users = [row[0] for row in copy.execute("SELECT user_id FROM declarations ORDER BY 1")]
        assert committed_before >= BEFORE
        assert users[:committed_before] == list(range(1, committed_before + 1))
        assert users == list(range(1, len(users) + 1))  # a prefix of the writes: no gap
        # `declare` writes the declaration and its tracking row in one transaction:
        # a consistent copy never holds one without the other.
        tracked = copy.execute(
            "SELECT COUNT(*) FROM tracking WHERE user_id IN (SELECT user_id FROM declarations)"
        ).fetchone()[0]
        assert tracked == len(users)
        assert copy.execute("SELECT COUNT(*) FROM users").fetchone()[0] == len(users)
