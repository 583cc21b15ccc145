"""/rappels names the day the next reminder really goes: after today's slot, tomorrow."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.conv_support import USER, Launch, text_of

PARIS = ZoneInfo("Europe/Paris")
FEATURES = ("declare", "reminder_settings")


async def next_reminder_shown(launch: Launch, at: datetime) -> str:
    async with launch(features=FEATURES, user_id=USER) as b:
        b.app.bot_data.services.clock = lambda: at
        await b.send("/declarer 1 12/03/2022")  # closes 12 March 2027; the 6m step is missed
        (shown,) = await b.send("/rappels")
        line = next(x for x in text_of(shown).splitlines() if x.startswith("Prochain rappel"))
        return line


async def test_before_the_reminder_hour_the_next_reminder_is_today(launch: Launch) -> None:
    line = await next_reminder_shown(launch, datetime(2026, 12, 4, 8, 59, tzinfo=PARIS))
    assert line == "Prochain rappel : 4 décembre 2026 (date à viser : le 12 mars 2027)."


async def test_after_the_reminder_hour_the_next_reminder_is_tomorrow(launch: Launch) -> None:
    line = await next_reminder_shown(launch, datetime(2026, 12, 4, 19, 57, tzinfo=PARIS))
    assert line == "Prochain rappel : 5 décembre 2026 (date à viser : le 12 mars 2027)."
