"""The outbox (migration 6): replies Telegram kept refusing for a transient reason.

A row is one Bot API request (endpoint and JSON parameters) in the order it was made; rows of
one chat are sent oldest first (`bot.sending.outbox`). A row leaves when Telegram takes it, or
when it is lost for good (a permanent refusal, or older than the age limit): the loss is counted in
the anonymous daily counters (`kind = 'reply_lost'`, key = why), for the operators' figures.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.storage.base import StorageBase, utc_iso


@dataclass(frozen=True, slots=True)
class KeptReply:
    row_id: int
    chat_id: int
    endpoint: str
    params: dict[str, Any]
    created_at: datetime
    attempts: int


class OutboxMixin(StorageBase):
    def keep_reply(
        self, chat_id: int, endpoint: str, payload: str, reason: str, *, now: datetime
    ) -> int:
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO outbox (chat_id, endpoint, payload, created_at, reason)"
                " VALUES (?, ?, ?, ?, ?)",
                (chat_id, endpoint, payload, utc_iso(now), reason),
            )
            return int(cursor.lastrowid or 0)

    def kept_chats(self) -> dict[int, int]:
        """Chat id → replies kept for it (loaded at start-up)."""
        with self.reading() as conn:
            rows = conn.execute("SELECT chat_id, COUNT(*) FROM outbox GROUP BY chat_id")
            return {int(chat): int(n) for chat, n in rows}

    def next_kept(self, chat_id: int) -> KeptReply | None:
        with self.reading() as conn:
            row = conn.execute(
                "SELECT id, endpoint, payload, created_at, attempts FROM outbox"
                " WHERE chat_id = ? ORDER BY id LIMIT 1",
                (chat_id,),
            ).fetchone()
        if row is None:
            return None
        row_id, endpoint, payload, created_at, attempts = row
        return KeptReply(int(row_id), chat_id, str(endpoint), dict(json.loads(payload)),
                         datetime.fromisoformat(created_at), int(attempts))  # fmt: skip

    def kept_sent(self, row_id: int) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM outbox WHERE id = ?", (row_id,))

    def kept_failed(self, row_id: int, reason: str) -> None:
        """One more attempt failed for a transient reason: the row stays, first in its chat."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, reason = ? WHERE id = ?",
                (reason, row_id),
            )

    def kept_lost(self, row_ids: list[int], why: str, *, now: datetime) -> None:
        """Rows that will never be delivered: gone, and counted (no user id kept)."""
        with self.transaction() as conn:
            for row_id in row_ids:
                if conn.execute("DELETE FROM outbox WHERE id = ?", (row_id,)).rowcount:
                    self._bump(conn, now, "reply_lost", why)

    def kept_ids(self, chat_id: int) -> list[int]:
        with self.reading() as conn:
            rows = conn.execute("SELECT id FROM outbox WHERE chat_id = ? ORDER BY id", (chat_id,))
            return [int(row[0]) for row in rows]

    def outbox_figures(self, *, now: datetime) -> dict[str, Any]:
        """Replies waiting, the age of the oldest (seconds) and replies lost in 7 days."""
        with self.reading() as conn:
            waiting, oldest = conn.execute(
                "SELECT COUNT(*), MIN(created_at) FROM outbox"
            ).fetchone()
            lost = conn.execute(
                "SELECT SUM(n) FROM counters WHERE kind = 'reply_lost' AND day >= ?",
                (utc_iso(now - timedelta(days=7))[:10],),
            ).fetchone()[0]
        age = (now - datetime.fromisoformat(oldest)).total_seconds() if oldest else 0.0
        return {"replies_waiting": int(waiting), "replies_oldest_seconds": int(max(age, 0)),
                "replies_lost_7d": int(lost or 0)}  # fmt: skip
