"""Reminder delivery figures against the local Bot API server enforcing 30 messages a second.

1. 2,000 reminders sent by `run_reminders` (real Storage, real HTTP on 127.0.0.1 to the server
   in a process of its own, 30 ms of simulated latency): the rate achieved and the number of
   429 answers from a server that refuses a 31st message in any second.
2. Issue 5's acceptance run: 600 users due the same day, sent by `python -m bot remind` in a
   separate process: exactly one reminder each, the rate, a second run sending nothing, and a
   user who blocked the bot tried once only.
3. The timeline picture: drawing time and size.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

from bench.api_process import separate_server
from bot.offline import Fault
from bot.sending.bulk import bulk_bot
from bot.sending.reminders import run_reminders, steps_from
from bot.storage import Storage
from bot.storage.tracking import tracker_for
from conversations.i18n import Catalogue
from knowledge.loader import default_titre_path, load_titre
from tests.botapi_server import TOKEN, BotApiServer

ROOT = Path(__file__).resolve().parent.parent
STEPS = steps_from(("12m", "6m", "3m", "1m", "2w", "1w", "1d"))
TODAY = date(2026, 1, 5)
NOW = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
LATENCY = 0.03  # seconds per request, a little under a real round trip to Telegram


def _fill(path: Path, users: int) -> None:
    """`users` users whose 12m step is due on TODAY (window closes 2026-09-01)."""
    titre = load_titre(default_titre_path())
    store = Storage(path, track=tracker_for(titre, STEPS), clock=lambda: NOW)
    try:
        for user in range(1, users + 1):
            store.declare(user, 1, date(2021, 9, 1), now=NOW)
    finally:
        store.close()


def _sends(server: BotApiServer) -> list[tuple[int, float]]:
    return [
        (int(c.params["chat_id"]), c.at)
        for c in server.api.requests("sendMessage")
        if c.status == 200
    ]


def _rate(sends: list[tuple[int, float]]) -> float:
    if len(sends) < 2:
        return 0.0
    span = sends[-1][1] - sends[0][1]
    return (len(sends) - 1) / span if span > 0 else float("inf")


async def _in_process(users: int) -> None:
    """The server runs in its own process (bench/api_process.py), like Telegram."""
    titre = load_titre(default_titre_path())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bot.sqlite3"
        _fill(path, users)
        store = Storage(path, track=tracker_for(titre, STEPS), clock=lambda: NOW)
        gc.collect()
        gc.freeze()  # as the bot and `python -m bot remind` do after start-up
        async with (
            separate_server(30, LATENCY) as served,
            bulk_bot(TOKEN, served.base_url) as bot,
        ):
            started = time.perf_counter()
            summary = await run_reminders(
                store, bot, titre=titre, catalogue=Catalogue.load(), steps=STEPS,
                today=TODAY, now=NOW,
            )
            wall = time.perf_counter() - started
        sends = served.sends
        counts = Counter(chat for chat, _ in sends)
        print(f"run_reminders, {users} users: {summary.line()}")
        print(
            f"  rate {_rate(sends):.1f} msg/s (wall {wall:.1f} s, {users / wall:.1f} msg/s "
            f"including the due query and claims); 429 answers: {served.too_many}; "
            f"users with exactly one: {sum(1 for n in counts.values() if n == 1)}/{users}"
        )
        store.close()


async def _cli_run(server: BotApiServer, env: dict[str, str]) -> tuple[str, float]:
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "remind", "--today", TODAY.isoformat(),
        cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    if process.returncode not in (0, 1):
        print(err.decode()[-1500:])
    return out.decode().strip(), time.perf_counter() - started


async def _acceptance(users: int, blocked: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bot.sqlite3"
        _fill(path, users)
        async with BotApiServer(rate_limit=30, delay=LATENCY) as server:
            server.fail_chat(blocked, Fault.blocked())
            env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN,
                   "TELEGRAM_BASE_URL": server.base_url, "BOT_DB": str(path)}
            line, wall = await _cli_run(server, env)
            sends = _sends(server)
            counts = Counter(chat for chat, _ in sends)
            print(f"python -m bot remind, {users} users due (user {blocked} blocked): {line}")
            print(
                f"  rate {_rate(sends):.1f} msg/s (process wall {wall:.1f} s with start-up); "
                f"429 answers: {server.api.too_many_requests}; exactly one each: "
                f"{all(counts[u] == 1 for u in range(1, users + 1) if u != blocked)}"
            )
            mark = server.api.mark()
            line, _ = await _cli_run(server, env)
            again = server.api.requests("sendMessage", since=mark)
            calls = server.api.requests("sendMessage")
            tries = [c for c in calls if c.params["chat_id"] == blocked]
            print(f"  second run the same day: {line} (requests sent: {len(again)}); "
                  f"blocked user tried {len(tries)} time(s)")


def _timeline() -> None:
    started = time.perf_counter()
    from conversations.i18n import Catalogue
    from conversations.timeline import TimelineTexts, ccp_marks, timeline_png

    texts = TimelineTexts.from_catalogue(Catalogue.load(), "fr")

    declared = {1: date(2023, 4, 12), 2: date(2023, 6, 1)}
    first = timeline_png(ccp_marks(declared), closes_on=date(2028, 4, 12), today=TODAY, texts=texts)
    cold = time.perf_counter() - started
    times = []
    for _ in range(10):
        t0 = time.perf_counter()
        timeline_png(ccp_marks(declared), closes_on=date(2028, 4, 12), today=TODAY, texts=texts)
        times.append(time.perf_counter() - t0)
    print(
        f"timeline PNG: {len(first) / 1024:.1f} KB; first call {cold * 1000:.0f} ms (imports "
        f"matplotlib), then median {statistics.median(times) * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms"
    )


def run() -> None:
    logging.getLogger("tornado.access").setLevel(logging.ERROR)  # 429/403 lines are expected
    _timeline()
    asyncio.run(_in_process(2000))
    asyncio.run(_acceptance(600, blocked=77))
