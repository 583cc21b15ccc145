"""The .ics file: parsed back with icalendar, and checked for what calendar apps require."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from icalendar import Calendar

from conversations.calendar_file import closing_calendar, event_uid

CLOSES = date(2027, 1, 10)
NOW = datetime(2026, 11, 29, 8, 30, tzinfo=UTC)


def make(user_id: int = 42, closes_on: date = CLOSES, **kw: object) -> bytes:
    options: dict[str, object] = {
        "summary": "Fin de la fenêtre de capitalisation TSGRI",
        "description": "Règle appliquée : le référentiel (Modalités d'obtention, § 1 et 2) : "
        "« Le candidat dispose ensuite de cinq ans… », sources ; virgules, etc.",
        "alarm_text": "Rappel : fin de la fenêtre le 10 janvier 2027",
        "alarm_dates": [date(2026, 1, 10), date(2026, 12, 10), date(2027, 1, 9), CLOSES],
        "now": NOW,
        **kw,
    }
    return closing_calendar(user_id=user_id, closes_on=closes_on, **options)  # type: ignore[arg-type]


def test_the_file_parses_back_to_one_all_day_event() -> None:
    cal = Calendar.from_ical(make())
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["PRODID"]).startswith("-//")
    (event,) = cal.walk("VEVENT")
    assert event.decoded("DTSTART") == CLOSES  # a date, not a datetime: all-day
    assert not isinstance(event.decoded("DTSTART"), datetime)
    assert event.decoded("DTEND") == CLOSES + timedelta(days=1)
    assert str(event["SUMMARY"]) == "Fin de la fenêtre de capitalisation TSGRI"
    assert "« Le candidat dispose ensuite de cinq ans… », sources ; virgules" in str(
        event["DESCRIPTION"]
    )
    assert event.decoded("DTSTAMP") == NOW


def test_an_alarm_already_past_today_is_left_out() -> None:
    at_ten = NOW.replace(hour=10)  # 29 Nov 2026, 10:00: the 9:00 alarm of that day has passed
    data = make(alarm_dates=[date(2026, 11, 29), date(2026, 11, 30)], now=at_ten)
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    start = datetime.combine(CLOSES, time(0, 0))
    assert [start + a.decoded("TRIGGER") for a in event.walk("VALARM")] == [
        datetime(2026, 11, 30, 9, 0)
    ]


def test_alarms_ring_at_nine_on_each_step_day_before_the_closing_date() -> None:
    (event,) = Calendar.from_ical(make()).walk("VEVENT")
    alarms = event.walk("VALARM")
    start = datetime.combine(CLOSES, time(0, 0))
    ringing = sorted(start + alarm.decoded("TRIGGER") for alarm in alarms)
    assert ringing == [
        datetime(2026, 12, 10, 9, 0), datetime(2027, 1, 9, 9, 0),
    ]  # 10 Jan 2026 is past on NOW: no alarm; the closing day itself is the event, not an alarm
    assert {str(a["ACTION"]) for a in alarms} == {"DISPLAY"}
    assert all(str(a["DESCRIPTION"]).startswith("Rappel") for a in alarms)


def test_lines_end_with_crlf_and_are_folded_at_75_octets() -> None:
    data = make()
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")
    assert b"\n" not in b"".join(lines)  # no bare LF anywhere
    assert all(len(line) <= 75 for line in lines)
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-2] == b"END:VCALENDAR"


def test_uid_is_stable_per_user_and_date_and_hides_the_telegram_id() -> None:
    uid = event_uid(123456789, CLOSES)
    assert uid == event_uid(123456789, CLOSES)
    assert uid != event_uid(123456789, CLOSES + timedelta(days=1))
    assert uid != event_uid(987654321, CLOSES)
    assert "123456789" not in uid and "@" in uid
    (event,) = Calendar.from_ical(make(user_id=123456789)).walk("VEVENT")
    assert str(event["UID"]) == uid
    again = make(user_id=123456789, now=NOW + timedelta(days=3))
    assert str(Calendar.from_ical(again).walk("VEVENT")[0]["UID"]) == uid
