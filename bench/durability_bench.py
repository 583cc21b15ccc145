"""`synchronous` by measurement: the cost of a declaration (one write transaction through
`Storage.declare`, tracking recomputed) with `synchronous=NORMAL` and `FULL` in WAL mode.

NORMAL in WAL syncs only at checkpoints: a power loss can drop the last commits (declarations
a user was told were saved). FULL syncs the WAL at every commit. The file goes next to the
repository (not /tmp, often a RAM disk) so the fsync cost is the disk's.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.storage import Storage, Tracking

WRITES = 300


def _track(declared: Mapping[int, date], today: date) -> Tracking | None:
    return Tracking(min(declared.values()) + timedelta(days=5 * 365), False, today)


def measure(level: str, folder: Path) -> list[float]:
    store = Storage(folder / f"{level}.sqlite3", track=_track)
    with store.reading() as conn:
        conn.execute(f"PRAGMA synchronous = {level}")
    now = datetime(2026, 1, 5, tzinfo=UTC)
    times = []
    for user in range(1, WRITES + 1):
        started = time.perf_counter()
        store.declare(user, 1, date(2022, 3, 12), now=now)
        times.append((time.perf_counter() - started) * 1000)
    store.close()
    return times


def run() -> None:
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory(dir=root) as folder:
        for level in ("NORMAL", "FULL"):
            times = sorted(measure(level, Path(folder)))
            p99 = times[int(len(times) * 0.99) - 1]
            print(f"declare() with synchronous={level}: median {statistics.median(times):.2f} ms,"
                  f" p99 {p99:.2f} ms over {WRITES} writes")


if __name__ == "__main__":
    run()
