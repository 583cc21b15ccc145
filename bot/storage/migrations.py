"""Schema versions of the bot's SQLite file, applied in order.

The version lives in `PRAGMA user_version`. Each migration runs in its own `BEGIN IMMEDIATE`
transaction together with the version bump, so a crash leaves the file at the previous version
and two processes opening the same file never apply a migration twice. Never edit a published
migration's effect: append a new one.

Plain tables, columns and indexes are made with sqlite-utils (`create_table`, `add_column`,
`create_index`); a table with what sqlite-utils cannot say — a CHECK, ON DELETE CASCADE, a
UNIQUE constraint, AUTOINCREMENT — or a partial index is written in SQL. Imports nothing of
the project.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlite_utils import Database


class SchemaTooNew(RuntimeError):
    """The file was written by a newer version of the bot: refuse rather than damage it."""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    apply: Callable[[Database], None]


_V1_SQL = """
CREATE TABLE declarations (
    user_id INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    ccp INTEGER NOT NULL,
    obtained TEXT NOT NULL,
    declared_at TEXT NOT NULL,
    PRIMARY KEY (user_id, ccp)
);
"""


def _run_script(db: Database, script: str) -> None:
    """Run DDL statement by statement through sqlite-utils (executescript would COMMIT)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _v1_users_declarations(db: Database) -> None:
    """Users and their declared CCPs: the data a user must never lose."""
    db.create_table(
        "users",
        {"user_id": int, "lang": str, "first_seen": str, "last_seen": str, "referral": str,
         "reminders_enabled": int, "snoozed_until": str, "active": int, "blocked_at": str},
        pk="user_id",
        not_null={"first_seen", "last_seen", "reminders_enabled", "active"},
        defaults={"reminders_enabled": 1, "active": 1},
    )  # fmt: skip
    _run_script(db, _V1_SQL)


_V2_SQL = """
CREATE TABLE tracking (
    user_id INTEGER PRIMARY KEY REFERENCES users(user_id) ON DELETE CASCADE,
    closes_on TEXT NOT NULL,
    complete INTEGER NOT NULL DEFAULT 0,
    next_reminder_on TEXT,
    last_step TEXT
);
CREATE INDEX tracking_due ON tracking(next_reminder_on, user_id);
CREATE TABLE reminder_log (
    user_id INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    closes_on TEXT NOT NULL,
    step TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'failed', 'blocked')),
    owner TEXT,
    claimed_at TEXT,
    sent_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    UNIQUE (user_id, closes_on, step)
);
CREATE TABLE advisors (
    code TEXT PRIMARY KEY,
    advisor_user_id INTEGER NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE questions (
    id INTEGER PRIMARY KEY,
    asked_at TEXT NOT NULL,
    topic TEXT,
    status TEXT NOT NULL,
    text TEXT CHECK (text IS NULL OR status IN ('clarify', 'fallback'))
);
CREATE TABLE announcement_log (
    announcement_id INTEGER NOT NULL REFERENCES announcements(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'failed', 'blocked')),
    owner TEXT,
    claimed_at TEXT,
    sent_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    UNIQUE (announcement_id, user_id)
);
CREATE TABLE ptb_callback_data (id INTEGER PRIMARY KEY CHECK (id = 1), data BLOB NOT NULL);
"""


def _v2_reminders_operations(db: Database) -> None:
    """Reminder tracking and delivery log, advisors, anonymous questions and counters,
    announcements, and python-telegram-bot persistence."""
    _run_script(db, _V2_SQL)
    users = db.table("users")
    users.create_index(["referral"], index_name="users_referral")
    users.create_index(["last_seen"], index_name="users_last_seen")
    db.table("questions").create_index(["asked_at"], index_name="questions_asked_at")
    db.create_table("counters", {"day": str, "kind": str, "key": str, "n": int},
                    pk=("day", "kind", "key"), not_null={"day", "kind", "key", "n"},
                    defaults={"n": 0})  # fmt: skip
    db.create_table(
        "announcements",
        {"id": int, "text": str, "created_by": int, "created_at": str, "status": str},
        pk="id", not_null={"text", "created_at", "status"}, defaults={"status": "draft"},
    )  # fmt: skip
    db.create_table("meta", {"key": str, "value": str}, pk="key", not_null={"value"})
    if db.table("declarations").count:
        db.table("meta").insert(
            {"key": "retrack", "value": "declarations from v1 need tracking rows"}
        )
    db.create_table("ptb_user_data", {"user_id": int, "data": bytes}, pk="user_id",
                    not_null={"data"})  # fmt: skip
    db.create_table("ptb_chat_data", {"chat_id": int, "data": bytes}, pk="chat_id",
                    not_null={"data"})  # fmt: skip
    db.create_table("ptb_conversations", {"name": str, "key": str, "state": bytes},
                    pk=("name", "key"), not_null={"name", "key", "state"})  # fmt: skip


