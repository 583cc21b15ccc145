"""Issue 12's figures: replies when Telegram is slow or failing.

1. Time to a first reply at 30 questions a second (Telegram's ceiling) from 300 users, with
   a 30 ms round trip on every request: the real bot (`bot.app.build_application`) by long
   polling against the local Bot API server. Two figures: in the bot (from the getUpdates
   answer carrying the question to the reply's request reaching the server; target p99 under
   50 ms) and end to end (from the question's arrival at the server to the reply recorded,
   which adds the simulated round trips).
2. A soak: thousands of updates from 300 users (questions, /start, declarations, buttons,
   inline queries, a lone surrogate, a poison update) while sendMessage fails for a few
   seconds at a time (500, 429 with retry_after, requests that hang): every private question
   must get its real answer (never the generic error), with no error logged.

    python -m bench resilience_bench
    python -m bench.resilience_bench [UPDATES]
"""

from __future__ import annotations

import asyncio
import gc
import logging
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bot.app import build_application, running
from bot.config import Settings
from bot.offline import FakeBotApi, Fault
from bot.offline.model import text_of
from tests.botapi_server import BotApiServer

USERS = 300
RATE = 30.0  # questions a second
DELAY = 0.030
QUESTIONS = ("c koi la VAE ?", "c'est quoi le CCP 2 ?", "combien de temps pour finir le titre ?",
             "qu'est-ce que le DSPP ?", "c'est quoi l'épreuve de synthèse ?")
GENERIC_ERROR = "quelque chose s'est mal passé"
POISON = {  # a "kicked" member update without until_date: the library cannot parse it
    "update_id": 10**9,
    "my_chat_member": {
        "chat": {"id": 8, "type": "private", "first_name": "Camille"},
        "from": {"id": 8, "is_bot": False, "first_name": "Camille"},
        "date": 1700000000,
        "old_chat_member": {"user": {"id": 8, "is_bot": False, "first_name": "C"},
                            "status": "member"},
        "new_chat_member": {"user": {"id": 8, "is_bot": False, "first_name": "C"},
                            "status": "kicked"},
    },
}


