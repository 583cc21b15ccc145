"""Replies survive Telegram's bad moments: the real bot over HTTP against the local Bot API
server while `sendMessage` answers 500, 429 or never answers for a few seconds. Every user
gets their real answer afterwards (never the generic error), in order within each chat; a
user who blocked the bot mid-reply is marked inactive at once and sent nothing more.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_application, running
from bot.config import Settings
from bot.offline import Fault
from bot.offline.model import text_of
from tests.botapi_server import BotApiServer, errors_logged

GENERIC_ERROR = "quelque chose s'est mal passé"
QUESTIONS = ("C'est quoi la VAE ?", "Qu'est-ce que le DSPP ?", "Combien de CCP faut-il ?")
pytestmark = [
    pytest.mark.slow,  # over HTTP, with outages waited out
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]


@pytest.fixture
async def live(botapi_server: BotApiServer, tmp_path: Path) -> AsyncIterator[BotApiServer]:
    settings = Settings.from_env({
        "TELEGRAM_BOT_TOKEN": botapi_server.token,
        "TELEGRAM_BASE_URL": botapi_server.base_url.removesuffix("/bot"),
        "BOT_DB": str(tmp_path / "bot.sqlite3"),
    })
    async with running(build_application(settings), polling=True):
        yield botapi_server


@pytest.fixture(autouse=True)
def _no_error_logged(caplog: pytest.LogCaptureFixture) -> Any:
    with caplog.at_level(logging.INFO):
        yield
    assert errors_logged(caplog) == []


async def reference_answers(server: BotApiServer) -> dict[str, str]:
    """What each question gets when Telegram is well."""
    answers = {}
    for index, question in enumerate(QUESTIONS):
        [reply] = await server.ask(question, user_id=900 + index)
        answers[question] = text_of(reply)
    return answers


async def ask_during(server: BotApiServer, fault: Fault, seconds: float, users: int) -> None:
    expected = await reference_answers(server)
    since = server.api.mark()
    server.api.outage(fault, seconds)
    asked: dict[int, str] = {}
    for n in range(users):
        user = 1000 + n
        asked[user] = QUESTIONS[n % len(QUESTIONS)]
        server.user_sends(asked[user], user_id=user)
        await asyncio.sleep(seconds / users)  # spread over the outage
    for user, question in asked.items():
        [reply] = await server.wait_messages(user, 1, since, timeout=30.0)
        assert text_of(reply) == expected[question]
    failed = [c for c in server.api.requests("sendMessage", since) if c.status != 200]
    assert failed, "the outage did not happen"
    texts = [text_of(m) for m in server.api.visible(since=since)]
    assert not [t for t in texts if GENERIC_ERROR in t]


async def test_server_errors_delay_answers_but_lose_none(live: BotApiServer) -> None:
    await ask_during(live, Fault.server_error(500), seconds=3.0, users=30)


async def test_flood_waits_then_every_answer_arrives(live: BotApiServer) -> None:
    await ask_during(live, Fault.flood(retry_after=2, times=None), seconds=3.0, users=30)


async def test_hanging_requests_time_out_and_are_sent_again(live: BotApiServer) -> None:
    await ask_during(live, Fault.hang(), seconds=2.0, users=10)


async def test_one_chat_gets_its_answers_in_the_order_it_asked(live: BotApiServer) -> None:
    expected = await reference_answers(live)
    since = live.api.mark()
    live.api.outage(Fault.server_error(502), 2.0)
    for question in QUESTIONS:
        live.user_sends(question, user_id=77)
    replies = await live.wait_messages(77, len(QUESTIONS), since, timeout=30.0)
    assert [text_of(r) for r in replies] == [expected[q] for q in QUESTIONS]


async def test_a_user_who_blocks_the_bot_mid_reply_is_inactive_at_once(
    live: BotApiServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    await live.ask("/start", user_id=55)
    since = live.api.mark()
    live.fail_chat(55, Fault.blocked())
    live.user_sends(QUESTIONS[0], user_id=55)
    await live.api.wait_for(lambda: bool(live.api.requests("sendMessage", since)))
    await asyncio.sleep(0.5)  # anything more would come now
    assert len(live.api.requests("sendMessage", since)) == 1
    with sqlite3.connect(tmp_path / "bot.sqlite3") as db:
        [(active,)] = db.execute("SELECT active FROM users WHERE user_id = 55").fetchall()
    assert active == 0
    assert "blocked" in caplog.text



async def test_another_process_holding_the_write_lock_delays_no_answer(
    live: BotApiServer, tmp_path: Path
) -> None:
    """`python -m bot remind` or a backup holding SQLite's write lock: the bot still answers
    at once (reads have their own connection, writes wait on the storage thread)."""
    await live.ask("/start", user_id=31)
    locked = threading.Event()
    release = threading.Event()

    def hold_the_lock() -> None:
        other = sqlite3.connect(tmp_path / "bot.sqlite3", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        locked.set()
        release.wait(10)
        other.execute("COMMIT")
        other.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert locked.wait(5)
        started = time.monotonic()
        [answer] = await live.ask(QUESTIONS[0], user_id=31)
        assert time.monotonic() - started < 1.0
        assert text_of(answer).startswith("La VAE")
    finally:
        release.set()
        holder.join()
    [answer] = await live.ask(QUESTIONS[1], user_id=31)  # and all is well afterwards
    assert "DSPP" in text_of(answer)
