"""Schema versions: a fresh file, an older file upgraded in place with its data, a failed
migration leaving the file as it was, and a file from a newer bot refused."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils

from bot.storage import Storage, Tracking, migrations
from bot.storage.migrations import LATEST, Migration, SchemaTooNew, migrate, schema_version
from bot.storage.sqlite_file import SqliteFile

NOW = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)


def track(declared: Mapping[int, date], today: date) -> Tracking | None:
    first = min(declared.values())
    closes = first.replace(year=first.year + 5)
    return Tracking(closes, len(declared) == 3, closes - timedelta(days=30))


def _open(path: Path) -> sqlite_utils.Database:
    return sqlite_utils.Database(sqlite3.connect(path, isolation_level=None))


def test_fresh_file_is_latest_and_reopening_applies_nothing(tmp_path: Path) -> None:
    store = Storage(tmp_path / "a.sqlite3", track=track)
    assert store.migrated == [1, 2, 3, 4, 5, 6, 7] and schema_version(store.db) == LATEST == 7
    store.close()
    again = Storage(tmp_path / "a.sqlite3", track=track)
    assert again.migrated == []
    again.close()


@pytest.mark.parametrize("first_opener", ["storage", "persistence"])
def test_v1_file_with_data_is_upgraded_in_place(tmp_path: Path, first_opener: str) -> None:
    path = tmp_path / "old.sqlite3"
    db = _open(path)
    assert migrate(db, target=1) == [1]
    assert set(db.table_names()) == {"users", "declarations"}
    db.execute(
        "INSERT INTO users (user_id, lang, first_seen, last_seen) VALUES (42, 'en', ?, ?)",
        ("2024-01-01T00:00:00+00:00", "2024-01-01T00:00:00+00:00"),
    )
    db.execute("INSERT INTO declarations VALUES (42, 1, '2022-03-12', '2024-01-01T00:00:00+00:00')")
    db.conn.close()

    if first_opener == "persistence":  # PTB's persistence may open the file before Storage
        SqliteFile(path).close()
    store = Storage(path, track=track, clock=lambda: NOW)
    assert store.migrated == ([2, 3, 4, 5, 6, 7] if first_opener == "storage" else [])
    assert schema_version(store.db) == LATEST
    assert store.declarations(42) == {1: date(2022, 3, 12)}
    assert store.user_lang(42) == "en"
    # the new tables work on the old data: the window was computed during the upgrade
    assert store.tracking(42) == (date(2027, 3, 12), False, date(2027, 2, 10), None)
    assert [due.user_id for due in store.due_reminders(date(2027, 2, 10))] == [42]
    store.forget_user(42)  # cascades and new tables cover old rows too
    assert store.declarations(42) == {} and store.export_user(42)["users"] == []
    store.close()


def test_failed_migration_leaves_the_file_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(db: sqlite_utils.Database) -> None:
        db.execute("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(migrations, "LATEST", LATEST + 1)
    monkeypatch.setattr(
        migrations, "MIGRATIONS", (*migrations.MIGRATIONS, Migration(LATEST + 1, "broken", broken))
    )
    db = _open(tmp_path / "c.sqlite3")
    with pytest.raises(RuntimeError, match="disk on fire"):
        migrate(db, target=LATEST + 1)
    assert schema_version(db) == LATEST and "half_done" not in db.table_names()


def test_file_from_a_newer_bot_is_refused(tmp_path: Path) -> None:
    db = _open(tmp_path / "new.sqlite3")
    db.execute("PRAGMA user_version = 99")
    db.conn.close()
    with pytest.raises(SchemaTooNew):
        Storage(tmp_path / "new.sqlite3", track=track)


def test_v4_file_with_an_advisor_and_candidates_is_upgraded_to_consented_follow_up(
    tmp_path: Path,
) -> None:
    """Migration 5 (issue 14): the advisor and the candidates' referrals stay; the digest is
    on by default; nobody shares anything until they say yes."""
    path = tmp_path / "v4.sqlite3"
    db = _open(path)
    assert migrate(db, target=4) == [1, 2, 3, 4]
    stamp = "2025-01-01T00:00:00+00:00"
    db.execute("INSERT INTO advisors (code, advisor_user_id, label, created_at)"
               " VALUES ('abcdEFGH', 7, 'Mme Martin', ?)", (stamp,))  # fmt: skip
    for user in (7, 42):
        referral = None if user == 7 else "abcdEFGH"
        db.execute("INSERT INTO users (user_id, first_seen, last_seen, referral)"
                   " VALUES (?, ?, ?, ?)", (user, stamp, stamp, referral))  # fmt: skip
    db.execute("INSERT INTO declarations VALUES (42, 1, '2022-03-12', ?)", (stamp,))
    db.conn.close()

    store = Storage(path, track=track, clock=lambda: NOW)
    assert store.migrated == [5, 6, 7]
    assert store.referral_counts("abcdEFGH").arrived == 1
    assert store.referral_counts("abcdEFGH").sharing == 0
    assert store.digest_enabled(7) is True
    assert store.shared_candidates("abcdEFGH", today=NOW.date(), offset=0, limit=10) == (0, [])
    # asked once: the first offer asks, the second does not
    assert store.offer_consent(42, "abcdEFGH", now=NOW) == "Mme Martin"
    assert store.offer_consent(42, "abcdEFGH", now=NOW) is None
    assert store.set_consent(42, "abcdEFGH", True, shown_name="Aïcha", now=NOW)
    total, [seen] = store.shared_candidates("abcdEFGH", today=NOW.date(), offset=0, limit=10)
    assert total == 1 and seen.name == "Aïcha" and seen.declared == {1: date(2022, 3, 12)}
    store.close()


def test_v5_file_with_users_is_upgraded_to_an_empty_outbox(tmp_path: Path) -> None:
    """Migration 6 (issue 12): replies kept for later; nothing else changes."""
    path = tmp_path / "v5.sqlite3"
    db = _open(path)
    assert migrate(db, target=5) == [1, 2, 3, 4, 5]
    stamp = "2025-01-01T00:00:00+00:00"
    db.execute("INSERT INTO users (user_id, first_seen, last_seen) VALUES (42, ?, ?)",
               (stamp, stamp))  # fmt: skip
    db.execute("INSERT INTO declarations VALUES (42, 1, '2022-03-12', ?)", (stamp,))
    db.conn.close()

    store = Storage(path, track=track, clock=lambda: NOW)
    assert store.migrated == [6, 7]
    assert store.declarations(42) == {1: date(2022, 3, 12)}
    assert store.kept_chats() == {}
    store.keep_reply(42, "sendMessage", '{"chat_id": 42, "text": "VAE"}', "500", now=NOW)
    store.keep_reply(42, "sendMessage", '{"chat_id": 42, "text": "DSPP"}', "500", now=NOW)
    assert store.kept_chats() == {42: 2}
    first = store.next_kept(42)
    assert first is not None and first.params == {"chat_id": 42, "text": "VAE"}
    store.kept_sent(first.row_id)
    store.forget_user(42)
    assert store.kept_chats() == {}
    store.close()


def test_v6_file_with_a_share_keeps_it_and_gains_the_chosen_name(tmp_path: Path) -> None:
    """Migration 7: the name chosen with /pseudo lives on the user's row, so it outlives a
    share stopped and started again; shares made before keep their name."""
    path = tmp_path / "v6.sqlite3"
    db = _open(path)
    assert migrate(db, target=6) == [1, 2, 3, 4, 5, 6]
    stamp = "2025-01-01T00:00:00+00:00"
    db.execute("INSERT INTO advisors (code, advisor_user_id, label, created_at)"
               " VALUES ('abcdEFGH', 7, 'Mme Martin', ?)", (stamp,))  # fmt: skip
    db.execute("INSERT INTO users (user_id, first_seen, last_seen) VALUES (42, ?, ?)",
               (stamp, stamp))  # fmt: skip
    db.execute("INSERT INTO advisor_shares (user_id, code, status, shown_name, changed_at)"
               " VALUES (42, 'abcdEFGH', 'yes', 'Aïcha', ?)", (stamp,))  # fmt: skip
    db.conn.close()

    store = Storage(path, track=track, clock=lambda: NOW)
    assert store.migrated == [7]
    assert store.chosen_name(42) is None
    assert [c.shown_name for c in store.consents(42)] == ["Aïcha"]
    assert store.set_shown_name(42, "  A.  B. ", now=NOW) == ("A. B.", 1)
    assert store.set_consent(42, "abcdEFGH", False, shown_name=None, now=NOW)
    assert store.set_consent(42, "abcdEFGH", True, shown_name="Telegram name", now=NOW)
    assert [c.shown_name for c in store.consents(42)] == ["A. B."]
    store.close()
