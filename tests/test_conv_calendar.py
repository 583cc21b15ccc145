"""The calendar file from /mesccp and /rappels too, checked with a second, independent
iCalendar parser (vobject): future alarms only, a short description that stays true, a link
back to the bot."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
import vobject  # type: ignore[import-untyped]

from tests.conv_support import NOW, Launch, buttons_of, text_of

USER = 4242
BUTTON = "Ajouter à mon agenda"


def parsed_event(data: bytes) -> object:
    cal = vobject.readOne(data.decode("utf-8"))
    assert cal.version.value == "2.0"
    [event] = cal.vevent_list
    return event


@pytest.mark.parametrize("command", ["/mesccp", "/rappels"])
async def test_calendar_from_my_ccps_and_reminders(launch: Launch, command: str) -> None:
    async with launch(user_id=USER) as b:
        await b.send("/declarer 1 12/03/2022")  # window to 12 March 2027
        shown = await b.send(command)
        owner = next(m for m in shown if BUTTON in buttons_of(m))
        [document] = await b.press(owner, BUTTON)
        data = b.files[document["document"]["file_name"]]
    event = parsed_event(data)
    assert event.dtstart.value == date(2027, 3, 12)  # type: ignore[attr-defined]
    description = event.description.value  # type: ignore[attr-defined]
    assert len(description) <= 300
    assert "https://t.me/tsgri_test_bot?start=delai" in description
    assert "12 mars 2022" in description  # the rule in a few words: from the first CCP
    # a prudent date of the rule in force (first CCP after 2016): never a closing day
    assert "ferm" not in description and "Dernier jour" not in description
    # the rule in force in a few words, both ways (a tester read « may give you more time »
    # where a titre closing first would give less)
    assert "selon la règle en vigueur, vos CCP comptent tant que le titre est valide" in description
    assert "Date à viser" in str(event.summary.value)  # type: ignore[attr-defined]
    assert re.search(r"\d+\s*jours?\b|il reste", description) is None  # no frozen day count
    start = datetime.combine(date(2027, 3, 12), datetime.min.time())
    alarms = event.contents["valarm"]  # type: ignore[attr-defined]
    ringing = sorted(start + a.trigger.value for a in alarms)
    assert ringing, "the steps still to come have alarms"
    assert all(at > NOW.replace(tzinfo=None) for at in ringing)  # none already past
    assert datetime(2026, 3, 12, 9, 0) not in ringing  # the 12-month step, passed
    assert ringing[-1] == datetime(2027, 3, 11, 9, 0)  # the day before


async def test_no_calendar_button_before_a_ccp_is_declared(launch: Launch) -> None:
    async with launch(user_id=USER) as b:
        shown = await b.send("/rappels")
        assert all(BUTTON not in buttons_of(m) for m in shown)


def test_timedelta_triggers_are_relative_to_the_start() -> None:
    assert timedelta(days=-1, hours=9) == datetime(2027, 3, 11, 9) - datetime(2027, 3, 12)


@pytest.mark.parametrize("command", ["/mesccp", "/rappels"])
async def test_no_calendar_event_for_a_day_already_gone(launch: Launch, command: str) -> None:
    """A tester got a .ics for 22 March 2024 in December 2026: a past date to aim for is not
    offered; an old button says why instead of sending a useless event."""
    async with launch(user_id=USER) as b:
        await b.send("/declarer 1 22/03/2019")  # prudent date 22 March 2024: gone
        shown = await b.send(command)
        assert all(BUTTON not in buttons_of(m) for m in shown)
        [said] = await b.press_data("rem:ics", chat_id=USER, user_id=USER)
        assert "Le 22 mars 2024 est passé" in text_of(said)
        assert not any(name.endswith(".ics") for name in b.files)


async def test_reminders_say_why_none_is_left_after_a_prudent_date(launch: Launch) -> None:
    async with launch(user_id=USER) as b:
        await b.send("/declarer 1 22/03/2019")
        [settings, *_] = await b.send("/rappels")
        said = text_of(settings)
        assert "la date prudente (22 mars 2024) est passée" in said
        assert "vos CCP peuvent encore compter" in said
