"""The bot's SQLite file: one `Storage` class, its parts cut by what they keep.

- `sqlite_file.py`: the file itself — two connections (writing, reading), the writing thread,
  transactions, checkpoints; `migrations.py`: the schema, version by version;
- `users.py`: users, their declared CCPs, the window computed from them, reminder settings;
- `delivery.py`: what the bot sends on its own — due reminders, announcements, digests — and
  the never-twice claims they share;
- `transit.py`: updates received but not handled (inbox), replies not yet delivered (outbox);
- `operators.py`: questions, statistics, advisors' registration and counts, backups;
- `advisors.py`: candidates' consent to share their progress, and the digest's facts;
- `privacy.py`: everything about one person, exported or erased;
- beside `Storage`: `persistence.py` (PTB's conversation state in the same file),
  `threaded.py` (`ThreadedStore`: the dialogues' awaited view, each call on the right thread),
  `tracking.py` (the rule that turns declared dates into a window), `values.py`, `redact.py`.

sqlite-utils does the inserts, upserts, single-table reads and deletes; SQL is written by hand
where it says more (claims, the due-reminder join, counters, statistics), always with `?`
parameters (table and column names come from this code, never from users).

May import `conversations.services` (the types the dialogues see) and `knowledge`; no other
part of `bot`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.storage.advisors import DigestFacts, DigestTarget
from bot.storage.delivery import Announcement, DeliveryPart, default_owner
from bot.storage.operators import OperatorsPart
from bot.storage.privacy import PrivacyPart
from bot.storage.sqlite_file import SqliteFile
from bot.storage.transit import KeptReply, TransitPart
from bot.storage.users import UsersPart
from bot.storage.values import DueReminder, TrackFn, Tracking

__all__ = [
    "Announcement",
    "DigestFacts",
    "DigestTarget",
    "DueReminder",
    "KeptReply",
    "SqliteFile",
    "Storage",
    "TrackFn",
    "Tracking",
    "default_owner",
]


class Storage(UsersPart, PrivacyPart, DeliveryPart, TransitPart, OperatorsPart):
    """Small, parameterised access to the bot's SQLite file (threads: see `SqliteFile`)."""

    def stats(self, *, now: datetime) -> dict[str, Any]:
        """The operators' figures, with the outbox's (replies waiting, lost in 7 days)."""
        return {**super().stats(now=now), **self.outbox_figures(now=now)}
