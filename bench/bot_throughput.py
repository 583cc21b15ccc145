"""Issue 3's figure: the real bot beside a minimal echo bot when a crowd asks at once.

200 users each ask three questions (the next one as soon as the previous reply arrives),
all starting together, by long polling against the local Bot API server (tests/botapi_server.py)
that delays every answer by about 30 ms, as a round trip to Telegram would. The bots run in
the same process one after the other, each on a fresh server, measured by the same code
(`bench.http_load.measure`). Printed: replies per second, reply latency p50/p99, the ratio.

The yardstick is the better of two echo bots without rate limiter: one with the real bot's
concurrency and pool (64/64), one with 16/16 (the best measured on this 2-core machine:
httpcore's pool bookkeeping grows with pool size x waiting requests). Target: ratio >= 0.5,
every question answered.

    python -m bench bot_throughput
    python -m bench.bot_throughput [USERS [QUESTIONS]] [--what-if] [--profile]

`--what-if` measures the real bot with the settings proposed for bot/app.py (see `_what_if`);
`--profile` prints where the real bot's time goes, with cProfile.
"""

from __future__ import annotations

import asyncio
import contextlib
import cProfile
import io
import pstats
import sys
import tempfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from unittest import mock

from bench.echo_bot import echo_app
from bench.http_load import (
    DELAY,
    AppFactory,
    Figures,
    measure_on_fresh_server,
    real_bot_factory,
)

USERS = 200
QUESTIONS_EACH = 3
TARGET_RATIO = 0.5
# Real questions, so the real bot does its real work (normalise, match, render, log).
QUESTIONS = ("c koi la VAE ?", "c'est quoi le CCP 2 ?", "combien de temps pour finir le titre ?")
ECHO_SETTINGS = ((64, 64), (16, 16))  # (concurrent updates, connection pool)
WHAT_IF_CONCURRENCY = 16


async def _measure(factory: AppFactory, users: int, questions_each: int) -> Figures:
    return await measure_on_fresh_server(
        factory, users=users, questions_each=questions_each, questions=QUESTIONS
    )


async def compare(
    users: int = USERS, questions_each: int = QUESTIONS_EACH, *, what_if: bool = False
) -> dict[str, Figures]:
    """Echo bots then the real bot, same load, fresh servers; prints as it goes."""
    print(
        f"{users} users x {questions_each} questions at once, long polling, "
        f"server delay {DELAY * 1000:.0f} ms per request"
    )
    figures: dict[str, Figures] = {}
    for concurrency, pool in ECHO_SETTINGS:
        label = f"echo bot (concurrent {concurrency}, pool {pool})"
        factory = partial(echo_app, concurrency=concurrency, pool_size=pool)
        figures[label] = await _measure(factory, users, questions_each)
        print(figures[label].line(label), flush=True)
    echo = max(figures.values(), key=lambda f: f.rate)
    label = "real bot (bot.app.build_application)"
    if what_if:
        label = f"real bot, no overall cap, concurrent/pool {WHAT_IF_CONCURRENCY}"
    with tempfile.TemporaryDirectory() as tmp, _what_if(what_if):
        real_factory = real_bot_factory(Path(tmp))
        if real_factory is None:
            return figures
        real = await _measure(real_factory, users, questions_each)
    figures[label] = real
    print(real.line(label))
    ratio = real.rate / echo.rate if echo.rate else 0.0
    verdict = "ok" if ratio >= TARGET_RATIO and real.replies == real.expected else "SHORT"
    print(f"ratio real / best echo: {ratio:.2f} (target >= {TARGET_RATIO:.2f}) -> {verdict}")
    if real.replies != real.expected:
        print(f"  unanswered questions: {real.expected - real.replies}")
    return figures


@contextlib.contextmanager
def _what_if(enabled: bool) -> Iterator[None]:
    """The real bot with the settings proposed for bot/app.py, patched in for one run.

    Replies have no overall cap (bot.sending.replies retries 429s); the reminders keep their
    own 30/s pacing in bot/sending/bulk.py. 16 concurrent updates and 16 connections, because
    httpcore's pool slows down as it grows.
    """
    if not enabled:
        yield
        return
    import bot.app

    with mock.patch.object(bot.app, "MAX_CONCURRENT_UPDATES", WHAT_IF_CONCURRENCY):
        yield


def profile(users: int = USERS, questions_each: int = QUESTIONS_EACH, top: int = 25) -> None:
    """The real bot alone under cProfile: the functions that take its time."""
    profiler = cProfile.Profile()
    with tempfile.TemporaryDirectory() as tmp, _what_if("--what-if" in sys.argv):
        factory = real_bot_factory(Path(tmp))
        if factory is None:
            return
        profiler.enable()
        figures = asyncio.run(_measure(factory, users, questions_each))
        profiler.disable()
    print(figures.line("real bot, under cProfile (slower)"))
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(r"conversations|knowledge|/bot/", top)
    print(out.getvalue())


def run() -> None:
    """Entry point for `python -m bench` (bench/__main__.py)."""
    asyncio.run(compare())


if __name__ == "__main__":
    numbers = [int(a) for a in sys.argv[1:] if a.isdigit()]
    if "--profile" in sys.argv:
        profile(*numbers)
    else:
        asyncio.run(compare(*numbers, what_if="--what-if" in sys.argv))
