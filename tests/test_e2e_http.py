"""End to end over real HTTP: the real bot by long polling against a local Bot API server.

The bot is `bot.app.build_application` exactly as `python -m bot run` builds it (rate limiter,
HTML defaults, concurrent updates, SQLite persistence and storage on a temporary file), only
pointed at the server of tests/botapi_server.py on 127.0.0.1 through `TELEGRAM_BASE_URL`'s
setting. A scripted user talks to it; the tests read what that user would see.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_application, running
from bot.config import Settings
from bot.offline.model import JSON, buttons_of, text_of
from bot.storage.threaded import storage_of
from tests.botapi_server import (
    BotApiServer,
    assert_clean_exit,
    errors_logged,
    stop_bot_process,
)
from tests.conv_support import MENU

pytestmark = pytest.mark.slow  # over HTTP, the bot in a subprocess

ROOT = Path(__file__).resolve().parent.parent
GENERIC_ERROR = "quelque chose s'est mal passé"
LIMIT = 4096


def settings_env(server: BotApiServer, tmp_path: Path) -> dict[str, str]:
    """The environment an operator sets to point the bot at a local Bot API server."""
    return {
        "TELEGRAM_BOT_TOKEN": server.token,
        "TELEGRAM_BASE_URL": server.base_url.removesuffix("/bot"),
        "BOT_DB": str(tmp_path / "bot.sqlite3"),
    }


def settings_for(server: BotApiServer, tmp_path: Path) -> Settings:
    return Settings.from_env(settings_env(server, tmp_path))


@pytest.fixture
async def live(botapi_server: BotApiServer, tmp_path: Path) -> AsyncIterator[BotApiServer]:
    """The real bot polling the local server; yields the server the scripted user talks to."""
    application = build_application(settings_for(botapi_server, tmp_path))
    async with running(application, polling=True):
        yield botapi_server


@pytest.fixture(autouse=True)
def _no_error_logged(caplog: pytest.LogCaptureFixture) -> Any:
    """A crash in a handler reaches the error handler, which logs it: none may happen."""
    with caplog.at_level(logging.ERROR):
        yield
    assert errors_logged(caplog) == []


def everything_sent(server: BotApiServer) -> list[JSON]:
    """Every message the bot sent or edited, in every chat, as the users see it."""
    return server.api.visible()


def assert_within_limits(server: BotApiServer) -> None:
    refused = [c for c in server.api.calls if c.status >= 400]
    assert refused == [], [(c.method, c.status, c.params) for c in refused]
    for message in everything_sent(server):
        assert len(text_of(message)) <= LIMIT
        assert GENERIC_ERROR not in text_of(message)


async def test_start_shows_the_welcome_and_the_menu(live: BotApiServer) -> None:
    [welcome] = await live.ask("/start")
    assert text_of(welcome).startswith("👋 Bonjour Camille !")
    assert "TSGRI" in text_of(welcome)
    assert buttons_of(welcome) == MENU
    # the command menu and the descriptions were set at start-up, in French and English
    french = [c["command"] for c in live.api.profile.commands_for("")]
    english = live.api.profile.commands_for("en")
    assert {"start", "aide", "ccp", "parcours", "delai", "langue"} <= set(french)
    assert len(english) == len(french)
    assert live.api.profile.descriptions["description|"]
    assert live.api.profile.descriptions["short_description|en"]
    assert_within_limits(live)


async def test_a_menu_button_opens_its_topic(live: BotApiServer) -> None:
    [welcome] = await live.ask("/start")
    [ccps] = await live.api.press(welcome, "📚 Les 3 CCP et leurs compétences")
    assert text_of(ccps).startswith("📚 Les 3 CCP du titre TSGRI")
    assert buttons_of(ccps)[:3] == ["CCP 1", "CCP 2", "CCP 3"]
    [ccp3] = await live.api.press(ccps, "CCP 3")
    assert "CCP 3" in text_of(ccp3).split("\n")[0]
    assert "☰ Menu" in buttons_of(ccp3)  # never a dead end
    assert len(live.api.callback_answers) == 2  # every press answered (no endless spinner)
    assert_within_limits(live)


async def test_a_casual_question_gets_the_vae_answer(live: BotApiServer) -> None:
    [answer] = await live.ask("c koi la VAE ?")
    first_line, _, body = text_of(answer).partition("\n")
    assert first_line == "La VAE"
    assert "trois ans" in body
    assert "VAE : la recevabilité" in buttons_of(answer)
    assert_within_limits(live)


async def test_inline_query_offers_at_most_five_articles(live: BotApiServer) -> None:
    update = live.user_inline_query("vae", user_id=3)
    query_id = update["inline_query"]["id"]
    await live.api.wait_for(lambda: query_id in live.api.inline_answers)
    articles = live.api.inline_answers[query_id]
    assert 1 <= len(articles) <= 5
    assert all(a["type"] == "article" for a in articles)
    assert articles[0]["title"] == "La VAE"
    shared = articles[0]["input_message_content"]["message_text"]
    assert "Validation des Acquis" in shared


async def test_a_sticker_gets_a_kind_reply(live: BotApiServer) -> None:
    since = live.api.mark()
    live.api.push(live.api.factory.sticker(user_id=4))
    [reply] = await live.wait_messages(4, since=since)
    assert "messages écrits" in text_of(reply)
    [answer] = await live.ask("c'est quoi le CCP 2 ?", user_id=4)  # and the bot goes on
    assert "CCP 2" in text_of(answer).split("\n")[0]
    assert_within_limits(live)


async def test_photo_voice_and_edits_never_break_the_conversation(live: BotApiServer) -> None:
    factory = live.api.factory
    for update in (factory.photo(user_id=10), factory.voice(user_id=10)):
        since = live.api.mark()
        live.api.push(update)
        [reply] = await live.wait_messages(10, since=since)
        assert text_of(reply).strip()
    question = live.user_sends("c'est quoi le DSPP ?", user_id=11)
    await live.wait_messages(11)
    since = live.api.mark()
    live.api.push(factory.edited(question, "c'est quoi le CCP 1 ?"))  # deliberate silence
    [answer] = await live.ask("merci", user_id=11)
    assert "CCP 1" not in text_of(answer)
    assert len(live.api.visible(11, since)) == 1  # the edit got no message of its own
    assert_within_limits(live)


async def test_a_5000_character_message_gets_a_kind_answer(live: BotApiServer) -> None:
    story = " Je vous raconte : douze ans de support, puis de l'exploitation." * 90
    message = ("C'est quoi la VAE ?" + story)[:5000]
    assert len(message) == 5000
    [reply] = await live.ask(message, user_id=5)
    assert text_of(reply).startswith("Votre message est long (5\u202f000 caractères)")
    assert "La VAE" in text_of(reply)  # its first question is answered
    assert "☰ Menu" in buttons_of(reply)
    assert_within_limits(live)


async def test_5000_characters_without_a_question_get_the_menu(live: BotApiServer) -> None:
    [reply] = await live.ask("bla " * 1250, user_id=8)
    assert "pas trouvé une question claire" in text_of(reply)
    assert buttons_of(reply) == MENU
    assert_within_limits(live)


async def test_deep_link_ccp2_opens_ccp2(live: BotApiServer) -> None:
    [answer] = await live.ask("/start ccp2", user_id=6)
    assert text_of(answer).startswith("CCP 2")
    assert "Rétablir la production" in text_of(answer)
    assert "Bonjour" not in text_of(answer)
    assert "Voir le CCP 3" in buttons_of(answer)
    assert_within_limits(live)


async def test_a_button_still_works_after_a_clean_restart(
    botapi_server: BotApiServer, tmp_path: Path
) -> None:
    settings = settings_for(botapi_server, tmp_path)
    first = build_application(settings)
    async with running(first, polling=True):
        [welcome] = await botapi_server.ask("/start", user_id=7)
        store = storage_of(first.bot_data.services)
    assert not first.running and first.updater is not None and not first.updater.running
    with pytest.raises(RuntimeError):  # post_shutdown released the services...
        first.bot_data.services  # noqa: B018
    with pytest.raises(sqlite3.ProgrammingError):  # ...and closed the database
        store.touch_user(7, now=datetime.now(UTC))

    second = build_application(settings)
    async with running(second, polling=True):
        [ways] = await botapi_server.api.press(welcome, "🧭 Les voies pour obtenir le titre")
    assert "VAE" in text_of(ways)
    assert buttons_of(ways)
    assert_within_limits(botapi_server)


async def test_python_m_bot_run_answers_then_stops_cleanly_on_sigterm(
    botapi_server: BotApiServer, tmp_path: Path
) -> None:
    """The command an operator types, pointed at the local server by TELEGRAM_BASE_URL."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    environment.update(settings_env(botapi_server, tmp_path), PYTHONIOENCODING="utf-8")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run",
        cwd=ROOT, env=environment,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        [welcome] = await botapi_server.ask("/start", user_id=9, timeout=30.0)
        assert buttons_of(welcome) == MENU
        [answer] = await botapi_server.ask("c koi la VAE ?", user_id=9, timeout=10.0)
        assert text_of(answer).startswith("La VAE")
    finally:
        logs = await stop_bot_process(process)
    assert_clean_exit(process, logs)
    assert botapi_server.token not in logs  # the token never reaches the logs
    assert "Application.stop() complete" in logs
