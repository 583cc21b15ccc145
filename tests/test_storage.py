"""Storage on temporary SQLite files: users, declarations and their window, due reminders and
never-twice claims, announcements, statistics, unanswered questions, advisors, backup, privacy."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.storage import Storage, Tracking

NOW = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
OWNER = f"{socket.gethostname()}:1"  # pid 1 is always alive


def track(declared: Mapping[int, date], today: date) -> Tracking | None:
    """Simple rule for tests: 5 years from the first CCP, one reminder 30 days before."""
    if not declared:
        return None
    first = min(declared.values())
    closes = first.replace(year=first.year + 5)
    complete = len(declared) == 3
    return Tracking(closes, complete, None if complete else closes - timedelta(days=30))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Storage]:
    storage = Storage(tmp_path / "sub" / "bot.sqlite3", track=track, clock=lambda: NOW)
    yield storage
    storage.close()


def test_file_settings(store: Storage, tmp_path: Path) -> None:
    assert (tmp_path / "sub" / "bot.sqlite3").exists()
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL: see storage_base


def test_users_lang_and_visits(store: Storage) -> None:
    assert store.user_lang(1) is None
    store.touch_user(1, now=NOW)
    store.set_user_lang(1, "en")
    store.touch_user(1, now=NOW + timedelta(days=2))
    assert store.user_lang(1) == "en"
    assert store.export_user(1)["users"][0]["last_seen"] == "2025-06-03T09:00:00+00:00"


def test_declare_replace_delete_and_tracking(store: Storage) -> None:
    store.declare(7, 2, date(2024, 3, 15), now=NOW)
    store.declare(7, 1, date(2022, 3, 12), now=NOW)
    assert store.declarations(7) == {1: date(2022, 3, 12), 2: date(2024, 3, 15)}
    assert store.tracking(7) == (date(2027, 3, 12), False, date(2027, 2, 10), None)
    store.declare(7, 1, date(2023, 1, 5), now=NOW)  # replace: the window moves
    assert store.declarations(7)[1] == date(2023, 1, 5)
    assert store.tracking(7) == (date(2028, 1, 5), False, date(2027, 12, 6), None)
    store.declare(7, 3, date(2024, 5, 1), now=NOW)
    assert store.tracking(7) == (date(2028, 1, 5), True, None, None)  # complete: nothing due
    assert store.delete_declaration(7, 3) is True
    assert store.delete_declaration(7, 3) is False
    assert store.delete_declaration(7, 1) and store.delete_declaration(7, 2)
    assert store.declarations(7) == {} and store.tracking(7) is None


def test_declare_is_atomic_with_tracking(tmp_path: Path) -> None:
    def broken(declared: Mapping[int, date], today: date) -> Tracking | None:
        raise RuntimeError("rule failed")

    store = Storage(tmp_path / "b.sqlite3", track=broken)
    with pytest.raises(RuntimeError):
        store.declare(1, 1, date(2024, 1, 1), now=NOW)
    assert store.declarations(1) == {}  # nothing half-written


def test_recompute_tracking_for_everyone(store: Storage) -> None:
    for user in range(1, 8):
        store.declare(user, 1, date(2022, 1, user), now=NOW)
    store._track = lambda declared, today: Tracking(date(2030, 1, 1), False, date(2029, 1, 1))
    assert store.recompute_tracking(TODAY, batch=3) == 7
    assert {store.tracking(u) for u in range(1, 8)} == {
        (date(2030, 1, 1), False, date(2029, 1, 1), None)
    }


def test_reminder_settings(store: Storage) -> None:
    assert store.reminder_settings(5).enabled is True
    store.set_reminders_enabled(5, False)
    store.snooze_reminders(5, date(2025, 7, 1))
    settings = store.reminder_settings(5)
    assert (settings.enabled, settings.snoozed_until, settings.active) == (
        False,
        date(2025, 7, 1),
        True,
    )
    store.set_reminders_enabled(5, True)  # turning them on again clears the snooze
    assert store.reminder_settings(5).snoozed_until is None


def _due_ids(store: Storage, today: date) -> list[int]:
    return [due.user_id for due in store.due_reminders(today)]


def test_due_reminders_filters(store: Storage) -> None:
    day = date(2027, 2, 10)  # reminder day of users whose first CCP is 12/03/2022
    for user in range(1, 7):
        store.declare(user, 1, date(2022, 3, 12), now=NOW)
    store.set_user_lang(2, "en")
    store.declare(2, 2, date(2023, 4, 1), now=NOW)
    store.set_reminders_enabled(3, False)
    store.snooze_reminders(4, day + timedelta(days=7))
    store.declare(5, 2, date(2023, 1, 1), now=NOW)
    store.declare(5, 3, date(2024, 1, 1), now=NOW)  # complete
    store.declare(8, 1, date(2022, 6, 1), now=NOW)  # due later
    assert _due_ids(store, day - timedelta(days=1)) == []
    due = store.due_reminders(day)
    assert [d.user_id for d in due] == [1, 2, 6]
    assert due[1].lang == "en" and due[1].declared == {1: date(2022, 3, 12), 2: date(2023, 4, 1)}
    assert (due[0].closes_on, due[0].next_reminder_on, due[0].last_step) == (
        date(2027, 3, 12),
        day,
        None,
    )
    assert _due_ids(store, day + timedelta(days=7)) == [1, 2, 4, 6]  # snooze over
    assert [d.user_id for d in store.due_reminders(day, limit=2)] == [1, 2]


def test_claim_once_then_finish(store: Storage) -> None:
    closes = date(2027, 3, 12)
    store.declare(1, 1, date(2022, 3, 12), now=NOW)
    assert store.claim_reminder(1, closes, "1m", owner=OWNER, now=NOW) is True
    assert store.claim_reminder(1, closes, "1m", owner="other:1", now=NOW) is False
    store.finish_reminder(1, closes, "1m", "sent", now=NOW, next_reminder_on=date(2027, 2, 26))
    assert store.reminder_status(1, closes, "1m") == "sent"
    assert store.tracking(1) == (closes, False, date(2027, 2, 26), "1m")
    later = NOW + timedelta(days=400)
    assert store.claim_reminder(1, closes, "1m", owner=OWNER, now=later, lease_seconds=1) is False
    assert store.stats(now=NOW)["reminders_sent"] == 1


def test_no_claim_for_a_user_forgotten_meanwhile(store: Storage) -> None:
    store.declare(1, 1, date(2022, 3, 12), now=NOW)
    store.touch_user(2, now=NOW)
    ident = store.create_announcement("Info", None, NOW)
    due = store.due_reminders(date(2027, 2, 10))
    store.forget_user(1)
    store.forget_user(2)
    assert not store.claim_reminder(1, due[0].closes_on, "1m", owner=OWNER, now=NOW)
    assert not store.claim_announcement(ident, 2, owner=OWNER, now=NOW)
    assert store.db.execute("SELECT COUNT(*) FROM reminder_log").fetchone()[0] == 0


def test_claims_race_between_threads(store: Storage) -> None:
    closes = date(2027, 3, 12)
    store.declare(1, 1, date(2022, 3, 12), now=NOW)
    results: list[bool] = []
    barrier = threading.Barrier(8)

    def claim(i: int) -> None:
        barrier.wait()
        results.append(store.claim_reminder(1, closes, "1w", owner=f"h:{i}", now=NOW))

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 7 + [True]


CLAIMER = """
import sys
from datetime import date, datetime, UTC
from bot.storage import Storage
store = Storage(sys.argv[1], track=lambda declared, today: None)
owner = f"sender-{sys.argv[2]}:1"  # as if on another host: only the lease could free it
won = sum(
    store.claim_reminder(u, date(2027, 3, 12), "1m", owner=owner, now=datetime.now(UTC))
    for u in range(1, 201)
)
print(won)
"""


@pytest.mark.slow
def test_two_processes_never_claim_the_same_step(store: Storage) -> None:
    for user in range(1, 201):
        store.touch_user(user, now=NOW)
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", CLAIMER, store.path, str(i)], stdout=subprocess.PIPE, text=True
        )
        for i in range(2)
    ]
    won = [int(run.communicate(timeout=60)[0]) for run in runs]
    assert sum(won) == 200
    assert store.db.execute("SELECT COUNT(*) FROM reminder_log").fetchone()[0] == 200


@pytest.mark.slow
def test_claim_taken_over_from_dead_owner_or_after_lease(store: Storage) -> None:
    closes = date(2027, 3, 12)
    store.declare(1, 1, date(2022, 3, 12), now=NOW)
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    dead = f"{socket.gethostname()}:{child.pid}"
    assert store.claim_reminder(1, closes, "1w", owner=dead, now=NOW)
    assert store.claim_reminder(1, closes, "1w", owner=OWNER, now=NOW) is True  # owner died
    assert store.claim_reminder(1, closes, "1d", owner="far-host:1", now=NOW)
    assert not store.claim_reminder(1, closes, "1d", owner=OWNER, now=NOW, lease_seconds=60)
    soon = NOW + timedelta(seconds=61)
    assert store.claim_reminder(1, closes, "1d", owner=OWNER, now=soon, lease_seconds=60)
    # a failed send may be claimed again on a later run
    store.finish_reminder(1, closes, "1d", "failed", now=soon, next_reminder_on=date(2027, 3, 11))
    assert store.claim_reminder(1, closes, "1d", owner=OWNER, now=soon)
    row = store.db.execute(
        "SELECT attempts FROM reminder_log WHERE user_id = 1 AND step = '1d'"
    ).fetchone()
    assert row[0] == 3


def test_blocked_user_is_not_due_until_back(store: Storage) -> None:
    closes = date(2027, 3, 12)
    day = date(2027, 2, 10)
    store.declare(1, 1, date(2022, 3, 12), now=NOW)
    assert store.claim_reminder(1, closes, "1m", owner=OWNER, now=NOW)
    store.finish_reminder(1, closes, "1m", "blocked", now=NOW, next_reminder_on=None)
    assert store.reminder_settings(1).active is False
    assert _due_ids(store, day) == []
    assert store.stats(now=NOW)["reminders_failed"] == 1
    store.touch_user(1, now=NOW)  # the user wrote again
    assert _due_ids(store, day) == [1]
    assert store.claim_reminder(1, closes, "1m", owner=OWNER, now=NOW)


def test_announcements_reach_each_active_user_once(store: Storage) -> None:
    for user in (1, 2, 3):
        store.touch_user(user, now=NOW)
    store.set_user_lang(2, "en")
    ident = store.create_announcement("Le référentiel change", 99, NOW)
    assert store.announcement(ident) is not None
    assert store.announcement_recipients(ident) == [(1, "fr"), (2, "en"), (3, "fr")]
    assert store.claim_announcement(ident, 1, owner=OWNER, now=NOW)
    assert not store.claim_announcement(ident, 1, owner="x:2", now=NOW)
    store.finish_announcement(ident, 1, "sent", now=NOW)
    assert store.claim_announcement(ident, 3, owner=OWNER, now=NOW)
    store.finish_announcement(ident, 3, "blocked", now=NOW)
    assert store.announcement_recipients(ident) == [(2, "en")]


def test_stats_and_unanswered(store: Storage) -> None:
    for user, days_ago in ((1, 1), (2, 10), (3, 40)):
        store.touch_user(user, now=NOW - timedelta(days=days_ago))
    store.declare(1, 1, date(2022, 3, 12), now=NOW - timedelta(days=1))
    store.declare(1, 2, date(2023, 3, 12), now=NOW - timedelta(days=1))
    for topic in ("vae", "vae", "delai", "vae"):
        store.log_question(topic=topic, status="answer", text="ignored", now=NOW)
    asks = [
        "Combien coûte la formation ?",
        "combien coute la formation",
        "Combien coûte la formation ?",
        "Quel salaire après le titre",
        "quel salaire apres le titre ?",
        "ou est le centre",
    ]
    for text in asks:
        store.log_question(topic=None, status="fallback", text=text, now=NOW)
    store.log_question(topic="ccp1", status="clarify", text="le ccp", now=NOW)
    store.log_question(topic=None, status="fallback", text="vieux", now=NOW - timedelta(days=91))
    stats = store.stats(now=NOW)
    assert (stats["users"], stats["active_7d"], stats["active_30d"]) == (3, 1, 2)
    assert (stats["declarations"], stats["users_with_declarations"]) == (2, 1)
    assert stats["top_topics"] == [("vae", 3), ("ccp1", 1), ("delai", 1)]
    assert stats["unanswered_share"] == pytest.approx(7 / 12)
    groups = store.unanswered(now=NOW)
    assert groups[0] == ("Combien coûte la formation ?", 3)
    assert groups[1][1] == 2 and groups[1][0].lower().startswith("quel salaire")
    assert ("vieux", 1) not in groups and ("le ccp", 1) in groups
    kept = store.db.execute("SELECT COUNT(*) FROM questions WHERE text = 'ignored'").fetchone()
    assert kept[0] == 0  # answered questions keep no text
    assert store.purge_old_questions(NOW) == 1  # "vieux", past the 90 days
    assert store.purge_old_questions(NOW + timedelta(days=91)) == 11


def test_advisor_referrals_are_counts_only(store: Storage) -> None:
    code = store.register_advisor("Mme Martin, AFPA", 500)
    assert code == store.register_advisor("Mme Martin", 500) and store.advisor_code(500) == code
    assert len(code) <= 20 and all(c.isalnum() or c in "-_" for c in code)
    store.touch_user(1, now=NOW, referral=f"ref-{code}")
    store.touch_user(2, now=NOW, referral=code)
    store.touch_user(3, now=NOW, referral="ref-unknown")
    store.touch_user(4, now=NOW)
    store.declare(1, 1, date(2022, 3, 12), now=NOW)
    store.declare(2, 1, date(2022, 3, 12), now=NOW)
    store.set_reminders_enabled(2, False)
    counts = store.referral_counts(code)
    assert (counts.arrived, counts.declared, counts.reminders_on) == (2, 2, 1)
    assert store.referral_counts("nope").arrived == 0


def test_backup_while_writing(store: Storage, tmp_path: Path) -> None:
    stop = threading.Event()

    def writer() -> None:
        user = 0
        while not stop.is_set():
            user += 1
            store.declare(user, 1, date(2022, 3, 12), now=NOW)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while store.stats(now=NOW)["users"] < 20:
            pass
        store.backup(tmp_path / "copies" / "backup.sqlite3")
    finally:
        stop.set()
        thread.join()
    copy = sqlite3.connect(tmp_path / "copies" / "backup.sqlite3")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    users, declared, tracked = copy.execute(
        "SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM declarations),"
        " (SELECT COUNT(*) FROM tracking)"
    ).fetchone()
    assert users >= 20 and users == declared == tracked  # a consistent snapshot
    copy.close()
