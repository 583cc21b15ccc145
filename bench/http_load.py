"""Replies per second and reply latency when many users ask at once, over real HTTP.

The bot runs by long polling against the local Bot API server (tests/botapi_server.py),
which delays every answer by about 30 ms like a round trip to Telegram. Each simulated user
sends a question, waits for the reply, then asks the next one; all users start together.

`python -m bench.http_load` compares echo-bot settings (sequential, bounded concurrency,
connection pool sizes) and, when `bot.app` can be built, the real bot against the echo bot.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from bench.echo_bot import echo_app
from bot.app import running
from tests.botapi_server import BotApiServer

AppFactory = Callable[[str, str], Any]  # (token, base_url) -> Application
QUESTIONS = ("c'est quoi la VAE ?", "combien de CCP ?", "quel délai après le premier CCP ?")
DELAY = 0.030


@dataclass(frozen=True, slots=True)
class Figures:
    replies: int
    expected: int
    seconds: float
    p50_ms: float
    p99_ms: float
    too_many_requests: int

    @property
    def rate(self) -> float:
        return self.replies / self.seconds if self.seconds else 0.0

    def line(self, label: str) -> str:
        return (
            f"{label:<56} {self.rate:7.1f} replies/s  p50 {self.p50_ms:6.0f} ms  "
            f"p99 {self.p99_ms:6.0f} ms  ({self.replies}/{self.expected} answered, "
            f"{self.too_many_requests} x 429)"
        )


async def measure(
    app_factory: AppFactory,
    server: BotApiServer,
    users: int = 200,
    questions_each: int = 3,
    *,
    questions: Sequence[str] = QUESTIONS,
    timeout: float = 60.0,
) -> Figures:
    """Run the Application from `app_factory` by long polling and time every reply."""
    api = server.api
    latencies: list[float] = []
    application = app_factory(server.token, server.base_url)
    async with running(application, polling=True):
        await api.ask("warm-up", user_id=1, timeout=timeout)  # connections and caches ready
        first_429 = api.too_many_requests

        async def user(user_id: int) -> None:
            for number in range(questions_each):
                since = api.mark()
                asked = time.perf_counter()
                api.user_sends(questions[number % len(questions)], user_id=user_id)
                await api.wait_messages(user_id, 1, since, timeout)
                latencies.append(time.perf_counter() - asked)

        started = time.perf_counter()
        outcomes = await asyncio.gather(
            *(user(100_000 + n) for n in range(users)), return_exceptions=True
        )
        seconds = time.perf_counter() - started
    failed = [o for o in outcomes if isinstance(o, BaseException)]
    if failed:
        print(f"  {len(failed)} users did not get every reply: {failed[0]!r}", file=sys.stderr)
    ordered = sorted(latencies) or [0.0]
    return Figures(
        replies=len(latencies),
        expected=users * questions_each,
        seconds=seconds,
        p50_ms=1000 * statistics.median(ordered),
        p99_ms=1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))],
        too_many_requests=api.too_many_requests - first_429,
    )


async def measure_on_fresh_server(
    app_factory: AppFactory, *, delay: float = DELAY, rate_limit: int | None = None, **kw: Any
) -> Figures:
    async with BotApiServer(delay=delay, rate_limit=rate_limit) as server:
        return await measure(app_factory, server, **kw)


def real_bot_factory(db_dir: Path) -> AppFactory | None:
    """The project's bot (`bot.app.build_application`) pointed at the local server, if it builds."""
    try:
        from bot.app import build_application
        from bot.config import Settings
    except ImportError as error:
        print(f"  (real bot not measured: {error})")
        return None

    def factory(token: str, base_url: str) -> Any:
        settings = Settings(token=token, base_url=base_url, db_path=db_dir / "bench.sqlite3")
        return build_application(settings)

    return factory


ECHO_VARIANTS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("echo, one update at a time", {"concurrency": None, "pool_size": 1}),
    ("echo, concurrent 16, pool 8", {"concurrency": 16, "pool_size": 8}),
    ("echo, concurrent 24, pool 24", {"concurrency": 24, "pool_size": 24}),
    ("echo, concurrent 32, pool 16", {"concurrency": 32, "pool_size": 16}),
    ("echo, concurrent 64, pool 64", {"concurrency": 64, "pool_size": 64}),
    ("echo, concurrent 256, pool 64", {"concurrency": 256, "pool_size": 64}),
    ("echo, concurrent 24, pool 24, AIORateLimiter(overall 0)",
     {"concurrency": 24, "pool_size": 24, "rate_limiter": True, "overall_max_rate": 0}),
    ("echo, concurrent 24, pool 24, AIORateLimiter(30/s)",
     {"concurrency": 24, "pool_size": 24, "rate_limiter": True}),
)


async def compare(users: int = 200, questions_each: int = 3) -> dict[str, Figures]:
    """Every echo variant, then the real bot beside the best echo, printed as they come."""
    print(f"{users} users x {questions_each} questions, server delay {DELAY * 1000:.0f} ms")
    figures: dict[str, Figures] = {}
    for label, options in ECHO_VARIANTS:
        factory = partial(echo_app, **options)
        figures[label] = await measure_on_fresh_server(
            factory, users=users, questions_each=questions_each
        )
        print(figures[label].line(label), flush=True)
    best = max(figures, key=lambda k: figures[k].rate if "30/s" not in k else 0.0)
    print(f"best echo setting: {best}")
    with tempfile.TemporaryDirectory() as tmp:
        factory_or_none = real_bot_factory(Path(tmp))
        if factory_or_none is not None:
            try:
                real = await measure_on_fresh_server(
                    factory_or_none, users=users, questions_each=questions_each
                )
            except Exception as error:  # the bench reports; it never hides the figures above
                print(f"  (real bot not measured: {error!r})")
                return figures
            figures["real bot"] = real
            print(real.line("real bot (bot.app.build_application)"))
            ratio = real.rate / figures[best].rate
            print(f"ratio real bot / best echo: {ratio:.2f} (target >= 0.50)")
            limited = figures[ECHO_VARIANTS[-1][0]]
            same_limits = real.rate / limited.rate
            print(f"ratio real bot / echo with AIORateLimiter(30/s): {same_limits:.2f}")
    return figures


def run() -> None:
    """Entry point for `python -m bench` (bench/__main__.py)."""
    asyncio.run(compare())


if __name__ == "__main__":
    # python -m bench.http_load [USERS [QUESTIONS_EACH]]
    numbers = [int(a) for a in sys.argv[1:3]]
    asyncio.run(compare(*numbers))