class _ErrorCount(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name != "tornado.access":  # the stand-in's own 5xx lines are expected
            error = record.exc_info[1] if record.exc_info else None
            cause = f" ({type(error).__name__}: {error})" if error is not None else ""
            self.messages.append(record.getMessage() + cause)


def _settings(server: BotApiServer, folder: Path) -> Settings:
    return Settings(token=server.token, base_url=server.base_url, db_path=folder / "b.sqlite3")


async def first_reply(seconds: float = 20.0) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with BotApiServer(delay=DELAY) as server:
            application = build_application(_settings(server, Path(tmp)))
            async with running(application, polling=True):
                await server.ask("warm-up", user_id=1, timeout=30.0)
                gc.collect()
                gc.freeze()  # as `python -m bot run` does once started
                api = server.api
                latencies: list[float] = []
                in_bot: list[float] = []

                async def one(user: int, question: str) -> None:
                    since = api.mark()
                    asked = time.monotonic()
                    update_id = api.user_sends(question, user_id=user)["update_id"]
                    await api.wait_messages(user, 1, since, timeout=30.0)
                    latencies.append(time.monotonic() - asked)
                    fetched = next(
                        c.at for c in api.calls[since:]
                        if c.method == "getupdates"
                        and any(u["update_id"] == update_id for u in c.result or [])
                    )
                    replied = next(
                        c.at for c in api.calls[since:]
                        if c.method == "sendmessage" and c.params.get("chat_id") == user
                    )
                    in_bot.append(replied - DELAY - fetched)  # the reply's request arrived

                tasks = []
                count = int(seconds * RATE)
                started = time.monotonic()
                for n in range(count):
                    await asyncio.sleep(max(0.0, started + n / RATE - time.monotonic()))
                    user = 10_000 + n % USERS
                    tasks.append(asyncio.create_task(one(user, QUESTIONS[n % len(QUESTIONS)])))
                await asyncio.gather(*tasks)
                gc.unfreeze()
        for label, values in (("in the bot (update fetched -> reply sent)", in_bot),
                              ("end to end (asked -> reply delivered)", latencies)):
            ordered = sorted(values)
            p99 = ordered[int(0.99 * len(ordered)) - 1]
            print(
                f"first reply at {RATE:.0f} questions/s from {USERS} users, {DELAY * 1000:.0f} "
                f"ms round trip, {label}: {len(ordered)} answered, p50 "
                f"{statistics.median(ordered) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, max "
                f"{ordered[-1] * 1000:.0f} ms"
            )
        print("  (end to end includes the stand-in's 30 ms on getUpdates and on sendMessage)")


Asked = list[tuple[int, str, int]]  # (user, question, position in the calls when asked)


async def _traffic(api: FakeBotApi, chance: random.Random, updates: int) -> tuple[Asked, int]:
    """The soak's updates, with a sendMessage outage of 3 s every 1500: what was asked, and
    how many outages there were."""
    asked: Asked = []
    faults = (Fault.server_error(500), Fault.flood(retry_after=2, times=None),
              Fault.hang(), Fault.server_error(502))
    outages = 0
    for n in range(updates):
        if n % 1500 == 700:
            api.outage(faults[(n // 1500) % len(faults)], 3.0)
            outages += 1
        user = 20_000 + chance.randrange(USERS)
        kind = chance.random()
        if kind < 0.6:
            question = chance.choice(QUESTIONS)
            asked.append((user, question, api.mark()))
            api.user_sends(question, user_id=user)
        elif kind < 0.7:
            api.user_sends("/start", user_id=user)
        elif kind < 0.8:
            api.user_sends(f"/declarer {chance.randint(1, 3)} 12/03/2022", user_id=user)
        elif kind < 0.9:
            api.user_inline_query("vae", user_id=user)
        else:
            api.user_sends("c koi la VAE \ud83d ?", user_id=user)
        if n % 30 == 29:
            await asyncio.sleep(0.05)  # about 600 updates a second, in bursts
    return asked, outages


def _title(text: str) -> str:
    """An answer's first line names its topic; the rest may speak of the user's own CCPs."""
    return text.split("\n", 1)[0]


def _missing(api: FakeBotApi, asked: Asked, expected: dict[str, str]) -> Asked:
    """The questions not yet answered with their own answer since they were asked."""
    seen: dict[int, list[tuple[int, str]]] = {}  # one pass over the calls
    for index, call in enumerate(api.calls):
        if call.status == 200 and call.method == "sendmessage":
            chat = call.result["chat"]["id"]
            seen.setdefault(chat, []).append((index, _title(text_of(call.result))))
    return [
        (user, question, since)
        for user, question, since in asked
        if not any(
            at >= since and line == _title(expected[question])
            for at, line in seen.get(user, [])
        )
    ]


async def soak(updates: int = 10_000) -> None:
    """Generated traffic with sendMessage outages; every private question checked."""
    errors = _ErrorCount()
    logging.getLogger().addHandler(errors)
    chance = random.Random(12)
    with tempfile.TemporaryDirectory() as tmp:
        async with BotApiServer(delay=0.005) as server:
            api = server.api
            application = build_application(_settings(server, Path(tmp)))
            async with running(application, polling=True):
                await server.ask("warm-up", user_id=1, timeout=30.0)
                expected = {q: text_of((await server.ask(q, user_id=2))[0]) for q in QUESTIONS}
                started = time.monotonic()
                asked, outages = await _traffic(api, chance, updates)
                api.push(POISON)

                deadline = time.monotonic() + 180.0
                while (left := _missing(api, asked, expected)) and time.monotonic() < deadline:
                    await asyncio.sleep(1.0)
                answered = len(asked) - len(left)
                seconds = time.monotonic() - started
            generic = sum(GENERIC_ERROR in text_of(m) for m in api.visible())
            failed_calls = sum(1 for c in api.calls if c.status >= 500 or c.status == 429)
    logging.getLogger().removeHandler(errors)
    print(
        f"soak: {updates} updates from {USERS} users in {seconds:.0f} s with {outages} "
        f"sendMessage outages of 3 s (500, 429, hang, 502 in turn; {failed_calls} requests "
        f"refused or hung): {answered}/{len(asked)} private questions got their own answer, "
        f"{generic} generic error messages, {len(errors.messages)} errors logged"
    )
    for message in errors.messages[:3]:
        print(f"  error logged: {message[:300]}")
    for user, question, since in left[:3]:
        got = [text_of(m)[:50] for m in api.visible(user, since)]
        print(f"  not answered as expected: {question!r} (user {user}, expected "
              f"{expected[question][:50]!r}) got {got}")


def run() -> None:
    """Entry point for `python -m bench` (bench/__main__.py)."""
    logging.getLogger("tornado.access").setLevel(logging.CRITICAL)
    asyncio.run(first_reply())
    asyncio.run(soak())


if __name__ == "__main__":
    logging.getLogger("tornado.access").setLevel(logging.CRITICAL)
    numbers = [int(a) for a in sys.argv[1:] if a.isdigit()]
    asyncio.run(first_reply())
    asyncio.run(soak(*numbers))
