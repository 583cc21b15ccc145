"""`Storage`: the bot's SQLite file (`bot.storage.threaded.ThreadedStore` gives it to the
dialogues).

Built from mixins so no file grows past a screenful of concerns:
`storage_base` (connection, transactions, tracking recomputation), `storage_delivery` (due
reminders, never-twice claims, announcements), `storage_ops` (questions, statistics, advisors,
backup). This module holds users, declarations, reminder settings and privacy.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.storage.advisors import AdvisorsMixin
from bot.storage.base import (
    DueReminder,
    StorageBase,
    TrackFn,
    Tracking,
    as_lang,
    jsonable,
    load_blob,
    to_date,
    utc_iso,
)
from bot.storage.delivery import Announcement, DeliveryMixin, default_owner
from bot.storage.inbox import InboxMixin
from bot.storage.operators import OperationsMixin
from bot.storage.outbox import OutboxMixin
from conversations.services import ReminderSettings
from knowledge.model import Lang

__all__ = ["Announcement", "DueReminder", "Storage", "TrackFn", "Tracking", "default_owner"]

# Every row about a user, table by table: (table, WHERE clause with one `?` for the id).
# `forget_user` deletes them and `export_user` reads them; a new table holding a user id must
# be added here (tests scan every column of every table for the id after forgetting).
_USER_ROWS: tuple[tuple[str, str], ...] = (
    ("declarations", "user_id = ?"),
    ("tracking", "user_id = ?"),
    ("reminder_log", "user_id = ?"),
    ("announcement_log", "user_id = ?"),
    ("advisor_shares", "user_id = ?"),  # whom they share their progress with (issue 14)
    ("digest_log", "user_id = ?"),  # an advisor's weekly digests
    ("advisors", "advisor_user_id = ?"),
    ("questions", "user_id = ?"),  # the text of the questions they typed that were kept
    ("outbox", "chat_id = ?"),  # replies to them kept until Telegram takes them (issue 12)
    ("ptb_user_data", "user_id = ?"),
    ("ptb_chat_data", "chat_id = ?"),  # a private chat's id is the user's id
    (
        "ptb_conversations",
        "EXISTS (SELECT 1 FROM json_each(ptb_conversations.key) WHERE json_each.value = ?)",
    ),
    ("users", "user_id = ?"),
)


class Storage(
    InboxMixin, OutboxMixin, AdvisorsMixin, DeliveryMixin, OperationsMixin, StorageBase
):
    """Small, parameterised access to the bot's SQLite file; see `StorageBase` for threading."""

    def stats(self, *, now: datetime) -> dict[str, Any]:
        """The operators' figures, with the outbox's (replies waiting, lost in 7 days)."""
        return {**super().stats(now=now), **self.outbox_figures(now=now)}

    # -- users ------------------------------------------------------------------------------
    def touch_user(self, user_id: int, *, now: datetime, referral: str | None = None) -> None:
        """Record a visit. A known advisor code ("ref-<code>" or "<code>") is kept on first use;
        a user who blocked the bot and writes again is active again."""
        code = referral.removeprefix("ref-") if referral else None
        stamp = utc_iso(now)
        with self.transaction() as conn:
            self._ensure_user(conn, user_id, now)
            self._reactivate(conn, user_id, now.date())
            conn.execute(
                "UPDATE users SET last_seen = MAX(last_seen, ?) WHERE user_id = ?",
                (stamp, user_id),
            )
            if code:
                conn.execute(
                    "UPDATE users SET referral = ? WHERE user_id = ? AND referral IS NULL"
                    " AND EXISTS (SELECT 1 FROM advisors WHERE code = ?)",
                    (code, user_id, code),
                )

    def user_lang(self, user_id: int) -> Lang | None:
        with self.reading() as conn:
            row = conn.execute("SELECT lang FROM users WHERE user_id = ?", (user_id,)).fetchone()
        return None if row is None or row[0] is None else as_lang(row[0])

    def set_user_lang(self, user_id: int, lang: Lang) -> None:
        with self.transaction() as conn:
            self._ensure_user(conn, user_id, self._now())
            conn.execute("UPDATE users SET lang = ? WHERE user_id = ?", (lang, user_id))

    # -- declarations -----------------------------------------------------------------------
    def declarations(self, user_id: int) -> dict[int, date]:
        with self.reading() as conn:
            return self._declared(conn, user_id)

    def declare(self, user_id: int, ccp: int, obtained: date, *, now: datetime) -> bool:
        """Store (or replace) one CCP's date and recompute the window in the same transaction.
        False when that CCP already had that date: nothing changed (an update handled twice,
        after a restart, stores one row and is not announced as a change)."""
        with self.transaction() as conn:
            self._ensure_user(conn, user_id, now)
            changed = conn.execute(
                "INSERT INTO declarations (user_id, ccp, obtained, declared_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (user_id, ccp) DO UPDATE SET obtained = excluded.obtained,"
                " declared_at = excluded.declared_at WHERE obtained != excluded.obtained",
                (user_id, ccp, obtained.isoformat(), utc_iso(now)),
            ).rowcount
            if changed:
                self._retrack(conn, user_id, now.date())
        return bool(changed)

    def delete_declaration(self, user_id: int, ccp: int) -> bool:
        with self.transaction() as conn:
            deleted = conn.execute(
                "DELETE FROM declarations WHERE user_id = ? AND ccp = ?", (user_id, ccp)
            ).rowcount
            if deleted:
                self._retrack(conn, user_id, self._now().date())
        return bool(deleted)

    def recompute_tracking(self, today: date, *, batch: int = 5000) -> int:
        """Recompute every user's window (the operator changed the rule); returns users seen.

        Works in batches so the bot keeps writing between them.
        """
        done = 0
        last = -(2**63)
        while True:
            with self.transaction() as conn:
                users = [
                    row[0]
                    for row in conn.execute(
                        "SELECT user_id FROM users WHERE user_id > ? ORDER BY user_id LIMIT ?",
                        (last, batch),
                    )
                ]
                for user_id in users:
                    self._retrack(conn, user_id, today)
            if not users:
                return done
            done += len(users)
            last = users[-1]

    # -- reminder settings ------------------------------------------------------------------
    def reminder_settings(self, user_id: int) -> ReminderSettings:
        with self.reading() as conn:
            row = conn.execute(
                "SELECT reminders_enabled, snoozed_until, active FROM users WHERE user_id = ?",
                (user_id,),
            ).fetchone()
        if row is None:
            return ReminderSettings(enabled=True, snoozed_until=None, active=True)
        return ReminderSettings(bool(row[0]), to_date(row[1]), bool(row[2]))

    def set_reminders_enabled(self, user_id: int, enabled: bool) -> None:
        with self.transaction() as conn:
            self._ensure_user(conn, user_id, self._now())
            conn.execute(
                "UPDATE users SET reminders_enabled = ?, snoozed_until = CASE WHEN ? THEN NULL"
                " ELSE snoozed_until END WHERE user_id = ?",
                (int(enabled), int(enabled), user_id),
            )

    def snooze_reminders(self, user_id: int, until: date) -> None:
        with self.transaction() as conn:
            self._ensure_user(conn, user_id, self._now())
            conn.execute(
                "UPDATE users SET snoozed_until = ? WHERE user_id = ?", (until.isoformat(), user_id)
            )
            # The end of the snooze is a reminder date of its own ("remind me in a week").
            conn.execute(
                "UPDATE tracking SET next_reminder_on = MIN(COALESCE(next_reminder_on, ?1), ?1)"
                " WHERE user_id = ?2 AND complete = 0",
                (until.isoformat(), user_id),
            )

    # -- privacy ----------------------------------------------------------------------------
    def export_user(self, user_id: int) -> dict[str, Any]:
        """Everything stored about the user, JSON-ready (`/mesdonnees`)."""
        self.settle()
        export: dict[str, Any] = {"user_id": user_id}
        with self.reading() as conn:
            for table, where in _USER_ROWS:
                cursor = conn.execute(f"SELECT * FROM {table} WHERE {where}", (user_id,))
                names = [column[0] for column in cursor.description]
                rows = [dict(zip(names, row, strict=True)) for row in cursor]
                for row in rows:  # decode PTB blobs into what the bot actually kept
                    for column in ("data", "state"):
                        if isinstance(row.get(column), bytes):
                            row[column] = load_blob(row[column])
                    if table == "ptb_conversations":
                        row["key"] = jsonable(row["key"])
                export[table] = jsonable(rows)
            export["announcements_created"] = jsonable(
                [
                    dict(zip(("id", "created_at", "status"), row, strict=True))
                    for row in conn.execute(
                        "SELECT id, created_at, status FROM announcements WHERE created_by = ?",
                        (user_id,),
                    )
                ]
            )
        return export

    def forget_user(self, user_id: int) -> None:
        """Delete every row holding the user's id, then make sure the bytes leave the file:
        `secure_delete` zeroes freed content and a TRUNCATE checkpoint empties the WAL."""
        self.settle()
        with self.transaction() as conn:
            codes = [
                row[0]
                for row in conn.execute(
                    "SELECT code FROM advisors WHERE advisor_user_id = ?", (user_id,)
                )
            ]
            for code in codes:  # the candidates stay; the link to a forgotten advisor goes
                conn.execute("UPDATE users SET referral = NULL WHERE referral = ?", (code,))
                conn.execute("DELETE FROM advisor_shares WHERE code = ?", (code,))
                conn.execute("DELETE FROM advisor_stops WHERE code = ?", (code,))
            self.record_stops(conn, user_id, self._now())  # "someone stopped sharing"
            conn.execute(  # never sent to anyone: only its author ever saw that text
                "DELETE FROM announcements WHERE created_by = ?"
                " AND status IN ('draft', 'cancelled') AND NOT EXISTS"
                " (SELECT 1 FROM announcement_log WHERE announcement_id = id)",
                (user_id,),
            )
            conn.execute(
                "UPDATE announcements SET created_by = NULL WHERE created_by = ?", (user_id,)
            )
            for table, where in _USER_ROWS:
                conn.execute(f"DELETE FROM {table} WHERE {where}", (user_id,))
            conn.execute("DELETE FROM inbox WHERE user_id = ?", (user_id,))  # not exported
        self.checkpoint()
