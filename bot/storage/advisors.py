"""Consented follow-up: which candidates share their progress with which advisor (issue 14).

A candidate who came through an advisor's link (or typed the code) is asked once; the answer
is one row of `advisor_shares` ('asked', 'yes', 'no'). An advisor reads only 'yes' rows of
their own code, and only what the candidate agreed to: the name they chose to show, their CCP
dates and the window computed from them (the `tracking` row). Buttons carry the row's `id`,
never a Telegram id. Saying no, or `/oublier`, leaves an anonymous mark in `advisor_stops`
(the digest says "someone stopped sharing", never who). The weekly digest is claimed in
`digest_log` with the same never-twice mechanism as reminders.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from bot.storage.base import as_lang, utc_iso
from bot.storage.delivery import DeliveryMixin, _Log
from conversations.services import Consent, SharedCandidate
from knowledge.deadline import add_months
from knowledge.model import Lang

DIGEST_LOG = _Log("digest_log", ("user_id", "week"), "digest")
MAX_NAME = 32  # characters of a shown name (a first name or a pseudonym)
SOON_MONTHS = 3  # a date within three months is marked


@dataclass(frozen=True, slots=True)
class DigestTarget:
    advisor_user_id: int
    code: str
    lang: Lang


@dataclass(frozen=True, slots=True)
class DigestFacts:
    """An advisor's week, from consenting candidates only (names as they chose them)."""

    sharing: int
    soon: int  # sharing candidates whose date is within three months
    steps: list[tuple[str, str]]  # (name, reminder step sent this week)
    declared: list[tuple[str, list[int]]]  # (name, CCPs declared this week)
    stopped: int  # people who stopped sharing this week: a count, no name


def clean_name(name: str) -> str:
    """One line, no control characters, at most MAX_NAME characters."""
    text = " ".join("".join(ch for ch in name if ch.isprintable()).split())
    return text[:MAX_NAME]


