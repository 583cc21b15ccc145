"""The "Ajouter à mon agenda" file: one all-day event on the closing date, alarms at the steps.

Written with the icalendar library, kept to what Google Calendar, Outlook and Apple Calendar
all import: VERSION 2.0, CALSCALE GREGORIAN, METHOD PUBLISH, CRLF lines, an all-day event
(DTSTART/DTEND as DATE values, DTEND the day after), a stable UID so that importing the file
again updates the event instead of duplicating it, and DISPLAY alarms relative to the start.
Texts come from the caller (the catalogue), so this module holds no language. Only alarms
still to come are written (an alarm already past on the day of the export would ring at once),
and the description says nothing that stops being true (no day count): a link back to the bot
gives the up-to-date figure.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event

PRODID = "-//TSGRI advisor bot//Rappels TSGRI//FR"
UID_DOMAIN = "tsgri-advisor.bot"
FILENAME = "tsgri-fin-de-fenetre.ics"


def event_uid(user_id: int, closes_on: date) -> str:
    """Same user and closing date -> same UID (re-import updates); no raw Telegram id inside."""
    digest = hashlib.sha256(f"{user_id}:{closes_on.isoformat()}".encode()).hexdigest()[:24]
    return f"{digest}-{closes_on:%Y%m%d}@{UID_DOMAIN}"


def alarm_trigger(closes_on: date, on: date, hour: time) -> timedelta:
    """Offset from the event start (midnight of `closes_on`) to `hour` on day `on` (negative)."""
    start = datetime.combine(closes_on, time(0, 0))
    return datetime.combine(on, hour) - start


def closing_calendar(
    *,
    user_id: int,
    closes_on: date,
    summary: str,
    description: str,
    alarm_text: str,
    alarm_dates: Iterable[date],
    now: datetime,
    alarm_hour: time = time(9, 0),
) -> bytes:
    """The .ics bytes: `alarm_dates` before `closes_on` become alarms at `alarm_hour`, those
    whose moment (`alarm_hour` in `now`'s time zone) is still to come after `now`."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")

    event = Event()
    event.add("uid", event_uid(user_id, closes_on))
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", closes_on)
    event.add("dtend", closes_on + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")  # an all-day marker, not a busy day

    for on in sorted(set(alarm_dates)):
        if on >= closes_on or datetime.combine(on, alarm_hour, tzinfo=now.tzinfo) <= now:
            continue
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", alarm_text)
        alarm.add("trigger", alarm_trigger(closes_on, on, alarm_hour))
        event.add_component(alarm)

    cal.add_component(event)
    data: bytes = cal.to_ical()
    return data
