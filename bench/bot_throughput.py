"""Issue 3's figure: the real bot beside a minimal echo bot when a crowd asks at once.

200 users each ask three questions (the next one as soon as the previous reply arrives),
all starting together, by long polling against the local Bot API server (tests/botapi_server.py)
that delays every answer by about 30 ms, as a round trip to Telegram would. Both bots run in
the same process, one after the other, on fresh servers, measured by the same code
(`bench.http_load.measure`). Printed: replies per second, reply latency p50/p99, the ratio.

The echo bot is given the same concurrency and connection pool as the real bot (64 updates
at once, 64 connections) and no rate limiter: the yardstick is what the transport allows, so the
ratio shows what the real bot's own work costs. Target: ratio >= 0.5, every question answered.

`python -m bench bot_throughput`, or `python -m bench.bot_throughput [USERS [QUESTIONS]] [--profile]`
(`--profile` prints where the real bot's time goes, with cProfile).
"""

from __future__ import annotations

import asyncio
import cProfile
import io
import pstats
import sys
import tempfile
from functools import partial
from pathlib import Path

from bench.echo_bot import echo_app
from bench.http_load import DELAY, Figures, measure_on_fresh_server, real_bot_factory

USERS = 200
QUESTIONS_EACH = 3
TARGET_RATIO = 0.5
# Real questions, so the real bot does its real work (normalise, match, render, log).
QUESTIONS = ("c koi la VAE ?", "c'est quoi le CCP 2 ?", "combien de temps pour finir le titre ?")
ECHO_OPTIONS = {"concurrency": 64, "pool_size": 64}


async def compare(users: int = USERS, questions_each: int = QUESTIONS_EACH) -> dict[str, Figures]:
    """Echo bot then real bot, same load, same server settings; prints as it goes."""
    print(
        f"{users} users x {questions_each} questions at once, long polling, "
        f"server delay {DELAY * 1000:.0f} ms per request"
    )
    load = {"users": users, "questions_each": questions_each, "questions": QUESTIONS}
    echo = await measure_on_fresh_server(partial(echo_app, **ECHO_OPTIONS), **load)
    print(echo.line("echo bot (concurrent 64, pool 64)"), flush=True)
    figures = {"echo": echo}
    with tempfile.TemporaryDirectory() as tmp:
        factory = real_bot_factory(Path(tmp))
        if factory is None:
            return figures
        real = await measure_on_fresh_server(factory, **load)
    figures["real"] = real
    print(real.line("real bot (bot.app.build_application)"))
    ratio = real.rate / echo.rate if echo.rate else 0.0
    verdict = "ok" if ratio >= TARGET_RATIO and real.replies == real.expected else "SHORT"
    print(f"ratio real / echo: {ratio:.2f} (target >= {TARGET_RATIO:.2f}) -> {verdict}")
    if real.replies != real.expected:
        print(f"  unanswered questions: {real.expected - real.replies}")
    return figures


def profile(users: int = USERS, questions_each: int = QUESTIONS_EACH, top: int = 25) -> None:
    """The real bot alone under cProfile: the functions that take its time (cumulative)."""
    load = {"users": users, "questions_each": questions_each, "questions": QUESTIONS}
    profiler = cProfile.Profile()
    with tempfile.TemporaryDirectory() as tmp:
        factory = real_bot_factory(Path(tmp))
        if factory is None:
            return
        profiler.enable()
        figures = asyncio.run(measure_on_fresh_server(factory, **load))
        profiler.disable()
    print(figures.line("real bot, under cProfile (slower)"))
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    print(out.getvalue())


def run() -> None:
    """Entry point for `python -m bench` (bench/__main__.py)."""
    asyncio.run(compare())


if __name__ == "__main__":
    numbers = [int(a) for a in sys.argv[1:] if a.isdigit()]
    if "--profile" in sys.argv:
        profile(*numbers)
    else:
        asyncio.run(compare(*numbers))
