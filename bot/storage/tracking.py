"""The bridge from knowledge to storage: a user's declared CCPs → their tracked window.

Storage calls this inside the transaction that changes a declaration, so the indexed
`next_reminder_on` column is always derived from the declared dates, never typed by hand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from bot.storage.values import TrackFn, Tracking
from knowledge.deadline import compute_deadline
from knowledge.model import Titre
from knowledge.reminder_plan import next_reminder_on


def tracker_for(titre: Titre, steps: Sequence[str]) -> TrackFn:
    required = frozenset(c.number for c in titre.ccps)
    steps = tuple(steps)

    def track(declared: Mapping[int, date], today: date) -> Tracking | None:
        if not declared:
            return None
        deadline = compute_deadline(titre.capitalisation, min(declared.values()))
        complete = required <= declared.keys()
        # A prudent target still ahead gets its one "what to check" message after it; one
        # already passed when declared gets none (the confirmation said it all).
        follow_up = deadline.provisional and not deadline.passed(today)
        next_on = None if complete else next_reminder_on(
            deadline.closes_on, steps, today, None, follow_up=follow_up
        )
        return Tracking(closes_on=deadline.closes_on, complete=complete, next_reminder_on=next_on)

    return track
