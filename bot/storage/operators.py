"""What operators and advisors read: statistics, unanswered questions, referrals, backups.

Questions are counted without any user identity; their text is kept only when the bot could not
answer (clarify/fallback), with phone numbers and e-mail addresses removed, linked to its author
(so that `/oublier` erases it) and only for `unanswered_days`. Statistics come from anonymous daily
counters, so they survive both the purge and a user's `/oublier`.
"""

from __future__ import annotations

import secrets
import sqlite3
import unicodedata
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process, utils
from sqlite_utils import Database

from bot.storage.base import StoragePart
from bot.storage.redact import without_contacts
from bot.storage.values import utc_iso
from conversations.services import ReferralCounts

KEPT_TEXT = frozenset({"clarify", "fallback"})
MAX_TEXT = 500
SIMILAR = 85  # token_sort_ratio score from which two questions count as the same one
MAX_UNANSWERED_ROWS = 5000


def question_key(text: str) -> str:
    """Processor for grouping: no accents, lowercase, punctuation removed (rapidfuzz's own)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return str(utils.default_process(plain))


def group_similar(texts: list[str], limit: int) -> list[tuple[str, int]]:
    """Greedy grouping, most frequent phrasing first; each group shows its commonest text."""
    exact: Counter[str] = Counter()
    original: dict[str, Counter[str]] = {}
    for text in texts:
        key = question_key(text)
        if not key:
            continue
        exact[key] += 1
        original.setdefault(key, Counter())[text.strip()] += 1
    heads: list[str] = []
    members: list[list[str]] = []
    for key, _ in exact.most_common():
        match = process.extractOne(
            key, heads, scorer=fuzz.token_sort_ratio, processor=None, score_cutoff=SIMILAR
        )
        if match is None:
            heads.append(key)
            members.append([key])
        else:
            members[match[2]].append(key)
    groups: list[tuple[str, int]] = []
    for keys in members:
        phrasings: Counter[str] = Counter()
        for key in keys:
            phrasings.update(original[key])
        # the commonest phrasing names the group (ties: a fixed, not an arbitrary, choice)
        label = max(phrasings, key=lambda text: (phrasings[text], text))
        groups.append((label, sum(exact[key] for key in keys)))
    groups.sort(key=lambda group: (-group[1], group[0]))
    return groups[:limit]


class OperatorsPart(StoragePart):
    # -- questions --------------------------------------------------------------------------
    def log_question(
        self,
        *,
        topic: str | None,
        status: str,
        text: str | None,
        now: datetime,
        user_id: int | None = None,
    ) -> None:
        kept = without_contacts(text.strip())[:MAX_TEXT] if text and status in KEPT_TEXT else None
        author = user_id if kept else None  # an answered question is only counted
        with self.transaction() as db:
            db.table("questions").insert(
                {"asked_at": utc_iso(now), "topic": topic, "status": status, "text": kept,
                 "user_id": author}
            )  # fmt: skip
            self._bump(db, now, "status", status)
            if topic is not None:
                self._bump(db, now, "topic", topic)
            self._purge(db, now)  # retention holds even if no job ever runs

    def _cutoff(self, now: datetime) -> str:
        return utc_iso(now - timedelta(days=self.unanswered_days))

    def _purge(self, db: Database, now: datetime) -> int:
        return db.execute(
            "DELETE FROM questions WHERE asked_at < ?", (self._cutoff(now),)
        ).rowcount

    def purge_old_questions(self, now: datetime) -> int:
        with self.transaction() as db:
            return self._purge(db, now)

    def unanswered(self, *, now: datetime, limit: int = 50) -> list[tuple[str, int]]:
        self.settle()  # questions just asked are logged in the background
        with self.reading() as db:
            texts = [
                str(row["text"])
                for row in db.table("questions").rows_where(
                    "text IS NOT NULL AND asked_at >= ? AND status IN ('clarify', 'fallback')",
                    [self._cutoff(now)], select="text", order_by="asked_at DESC",
                    limit=MAX_UNANSWERED_ROWS,
                )
            ]
        return group_similar(texts, limit)

    # -- statistics -------------------------------------------------------------------------
    def stats(self, *, now: datetime) -> dict[str, Any]:
        self.settle()  # visits and questions just made are written in the background

        def count(db: Database, sql: str, *params: object) -> int:
            return int(db.execute(sql, params).fetchone()[0] or 0)

        with self.reading() as db:
            total = "SELECT SUM(n) FROM counters WHERE kind = ? AND key = ?"
            statuses = dict(
                db.execute(
                    "SELECT key, SUM(n) FROM counters WHERE kind = 'status' GROUP BY key"
                ).fetchall()
            )
            questions = sum(statuses.values())
            result: dict[str, Any] = {
                "users": count(db, "SELECT COUNT(*) FROM users"),
                "active_7d": count(
                    db,
                    "SELECT COUNT(*) FROM users WHERE last_seen >= ?",
                    utc_iso(now - timedelta(days=7)),
                ),
                "active_30d": count(
                    db,
                    "SELECT COUNT(*) FROM users WHERE last_seen >= ?",
                    utc_iso(now - timedelta(days=30)),
                ),
                "declarations": count(db, "SELECT COUNT(*) FROM declarations"),
                "users_with_declarations": count(
                    db, "SELECT COUNT(DISTINCT user_id) FROM declarations"
                ),
                "reminders_sent": count(db, total, "reminder", "sent"),
                "reminders_failed": count(db, total, "reminder", "failed")
                + count(db, total, "reminder", "blocked"),
                "blocked_users": count(db, "SELECT COUNT(*) FROM users WHERE active = 0"),
                "questions": questions,
                "top_topics": [
                    (str(topic), int(n))
                    for topic, n in db.execute(
                        "SELECT key, SUM(n) AS total FROM counters WHERE kind = 'topic'"
                        " GROUP BY key ORDER BY total DESC, key LIMIT 10"
                    )
                ],
                # no answer at all; a clarification offered choices, so it counts apart
                "unanswered_share": statuses.get("fallback", 0) / questions if questions else 0.0,
                "clarified_share": statuses.get("clarify", 0) / questions if questions else 0.0,
            }
        return result

    # -- advisors ---------------------------------------------------------------------------
    def register_advisor(self, label: str, advisor_user_id: int) -> str:
        """Give an advisor a personal code (same code again if already registered)."""
        with self.transaction() as db:
            advisors = db.table("advisors")
            row = next(advisors.rows_where("advisor_user_id = ?", [advisor_user_id],
                                           select="code"), None)  # fmt: skip
            if row is not None:
                advisors.update(row["code"], {"label": label})
                return str(row["code"])
            code = secrets.token_urlsafe(6)  # 8 characters of [A-Za-z0-9_-]: deep-link safe
            advisors.insert({"code": code, "advisor_user_id": advisor_user_id, "label": label,
                             "created_at": utc_iso(self._now())})  # fmt: skip
            return code

    def remove_advisor(self, code: str) -> str | None:
        """An advisor who leaves: their code stops working, the candidates who shared with
        them share nothing any more, and who came by their link is forgotten (as when the
        advisor erases their own data). Returns their label, None for an unknown code."""
        with self.transaction() as db:
            row = next(db.table("advisors").rows_where("code = ?", [code], select="label"), None)
            if row is None:
                return None
            db.execute("UPDATE users SET referral = NULL WHERE referral = ?", (code,))
            db.table("advisor_shares").delete_where("code = ?", [code])
            db.table("advisor_stops").delete_where("code = ?", [code])
            db.table("advisors").delete_where("code = ?", [code])
        return str(row["label"])

    def advisor_code(self, advisor_user_id: int) -> str | None:
        return self._advisor_column(advisor_user_id, "code")

    def advisor_label(self, advisor_user_id: int) -> str | None:
        """What the advisor is called ("Mme Martin, Afpa Lyon"): printed under their QR code."""
        return self._advisor_column(advisor_user_id, "label")

    def _advisor_column(self, advisor_user_id: int, column: str) -> str | None:
        with self.reading() as db:
            row = next(db.table("advisors").rows_where(
                "advisor_user_id = ?", [advisor_user_id], select=column), None)  # fmt: skip
        return None if row is None else str(row[column])

    def advisors(self) -> list[tuple[str, int, str]]:
        """(code, advisor_user_id, label) for the operator's CLI."""
        with self.reading() as db:
            rows = db.table("advisors").rows_where(
                select="code, advisor_user_id, label", order_by="created_at"
            )
            return [(str(r["code"]), int(r["advisor_user_id"]), str(r["label"])) for r in rows]

    def referral_counts(self, code: str) -> ReferralCounts:
        """Counts only: nothing here can tell the advisor who the candidates are."""
        with self.reading() as db:
            arrived, declared, reminders_on = db.execute(
                "SELECT COUNT(*),"
                " SUM(EXISTS (SELECT 1 FROM declarations AS d WHERE d.user_id = u.user_id)),"
                " SUM(u.reminders_enabled = 1 AND u.active = 1 AND"
                " EXISTS (SELECT 1 FROM declarations AS d WHERE d.user_id = u.user_id))"
                " FROM users AS u WHERE u.referral = ?",
                (code,),
            ).fetchone()
            sharing = db.execute(
                "SELECT COUNT(*) FROM advisor_shares WHERE code = ? AND status = 'yes'", (code,)
            ).fetchone()[0]
        return ReferralCounts(
            int(arrived), int(declared or 0), int(reminders_on or 0), int(sharing)
        )

    # -- backup -----------------------------------------------------------------------------
    def backup(self, path: str | Path) -> None:
        """A consistent copy through SQLite's online backup API, safe while the bot writes.

        The copy is a single file (rollback journal), ready to be copied elsewhere.
        """
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        dest = sqlite3.connect(str(target))
        try:
            if self.path == ":memory:":
                with self.reading() as db:
                    db.conn.backup(dest)
            else:
                # Its own connection: one read snapshot (pages=-1), writers are not blocked.
                source = sqlite3.connect(self.path)
                try:
                    source.backup(dest, pages=-1)
                finally:
                    source.close()
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
