"""Consented follow-up: which candidates share their progress with which advisor (issue 14).

A candidate who came through an advisor's link (or typed the code) is asked once; the answer
is one row of `advisor_shares` ('asked', 'yes', 'no'). An advisor reads only 'yes' rows of
their own code, and only what the candidate agreed to: the name they chose to show, their CCP
dates and the window computed from them (the `tracking` row). Buttons carry the row's `id`,
never a Telegram id. Saying no, or `/oublier`, leaves an anonymous mark in `advisor_stops`
(the digest says "someone stopped sharing", never who). The weekly digest is claimed in
`digest_log` with the same never-twice mechanism as reminders (`bot.storage.delivery`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlite_utils import Database

from bot.storage.base import StoragePart
from bot.storage.values import as_lang, utc_iso
from conversations.services import Consent, SharedCandidate
from knowledge.deadline import add_months
from knowledge.model import Lang

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


class AdvisorsPart(StoragePart):
    # -- the candidate's side ----------------------------------------------------------------
    def offer_consent(self, user_id: int, code: str, *, now: datetime) -> str | None:
        """The advisor's label when the candidate must be asked now (first time for this
        code), else None. The code also counts as their referral if they had none."""
        code = code.removeprefix("ref-")
        with self.transaction() as db:
            advisor = next(db.table("advisors").rows_where(
                "code = ?", [code], select="label, advisor_user_id"), None)  # fmt: skip
            if advisor is None or int(advisor["advisor_user_id"]) == user_id:
                return None
            self._ensure_user(db, user_id, now)
            db.execute(
                "UPDATE users SET referral = ? WHERE user_id = ? AND referral IS NULL",
                (code, user_id),
            )
            inserted = db.execute(  # asked once: the row's existence is the answer
                "INSERT INTO advisor_shares (user_id, code, status, changed_at)"
                " VALUES (?, ?, 'asked', ?) ON CONFLICT DO NOTHING",
                (user_id, code, utc_iso(now)),
            ).rowcount
        return str(advisor["label"]) if inserted else None

    def set_consent(
        self, user_id: int, code: str, share: bool, *, shown_name: str | None, now: datetime
    ) -> bool:
        """Record yes or no; False when the advisor no longer exists. A yes turned into a no
        leaves an anonymous mark for the advisor's digest."""
        stamp = utc_iso(now)
        with self.transaction() as db:
            if not db.table("advisors").count_where("code = ?", [code]):
                return False
            self._ensure_user(db, user_id, now)
            shares = db.table("advisor_shares")
            prior = next(shares.rows_where("user_id = ? AND code = ?", [user_id, code],
                                           select="status, shown_name"), None)  # fmt: skip
            if not share and prior is not None and prior["status"] == "yes":
                db.table("advisor_stops").insert({"code": code, "stopped_at": stamp})
            name = None
            if share:  # the name chosen with /pseudo, else the one this share had, else Telegram's
                chosen = db.execute("SELECT shown_name FROM users WHERE user_id = ?",
                                    (user_id,)).fetchone()[0]  # fmt: skip
                kept = prior["shown_name"] if prior is not None else None
                name = clean_name(chosen or kept or shown_name or "") or "?"
            shares.upsert(
                {"user_id": user_id, "code": code, "status": "yes" if share else "no",
                 "shown_name": name, "changed_at": stamp},
                pk=("user_id", "code"),  # the UNIQUE pair; the row keeps its id
            )  # fmt: skip
        return True

    def consents(self, user_id: int) -> list[Consent]:
        with self.reading() as db:
            rows = db.execute(
                "SELECT s.code, a.label, s.status, s.shown_name FROM advisor_shares AS s"
                " JOIN advisors AS a ON a.code = s.code WHERE s.user_id = ? ORDER BY s.id",
                (user_id,),
            ).fetchall()
        return [Consent(str(c), str(label), str(st), name) for c, label, st, name in rows]

    def chosen_name(self, user_id: int) -> str | None:
        """The name chosen with /pseudo, if any."""
        with self.reading() as db:
            row = db.execute("SELECT shown_name FROM users WHERE user_id = ?",
                             (user_id,)).fetchone()  # fmt: skip
        return str(row[0]) if row is not None and row[0] else None

    def set_shown_name(self, user_id: int, name: str, *, now: datetime) -> tuple[str, int]:
        """The name every advisor the candidate shares with sees, now and after any later
        yes; returns it as kept, and how many advisors see it now."""
        shown = clean_name(name) or "?"
        with self.transaction() as db:
            self._ensure_user(db, user_id, now)
            db.execute("UPDATE users SET shown_name = ? WHERE user_id = ?", (shown, user_id))
            seen_by = db.execute(
                "UPDATE advisor_shares SET shown_name = ? WHERE user_id = ? AND status = 'yes'",
                (shown, user_id),
            ).rowcount
        return shown, seen_by

    def record_stops(self, db: Database, user_id: int, now: datetime) -> None:
        """Inside `forget_user`: each advisor the user shared with sees one anonymous stop."""
        db.execute(
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
        with self.reading() as db:
            total = db.execute(
                "SELECT COUNT(*) FROM advisor_shares WHERE code = ? AND status = 'yes'", (code,)
            ).fetchone()[0]
            rows = db.execute(
                "SELECT s.id, s.user_id, s.shown_name FROM advisor_shares AS s"
                " LEFT JOIN tracking AS t ON t.user_id = s.user_id"
                " WHERE s.code = ? AND s.status = 'yes'"
                " ORDER BY CASE WHEN t.closes_on IS NULL THEN 3 WHEN t.complete THEN 2"
                " WHEN t.closes_on < ? THEN 1 ELSE 0 END, t.closes_on, s.id LIMIT ? OFFSET ?",
                (code, today.isoformat(), limit, offset),
            ).fetchall()
            declared = self._declared_many(db, [int(r[1]) for r in rows])
        return int(total), [
            SharedCandidate(int(sid), str(name or "?"), declared[int(uid)])
            for sid, uid, name in rows
        ]

    def shared_candidate(self, code: str, share_id: int) -> SharedCandidate | None:
        """One candidate of this advisor, only while they share (else None)."""
        with self.reading() as db:
            row = next(db.table("advisor_shares").rows_where(
                "id = ? AND code = ? AND status = 'yes'", [share_id, code],
                select="user_id, shown_name",
            ), None)  # fmt: skip
            if row is None:
                return None
            declared = self._declared(db, int(row["user_id"]))
        return SharedCandidate(share_id, str(row["shown_name"] or "?"), declared)

    def digest_enabled(self, advisor_user_id: int) -> bool:
        with self.reading() as db:
            row = next(db.table("advisors").rows_where(
                "advisor_user_id = ?", [advisor_user_id], select="digest"), None)  # fmt: skip
        return bool(row["digest"]) if row is not None else False

    def set_digest_enabled(self, advisor_user_id: int, enabled: bool) -> None:
        with self.transaction() as db:
            db.execute("UPDATE advisors SET digest = ? WHERE advisor_user_id = ?",
                         (int(enabled), advisor_user_id))  # fmt: skip

    # -- the weekly digest -------------------------------------------------------------------
    def digest_targets(self) -> list[DigestTarget]:
        """Advisors with the digest on, at least one consenting candidate, and who talk to
        the bot (a users row, active): only they can receive a message."""
        with self.reading() as db:
            rows = db.execute(
                "SELECT a.advisor_user_id, a.code, u.lang FROM advisors AS a"
                " JOIN users AS u ON u.user_id = a.advisor_user_id"
                " WHERE a.digest = 1 AND u.active = 1 AND EXISTS (SELECT 1 FROM advisor_shares"
                " AS s WHERE s.code = a.code AND s.status = 'yes') ORDER BY a.advisor_user_id"
            ).fetchall()
        return [DigestTarget(int(uid), str(code), as_lang(lang)) for uid, code, lang in rows]

    def digest_facts(self, code: str, *, since: datetime, today: date) -> DigestFacts:
        start = utc_iso(since)
        soon_until = add_months(today, SOON_MONTHS).isoformat()
        with self.reading() as db:
            sharing, soon = db.execute(
                "SELECT COUNT(*), SUM(t.complete = 0 AND t.closes_on >= ? AND t.closes_on <= ?)"
                " FROM advisor_shares AS s LEFT JOIN tracking AS t ON t.user_id = s.user_id"
                " WHERE s.code = ? AND s.status = 'yes'",
                (today.isoformat(), soon_until, code),
            ).fetchone()
            steps = db.execute(
                "SELECT s.shown_name, r.step FROM reminder_log AS r JOIN advisor_shares AS s"
                " ON s.user_id = r.user_id WHERE s.code = ? AND s.status = 'yes'"
                " AND r.status = 'sent' AND r.sent_at >= ? ORDER BY r.sent_at, s.id",
                (code, start),
            ).fetchall()
            declared: dict[str, list[int]] = {}
            for name, ccp in db.execute(
                "SELECT s.shown_name, d.ccp FROM declarations AS d JOIN advisor_shares AS s"
                " ON s.user_id = d.user_id WHERE s.code = ? AND s.status = 'yes'"
                " AND d.declared_at >= ? ORDER BY s.id, d.ccp",
                (code, start),
            ):
                declared.setdefault(str(name or "?"), []).append(int(ccp))
            stopped = db.execute(
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
