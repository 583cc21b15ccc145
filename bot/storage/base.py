"""`StoragePart`: what every part of `Storage` shares — the rule, the clock, a user's row and
declared CCPs, and the anonymous counters. Imports only the SQLite file and the values."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from sqlite_utils import Database

from bot.storage.sqlite_file import SqliteFile
from bot.storage.values import TrackFn, utc_iso


class StoragePart(SqliteFile):
    """The SQLite file plus the tracking function (knowledge's rule) and the clock."""

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
        self._opened()

    def _opened(self) -> None:
        """What a part does once the file is open and the rule known (a part overrides it,
        calling `super()`): the one place `Storage` itself needs no constructor of its own."""

    def _now(self) -> datetime:
        return self._clock()

    def _ensure_user(self, db: Database, user_id: int, now: datetime) -> None:
        stamp = utc_iso(now)
        db.table("users").insert(
            {"user_id": user_id, "first_seen": stamp, "last_seen": stamp}, ignore=True
        )

    def _declared(self, db: Database, user_id: int) -> dict[int, date]:
        rows = db.table("declarations").rows_where(
            "user_id = ?", [user_id], select="ccp, obtained", order_by="ccp"
        )
        return {int(row["ccp"]): date.fromisoformat(row["obtained"]) for row in rows}

    def _declared_many(self, db: Database, users: list[int]) -> dict[int, dict[int, date]]:
        """Several users' declared CCPs in one query (the ids passed as one JSON array)."""
        declared: dict[int, dict[int, date]] = {user_id: {} for user_id in users}
        for row in db.table("declarations").rows_where(
            "user_id IN (SELECT value FROM json_each(?))", [json.dumps(users)],
            select="user_id, ccp, obtained", order_by="user_id, ccp",
        ):  # fmt: skip
            declared[int(row["user_id"])][int(row["ccp"])] = date.fromisoformat(row["obtained"])
        return declared

    def _bump(self, db: Database, now: datetime, kind: str, key: str) -> None:
        """Anonymous daily counters: what stats need, without keeping who did it."""
        db.execute(
            "INSERT INTO counters (day, kind, key, n) VALUES (?, ?, ?, 1)"
            " ON CONFLICT (day, kind, key) DO UPDATE SET n = n + 1",
            (utc_iso(now)[:10], kind, key),
        )