_V3_SQL = """
CREATE INDEX questions_user ON questions(user_id) WHERE user_id IS NOT NULL;
"""


def _v3_question_authors(db: Database) -> None:
    """A kept question keeps a link to its author, so that /oublier erases it too (rows from
    before have none: they are erased by the retention purge within BOT_UNANSWERED_DAYS)."""
    db.table("questions").add_column("user_id", int)
    _run_script(db, _V3_SQL)


_V4_SQL = """
CREATE INDEX inbox_pending ON inbox (update_id) WHERE data IS NOT NULL;
"""


def _v4_inbox(db: Database) -> None:
    """Updates fetched but not yet handled survive a crash (bot.updates.intake): `user_id`
    says whose update it is (so /oublier can remove a pending one), `data` is the update as
    JSON while pending, NULL once handled."""
    db.create_table("inbox", {"update_id": int, "user_id": int, "data": str, "received_at": str},
                    pk="update_id", not_null={"received_at"})  # fmt: skip
    _run_script(db, _V4_SQL)


_V5_SQL = """
CREATE TABLE advisor_shares (
    id INTEGER PRIMARY KEY,   -- what the advisor's buttons carry, never the user id
    user_id INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    code TEXT NOT NULL REFERENCES advisors(code) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('asked', 'yes', 'no')),
    shown_name TEXT,          -- the name the candidate chose to show (only while 'yes')
    changed_at TEXT NOT NULL,
    UNIQUE (user_id, code)
);
CREATE TABLE advisor_stops (
    code TEXT NOT NULL REFERENCES advisors(code) ON DELETE CASCADE,
    stopped_at TEXT NOT NULL  -- someone stopped sharing: no user id, on purpose
);
CREATE TABLE digest_log (
    user_id INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,  -- the advisor
    week TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'failed', 'blocked')),
    owner TEXT,
    claimed_at TEXT,
    sent_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    UNIQUE (user_id, week)
);
"""


def _v5_advisor_follow_up(db: Database) -> None:
    """Candidates' consent to share their progress with an advisor, anonymous "stopped
    sharing" marks, the advisor's weekly digest switch and its never-twice log (issue 14)."""
    _run_script(db, _V5_SQL)
    db.table("advisor_shares").create_index(["code", "status"], index_name="advisor_shares_code")
    db.table("advisor_stops").create_index(["code", "stopped_at"],
                                           index_name="advisor_stops_code")  # fmt: skip
    db.table("advisors").add_column("digest", int, not_null_default=1)


_V6_SQL = """
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- the order replies are sent in, per chat
    chat_id INTEGER NOT NULL,  -- a private chat's id is the user's id (/oublier deletes them)
    endpoint TEXT NOT NULL,  -- sendMessage, editMessageText...
    payload TEXT NOT NULL,  -- the request's parameters, JSON
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    reason TEXT  -- why the last attempt failed
);
"""


def _v6_outbox(db: Database) -> None:
    """Replies Telegram kept refusing for a transient reason, sent once it is back (issue 12)."""
    _run_script(db, _V6_SQL)
    db.table("outbox").create_index(["chat_id", "id"], index_name="outbox_chat")


def _v7_chosen_name(db: Database) -> None:
    """The name a candidate chose with /pseudo, kept on their own row: it outlives a share
    stopped and started again, and is chosen before any share exists."""
    db.table("users").add_column("shown_name", str)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "users and declarations", _v1_users_declarations),
    Migration(2, "reminders, operations, persistence", _v2_reminders_operations),
    Migration(3, "authors of kept questions", _v3_question_authors),
    Migration(4, "durable inbox of updates", _v4_inbox),
    Migration(5, "advisor follow-up with consent", _v5_advisor_follow_up),
    Migration(6, "outbox of replies kept for later", _v6_outbox),
    Migration(7, "the name a candidate chose to show", _v7_chosen_name),
)
LATEST = MIGRATIONS[-1].version


def schema_version(db: Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: Database, *, target: int = LATEST) -> list[int]:
    """Bring the file up to `target`; return the versions applied (empty when up to date).

    The connection must be in autocommit mode (`isolation_level=None`).
    """
    if schema_version(db) > LATEST:
        raise SchemaTooNew(
            f"database schema v{schema_version(db)} is newer than this code (v{LATEST})"
        )
    applied: list[int] = []
    for migration in MIGRATIONS:
        if migration.version > target:
            break
        if schema_version(db) >= migration.version:
            continue  # up to date: no write lock needed (a busy writer could starve us)
        db.execute("BEGIN IMMEDIATE")
        try:
            # Re-read inside the write lock: another process may have just migrated.
            if schema_version(db) >= migration.version:
                db.execute("ROLLBACK")
                continue
            migration.apply(db)
            db.execute(f"PRAGMA user_version = {int(migration.version)}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        applied.append(migration.version)
    return applied
