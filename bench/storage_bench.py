"""Storage figures: finding the due reminders among 1,000,000 tracked users, and the file size.

Users, one declaration each and their tracking rows are bulk-loaded with `executemany` into a
temporary file (the schema comes from the real migrations); next reminder dates are spread over
five years (5 % of users have reminders off), so a daily run finds about 400 users due and a
run after a week of downtime about 3,500. Timings are medians of a few runs on a shared machine:
read them as orders of magnitude.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

from bot.storage import Storage, Tracking

USERS = 1_000_000
SPREAD_DAYS = 5 * 365
TODAY = date(2026, 1, 5)
BATCH = 50_000


def _track(declared: Mapping[int, date], today: date) -> Tracking | None:
    first = min(declared.values())
    return Tracking(first + timedelta(days=5 * 365), False, today)


def _load(store: Storage, users: int) -> None:
    seen = datetime(2025, 12, 1, tzinfo=UTC).isoformat(timespec="seconds")
    for start in range(1, users + 1, BATCH):
        ids = range(start, min(start + BATCH, users + 1))
        with store.transaction() as db:
            db.table("users").insert_all(
                {"user_id": u, "lang": "fr" if u % 5 else "en", "first_seen": seen,
                 "last_seen": seen, "reminders_enabled": int(u % 20 != 0)}
                for u in ids
            )  # fmt: skip
            db.table("declarations").insert_all(
                {"user_id": u, "ccp": 1, "declared_at": seen,
                 "obtained": (TODAY - timedelta(days=1000 + u % 700)).isoformat()}
                for u in ids
            )  # fmt: skip
            db.table("tracking").insert_all(
                {"user_id": u, "complete": 0,
                 "closes_on": (TODAY + timedelta(days=400 + u % SPREAD_DAYS)).isoformat(),
                 "next_reminder_on": (TODAY + timedelta(days=(u * 7919) % SPREAD_DAYS)).isoformat()}
                for u in ids
            )  # fmt: skip


def _median_ms(action: Callable[[], object], runs: int = 5) -> tuple[float, object]:
    timings, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), result


def run(users: int = USERS) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "bench.sqlite3"
        store = Storage(path, track=_track)
        started = time.perf_counter()
        _load(store, users)
        print(
            f"bulk load of {users:,} users + declarations + tracking:"
            f" {time.perf_counter() - started:.1f} s"
        )
        with store.reading() as conn:
            conn.execute("ANALYZE")
            plan = conn.execute(
                "EXPLAIN QUERY PLAN SELECT t.user_id FROM tracking AS t"
                " WHERE t.next_reminder_on <= ? AND t.complete = 0",
                (TODAY.isoformat(),),
            ).fetchall()
        print("due query plan:", "; ".join(str(row[-1]) for row in plan))
        for label, day in (("daily run", TODAY), ("after a week down", TODAY + timedelta(days=6))):
            ms, due = _median_ms(partial(store.due_reminders, day))
            assert isinstance(due, list)
            print(f"due_reminders({label}): {len(due):,} due among {users:,} in {ms:.1f} ms")
        ms, due = _median_ms(lambda: store.due_reminders(TODAY, limit=100))
        print(f"due_reminders(limit=100): {ms:.2f} ms")
        store.close()  # checkpoints the WAL into the file
        size = os.path.getsize(path)
        print(f"database size: {size / 1e6:.0f} MB ({size / users:.0f} bytes per user)")


if __name__ == "__main__":
    run()
