"""Everything stored about one person, read back (`/mesdonnees`) or erased (`/oublier`).

`USER_ROWS` names every table that holds a user's id; a new such table must be added there
(tests scan every column of every table for the id after forgetting). Forgetting an advisor
keeps their candidates but cuts the link; forgetting a candidate who shared their progress
leaves each advisor one anonymous "someone stopped sharing" mark.
"""

from __future__ import annotations

from typing import Any

from bot.storage.advisors import AdvisorsPart
from bot.storage.values import jsonable, load_blob

# Every row about a user, table by table: (table, WHERE clause with one `?` for the id).
USER_ROWS: tuple[tuple[str, str], ...] = (
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


class PrivacyPart(AdvisorsPart):
    def export_user(self, user_id: int) -> dict[str, Any]:
        """Everything stored about the user, JSON-ready (`/mesdonnees`)."""
        self.settle()
        export: dict[str, Any] = {"user_id": user_id}
        with self.reading() as db:
            for table, where in USER_ROWS:
                rows = list(db.table(table).rows_where(where, [user_id]))
                for row in rows:  # decode PTB blobs into what the bot actually kept
                    for column in ("data", "state"):
                        if isinstance(row.get(column), bytes):
                            row[column] = load_blob(row[column])
                    if table == "ptb_conversations":
                        row["key"] = jsonable(row["key"])
                export[table] = jsonable(rows)
            export["announcements_created"] = jsonable(list(db.table("announcements").rows_where(
                "created_by = ?", [user_id], select="id, created_at, status"
            )))  # fmt: skip
        return export

    def forget_user(self, user_id: int) -> None:
        """Delete every row holding the user's id, then make sure the bytes leave the file:
        `secure_delete` zeroes freed content and a TRUNCATE checkpoint empties the WAL."""
        self.settle()
        with self.transaction() as db:
            codes = [row["code"] for row in db.table("advisors").rows_where(
                "advisor_user_id = ?", [user_id], select="code")]  # fmt: skip
            for code in codes:  # the candidates stay; the link to a forgotten advisor goes
                db.execute("UPDATE users SET referral = NULL WHERE referral = ?", (code,))
                db.table("advisor_shares").delete_where("code = ?", [code])
                db.table("advisor_stops").delete_where("code = ?", [code])
            self.record_stops(db, user_id, self._now())  # "someone stopped sharing"
            db.table("announcements").delete_where(  # never sent: only its author saw that text
                "created_by = ? AND status IN ('draft', 'cancelled') AND NOT EXISTS"
                " (SELECT 1 FROM announcement_log WHERE announcement_id = id)",
                [user_id],
            )
            db.execute(
                "UPDATE announcements SET created_by = NULL WHERE created_by = ?", (user_id,)
            )
            for table, where in USER_ROWS:
                db.table(table).delete_where(where, [user_id])
            db.table("inbox").delete_where("user_id = ?", [user_id])  # pending: not exported
        self.checkpoint()