class AdvisorsMixin(DeliveryMixin):
    # -- the candidate's side ----------------------------------------------------------------
    def offer_consent(self, user_id: int, code: str, *, now: datetime) -> str | None:
        """The advisor's label when the candidate must be asked now (first time for this
        code), else None. The code also counts as their referral if they had none."""
        code = code.removeprefix("ref-")
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT label, advisor_user_id FROM advisors WHERE code = ?", (code,)
            ).fetchone()
            if row is None or int(row[1]) == user_id:
                return None
            self._ensure_user(conn, user_id, now)
            conn.execute(
                "UPDATE users SET referral = ? WHERE user_id = ? AND referral IS NULL",
                (code, user_id),
            )
            inserted = conn.execute(
                "INSERT INTO advisor_shares (user_id, code, status, changed_at)"
                " VALUES (?, ?, 'asked', ?) ON CONFLICT DO NOTHING",
                (user_id, code, utc_iso(now)),
            ).rowcount
        return str(row[0]) if inserted else None

    def set_consent(
        self, user_id: int, code: str, share: bool, *, shown_name: str | None, now: datetime
    ) -> bool:
        """Record yes or no; False when the advisor no longer exists. A yes turned into a no
        leaves an anonymous mark for the advisor's digest."""
        stamp = utc_iso(now)
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM advisors WHERE code = ?", (code,)).fetchone() is None:
                return False
            self._ensure_user(conn, user_id, now)
            prior = conn.execute(
                "SELECT status, shown_name FROM advisor_shares WHERE user_id = ? AND code = ?",
                (user_id, code),
            ).fetchone()
            if not share and prior is not None and prior[0] == "yes":
                conn.execute("INSERT INTO advisor_stops (code, stopped_at) VALUES (?, ?)",
                             (code, stamp))  # fmt: skip
            name = None
            if share:
                kept = prior[1] if prior is not None else None
                name = clean_name(kept or shown_name or "") or "?"
            conn.execute(
                "INSERT INTO advisor_shares (user_id, code, status, shown_name, changed_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, code) DO UPDATE SET"
                " status = excluded.status, shown_name = excluded.shown_name,"
                " changed_at = excluded.changed_at",
                (user_id, code, "yes" if share else "no", name, stamp),
            )
        return True

    def consents(self, user_id: int) -> list[Consent]:
        with self.reading() as conn:
            rows = conn.execute(
                "SELECT s.code, a.label, s.status, s.shown_name FROM advisor_shares AS s"
                " JOIN advisors AS a ON a.code = s.code WHERE s.user_id = ? ORDER BY s.id",
                (user_id,),
            ).fetchall()
        return [Consent(str(c), str(label), str(st), name) for c, label, st, name in rows]

    def set_shown_name(self, user_id: int, name: str) -> int:
        """The name shown to every advisor the candidate shares with; returns how many."""
        with self.transaction() as conn:
            return conn.execute(
                "UPDATE advisor_shares SET shown_name = ? WHERE user_id = ? AND status = 'yes'",
                (clean_name(name) or "?", user_id),
            ).rowcount

    def record_stops(self, conn: sqlite3.Connection, user_id: int, now: datetime) -> None:
        """Inside `forget_user`: each advisor the user shared with sees one anonymous stop."""
        conn.execute(
            "INSERT INTO advisor_stops (code, stopped_at) SELECT code, ? FROM advisor_shares"
            " WHERE user_id = ? AND status = 'yes'",
            (utc_iso(now), user_id),
        )

    # -- the advisor's side ------------------------------------------------------------------
    def shared_candidates(
        self, code: str, *, today: date, offset: int, limit: int
    ) -> tuple[int, list[SharedCandidate]]:
        """(how many share, one page sorted by urgency): open windows closing first, then
        dates already passed, then those who hold every CCP, then those with no CCP yet."""
        with self.reading() as conn:
            total = conn.execute(
                "SELECT COUNT(*) FROM advisor_shares WHERE code = ? AND status = 'yes'", (code,)
            ).fetchone()[0]
            rows = conn.execute(
                "SELECT s.id, s.user_id, s.shown_name FROM advisor_shares AS s"
                " LEFT JOIN tracking AS t ON t.user_id = s.user_id"
                " WHERE s.code = ? AND s.status = 'yes'"
                " ORDER BY CASE WHEN t.closes_on IS NULL THEN 3 WHEN t.complete THEN 2"
                " WHEN t.closes_on < ? THEN 1 ELSE 0 END, t.closes_on, s.id LIMIT ? OFFSET ?",
                (code, today.isoformat(), limit, offset),
            ).fetchall()
            declared = self._declared_many(conn, [int(r[1]) for r in rows])
        return int(total), [
            SharedCandidate(int(sid), str(name or "?"), declared[int(uid)])
            for sid, uid, name in rows
        ]

    def shared_candidate(self, code: str, share_id: int) -> SharedCandidate | None:
        """One candidate of this advisor, only while they share (else None)."""
        with self.reading() as conn:
            row = conn.execute(
                "SELECT user_id, shown_name FROM advisor_shares"
                " WHERE id = ? AND code = ? AND status = 'yes'",
                (share_id, code),
            ).fetchone()
            if row is None:
                return None
            declared = self._declared(conn, int(row[0]))
        return SharedCandidate(share_id, str(row[1] or "?"), declared)

    def _declared_many(
        self, conn: sqlite3.Connection, users: list[int]
    ) -> dict[int, dict[int, date]]:
        declared: dict[int, dict[int, date]] = {uid: {} for uid in users}
        for uid, ccp, obtained in conn.execute(
            "SELECT user_id, ccp, obtained FROM declarations"
            " WHERE user_id IN (SELECT value FROM json_each(?)) ORDER BY user_id, ccp",
            (json.dumps(users),),
        ):
            declared[int(uid)][int(ccp)] = date.fromisoformat(obtained)
        return declared

    def digest_enabled(self, advisor_user_id: int) -> bool:
        with self.reading() as conn:
            row = conn.execute(
                "SELECT digest FROM advisors WHERE advisor_user_id = ?", (advisor_user_id,)
            ).fetchone()
        return bool(row[0]) if row is not None else False

    def set_digest_enabled(self, advisor_user_id: int, enabled: bool) -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE advisors SET digest = ? WHERE advisor_user_id = ?",
                         (int(enabled), advisor_user_id))  # fmt: skip

    # -- the weekly digest -------------------------------------------------------------------
    def digest_targets(self) -> list[DigestTarget]:
        """Advisors with the digest on, at least one consenting candidate, and who talk to
        the bot (a users row, active): only they can receive a message."""
        with self.reading() as conn:
            rows = conn.execute(
                "SELECT a.advisor_user_id, a.code, u.lang FROM advisors AS a"
                " JOIN users AS u ON u.user_id = a.advisor_user_id"
                " WHERE a.digest = 1 AND u.active = 1 AND EXISTS (SELECT 1 FROM advisor_shares"
                " AS s WHERE s.code = a.code AND s.status = 'yes') ORDER BY a.advisor_user_id"
            ).fetchall()
        return [DigestTarget(int(uid), str(code), as_lang(lang)) for uid, code, lang in rows]

    def digest_facts(self, code: str, *, since: datetime, today: date) -> DigestFacts:
        start = utc_iso(since)
        soon_until = add_months(today, SOON_MONTHS).isoformat()
        with self.reading() as conn:
            sharing, soon = conn.execute(
                "SELECT COUNT(*), SUM(t.complete = 0 AND t.closes_on >= ? AND t.closes_on <= ?)"
                " FROM advisor_shares AS s LEFT JOIN tracking AS t ON t.user_id = s.user_id"
                " WHERE s.code = ? AND s.status = 'yes'",
                (today.isoformat(), soon_until, code),
            ).fetchone()
            steps = conn.execute(
                "SELECT s.shown_name, r.step FROM reminder_log AS r JOIN advisor_shares AS s"
                " ON s.user_id = r.user_id WHERE s.code = ? AND s.status = 'yes'"
                " AND r.status = 'sent' AND r.sent_at >= ? ORDER BY r.sent_at, s.id",
                (code, start),
            ).fetchall()
            declared: dict[str, list[int]] = {}
            for name, ccp in conn.execute(
                "SELECT s.shown_name, d.ccp FROM declarations AS d JOIN advisor_shares AS s"
                " ON s.user_id = d.user_id WHERE s.code = ? AND s.status = 'yes'"
                " AND d.declared_at >= ? ORDER BY s.id, d.ccp",
                (code, start),
            ):
                declared.setdefault(str(name or "?"), []).append(int(ccp))
            stopped = conn.execute(
                "SELECT COUNT(*) FROM advisor_stops WHERE code = ? AND stopped_at >= ?",
                (code, start),
            ).fetchone()[0]
        return DigestFacts(
            sharing=int(sharing),
            soon=int(soon or 0),
            steps=[(str(n or "?"), str(step)) for n, step in steps],
            declared=list(declared.items()),
            stopped=int(stopped),
        )

    def claim_digest(
        self, advisor_user_id: int, week: str, *, owner: str, now: datetime,
        lease_seconds: float = 300,
    ) -> bool:
        return self._claim(DIGEST_LOG, (advisor_user_id, week), owner=owner, now=now,
                           lease_seconds=lease_seconds)  # fmt: skip

    def finish_digest(self, advisor_user_id: int, week: str, status: str, *, now: datetime) -> None:
        with self.transaction() as conn:
            self._finish(conn, DIGEST_LOG, (advisor_user_id, week), status, now)

    def digest_status(self, advisor_user_id: int, week: str) -> str | None:
        with self.reading() as conn:
            row = conn.execute("SELECT status FROM digest_log WHERE user_id = ? AND week = ?",
                               (advisor_user_id, week)).fetchone()  # fmt: skip
        return None if row is None else str(row[0])
