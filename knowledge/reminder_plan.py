"""When to remind a candidate before their capitalisation window closes (pure date arithmetic).

Steps are short labels counted back from the closing day: "12m" (calendar months), "2w"
(weeks), "1d" (days), "1y" (years); "0d" is the closing day itself. What is due is computed
from the closing date, the steps, today and the last step sent, so it can be recomputed at
any time (after a restart or a week of downtime) and gives the same answer.

Decisions (issue 5):
- A step is due from its date on; after downtime only the latest missed step is due, never a
  burst of the older ones.
- The window is open up to and including `closes_on` (a délai ends at midnight of its last
  day), so a step missed the day before can still go out on the closing day itself. From the
  day after `closes_on`, nothing is due: a reminder about a window already closed helps nobody.
- `last_sent_step` is compared by its date for this `closes_on`, not by its position, so a
  label no longer in the configured steps still works. When the closing date changes (a new
  first CCP declared), the caller should forget `last_sent_step`.
- `follow_up` (issue 10): when `closes_on` is only the prudent target of the rule in force
  (the titre's end of validity unknown), passing it closes nothing; one last message, the
  step `CHECK_STEP`, is due from the day after, saying what to check. Then nothing more.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from types import MappingProxyType
from typing import Final

from knowledge.deadline import add_months

_STEP: Final = re.compile(r"\s*(\d{1,4})\s*([dwmy])\s*", re.IGNORECASE)
_SPLIT: Final = re.compile(r"[,;]")
_APPROX_DAYS: Final = MappingProxyType({"y": 366, "m": 31, "w": 7, "d": 1})
_MAX_DAYS: Final = 3660  # ten years: anything longer is a typo
CHECK_STEP: Final = "check"  # the one message after a prudent target: what to check
_HELP: Final = (
    "write numbers followed by a unit, separated by commas: d (days), w (weeks), "
    "m (months), y (years), e.g. 12m,6m,3m,1m,2w,1w,1d"
)


class StepError(ValueError):
    """A reminder step (configuration) that cannot be read; the message says how to fix it."""


def parse_steps(spec: str) -> tuple[str, ...]:
    """Canonical step labels from "12m,6m,1w,1d", farthest from the closing day first."""
    items = [item.strip() for item in _SPLIT.split(spec) if item.strip()]
    if not items:
        raise StepError(f"no reminder step given: {_HELP}")
    labels: list[str] = []
    for item in items:
        label = _canonical(item)
        if label in labels:
            raise StepError(f"reminder step {item!r} is given twice")
        labels.append(label)
    return tuple(sorted(labels, key=_approx_days, reverse=True))


def _canonical(item: str) -> str:
    match = _STEP.fullmatch(item)
    if match is None:
        raise StepError(f"reminder step {item!r} is not a step: {_HELP}")
    label = f"{int(match[1])}{match[2].lower()}"
    if _approx_days(label) > _MAX_DAYS:
        raise StepError(f"reminder step {item!r} is more than ten years before the closing day")
    return label


def _split(step: str) -> tuple[int, str]:
    match = _STEP.fullmatch(step)
    if match is None:
        raise StepError(f"reminder step {step!r} is not a step: {_HELP}")
    return int(match[1]), match[2].lower()


def _approx_days(step: str) -> int:
    amount, unit = _split(step)
    return amount * _APPROX_DAYS[unit]


def step_date(closes_on: date, step: str) -> date:
    """The day a step falls on: "1m" before 31 March is 28/29 February (month end clamped);
    `CHECK_STEP` falls on the day after `closes_on`."""
    if step == CHECK_STEP:
        return closes_on + timedelta(days=1)
    amount, unit = _split(step)
    if unit == "d":
        return closes_on - timedelta(days=amount)
    if unit == "w":
        return closes_on - timedelta(weeks=amount)
    return add_months(closes_on, -amount * (12 if unit == "y" else 1))


def due_step(
    closes_on: date,
    steps: Sequence[str],
    today: date,
    last_sent_step: str | None,
    *,
    follow_up: bool = False,
) -> str | None:
    """The step to send today, or None: the latest one whose date has come, if it is later
    than the last one sent, while the window is still open (see the module's decisions);
    after a prudent target (`follow_up`), `CHECK_STEP` once."""
    if today > closes_on:
        return CHECK_STEP if follow_up and last_sent_step != CHECK_STEP else None
    after = step_date(closes_on, last_sent_step) if last_sent_step else None
    best: tuple[date, str] | None = None
    for step in steps:
        on = step_date(closes_on, step)
        if on > today or (after is not None and on <= after):
            continue
        if best is None or on > best[0]:
            best = (on, step)
    return best[1] if best else None


def next_reminder_on(
    closes_on: date,
    steps: Sequence[str],
    today: date,
    last_sent_step: str | None,
    *,
    follow_up: bool = False,
) -> date | None:
    """The first day from `today` on when `due_step` will give a step (an indexed column for
    the daily run): `today` when one is due now, None when nothing is left to send."""
    if due_step(closes_on, steps, today, last_sent_step, follow_up=follow_up) is not None:
        return today
    if today > closes_on:
        return None
    after = step_date(closes_on, last_sent_step) if last_sent_step else None
    upcoming = [
        on
        for on in (step_date(closes_on, step) for step in steps)
        if on > today and (after is None or on > after) and on <= closes_on
    ]
    if follow_up and last_sent_step != CHECK_STEP:
        upcoming.append(step_date(closes_on, CHECK_STEP))
    return min(upcoming, default=None)
