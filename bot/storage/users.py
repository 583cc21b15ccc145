"""Users and what they declared: their row, their CCP dates, the window computed from them
(the `tracking` row the due-reminder query walks), their reminder settings and whether
Telegram still delivers to them.

A declaration and its window change in one transaction: `next_reminder_on` is always derived
from the declared dates by the rule (`StoragePart._track`), never typed by hand.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from bot.storage.base import StoragePart
from bot.storage.values import as_lang, iso_or_none, to_date, utc_iso
from conversations.services import ReminderSettings
from knowledge.model import Lang


class UsersPart(StoragePart):
    # -- users ------------------------------------------------------------------------------
    def touch_user(self, user_id: int, *, now: datetime, referral: str | None = None) -> None:
        """Record a visit. A known advisor code ("ref-<code>" or "<code>") is kept on first use;
        a user who blocked the bot and writes again is active again."""
        code = referral.removeprefix("ref-") if referral else None
        with self.transaction() as db:
            self._ensure_user(db, user_id, now)
            self._reactivate(db, user_id, now.date())
            db.execute(
                "UPDATE users SET last_seen = MAX(last_seen, ?) WHERE user_id = ?",
                (utc_iso(now), user_id),
            )
            if code:
                db.execute(
                    "UPDATE users SET referral = ? WHERE user_id = ? AND referral IS NULL"
                    " AND EXISTS (SELECT 1 FROM advisors WHERE code = ?)",
                    (code, user_id, code),
                )

    def user_lang(self, user_id: int) -> Lang | None:
        with self.reading() as db:
            row = next(db.table("users").rows_where("user_id = ?", [user_id], select="lang"), None)
        return None if row is None or row["lang"] is None else as_lang(row["lang"])

    def set_user_lang(self, user_id: int, lang: Lang) -> None:
        with self.transaction() as db:
            self._ensure_user(db, user_id, self._now())
            db.table("users").update(user_id, {"lang": lang})

    def mark_blocked(self, user_id: int, now: datetime) -> None:
        """Telegram answered 403 to a reply: no more reminders until the user writes again."""
        with self.transaction() as db:
            db.execute(  # a forgotten user has no row: nothing to mark
                "UPDATE users SET active = 0, blocked_at = ? WHERE user_id = ?",
                (utc_iso(now), user_id),
            )

    def mark_active(self, user_id: int) -> None:
        """The user wrote again after blocking the bot: deliveries may resume."""
        with self.transaction() as db:
            self._reactivate(db, user_id, self._now().date())

    # -- declarations -----------------------------------------------------------------------
    def declarations(self, user_id: int) -> dict[int, date]:
        with self.reading() as db:
            return self._declared(db, user_id)

    def declare(self, user_id: int, ccp: int, obtained: date, *, now: datetime) -> bool:
        """Store (or replace) one CCP's date and recompute the window in the same transaction.
        False when that CCP already had that date: nothing changed (an update handled twice,
        after a restart, stores one row and is not announced as a change)."""
        with self.transaction() as db:
            self._ensure_user(db, user_id, now)
            changed = db.execute(  # an upsert that changes nothing when the date is the same
                "INSERT INTO declarations (user_id, ccp, obtained, declared_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (user_id, ccp) DO UPDATE SET obtained = excluded.obtained,"
                " declared_at = excluded.declared_at WHERE obtained != excluded.obtained",
                (user_id, ccp, obtained.isoformat(), utc_iso(now)),
            ).rowcount
            if changed:
                self._retrack(db, user_id, now.date())
        return bool(changed)

    def delete_declaration(self, user_id: int, ccp: int) -> bool:
        with self.transaction() as db:
            table = db.table("declarations")
            deleted = table.count_where("user_id = ? AND ccp = ?", [user_id, ccp])
            if deleted:
                table.delete_where("user_id = ? AND ccp = ?", [user_id, ccp])
                self._retrack(db, user_id, self._now().date())
        return bool(deleted)

    # -- the window -------------------------------------------------------------------------
    def tracking(self, user_id: int) -> tuple[date, bool, date | None, str | None] | None:
        """(closes_on, complete, next_reminder_on, last_step) for `/rappels` and tests."""
        with self.reading() as db:
            row = next(db.table("tracking").rows_where("user_id = ?", [user_id]), None)
        if row is None:
            return None
        return (date.fromisoformat(row["closes_on"]), bool(row["complete"]),
                to_date(row["next_reminder_on"]), row["last_step"])  # fmt: skip

    def recompute_tracking(self, today: date, *, batch: int = 5000) -> int:
        """Recompute every user's window (the operator changed the rule); returns users seen.

        Works in batches so the bot keeps writing between them.
        """
        done = 0
        last = -(2**63)
        while True:
            with self.transaction() as db:
                users = [
                    int(row["user_id"])
                    for row in db.table("users").rows_where(
                        "user_id > ?", [last], select="user_id", order_by="user_id", limit=batch
                    )
                ]
                for user_id in users:
                    self._retrack(db, user_id, today)
            if not users:
                return done
            done += len(users)
            last = users[-1]

    def _retrack(self, db: Database, user_id: int, today: date) -> None:
        """Recompute one user's tracking row inside the caller's transaction.

        The last step sent is kept only while the closing date stays the same: a new date
        starts a new series of steps (the delivery log is keyed by closing date too).
        """
        declared = self._declared(db, user_id)
        tracking = self._track(declared, today) if declared else None
        table = db.table("tracking")
        if tracking is None:
            table.delete_where("user_id = ?", [user_id])
            return
        closes_on = tracking.closes_on.isoformat()
        prior = next(table.rows_where("user_id = ?", [user_id], select="closes_on, last_step"),
                     None)  # fmt: skip
        table.upsert(
            {
                "user_id": user_id,
                "closes_on": closes_on,
                "complete": int(tracking.complete),
                "next_reminder_on": None if tracking.complete
                else iso_or_none(tracking.next_reminder_on),
                "last_step": prior["last_step"]
                if prior is not None and prior["closes_on"] == closes_on else None,
            },
            pk="user_id",
        )

    def _opened(self) -> None:
        super()._opened()
        self._backfill_tracking()  # a v1 file's declarations get their windows (migration 2)

    def _backfill_tracking(self) -> None:
        """Migration 2 flags a v1 file's declarations as lacking tracking rows (`meta.retrack`);
        the flag stays until a Storage, which knows the rule, computes them."""
        today = self._now().date()
        with self.reading() as db:  # usually nothing to do: no write lock for that
            if not db.table("meta").count_where("key = 'retrack'"):
                return
        with self.transaction() as db:
            if not db.table("meta").count_where("key = 'retrack'"):
                return
            users = [
                int(row[0])
                for row in db.execute(
                    "SELECT DISTINCT user_id FROM declarations WHERE user_id NOT IN"
                    " (SELECT user_id FROM tracking)"
                )
            ]
            for user_id in users:
                self._retrack(db, user_id, today)
            db.table("meta").delete_where("key = 'retrack'")

    def _reactivate(self, db: Database, user_id: int, today: date) -> None:
        """A blocked user is back: deliveries resume from a freshly computed next date
        (the sender may have cleared it when Telegram answered 403)."""
        back = db.execute(
            "UPDATE users SET active = 1, blocked_at = NULL WHERE user_id = ? AND active = 0",
            (user_id,),
        ).rowcount
        if back:
            self._retrack(db, user_id, today)

    # -- reminder settings ------------------------------------------------------------------
    def reminder_settings(self, user_id: int) -> ReminderSettings:
        with self.reading() as db:
            row = next(db.table("users").rows_where(
                "user_id = ?", [user_id], select="reminders_enabled, snoozed_until, active"
            ), None)  # fmt: skip
        if row is None:
            return ReminderSettings(enabled=True, snoozed_until=None, active=True)
        return ReminderSettings(bool(row["reminders_enabled"]), to_date(row["snoozed_until"]),
                                bool(row["active"]))  # fmt: skip

    def set_reminders_enabled(self, user_id: int, enabled: bool) -> None:
        """On again clears a snooze; off keeps it (for when they turn reminders on again)."""
        with self.transaction() as db:
            self._ensure_user(db, user_id, self._now())
            changes: dict[str, Any] = {"reminders_enabled": int(enabled)}
            if enabled:
                changes["snoozed_until"] = None
            db.table("users").update(user_id, changes)

    def snooze_reminders(self, user_id: int, until: date) -> None:
        with self.transaction() as db:
            self._ensure_user(db, user_id, self._now())
            db.table("users").update(user_id, {"snoozed_until": until.isoformat()})
            # The end of the snooze is a reminder date of its own ("remind me in a week").
            db.execute(
                "UPDATE tracking SET next_reminder_on = MIN(COALESCE(next_reminder_on, ?1), ?1)"
                " WHERE user_id = ?2 AND complete = 0",
                (until.isoformat(), user_id),
            )
