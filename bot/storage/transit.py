"""Messages in transit: updates received but not yet handled (the inbox), and replies
Telegram kept refusing, not yet delivered (the outbox).

Inbox (migration 4, `bot.updates.intake`): a row is pending while `data` holds the update's
JSON and handled once `data` is NULL; handled rows keep only their id, so an update Telegram
sends again (the process died before the next `getUpdates` acknowledged it) is recognised and
not handled twice. Old handled ids are pruned.

Outbox (migration 6, `bot.sending.outbox`): a row is one Bot API request (endpoint and JSON
parameters) in the order it was made; rows of one chat are sent oldest first. A row leaves when
Telegram takes it, or when it is lost for good (a permanent refusal, or older than the age
limit): the loss is counted in the anonymous daily counters (`kind = 'reply_lost'`, key = why).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from bot.storage.base import StoragePart
from bot.storage.values import utc_iso

KEEP_HANDLED_IDS = 10_000  # Telegram re-sends only recent updates


def update_user_id(update: dict[str, Any]) -> int | None:
    """The id of the person an update comes from (the first object with a `from`)."""
    for value in update.values():
        if isinstance(value, dict):
            sender = value.get("from") or value.get("user")
            if isinstance(sender, dict) and isinstance(sender.get("id"), int):
                return int(sender["id"])
    return None


@dataclass(frozen=True, slots=True)
class KeptReply:
    row_id: int
    chat_id: int
    endpoint: str
    params: dict[str, Any]
    created_at: datetime
    attempts: int


def _known(db: Database, update_ids: Sequence[int]) -> set[int]:
    rows = db.table("inbox").rows_where(
        "update_id IN (SELECT value FROM json_each(?))", [json.dumps(list(update_ids))],
        select="update_id",
    )  # fmt: skip
    return {int(row["update_id"]) for row in rows}


class TransitPart(StoragePart):
    # -- the inbox ------------------------------------------------------------------------------
    def inbox_add(self, updates: Sequence[dict[str, Any]], now: datetime) -> set[int]:
        """Store the updates not seen before; return the ids that were already known."""
        if not updates:
            return set()
        with self.transaction() as db:
            known = _known(db, [int(u["update_id"]) for u in updates])
            db.table("inbox").insert_all(
                (
                    {"update_id": int(u["update_id"]), "user_id": update_user_id(u),
                     "data": json.dumps(u), "received_at": utc_iso(now)}
                    for u in updates
                    if int(u["update_id"]) not in known
                ),
                ignore=True,
            )  # fmt: skip
        return known

    def inbox_known(self, update_ids: Sequence[int]) -> set[int]:
        """The ids already in the inbox, pending or handled."""
        if not update_ids:
            return set()
        with self.reading() as db:
            return _known(db, update_ids)

    def inbox_done(self, update_id: int, now: datetime) -> None:
        with self.transaction() as db:
            db.execute(  # an id handled straight from the webhook may have no pending row
                "INSERT INTO inbox (update_id, user_id, data, received_at)"
                " VALUES (?, NULL, NULL, ?)"
                " ON CONFLICT (update_id) DO UPDATE SET data = NULL, user_id = NULL",
                (update_id, utc_iso(now)),
            )
            if update_id % 1000 == 0:
                db.table("inbox").delete_where(
                    "data IS NULL AND update_id < ?", [update_id - KEEP_HANDLED_IDS]
                )

    def inbox_pending(self) -> list[dict[str, Any]]:
        with self.reading() as db:
            rows = db.table("inbox").rows_where(
                "data IS NOT NULL", select="data", order_by="update_id"
            )
            return [json.loads(row["data"]) for row in rows]

    # -- the outbox -----------------------------------------------------------------------------
    def keep_reply(
        self, chat_id: int, endpoint: str, payload: str, reason: str, *, now: datetime
    ) -> int:
        with self.transaction() as db:
            table = db.table("outbox").insert(
                {"chat_id": chat_id, "endpoint": endpoint, "payload": payload,
                 "created_at": utc_iso(now), "reason": reason}
            )  # fmt: skip
            return int(table.last_pk or 0)

    def kept_chats(self) -> dict[int, int]:
        """Chat id → replies kept for it (loaded at start-up)."""
        with self.reading() as db:
            rows = db.execute("SELECT chat_id, COUNT(*) FROM outbox GROUP BY chat_id")
            return {int(chat): int(n) for chat, n in rows}

    def next_kept(self, chat_id: int) -> KeptReply | None:
        with self.reading() as db:
            row = next(db.table("outbox").rows_where(
                "chat_id = ?", [chat_id], select="id, endpoint, payload, created_at, attempts",
                order_by="id", limit=1,
            ), None)  # fmt: skip
        if row is None:
            return None
        created = datetime.fromisoformat(row["created_at"])
        params = dict(json.loads(row["payload"]))
        return KeptReply(int(row["id"]), chat_id, str(row["endpoint"]), params, created,
                         int(row["attempts"]))  # fmt: skip

    def kept_sent(self, row_id: int) -> None:
        with self.transaction() as db:
            db.table("outbox").delete_where("id = ?", [row_id])

    def kept_failed(self, row_id: int, reason: str) -> None:
        """One more attempt failed for a transient reason: the row stays, first in its chat."""
        with self.transaction() as db:
            db.execute(
                "UPDATE outbox SET attempts = attempts + 1, reason = ? WHERE id = ?",
                (reason, row_id),
            )

    def kept_lost(self, row_ids: list[int], why: str, *, now: datetime) -> None:
        """Rows that will never be delivered: gone, and counted (no user id kept)."""
        with self.transaction() as db:
            table = db.table("outbox")
            for row_id in row_ids:
                if table.count_where("id = ?", [row_id]):
                    table.delete_where("id = ?", [row_id])
                    self._bump(db, now, "reply_lost", why)

    def kept_ids(self, chat_id: int) -> list[int]:
        with self.reading() as db:
            rows = db.table("outbox").rows_where(
                "chat_id = ?", [chat_id], select="id", order_by="id"
            )
            return [int(row["id"]) for row in rows]

    def outbox_figures(self, *, now: datetime) -> dict[str, Any]:
        """Replies waiting, the age of the oldest (seconds) and replies lost in 7 days."""
        with self.reading() as db:
            waiting, oldest = db.execute("SELECT COUNT(*), MIN(created_at) FROM outbox").fetchone()
            lost = db.execute(
                "SELECT SUM(n) FROM counters WHERE kind = 'reply_lost' AND day >= ?",
                (utc_iso(now - timedelta(days=7))[:10],),
            ).fetchone()[0]
        age = (now - datetime.fromisoformat(oldest)).total_seconds() if oldest else 0.0
        return {"replies_waiting": int(waiting), "replies_oldest_seconds": int(max(age, 0)),
                "replies_lost_7d": int(lost or 0)}  # fmt: skip
