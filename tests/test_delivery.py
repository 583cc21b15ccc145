"""Bulk delivery against the local Bot API server (real HTTP on 127.0.0.1) with faults:
429 with retry_after, 403, 5xx, a request that never answers; then whole reminder runs: two
senders at once, a sender cancelled in the middle, and `python -m bot remind` killed with
SIGKILL and run again.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from telegram import Bot

from bot.offline import Fault
from bot.sending.bulk import BulkSender, Pacer, Result, bulk_bot, text_message
from bot.sending.reminders import run_reminders, steps_from
from bot.storage import Storage
from bot.storage.tracking import tracker_for
from conversations.i18n import Catalogue
from knowledge.model import Titre
from tests.botapi_server import TOKEN, BotApiServer

ROOT = Path(__file__).resolve().parent.parent
PARIS = ZoneInfo("Europe/Paris")
STEPS = steps_from(("12m", "6m", "3m", "1m", "2w", "1w", "1d"))
TODAY = date(2026, 1, 5)
NOW = datetime.combine(TODAY, time(9, 0), PARIS).astimezone(UTC)
# PTB's own RetryAfter constructor reads its deprecated int `retry_after`; nothing to act on.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    async with BotApiServer(rate_limit=30) as started:
        yield started


@pytest.fixture
async def bot(server: BotApiServer) -> AsyncIterator[Bot]:
    async with bulk_bot(TOKEN, server.base_url, read_timeout=0.5) as started:
        yield started


def sends(server: BotApiServer, chat_id: int | None = None) -> list[int]:
    """Chat ids of the messages the server accepted, in order."""
    return [
        int(call.params["chat_id"])
        for call in server.api.requests("sendMessage")
        if call.status == 200 and (chat_id is None or call.params["chat_id"] == chat_id)
    ]


def fast(bot: Bot, **kw: float) -> BulkSender:
    """Short backoffs: the retries are what is tested, not the waiting."""
    options = {"backoff": 0.01, "max_backoff": 0.05, **kw}
    return BulkSender(bot, **options)  # type: ignore[arg-type]


# ---- the sender alone ---------------------------------------------------------------------
@pytest.mark.slow
async def test_429_waits_retry_after_then_sends(server: BotApiServer, bot: Bot) -> None:
    server.fail_chat(1, Fault.flood(retry_after=1, times=1))
    sender = fast(bot, concurrency=1)
    results = await sender.send_all(text_message(c, f"bonjour {c}") for c in (1, 2, 3))
    assert [(r.item.chat_id, r.status, r.attempts) for r in results] == [
        (1, "sent", 2), (2, "sent", 1), (3, "sent", 1),
    ]
    assert server.api.too_many_requests == 1
    calls = server.api.requests("sendMessage")
    refused = next(c for c in calls if c.status == 429)
    after = [c for c in calls if c.status == 200]
    assert all(c.at - refused.at >= 1.0 for c in after)  # nobody sent during retry_after


async def test_pause_holds_every_caller() -> None:
    pacer = Pacer(rate=1000.0)
    pacer.pause(0.2)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await asyncio.gather(pacer.acquire(), pacer.acquire())
    assert loop.time() - started >= 0.2


@pytest.mark.slow
async def test_403_is_blocked_and_never_retried(server: BotApiServer, bot: Bot) -> None:
    server.fail_chat(7, Fault.blocked())
    results = await fast(bot).send_all([text_message(7, "bonjour"), text_message(8, "bonjour")])
    by_chat = {r.item.chat_id: r for r in results}
    assert by_chat[7].status == "blocked" and by_chat[7].attempts == 1
    assert by_chat[8].status == "sent"
    assert len(server.api.requests("sendMessage")) == 2


@pytest.mark.slow
async def test_5xx_is_retried_with_backoff(server: BotApiServer, bot: Bot) -> None:
    server.fail_chat(3, Fault.server_error(502, times=2))
    (result,) = await fast(bot).send_all([text_message(3, "bonjour")])
    assert (result.status, result.attempts) == ("sent", 3)
    assert sends(server) == [3]


@pytest.mark.slow
async def test_5xx_that_persists_is_failed_for_the_next_run(
    server: BotApiServer, bot: Bot
) -> None:
    server.fail_chat(3, Fault.server_error(500))
    (result,) = await fast(bot, max_attempts=3).send_all([text_message(3, "bonjour")])
    assert (result.status, result.attempts) == ("failed", 3)
    assert len(server.api.requests("sendMessage")) == 3


@pytest.mark.slow
async def test_a_request_that_never_answers_is_retried(server: BotApiServer, bot: Bot) -> None:
    server.fail_chat(4, Fault.hang(times=1))  # the first request hangs: the client times out
    (result,) = await fast(bot).send_all([text_message(4, "bonjour")])
    assert (result.status, result.attempts) == ("sent", 2)
    assert sends(server) == [4]


@pytest.mark.slow
async def test_bad_request_is_not_retried(server: BotApiServer, bot: Bot) -> None:
    (result,) = await fast(bot).send_all([text_message(5, "   ")])  # empty text: 400
    assert (result.status, result.attempts) == ("failed", 1)


@pytest.mark.slow
async def test_results_are_reported_as_they_end(server: BotApiServer, bot: Bot) -> None:
    seen: list[Result] = []

    async def note(result: Result) -> None:
        seen.append(result)

    results = await fast(bot).send_all((text_message(c, "x") for c in range(1, 21)), note)
    assert sorted(r.item.chat_id for r in seen) == list(range(1, 21)) == sorted(sends(server))
    assert len(results) == 20


# ---- whole reminder runs --------------------------------------------------------------------
@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "bot.sqlite3"


def open_storage(path: Path, titre: Titre) -> Storage:
    return Storage(path, track=tracker_for(titre, STEPS), clock=lambda: NOW)


@pytest.fixture
def storage(db_path: Path, titre: Titre) -> Iterator[Storage]:
    store = open_storage(db_path, titre)
    yield store
    store.close()


def due_users(storage: Storage, users: range) -> None:
    """Users whose window closes 2026-09-01: their 12m step is due on TODAY."""
    for user in users:
        storage.declare(user, 1, date(2021, 9, 1), now=NOW)


@pytest.mark.slow
async def test_a_run_sends_one_each_then_nothing(
    server: BotApiServer, bot: Bot, storage: Storage, titre: Titre, catalogue: Catalogue
) -> None:
    due_users(storage, range(1, 31))
    server.fail_chat(13, Fault.blocked())
    server.fail_chat(21, Fault.flood(retry_after=1, times=1))
    server.fail_chat(34, Fault.server_error(500, times=1))

    async def run() -> str:
        summary = await run_reminders(
            storage, bot, titre=titre, catalogue=catalogue, steps=STEPS, today=TODAY, now=NOW,
            sender=fast(bot),
        )
        return summary.line()

    assert await run() == "due=30 sent=29 skipped=0 failed=0 blocked=1"
    assert Counter(sends(server)) == {user: 1 for user in range(1, 31) if user != 13}
    assert await run() == "due=0 sent=0 skipped=0 failed=0 blocked=0"
    tries_13 = [c for c in server.api.requests("sendMessage") if c.params["chat_id"] == 13]
    assert len(tries_13) == 1


@pytest.mark.slow
async def test_two_senders_at_once_send_each_reminder_once(
    server: BotApiServer, bot: Bot, db_path: Path, storage: Storage, titre: Titre,
    catalogue: Catalogue,
) -> None:
    due_users(storage, range(1, 41))
    other = open_storage(db_path, titre)  # a second process would open its own connection
    try:
        first, second = await asyncio.gather(
            *(
                run_reminders(
                    store, bot, titre=titre, catalogue=catalogue, steps=STEPS, today=TODAY,
                    now=NOW, owner=f"other-host:{name}", sender=fast(bot),
                )
                for name, store in ((1, storage), (2, other))
            )
        )
    finally:
        other.close()
    assert Counter(sends(server)) == {user: 1 for user in range(1, 41)}
    assert first.sent + second.sent == 40
    assert first.sent > 0 and second.sent > 0  # both really ran at the same time
    assert first.skipped + second.skipped == 40


@pytest.mark.slow
async def test_a_run_cancelled_in_the_middle_loses_nothing(
    server: BotApiServer, bot: Bot, storage: Storage, titre: Titre, catalogue: Catalogue
) -> None:
    due_users(storage, range(1, 41))
    server.api.delay = 0.02

    def start() -> asyncio.Task[object]:
        return asyncio.create_task(
            run_reminders(
                storage, bot, titre=titre, catalogue=catalogue, steps=STEPS, today=TODAY,
                now=NOW, sender=fast(bot),
            )
        )

    task = start()
    await server.api.wait_for(lambda: len(sends(server)) >= 10, timeout=10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert len(set(sends(server))) < 40  # it was stopped before the end
    await start()
    received = Counter(sends(server))
    assert set(received) == set(range(1, 41))  # nobody missed
    repeats = sum(n - 1 for n in received.values())
    assert repeats <= 8  # at most the messages in flight (the sender's concurrency)


@pytest.mark.slow
async def test_remind_command_killed_then_rerun(
    server: BotApiServer, storage: Storage, db_path: Path
) -> None:
    """`python -m bot remind` killed with SIGKILL mid-run, then run again: nobody is missed and
    repeats are at most the few messages in flight."""
    users = range(1, 81)
    due_users(storage, users)
    storage.close()
    server.api.delay = 0.01
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": server.base_url,
        "BOT_DB": str(db_path),
        "BOT_TIMEZONE": "Europe/Paris",
    }
    command = [sys.executable, "-m", "bot", "remind", "--today", TODAY.isoformat()]

    async def spawn() -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(
            *command, cwd=ROOT, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )

    first = await spawn()
    await server.api.wait_for(lambda: len(sends(server)) >= 20, timeout=60)
    first.send_signal(signal.SIGKILL)
    await first.wait()
    assert len(set(sends(server))) < len(users)

    second = await spawn()
    out, err = await asyncio.wait_for(second.communicate(), timeout=120)
    assert second.returncode == 0, err.decode()[-2000:]
    received = Counter(sends(server))
    assert set(received) == set(users)
    assert sum(n - 1 for n in received.values()) <= 8
    assert out.decode().strip().startswith("due=")
