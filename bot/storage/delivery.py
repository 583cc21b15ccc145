"""What the bot sends on its own, and the never-twice log shared by reminders, announcements
and the advisors' weekly digests.

A message is claimed before it is sent and finished after. The claim is one row under a UNIQUE
key, taken in a `BEGIN IMMEDIATE` transaction, so two senders (two processes, or a rerun) never
both get it. A 'claimed' row left by a dead process (same host, pid gone) or whose lease expired
may be taken over; a 'sent' row never. 'failed' and 'blocked' rows may be claimed again on a
later run (a blocked user is not due until they come back).
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlite_utils import Database

from bot.storage.base import StoragePart
from bot.storage.values import DueReminder, as_lang, iso_or_none, utc_iso
from knowledge.model import Lang

STATUSES = frozenset({"sent", "failed", "blocked"})


@dataclass(frozen=True, slots=True)
class _Log:
    """A delivery log table and its key columns (constants of this module, never user input)."""

    table: str
    key: tuple[str, ...]
    counter: str

    def where(self) -> str:
        return " AND ".join(f"{column} = ?" for column in self.key)


REMINDER_LOG = _Log("reminder_log", ("user_id", "closes_on", "step"), "reminder")
ANNOUNCEMENT_LOG = _Log("announcement_log", ("announcement_id", "user_id"), "announcement")
DIGEST_LOG = _Log("digest_log", ("user_id", "week"), "digest")


def owner_alive(owner: str | None) -> bool:
    """Whether the process named "host:pid" may still be sending; other hosts: assume yes."""
    if not owner or ":" not in owner:
        return False
    host, _, pid_text = owner.rpartition(":")
    if host != socket.gethostname():
        return True
    try:
        pid = int(pid_text)
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (ValueError, PermissionError, OSError):
        return True
    return True


def default_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True, slots=True)
class Announcement:
    id: int
    text: str
    created_by: int | None
    created_at: str
    status: str


class DeliveryPart(StoragePart):
    # -- the one claim/finish mechanism -----------------------------------------------------
    def _claim(
        self,
        log: _Log,
        key: tuple[object, ...],
        *,
        owner: str,
        now: datetime,
        lease_seconds: float,
    ) -> bool:
        stamp = utc_iso(now)
        columns = ", ".join(log.key)
        marks = ", ".join("?" for _ in log.key)
        user_id = key[log.key.index("user_id")]
        with self.transaction() as db:  # hand-written: the claim is the statement's rowcount
            if not db.table("users").count_where("user_id = ?", [user_id]):
                return False  # forgotten (/oublier) since the list was read: send nothing
            inserted = db.execute(
                f"INSERT INTO {log.table} ({columns}, status, owner, claimed_at, attempts)"
                f" VALUES ({marks}, 'claimed', ?, ?, 1) ON CONFLICT DO NOTHING",
                (*key, owner, stamp),
            ).rowcount
            if inserted == 1:
                return True
            status, holder, claimed_at = db.execute(
                f"SELECT status, owner, claimed_at FROM {log.table} WHERE {log.where()}", key
            ).fetchone()
            if status == "sent":
                return False
            if status == "claimed":
                expired = claimed_at is None or datetime.fromisoformat(claimed_at) + timedelta(
                    seconds=lease_seconds
                ) <= datetime.fromisoformat(stamp)
                if not expired and (holder == owner or owner_alive(holder)):
                    return False
            db.execute(
                f"UPDATE {log.table} SET status = 'claimed', owner = ?, claimed_at = ?,"
                f" attempts = attempts + 1 WHERE {log.where()}",
                (owner, stamp, *key),
            )
            return True

    def _finish(
        self,
        db: Database,
        log: _Log,
        key: tuple[object, ...],
        status: str,
        now: datetime,
    ) -> None:
        if status not in STATUSES:
            raise ValueError(f"unknown delivery status {status!r}")
        stamp = utc_iso(now)
        sent_at = stamp if status == "sent" else None
        # No row means no claim (or the user was forgotten meanwhile): record nothing.
        db.execute(
            f"UPDATE {log.table} SET status = ?, sent_at = COALESCE(?, sent_at)"
            f" WHERE {log.where()}",
            (status, sent_at, *key),
        )
        self._bump(db, now, log.counter, status)
        if status == "blocked":
            user_id = key[log.key.index("user_id")]
            db.execute(
                "UPDATE users SET active = 0, blocked_at = ? WHERE user_id = ?", (stamp, user_id)
            )

    # -- reminders --------------------------------------------------------------------------
    def due_reminders(self, today: date, limit: int | None = None) -> list[DueReminder]:
        """Users whose next step is due on or before `today` and who still want reminders.

        Walks the (next_reminder_on, user_id) index: milliseconds among a million users.
        """
        self.settle()  # declarations and settings queued before this run
        day = today.isoformat()
        with self.reading() as db:
            rows = db.execute(  # a join on the (next_reminder_on, user_id) index
                "SELECT t.user_id, u.lang, t.closes_on, t.last_step, t.next_reminder_on"
                " FROM tracking AS t JOIN users AS u ON u.user_id = t.user_id"
                " WHERE t.next_reminder_on <= ? AND t.complete = 0"
                " AND u.reminders_enabled = 1 AND u.active = 1"
                " AND (u.snoozed_until IS NULL OR u.snoozed_until <= ?)"
                " ORDER BY t.next_reminder_on, t.user_id LIMIT ?",
                (day, day, -1 if limit is None else limit),
            ).fetchall()
            declared = self._declared_many(db, [int(row[0]) for row in rows])
        return [
            DueReminder(
                user_id=user_id,
                lang=as_lang(lang),
                closes_on=date.fromisoformat(closes_on),
                declared=declared[user_id],
                last_step=last_step,
                next_reminder_on=date.fromisoformat(next_on),
            )
            for user_id, lang, closes_on, last_step, next_on in rows
        ]

    def claim_reminder(
        self,
        user_id: int,
        closes_on: date,
        step: str,
        *,
        owner: str,
        now: datetime,
        lease_seconds: float = 300,
    ) -> bool:
        key = (user_id, closes_on.isoformat(), step)
        return self._claim(REMINDER_LOG, key, owner=owner, now=now, lease_seconds=lease_seconds)

    def finish_reminder(
        self,
        user_id: int,
        closes_on: date,
        step: str,
        status: str,
        *,
        now: datetime,
        next_reminder_on: date | None,
    ) -> None:
        """Record the outcome and move the user's next date (only if the window is unchanged)."""
        key = (user_id, closes_on.isoformat(), step)
        with self.transaction() as db:
            self._finish(db, REMINDER_LOG, key, status, now)
            db.execute(
                "UPDATE tracking SET next_reminder_on = ?,"
                " last_step = CASE WHEN ? = 'sent' THEN ? ELSE last_step END"
                " WHERE user_id = ? AND closes_on = ?",
                (iso_or_none(next_reminder_on), status, step, user_id, closes_on.isoformat()),
            )

    def reschedule_reminder(
        self, user_id: int, closes_on: date, next_reminder_on: date | None
    ) -> None:
        """Move a due user's next date without a log entry: nothing was to send (the window
        closed while the bot was down, or the step was sent already), so they stop being due."""
        with self.transaction() as db:
            db.execute(
                "UPDATE tracking SET next_reminder_on = ? WHERE user_id = ? AND closes_on = ?",
                (iso_or_none(next_reminder_on), user_id, closes_on.isoformat()),
            )

    def reminder_status(self, user_id: int, closes_on: date, step: str) -> str | None:
        return self._status(REMINDER_LOG, (user_id, closes_on.isoformat(), step))

    def _status(self, log: _Log, key: tuple[object, ...]) -> str | None:
        with self.reading() as db:
            row = next(db.table(log.table).rows_where(log.where(), key, select="status"), None)
        return None if row is None else str(row["status"])

    # -- announcements ----------------------------------------------------------------------
    def create_announcement(self, text: str, created_by: int | None, now: datetime) -> int:
        with self.transaction() as db:
            table = db.table("announcements").insert(
                {"text": text, "created_by": created_by, "created_at": utc_iso(now),
                 "status": "draft"}
            )  # fmt: skip
            return int(table.last_pk or 0)

    def announcement(self, announcement_id: int) -> Announcement | None:
        with self.reading() as db:
            row = next(db.table("announcements").rows_where(
                "id = ?", [announcement_id], select="id, text, created_by, created_at, status"
            ), None)  # fmt: skip
        return None if row is None else Announcement(**row)

    def set_announcement_status(self, announcement_id: int, status: str) -> None:
        with self.transaction() as db:
            db.table("announcements").update(announcement_id, {"status": status})

    def announcement_recipients(self, announcement_id: int) -> list[tuple[int, Lang]]:
        """Active users this announcement has not reached yet, in user id order."""
        self.settle()  # visits just made are written in the background
        with self.reading() as db:
            rows = db.execute(
                "SELECT u.user_id, u.lang FROM users AS u WHERE u.active = 1 AND NOT EXISTS"
                " (SELECT 1 FROM announcement_log AS a WHERE a.announcement_id = ?"
                " AND a.user_id = u.user_id AND a.status = 'sent') ORDER BY u.user_id",
                (announcement_id,),
            ).fetchall()
        return [(int(user_id), as_lang(lang)) for user_id, lang in rows]

    def claim_announcement(
        self,
        announcement_id: int,
        user_id: int,
        *,
        owner: str,
        now: datetime,
        lease_seconds: float = 300,
    ) -> bool:
        key = (announcement_id, user_id)
        return self._claim(ANNOUNCEMENT_LOG, key, owner=owner, now=now, lease_seconds=lease_seconds)

    def finish_announcement(
        self, announcement_id: int, user_id: int, status: str, *, now: datetime
    ) -> None:
        with self.transaction() as db:
            self._finish(db, ANNOUNCEMENT_LOG, (announcement_id, user_id), status, now)

    # -- the advisors' weekly digest ----------------------------------------------------------
    def claim_digest(
        self, advisor_user_id: int, week: str, *, owner: str, now: datetime,
        lease_seconds: float = 300,
    ) -> bool:
        return self._claim(DIGEST_LOG, (advisor_user_id, week), owner=owner, now=now,
                           lease_seconds=lease_seconds)  # fmt: skip

    def finish_digest(self, advisor_user_id: int, week: str, status: str, *, now: datetime) -> None:
        with self.transaction() as db:
            self._finish(db, DIGEST_LOG, (advisor_user_id, week), status, now)

    def digest_status(self, advisor_user_id: int, week: str) -> str | None:
        return self._status(DIGEST_LOG, (advisor_user_id, week))
