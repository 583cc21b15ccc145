"""Issue 10 over real HTTP: the real bot, long polling a local Bot API server (as in
test_e2e_http.py), and the reminders it sends through the same HTTP API.

A user who saved CCP 1 on 01/02/2021 (after 1 June 2016: the rule in force; the five-year
date, 1 February 2026, has passed) is never told their window is closed, in any message: free
text, /mesccp, /delai, reminders, the .ics; they are told which rule applies; "c quand ma date
limite" gets their own date with no question back; no message holds an internal evolution id.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from telegram.request import HTTPXRequest, RequestData

from bot.app import build_application, running
from bot.config import Settings
from bot.offline.model import JSON, buttons_of, text_of
from bot.sending.reminders import run_reminders, steps_from
from bot.storage.threaded import storage_of
from tests.botapi_server import BotApiServer
from tests.conv_support import keep_uploads

pytestmark = [
    pytest.mark.slow,  # over HTTP, the bot in a subprocess
    pytest.mark.usefixtures("no_error_logged"),
]

SAVED = "01/02/2021"
REMINDED = 4242  # a second user, declared "back then" for the reminder time travel
_INTERNAL_ID = re.compile(r"\bE\d{1,2}\b")


class RecordingRequest(HTTPXRequest):
    """Real HTTP, keeping the bytes of uploads so the test can open the .ics it was sent."""

    def __init__(self, files: dict[str, bytes]) -> None:
        super().__init__()
        self.files = files

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        keep_uploads(self.files, request_data)
        return await super().do_request(url, method, request_data, *args, **kwargs)


@pytest.fixture
async def live(
    botapi_server: BotApiServer, tmp_path: Path
) -> AsyncIterator[tuple[BotApiServer, Any, dict[str, bytes]]]:
    settings = Settings.from_env({
        "TELEGRAM_BOT_TOKEN": botapi_server.token,
        "TELEGRAM_BASE_URL": botapi_server.base_url.removesuffix("/bot"),
        "BOT_DB": str(tmp_path / "bot.sqlite3"),
    })
    files: dict[str, bytes] = {}
    application = build_application(settings, request=RecordingRequest(files),
                                    get_updates_request=HTTPXRequest())
    async with running(application, polling=True):
        yield botapi_server, application, files


def never_closed(messages: list[JSON]) -> None:
    for message in messages:
        text = text_of(message)
        assert "ferm" not in text.lower() and "closed" not in text.lower(), text
        assert not _INTERNAL_ID.search(text), text


async def test_a_2021_first_ccp_is_never_closed_and_its_rule_is_named(
    live: tuple[BotApiServer, Any, dict[str, bytes]],
) -> None:
    server, application, files = live
    [confirmation] = await server.ask(f"/declarer 1 {SAVED}")
    assert "CCP 1" in text_of(confirmation) and "1er février 2021" in text_of(confirmation)

    [own] = await server.ask("c quand ma date limite")
    text = text_of(own)
    assert "D'après les CCP que vous avez enregistrés" in text
    assert "Premier CCP : 1er février 2021." in text
    assert "vos CCP peuvent encore compter" in text
    assert "Règle qui s'applique à vous : celle en vigueur depuis le 1er juin 2016" in text
    assert "donnez-moi" not in text.lower() and "?" not in text  # no question back

    summary, picture = await server.ask("/mesccp", count=2)
    assert "Date prudente passée" in text_of(summary)  # the rule in full: "📜 Règle et source"
    assert "selon la règle en vigueur, vos CCP peuvent encore compter" in text_of(summary)
    assert "demandez à votre centre ou à la DREETS" in text_of(summary)
    result, delai_picture = await server.ask("/delai", count=2)
    assert "Règle qui s'applique à vous" in text_of(result)
    assert "photo" in picture and "photo" in delai_picture

    # Reminders, time-travelling over the five-year date, sent through the HTTP API.
    services = application.bot_data.services
    store = storage_of(services)
    store.declare(REMINDED, 1, date(2021, 2, 1), now=datetime(2025, 12, 20, 9, tzinfo=UTC))
    steps = steps_from(services.settings.reminder_steps)
    day = date(2026, 1, 1)
    while day <= date(2026, 3, 31):
        await run_reminders(store, application.bot, titre=services.titre,
                            catalogue=services.catalogue, steps=steps, today=day,
                            now=datetime.combine(day, time(9), UTC))
        day += timedelta(days=1)
    reminders = server.api.visible(REMINDED)
    assert len(reminders) == 5  # 1 month, 2 weeks, 1 week, the day before; then one check
    assert all("Date à viser" in text_of(m) for m in reminders[:-1])
    last = text_of(reminders[-1])
    assert "la date prudente est passée, voici ce qu'il faut vérifier" in last
    assert "demandez à votre centre ou à la DREETS" in last
    assert "C'est mon dernier rappel pour cette date" in last
    assert "Règle qui s'applique à vous" in last

    # once the date has passed, no calendar event for it: not offered, and an earlier
    # reminder's button says why (the .ics of a date to come: tests/test_conv_calendar.py)
    assert "Ajouter à mon agenda" not in buttons_of(reminders[-1])
    [passed] = await server.api.press(reminders[0], "Ajouter à mon agenda", user_id=REMINDED)
    assert "Le 1er février 2026 est passé" in text_of(passed)
    assert not any(name.endswith(".ics") for name in files)

    everything = server.api.visible()
    never_closed(everything)
    assert buttons_of(reminders[-1])[0] == "J'ai obtenu un CCP"
    refused = [c for c in server.api.calls if c.status >= 400]
    assert refused == []
