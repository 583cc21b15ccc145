"""The durable inbox: updates written before Telegram is told they arrived (bot.updates.intake).

A row is pending while `data` holds the update's JSON and handled once `data` is NULL; handled
rows keep only their id, so an update Telegram sends again (the process died before the next
`getUpdates` acknowledged it) is recognised and not handled twice. Old handled ids are pruned.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.storage.base import StorageBase, utc_iso

KEEP_HANDLED_IDS = 10_000  # Telegram re-sends only recent updates


def update_user_id(update: dict[str, Any]) -> int | None:
    """The id of the person an update comes from (the first object with a `from`)."""
    for value in update.values():
        if isinstance(value, dict):
            sender = value.get("from") or value.get("user")
            if isinstance(sender, dict) and isinstance(sender.get("id"), int):
                return int(sender["id"])
    return None


class InboxMixin(StorageBase):
    def inbox_add(self, updates: Sequence[dict[str, Any]], now: datetime) -> set[int]:
        """Store the updates not seen before; return the ids that were already known."""
        if not updates:
            return set()
        ids = [int(u["update_id"]) for u in updates]
        with self.transaction() as conn:
            marks = ",".join("?" * len(ids))
            known = {
                row[0]
                for row in conn.execute(
                    f"SELECT update_id FROM inbox WHERE update_id IN ({marks})", ids
                )
            }
            conn.executemany(
                "INSERT OR IGNORE INTO inbox (update_id, user_id, data, received_at)"
                " VALUES (?, ?, ?, ?)",
                [
                    (int(u["update_id"]), update_user_id(u), json.dumps(u), utc_iso(now))
                    for u in updates
                    if int(u["update_id"]) not in known
                ],
            )
        return known

    def inbox_known(self, update_ids: Sequence[int]) -> set[int]:
        """The ids already in the inbox, pending or handled."""
        if not update_ids:
            return set()
        marks = ",".join("?" * len(update_ids))
        with self.reading() as conn:
            return {
                row[0]
                for row in conn.execute(
                    f"SELECT update_id FROM inbox WHERE update_id IN ({marks})", list(update_ids)
                )
            }

    def inbox_done(self, update_id: int, now: datetime) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO inbox (update_id, user_id, data, received_at)"
                " VALUES (?, NULL, NULL, ?)"
                " ON CONFLICT (update_id) DO UPDATE SET data = NULL, user_id = NULL",
                (update_id, utc_iso(now)),
            )
            if update_id % 1000 == 0:
                conn.execute(
                    "DELETE FROM inbox WHERE data IS NULL AND update_id < ?",
                    (update_id - KEEP_HANDLED_IDS,),
                )

    def inbox_pending(self) -> list[dict[str, Any]]:
        with self.reading() as conn:
            rows = conn.execute(
                "SELECT data FROM inbox WHERE data IS NOT NULL ORDER BY update_id"
            ).fetchall()
        return [json.loads(row[0]) for row in rows]
