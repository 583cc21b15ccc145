"""Replies kept, not lost (issue 12): the real bot over HTTP against the local Bot API server,
with `sendMessage` failing for longer than the retry bound (`BOT_REPLY_RETRY_SECONDS`, short
here). The answers wait in the outbox and arrive once Telegram is back, in each chat's order,
even across a restart; a chat that blocked the bot meanwhile loses its replies, logged once.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from pathlib import Path

import pytest

from bot.app import build_application, running
from bot.config import Settings
from bot.offline import Fault
from bot.offline.model import text_of
from bot.sending.replies import ReplyRetrier
from tests.botapi_server import BotApiServer

QUESTIONS = ("C'est quoi la VAE ?", "Qu'est-ce que le DSPP ?", "Combien de CCP faut-il ?")
USERS = range(3100, 3105)
pytestmark = [
    pytest.mark.slow,  # over HTTP, with outages waited out
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
    pytest.mark.usefixtures("no_error_logged"),
]


def settings_for(server: BotApiServer, db: Path) -> Settings:
    return Settings.from_env({
        "TELEGRAM_BOT_TOKEN": server.token,
        "TELEGRAM_BASE_URL": server.base_url.removesuffix("/bot"),
        "BOT_DB": str(db),
        "BOT_REPLY_RETRY_SECONDS": "0.5",
        "BOT_OUTBOX_EVERY": "0.3",
    })


async def reference_answers(server: BotApiServer) -> list[str]:
    return [text_of((await server.ask(q, user_id=3000 + i))[0]) for i, q in enumerate(QUESTIONS)]


def kept(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])


async def until(predicate: object, timeout: float = 15.0) -> None:
    assert callable(predicate)
    give_up = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < give_up, "timed out"
        await asyncio.sleep(0.05)


async def test_answers_refused_past_the_bound_arrive_later_in_order(
    botapi_server: BotApiServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    server, db = botapi_server, tmp_path / "bot.sqlite3"
    application = build_application(settings_for(server, db))
    async with running(application, polling=True):
        expected = await reference_answers(server)
        since = server.api.mark()
        server.api.outage(Fault.server_error(500), 3.0)  # six times the retry bound
        outage_ends = time.monotonic() + 3.0
        for question in QUESTIONS:
            for user in USERS:
                server.user_sends(question, user_id=user)
        for user in USERS:
            replies = await server.wait_messages(user, len(QUESTIONS), since, timeout=30.0)
            assert [text_of(r) for r in replies] == expected
        assert time.monotonic() >= outage_ends  # delivered after the outage, not before
        retrier = application.bot.rate_limiter
        assert isinstance(retrier, ReplyRetrier)
        assert retrier.kept > 0 and retrier.lost == 0
        await until(lambda: kept(db) == 0)
    assert "lost" not in caplog.text


async def test_kept_answers_survive_a_restart(
    botapi_server: BotApiServer, tmp_path: Path
) -> None:
    server, db = botapi_server, tmp_path / "bot.sqlite3"
    settings = settings_for(server, db)
    async with running(build_application(settings), polling=True):
        expected = await reference_answers(server)
        since = server.api.mark()
        server.api.outage(Fault.server_error(503), 120.0)
        for question in QUESTIONS:
            for user in USERS:
                server.user_sends(question, user_id=user)
        await until(lambda: kept(db) == len(QUESTIONS) * len(USERS))
    assert all(server.api.visible(user, since) == [] for user in USERS)
    server.api.outages.clear()  # Telegram is back while the bot is down
    async with running(build_application(settings), polling=True):
        for user in USERS:
            replies = await server.wait_messages(user, len(QUESTIONS), since, timeout=30.0)
            assert [text_of(r) for r in replies] == expected
        await until(lambda: kept(db) == 0)


async def test_a_chat_that_blocked_the_bot_loses_its_kept_replies_once(
    botapi_server: BotApiServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    server, db = botapi_server, tmp_path / "bot.sqlite3"
    async with running(build_application(settings_for(server, db)), polling=True):
        await server.ask("/start", user_id=3200)
        server.api.outage(Fault.server_error(500), 120.0)
        server.user_sends(QUESTIONS[0], user_id=3200)
        server.user_sends(QUESTIONS[1], user_id=3200)
        await until(lambda: kept(db) == 2)
        server.fail_chat(3200, Fault.blocked())
        server.api.outages.clear()
        with caplog.at_level(logging.WARNING):
            await until(lambda: kept(db) == 0)
    lost = [r.getMessage() for r in caplog.records if "lost" in r.getMessage()]
    assert lost == ["2 kept replies to chat 3200 lost: Forbidden: bot was blocked by the user"]
    with sqlite3.connect(db) as conn:
        [(active,)] = conn.execute("SELECT active FROM users WHERE user_id = 3200").fetchall()
    assert active == 0
