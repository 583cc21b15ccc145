"""Reminder steps before the closing day (knowledge/reminder_plan.py), with time travel."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

import pytest

from knowledge.reminder_plan import (
    CHECK_STEP,
    StepError,
    due_step,
    next_reminder_on,
    parse_steps,
    step_date,
)

DEFAULT = parse_steps("12m,6m,3m,1m,2w,1w,1d")
CLOSES = date(2027, 3, 12)


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(n) for n in range((end - start).days + 1)]


# --- parsing --------------------------------------------------------------------------------


def test_parse_default_steps_farthest_first() -> None:
    assert DEFAULT == ("12m", "6m", "3m", "1m", "2w", "1w", "1d")
    assert parse_steps(" 1d ; 2W, 1y,\t03 m ") == ("1y", "3m", "2w", "1d")
    assert parse_steps("0d") == ("0d",)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "no reminder step given"),
        ("12m,3x", "'3x' is not a step"),
        ("1 month", "'1 month' is not a step"),
        ("1m 2w", "'1m 2w' is not a step"),
        ("1m,1M", "given twice"),
        ("11y", "more than ten years"),
    ],
)
def test_parse_errors_say_what_to_write(spec: str, message: str) -> None:
    with pytest.raises(StepError) as error:
        parse_steps(spec)
    assert message in str(error.value)
    if "not a step" in message:
        assert "d (days), w (weeks), m (months), y (years)" in str(error.value)


# --- dates of steps -------------------------------------------------------------------------


def test_step_dates() -> None:
    assert [step_date(CLOSES, s) for s in DEFAULT] == [
        date(2026, 3, 12),
        date(2026, 9, 12),
        date(2026, 12, 12),
        date(2027, 2, 12),
        date(2027, 2, 26),
        date(2027, 3, 5),
        date(2027, 3, 11),
    ]
    assert step_date(CLOSES, "0d") == CLOSES


def test_month_steps_clamp_to_month_end() -> None:
    assert step_date(date(2027, 3, 31), "1m") == date(2027, 2, 28)
    assert step_date(date(2028, 3, 31), "1m") == date(2028, 2, 29)
    assert step_date(date(2027, 5, 31), "3m") == date(2027, 2, 28)
    assert step_date(date(2028, 2, 29), "12m") == date(2027, 2, 28)
    assert step_date(date(2028, 2, 29), "1y") == date(2027, 2, 28)
    assert step_date(date(2029, 2, 28), "1d") == date(2029, 2, 27)


# --- what is due ----------------------------------------------------------------------------


def test_nothing_before_the_first_step() -> None:
    assert due_step(CLOSES, DEFAULT, date(2026, 3, 11), None) is None
    assert due_step(CLOSES, DEFAULT, date(2026, 3, 12), None) == "12m"
    assert due_step(CLOSES, DEFAULT, date(2026, 3, 13), "12m") is None


def test_after_downtime_only_the_latest_missed_step() -> None:
    # Last sent 12m; the bot was down from before 6m until after 1m.
    assert due_step(CLOSES, DEFAULT, date(2027, 2, 20), "12m") == "1m"
    assert due_step(CLOSES, DEFAULT, date(2027, 2, 20), "1m") is None


def test_closing_day_and_after() -> None:
    # A missed "1d" still goes out on the closing day: the window is open until its evening.
    assert due_step(CLOSES, DEFAULT, CLOSES, "1w") == "1d"
    assert due_step(CLOSES, DEFAULT, CLOSES, "1d") is None
    assert due_step(CLOSES, DEFAULT, CLOSES + timedelta(1), "1w") is None
    assert due_step(CLOSES, DEFAULT, CLOSES + timedelta(1), None) is None
    assert next_reminder_on(CLOSES, DEFAULT, CLOSES + timedelta(1), None) is None


def test_last_sent_step_no_longer_configured_is_compared_by_date() -> None:
    # Sent "2m" under an older configuration: "3m" is earlier, so only "1m" comes next.
    assert due_step(CLOSES, DEFAULT, date(2027, 1, 20), "2m") is None
    assert due_step(CLOSES, DEFAULT, date(2027, 2, 12), "2m") == "1m"
    assert next_reminder_on(CLOSES, DEFAULT, date(2027, 1, 20), "2m") == date(2027, 2, 12)


def test_a_late_declaration_gets_the_current_step_only() -> None:
    # Declared with 2 months left: one reminder now (3m), then 1m, not 12m/6m/3m at once.
    assert due_step(CLOSES, DEFAULT, date(2027, 1, 12), None) == "3m"


def simulate(
    closes_on: date, start: date, end: date, down: Collection[date] = ()
) -> list[tuple[date, str]]:
    """A daily run from `start` to `end`, skipping the `down` days; what it sends."""
    sent: list[tuple[date, str]] = []
    last: str | None = None
    for today in days(start, end):
        expected_next = next_reminder_on(closes_on, DEFAULT, today, last)
        step = None if today in down else due_step(closes_on, DEFAULT, today, last)
        if step is not None:
            assert expected_next == today
            sent.append((today, step))
            last = step
    return sent


def test_a_year_of_daily_runs_sends_each_step_once_on_its_day() -> None:
    sent = simulate(CLOSES, date(2026, 1, 1), date(2027, 6, 1))
    assert sent == [(step_date(CLOSES, s), s) for s in DEFAULT]


def test_a_week_of_downtime_sends_one_late_step_and_loses_nothing_after() -> None:
    down = set(days(date(2027, 2, 10), date(2027, 3, 1)))  # misses 1m and 2w
    sent = simulate(CLOSES, date(2026, 1, 1), date(2027, 6, 1), down)
    assert sent == [
        (date(2026, 3, 12), "12m"),
        (date(2026, 9, 12), "6m"),
        (date(2026, 12, 12), "3m"),
        (date(2027, 3, 2), "2w"),  # back up: only the latest missed step
        (date(2027, 3, 5), "1w"),
        (date(2027, 3, 11), "1d"),
    ]


@pytest.mark.parametrize("closes_on", [date(2028, 2, 29), date(2027, 3, 31), date(2027, 1, 1)])
def test_next_reminder_on_is_the_first_due_day(closes_on: date) -> None:
    """For every day and every last-sent step, the indexed date is exactly the next due day."""
    all_days = days(closes_on - timedelta(days=400), closes_on + timedelta(2))
    for last in (None, *DEFAULT):
        due = [due_step(closes_on, DEFAULT, d, last) is not None for d in all_days]
        expected: date | None = None
        for today, is_due in reversed(list(zip(all_days, due, strict=True))):
            expected = today if is_due else expected
            assert next_reminder_on(closes_on, DEFAULT, today, last) == expected


# --- a prudent target (issue 10): one message after it, saying what to check, then nothing --


def run_days(follow_up: bool, start: date, end: date) -> list[tuple[date, str]]:
    """Every day from `start` to `end`: what is sent, as the daily run would send it."""
    sent: list[tuple[date, str]] = []
    last: str | None = None
    planned = next_reminder_on(CLOSES, DEFAULT, start, None, follow_up=follow_up)
    for day in days(start, end):
        if planned is None or day < planned:
            continue
        step = due_step(CLOSES, DEFAULT, day, last, follow_up=follow_up)
        if step is not None:
            sent.append((day, step))
            last = step
        planned = next_reminder_on(CLOSES, DEFAULT, day, last, follow_up=follow_up)
    return sent


def test_after_a_prudent_target_one_check_then_nothing() -> None:
    sent = run_days(True, date(2027, 2, 1), date(2028, 12, 31))
    assert sent == [
        (date(2027, 2, 1), "3m"),  # missed before the start: the latest one goes at once
        (date(2027, 2, 12), "1m"), (date(2027, 2, 26), "2w"), (date(2027, 3, 5), "1w"),
        (date(2027, 3, 11), "1d"), (date(2027, 3, 13), CHECK_STEP),
    ]
    assert step_date(CLOSES, CHECK_STEP) == date(2027, 3, 13)


def test_a_firm_date_sends_nothing_after_it() -> None:
    sent = run_days(False, date(2027, 2, 1), date(2028, 12, 31))
    assert sent[-1] == (date(2027, 3, 11), "1d")


def test_after_downtime_across_the_target_only_the_check_goes() -> None:
    assert due_step(CLOSES, DEFAULT, date(2027, 4, 20), "1m", follow_up=True) == CHECK_STEP
    assert due_step(CLOSES, DEFAULT, date(2027, 4, 20), CHECK_STEP, follow_up=True) is None
    assert next_reminder_on(CLOSES, DEFAULT, date(2027, 4, 21), CHECK_STEP, follow_up=True) \
        is None
    assert due_step(CLOSES, DEFAULT, date(2027, 4, 20), "1m") is None
