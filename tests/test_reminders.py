"""Reminders over a year of simulated days, through the real Storage and the offline Bot API.

Each simulated day runs `run_reminders` once (twice on some days, as a rerun would), except
during a downtime. What is checked is what each user received: which days, which text, which
buttons; nothing twice, nothing missed, only the latest step after downtime, nothing after all
CCPs are declared or after the user stopped reminders.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from telegram import Bot

from bot.config import Settings
from bot.offline import FakeBotApi, Fault, OfflineRequest, buttons_of, text_of
from bot.sending.reminders import Summary, run_reminders, schedule_daily, step_for, steps_from
from bot.storage import Storage
from bot.storage.tracking import tracker_for
from bot.storage.values import DueReminder
from conversations.i18n import Catalogue
from conversations.reminder_message import DECLARE_START, ICS, SNOOZE, STOP
from conversations.services import ReminderSettings
from knowledge.model import Titre
from tests.conv_support import USER, Conv, Launch

PARIS = ZoneInfo("Europe/Paris")
STEPS = steps_from(("12m", "6m", "3m", "1m", "2w", "1w", "1d"))
START = date(2026, 1, 1)
END = date(2027, 1, 15)
DOWN = (date(2026, 12, 24), date(2027, 1, 5))  # the bot is off these days (inclusive)


class Clock:
    def __init__(self) -> None:
        self.day = START

    def now(self) -> datetime:
        return datetime.combine(self.day, time(9, 0), PARIS).astimezone(UTC)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def storage(tmp_path: Path, titre: Titre, clock: Clock) -> Iterator[Storage]:
    store = Storage(tmp_path / "bot.sqlite3", track=tracker_for(titre, STEPS), clock=clock.now)
    yield store
    store.close()


def days(start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


async def run_day(
    storage: Storage, bot: Bot, titre: Titre, catalogue: Catalogue, clock: Clock, day: date
) -> Summary:
    clock.day = day
    return await run_reminders(
        storage, bot, titre=titre, catalogue=catalogue, steps=STEPS, today=day, now=clock.now()
    )


def received(api: FakeBotApi, chat_id: int) -> list[tuple[date, str, list[str]]]:
    """(day, text, buttons) of each reminder the user received; the day comes from the
    simulated date stamped on the message."""
    out = []
    for message in api.visible(chat_id):
        day = datetime.fromtimestamp(message["date"], PARIS).date()
        out.append((day, text_of(message), buttons_of(message)))
    return out


async def test_a_year_of_daily_runs(
    storage: Storage, titre: Titre, catalogue: Catalogue, clock: Clock
) -> None:
    api = FakeBotApi(clock=lambda: clock.now().timestamp())
    bot = Bot("1000:offline-token-for-the-console-and-tests-000000", request=OfflineRequest(api))
    now = clock.now()
    # A: one CCP, window closes 2027-01-10: every step falls inside the simulated year.
    storage.declare(101, 1, date(2022, 1, 10), now=now)
    # B: window closes 2026-09-01: its 12m step is already past on day one (sent at once).
    storage.declare(102, 2, date(2021, 9, 1), now=now)
    # C: will declare the remaining CCPs in March.
    storage.declare(103, 1, date(2021, 11, 15), now=now)
    # D: will stop reminders in April (closes 2026-11-20).
    storage.declare(104, 1, date(2021, 11, 20), now=now)
    # E: window closes in 2030: nothing is due this year.
    storage.declare(105, 1, date(2025, 3, 1), now=now)
    # F: blocked the bot: tried once, then never again.
    storage.declare(106, 1, date(2021, 11, 15), now=now)
    api.faults[106] = Fault.blocked()
    storage.set_user_lang(101, "en")

    second_runs = []
    for day in days(START, END):
        if DOWN[0] <= day <= DOWN[1]:
            continue
        if day == date(2026, 3, 20):
            clock.day = day
            storage.declare(103, 2, date(2026, 3, 1), now=clock.now())
            storage.declare(103, 3, date(2026, 3, 15), now=clock.now())
        if day == date(2026, 4, 2):
            storage.set_reminders_enabled(104, False)
        await run_day(storage, bot, titre, catalogue, clock, day)
        if day.day in (1, 10, 15):  # a rerun the same day sends nothing
            second_runs.append(await run_day(storage, bot, titre, catalogue, clock, day))

    assert all(s.sent == 0 and s.due == 0 for s in second_runs)

    a = received(api, 101)
    # 2w (27 Dec) and 1w (3 Jan) fell in the downtime: only the latest, 1w, goes on 6 Jan.
    assert [d for d, _, _ in a] == [
        date(2026, 1, 10), date(2026, 7, 10), date(2026, 10, 10), date(2026, 12, 10),
        date(2027, 1, 6), date(2027, 1, 9), date(2027, 1, 11),
    ]
    _, first_text, first_buttons = a[0]
    assert "365 days left" in first_text
    assert "CCP 2" in first_text and "CCP 3" in first_text and "CCP 1 —" not in first_text
    assert titre.ccps[1].title.get("en") in first_text
    assert "10 January 2027" in first_text  # the closing date, from Deadline.explain
    assert "référentiel" in first_text  # the rule it comes from
    assert first_buttons == ["I got a CCP", "Remind me later", "Add to my calendar",
                             "Stop reminders"]
    assert "Your date to aim for is tomorrow" in a[-2][1]
    # The day after the prudent date: one message saying what to check, never "closed".
    last_text = a[-1][1]
    assert "the prudent date has passed, here is what to check" in last_text
    assert "your CCPs may still count" in last_text and "DREETS" in last_text
    assert "This is my last reminder for this date" in last_text
    assert "closed" not in last_text and "E2" not in last_text

    b = received(api, 102)
    assert [d for d, _, _ in b] == [
        date(2026, 1, 1), date(2026, 3, 1), date(2026, 6, 1), date(2026, 8, 1),
        date(2026, 8, 18), date(2026, 8, 25), date(2026, 8, 31), date(2026, 9, 2),
    ]
    assert "Plus que 243 jours" in b[0][1]
    assert b[0][2] == ["J'ai obtenu un CCP", "Me le rappeler plus tard", "Ajouter à mon agenda",
                       "Arrêter les rappels"]

    c = received(api, 103)  # closes 2026-11-15; complete from 20 March
    assert [d for d, _, _ in c] == [date(2026, 1, 1)]

    d = received(api, 104)  # closes 2026-11-20; stopped on 2 April
    assert [day for day, _, _ in d] == [date(2026, 1, 1)]

    assert received(api, 105) == []

    blocked_tries = [c for c in api.requests("sendMessage") if c.params.get("chat_id") == 106]
    assert len(blocked_tries) == 1
    assert storage.reminder_settings(106).active is False


async def test_reminder_buttons_carry_constant_data(
    storage: Storage, titre: Titre, catalogue: Catalogue, clock: Clock
) -> None:
    api = FakeBotApi(clock=lambda: clock.now().timestamp())
    bot = Bot("1000:offline-token-for-the-console-and-tests-000000", request=OfflineRequest(api))
    storage.declare(7, 1, date(2021, 9, 1), now=clock.now())
    summary = await run_day(storage, bot, titre, catalogue, clock, START)
    assert summary.line() == "due=1 sent=1 skipped=0 failed=0 blocked=0"
    (message,) = api.visible(7)
    data = [b["callback_data"] for row in message["reply_markup"]["inline_keyboard"] for b in row]
    assert data == [DECLARE_START, SNOOZE, ICS, STOP] == ["decl:start", "rem:snooze", "rem:ics",
                                                         "rem:stop"]


async def test_dry_run_sends_and_records_nothing(
    storage: Storage, titre: Titre, catalogue: Catalogue, clock: Clock
) -> None:
    api = FakeBotApi()
    bot = Bot("1000:offline-token-for-the-console-and-tests-000000", request=OfflineRequest(api))
    for user in range(1, 4):
        storage.declare(user, 1, date(2021, 9, 1), now=clock.now())
    summary = await run_reminders(
        storage, bot, titre=titre, catalogue=catalogue, steps=STEPS, today=START,
        now=clock.now(), dry_run=True,
    )
    assert summary.line() == "due=3 sent=0 skipped=0 failed=0 blocked=0 dry_run=1 would_send=3"
    assert api.calls == []
    real = await run_day(storage, bot, titre, catalogue, clock, START)
    assert real.sent == 3  # the dry run claimed nothing


def _due(last_step: str | None) -> DueReminder:
    return DueReminder(
        user_id=1, lang="fr", closes_on=date(2027, 1, 10), declared={1: date(2022, 1, 10)},
        last_step=last_step, next_reminder_on=date(2026, 7, 10),
    )


@pytest.mark.parametrize(
    ("today", "last", "snoozed", "expected"),
    [
        (date(2026, 7, 10), "12m", None, "6m"),  # a step is due
        (date(2026, 7, 11), "6m", None, None),  # already sent
        # the user pressed "later" on 10 July: a reminder of its own on the 17th (177 days left)
        (date(2026, 7, 17), "6m", date(2026, 7, 17), "177d"),
        (date(2026, 7, 18), "177d", date(2026, 7, 17), None),  # and only once
        # a configured step falling after the snooze date is sent as itself
        (date(2026, 10, 12), "6m", date(2026, 10, 5), "3m"),
        # nothing once the window has closed, snoozed or not
        (date(2027, 1, 11), "1w", date(2027, 1, 10), None),
    ],
)
def test_step_for_snooze(
    today: date, last: str | None, snoozed: date | None, expected: str | None
) -> None:
    settings = ReminderSettings(enabled=True, snoozed_until=snoozed, active=True)
    assert step_for(_due(last), STEPS, today, settings) == expected


# ---- the buttons and /rappels, through a real Application (conversations/reminder_settings) ----
DIALOGUES = ("declare", "my_ccps", "reminder_settings")
BOT_STEPS = ("12m", "6m", "1m")  # the configured steps in these tests
TODAY = date(2026, 11, 29)  # conv_support's clock


async def _reminded(b: Conv, catalogue: Catalogue) -> dict[str, Any]:
    """Declare CCP 1 on 12 March 2022 (closes 12 March 2027), then run the reminders."""
    if not b.declared():
        await b.send("/declarer 1 12/03/2022")
    summary = await run_reminders(
        b.store, b.app.bot, titre=b.app.bot_data.services.titre, catalogue=catalogue,
        steps=BOT_STEPS, today=TODAY, now=datetime.combine(TODAY, time(9), UTC),
    )
    assert summary.sent == 1
    message: dict[str, Any] = b.api.visible(USER)[-1]
    return message


async def test_rappels_shows_the_next_date_and_toggles(
    launch: Launch, catalogue: Catalogue
) -> None:
    async with launch(features=DIALOGUES, user_id=USER, steps=BOT_STEPS) as b:
        await b.send("/declarer 1 12/03/2022")
        (shown,) = await b.send("/rappels")
        assert "Rappels activés" in text_of(shown)
        # the 6m step (12 September) was missed: it goes at the next run, tomorrow (it is 10:30)
        assert "Prochain rappel : 30 novembre 2026 (date à viser : le 12 mars 2027)" \
            in text_of(shown)
        await _reminded(b, catalogue)
        (shown,) = await b.send("/rappels")
        # storage tracks 12m,6m,1m here: next is 1 month before 12 March 2027
        assert "Prochain rappel : 12 février 2027 (date à viser : le 12 mars 2027)" \
            in text_of(shown)
        assert "Rappels : 12 mois, 6 mois, 1 mois avant la date à viser" in text_of(shown)
        assert buttons_of(shown) == ["Désactiver les rappels", "Ajouter à mon agenda"]
        (edited,) = await b.press(shown, "Désactiver les rappels")
        assert "Rappels désactivés" in text_of(edited)
        assert "Prochain rappel" not in text_of(edited)
        assert b.store.reminder_settings(USER).enabled is False
        (edited,) = await b.press(edited, "Activer les rappels")
        assert "Rappels activés" in text_of(edited)
        assert b.store.reminder_settings(USER).enabled is True


async def test_rappels_before_any_declaration_and_when_complete(launch: Launch) -> None:
    async with launch(features=DIALOGUES, user_id=USER, steps=BOT_STEPS) as b:
        (shown,) = await b.send("/rappels")
        assert "déclarez un CCP obtenu" in text_of(shown)
        for n in (1, 2, 3):
            await b.send(f"/declarer {n} 12/03/2022")
        (shown,) = await b.send("/rappels", language_code="en")
        assert "You have declared every CCP" in text_of(shown)
        assert "Next reminder" not in text_of(shown)


async def test_stop_button_stops_the_reminders(launch: Launch, catalogue: Catalogue) -> None:
    async with launch(features=DIALOGUES, user_id=USER, steps=BOT_STEPS) as b:
        reminder = await _reminded(b, catalogue)
        (answer,) = await b.press(reminder, "Arrêter les rappels")
        assert "Les rappels sont arrêtés" in text_of(answer) and "/rappels" in text_of(answer)
        assert b.store.reminder_settings(USER).enabled is False
        assert b.store.due_reminders(date(2027, 2, 12)) == []  # the 1m step will not come


async def test_calendar_button_sends_an_ics_file(launch: Launch, catalogue: Catalogue) -> None:
    async with launch(features=DIALOGUES, user_id=USER, steps=BOT_STEPS) as b:
        reminder = await _reminded(b, catalogue)
        (document,) = await b.press(reminder, "Ajouter à mon agenda")
        assert document["document"]["file_name"].endswith(".ics")
        assert "Google Agenda, Outlook, Apple" in text_of(document)
        data = b.files[document["document"]["file_name"]]
        (event,) = Calendar.from_ical(data).walk("VEVENT")
        assert event.decoded("DTSTART") == date(2027, 3, 12)
        assert str(event["SUMMARY"]) == "Date à viser pour les CCP manquants TSGRI"
        assert "5 ans après votre premier CCP du 12 mars 2022" in str(event["DESCRIPTION"])
        # one per configured step still to come: 12m and 6m before the closing are past
        start = datetime.combine(date(2027, 3, 12), time(0, 0))
        ringing = [start + a.decoded("TRIGGER") for a in event.walk("VALARM")]
        assert ringing == [datetime(2027, 2, 12, 9, 0)]


async def test_declare_button_opens_the_declaration(launch: Launch, catalogue: Catalogue) -> None:
    async with launch(features=DIALOGUES, user_id=USER, steps=BOT_STEPS) as b:
        reminder = await _reminded(b, catalogue)
        messages = await b.press(reminder, "J'ai obtenu un CCP")
        assert "Quel CCP avez-vous obtenu ?" in "\n".join(text_of(m) for m in messages)


async def test_later_button_snoozes_a_week(launch: Launch, catalogue: Catalogue) -> None:
    async with launch(features=DIALOGUES, user_id=USER, steps=BOT_STEPS) as b:
        reminder = await _reminded(b, catalogue)
        (answer,) = await b.press(reminder, "Me le rappeler plus tard")
        assert "je vous le rappelle le 6 décembre 2026" in text_of(answer)
        assert b.store.reminder_settings(USER).snoozed_until == date(2026, 12, 6)
        (shown,) = await b.send("/rappels")
        assert "Prochain rappel : 6 décembre 2026" in text_of(shown)


async def test_a_snoozed_user_is_reminded_a_week_later(
    launch: Launch, catalogue: Catalogue
) -> None:
    async with launch(features=DIALOGUES, user_id=USER, steps=BOT_STEPS) as b:
        reminder = await _reminded(b, catalogue)
        await b.press(reminder, "Me le rappeler plus tard")
        titre = b.app.bot_data.services.titre
        for day in days(TODAY + timedelta(days=1), date(2026, 12, 8)):
            await run_reminders(
                b.store, b.app.bot, titre=titre, catalogue=catalogue, steps=BOT_STEPS,
                today=day, now=datetime.combine(day, time(9), UTC),
            )
        reminders = [m for m in b.api.visible(USER) if "Plus que" in text_of(m)]
        assert len(reminders) == 2  # the first one, and one on 6 December


async def test_daily_job_at_the_configured_hour_and_a_catch_up_at_start(
    launch: Launch, catalogue: Catalogue
) -> None:
    settings = Settings(reminder_hour=time(8, 30), timezone=PARIS)
    async with launch(features=DIALOGUES, user_id=USER, steps=BOT_STEPS) as b:
        await b.send("/declarer 1 12/03/2022")
        job_queue = b.app.job_queue
        assert job_queue is not None
        schedule_daily(job_queue, settings=settings)
        schedule_daily(job_queue, settings=settings)  # called again (restart): no duplicate
        jobs = sorted(job_queue.get_jobs_by_name("reminders"), key=lambda j: j.next_t)
        assert len(jobs) == 2
        catch_up, daily = jobs
        assert catch_up.next_t is not None and daily.next_t is not None
        assert (catch_up.next_t - datetime.now(UTC)).total_seconds() < 10
        at = daily.next_t.astimezone(PARIS)
        assert (at.hour, at.minute) == (8, 30)
        await catch_up.run(b.app)  # the job's own run, with the bot's services
        (reminder,) = b.api.visible(USER)[-1:]
        assert "Plus que 103 jours" in text_of(reminder)
        await daily.run(b.app)  # same day again: nothing more
        assert [m for m in b.api.visible(USER) if "Plus que" in text_of(m)] == [reminder]


async def test_a_window_that_closed_during_downtime_stops_being_due(
    storage: Storage, titre: Titre, catalogue: Catalogue, clock: Clock
) -> None:
    api = FakeBotApi(clock=lambda: clock.now().timestamp())
    bot = Bot("1000:offline-token-for-the-console-and-tests-000000", request=OfflineRequest(api))
    clock.day = date(2021, 1, 1)
    # Before 1 June 2016 the référentiel's five years are the rule: the window does close.
    storage.declare(201, 1, date(2016, 1, 20), now=clock.now())  # closes 2021-01-20
    # The bot is off from mid-January until March: the window closed meanwhile.
    first = await run_day(storage, bot, titre, catalogue, clock, date(2021, 3, 1))
    again = await run_day(storage, bot, titre, catalogue, clock, date(2021, 3, 2))
    assert (first.due, first.sent, first.skipped) == (1, 0, 1)
    assert (again.due, again.sent, again.skipped) == (0, 0, 0)
    assert api.visible(201) == []
