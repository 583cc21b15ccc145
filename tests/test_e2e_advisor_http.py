"""Issue 14 over real HTTP: the real bot long polling the local Bot API server.

An advisor with three candidates who came through their link — one says yes to sharing, one
says no, one says yes then runs /oublier — sees exactly the first in /mescandidats, with the
right date and its rule; the one who refused appears only in the anonymous counts, and the
forgotten one nowhere (nothing is kept of them). No message the advisor receives holds another
candidate's id, date or name.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from telegram.request import HTTPXRequest

from bot.app import build_application, running
from bot.config import Settings
from bot.offline.model import text_of
from bot.storage.threaded import storage_of
from tests.botapi_server import BotApiServer

pytestmark = [
    pytest.mark.slow,  # over HTTP, the bot in a subprocess
    pytest.mark.usefixtures("no_error_logged"),
]

ADVISOR = 919_191_001
YES_USER, NO_USER, FORGOTTEN = 919_191_101, 919_191_102, 919_191_103


@pytest.fixture
async def live(
    botapi_server: BotApiServer, tmp_path: Path
) -> AsyncIterator[tuple[BotApiServer, Any]]:
    settings = Settings.from_env({
        "TELEGRAM_BOT_TOKEN": botapi_server.token,
        "TELEGRAM_BASE_URL": botapi_server.base_url.removesuffix("/bot"),
        "BOT_DB": str(tmp_path / "bot.sqlite3"),
    })
    application = build_application(settings, request=HTTPXRequest(),
                                    get_updates_request=HTTPXRequest())  # fmt: skip
    async with running(application, polling=True):
        yield botapi_server, application


async def arrive(server: BotApiServer, code: str, user: int, answer: str, ccp: str) -> None:
    welcome, asked = await server.ask(f"/start ref-{code}", count=2, user_id=user)
    assert text_of(welcome).startswith("👋 Bonjour")
    assert text_of(asked).startswith("Partager votre progression avec Mme Martin ?")
    [done] = await server.api.press(asked, answer, user_id=user)
    assert "C'est noté" in text_of(done)
    [saved] = await server.ask(f"/declarer {ccp}", user_id=user)
    assert "C'est noté" in text_of(saved)


async def test_the_advisor_sees_exactly_the_consenting_candidate(
    live: tuple[BotApiServer, Any],
) -> None:
    server, application = live
    store = storage_of(application.bot_data.services)
    code = store.register_advisor("Mme Martin", ADVISOR)

    await arrive(server, code, YES_USER, "✅ Oui, partager", "1 15/01/2022")
    [named] = await server.ask("/pseudo Aïcha", user_id=YES_USER)
    assert "« Aïcha »" in text_of(named)
    await arrive(server, code, NO_USER, "🚫 Non, ne rien partager", "1 10/06/2023")
    await arrive(server, code, FORGOTTEN, "✅ Oui, partager", "2 01/02/2024")
    [confirm] = await server.ask("/oublier", user_id=FORGOTTEN)
    [gone] = await server.api.press(confirm, "🗑 Oui, tout effacer", user_id=FORGOTTEN)
    assert "je ne garde plus rien sur vous" in text_of(gone)

    [view] = await server.ask("/mescandidats", user_id=ADVISOR)
    shown = text_of(view)
    assert "Arrivés par votre lien : 2\n" in shown  # the one who said no is counted
    assert "Ont déclaré au moins un CCP" not in shown  # 2 minus the one named: the one who said no
    assert "Partagent leur progression avec vous : 1 (page 1/1" in shown
    assert ("Aïcha — CCP 1\n  15 janvier 2027 (cible prudente : 5 ans après le 1er CCP, "
            "règle en vigueur)") in shown  # fmt: skip
    [detail] = await server.api.press(view, "Aïcha", user_id=ADVISOR)
    assert "CCP 1 : obtenu le 15 janvier 2022" in text_of(detail)
    assert "15 janvier 2027" in text_of(detail)

    # What the advisor reads and what their buttons carry (the chat object is their own).
    seen = [(text_of(m), m.get("reply_markup")) for m in server.api.visible(ADVISOR)]
    received = json.dumps(seen, ensure_ascii=False)
    for hidden in ("2023", "2024", "2028", "2029", "Camille", str(YES_USER), str(NO_USER),
                   str(FORGOTTEN)):
        assert hidden not in received, hidden
    assert [c for c in server.api.calls if c.status >= 400] == []
