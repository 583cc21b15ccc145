"""After /oublier the user's bytes leave the file even while another process reads it: the WAL
checkpoint is retried until it succeeds (bot/storage/base.py)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.storage import Storage
from tests.test_storage import track

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
USER = 777_000_987


@pytest.mark.slow
def test_the_checkpoint_after_forgetting_completes_once_the_reader_is_gone(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bot.sqlite3"
    wal = tmp_path / "bot.sqlite3-wal"
    store = Storage(path, track=track, clock=lambda: NOW)
    store.checkpoint_retry_every = 0.0
    store.declare(USER, 1, date(2022, 3, 12), now=NOW)
    reader = sqlite3.connect(path)  # a backup or `python -m bot remind` reading meanwhile
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM declarations").fetchall()
    store.forget_user(USER)
    assert wal.stat().st_size > 0  # the reader still sees the old rows: not yet possible
    reader.rollback()
    reader.close()
    store.touch_user(1, now=NOW)  # the next write settles the owed checkpoint
    assert wal.stat().st_size == 0
    assert str(USER).encode() not in path.read_bytes()
    assert store.declarations(USER) == {}
    store.close()
