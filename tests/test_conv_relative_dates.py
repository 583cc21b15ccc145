"""Relative words in a date prompt are read, or refused with the right reason (issue 11)."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.declared_dates import DateRefused, parse_declared_date
from tests.conv_support import Launch, texts

TODAY = date(2026, 11, 29)  # conv_support's clock
EARLIEST = date(2003, 12, 18)


@pytest.mark.parametrize(("word", "day"), [("demain", 30), ("tomorrow", 30), ("après-demain", 1)])
def test_tomorrow_is_refused_as_in_the_future(word: str, day: int) -> None:
    with pytest.raises(DateRefused) as refused:
        parse_declared_date(word, today=TODAY, earliest=EARLIEST)
    assert refused.value.reason == "future"
    assert refused.value.parsed is not None and refused.value.parsed.day == day


def test_yesterday_is_read() -> None:
    assert parse_declared_date("hier", today=TODAY, earliest=EARLIEST) == date(2026, 11, 28)


async def test_deadline_tomorrow_says_future_not_goodbye(launch: Launch) -> None:
    async with launch(user_id=77) as b:
        shown = texts(await b.send("/delai demain"))
        assert "Le 30 novembre 2026 est dans le futur" in shown
        assert "revoir" not in shown.lower()
        prompt = texts(await b.send("/delai"))
        assert "premier CCP" in prompt
        assert "est dans le futur" in texts(await b.send("demain"))


async def test_declaring_tomorrow_says_future(launch: Launch) -> None:
    async with launch(user_id=78) as b:
        shown = texts(await b.send("/declarer 1 demain"))
        assert "est dans le futur" in shown
        assert b.declared(78) == {}


@pytest.mark.parametrize("text", ["le mois dernier", "mars 2022", "il y a deux ans", "last month"])
def test_a_month_or_a_relative_period_is_refused_for_not_giving_the_day(text: str) -> None:
    with pytest.raises(DateRefused) as refused:
        parse_declared_date(text, today=date(2026, 12, 5), earliest=date(2003, 12, 9))
    assert refused.value.reason == "imprecise"
