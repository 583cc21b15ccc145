"""Issue 14 figures: an advisor's view and the advisors' weekly digest.

1. /mescandidats for an advisor with 2,000 consenting candidates, through the real Application
   (offline transport, real SQLite file): time from the update to the first page sent, and the
   page query alone.
2. The weekly digest to 500 advisors (4 consenting candidates each) by `run_digests` against
   the local Bot API server in a process of its own refusing a 31st message in any second,
   30 ms of latency: the rate, 429 answers, exactly one digest each, a second run sending none.
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench.api_process import separate_server
from bot.offline import FakeBotApi
from bot.offline.model import text_of
from bot.sending.bulk import bulk_bot
from bot.sending.digest import run_digests
from bot.sending.reminders import steps_from
from bot.storage import Storage
from bot.storage.tracking import tracker_for
from conversations.i18n import Catalogue
from knowledge.engine import Engine
from knowledge.loader import default_titre_path, load_titre
from tests.botapi_server import TOKEN
from tests.conv_support import Knowledge, started

STEPS = steps_from(("12m", "6m", "3m", "1m", "2w", "1w", "1d"))
NOW = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)  # tests/conv_support.py's "today"
ADVISOR = 5_000_000
LATENCY = 0.03


def _fill(store: Storage, advisor: int, candidates: range, *, recent: bool = False) -> str:
    """An advisor who talks to the bot and `candidates` who said yes, each with 1-3 CCPs."""
    code = store.register_advisor(f"Conseiller {advisor}", advisor)
    store.touch_user(advisor, now=NOW)
    for uid in candidates:
        store.offer_consent(uid, code, now=NOW)
        store.set_consent(uid, code, True, shown_name=f"Cand{uid % 100000}", now=NOW)
        first = date(2021, 1, 1) + timedelta(days=uid % 1500)
        for n in range(1, 1 + uid % 3 + 1):
            declared_at = NOW - timedelta(days=2 if recent and n == 1 else 30)
            store.declare(uid, n, first + timedelta(days=90 * (n - 1)), now=declared_at)
    return code


async def _advisor_view(knowledge: Knowledge, candidates: int, rounds: int = 20) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp)
        store = Storage(path / "bot.sqlite3", track=tracker_for(knowledge.titre, STEPS),
                        clock=lambda: NOW)  # fmt: skip
        t0 = time.perf_counter()
        code = _fill(store, ADVISOR, range(1_000_001, 1_000_001 + candidates))
        fill = time.perf_counter() - t0
        queries = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            total, page = store.shared_candidates(code, today=NOW.date(), offset=0, limit=8)
            queries.append(time.perf_counter() - t0)
        store.close()
        api = FakeBotApi()
        features = ("advisors", "consent", "stale")
        async with started(path, knowledge, api, features=features) as conv:
            times = []
            for _ in range(rounds):
                t0 = time.perf_counter()
                said = await conv.send("/mescandidats", user_id=ADVISOR)
                times.append(time.perf_counter() - t0)
            first_page = text_of(said[-1])
        assert f"Partagent leur progression avec vous : {candidates}" in first_page
        print(f"advisor view, {candidates} consenting candidates (filled in {fill:.1f} s): "
              f"/mescandidats to first page median {statistics.median(times) * 1000:.1f} ms, "
              f"max {max(times) * 1000:.1f} ms; page query alone median "
              f"{statistics.median(queries) * 1000:.2f} ms ({total} sharing, {len(page)} shown); "
              f"page size {len(first_page)} characters")  # fmt: skip


async def _digest(advisors: int, per_advisor: int) -> None:
    titre = load_titre(default_titre_path())
    catalogue = Catalogue.load()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bot.sqlite3"
        store = Storage(path, track=tracker_for(titre, STEPS), clock=lambda: NOW)
        for n in range(advisors):
            first = 2_000_000 + n * per_advisor
            _fill(store, ADVISOR + 1 + n, range(first, first + per_advisor), recent=n % 2 == 0)
        gc.collect()
        gc.freeze()
        async with (
            separate_server(30, LATENCY) as served,
            bulk_bot(TOKEN, served.base_url) as bot,
        ):
            t0 = time.perf_counter()
            summary = await run_digests(store, bot, catalogue=catalogue,
                                        today=NOW.date(), now=NOW)  # fmt: skip
            wall = time.perf_counter() - t0
            again = await run_digests(store, bot, catalogue=catalogue, today=NOW.date(),
                                      now=NOW + timedelta(hours=1))  # fmt: skip
        store.close()
        sends = served.sends
        counts = Counter(chat for chat, _ in sends)
        span = sends[-1][1] - sends[0][1] if len(sends) > 1 else 0.0
        rate = (len(sends) - 1) / span if span > 0 else 0.0
        worst = max((sum(1 for _, at in sends if s <= at < s + 1.0) for _, s in sends), default=0)
        print(f"weekly digest, {advisors} advisors x {per_advisor} consenting candidates: "
              f"{summary.line()}")  # fmt: skip
        print(f"  rate {rate:.1f} msg/s, at most {worst} in any second, wall {wall:.1f} s; "
              f"429 answers: {served.too_many}; advisors with exactly one: "
              f"{sum(1 for v in counts.values() if v == 1)}/{advisors}; "
              f"second run: {again.line()}")  # fmt: skip


def run() -> None:
    titre = load_titre(default_titre_path())
    knowledge = Knowledge(titre, Engine(titre), Catalogue.load())
    asyncio.run(_advisor_view(knowledge, 2000))
    asyncio.run(_digest(500, 4))
