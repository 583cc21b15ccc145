"""The advisors' weekly digest (bot/sending/digest.py) over real HTTP against the local Bot API
server: what it says (consenting candidates only; a stop without a name), once a week across
restarts and two senders at once, not for an advisor who turned it off."""

from __future__ import annotations

import asyncio
import os
import sys
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from telegram import Bot

from bot.sending.bulk import BulkSender, bulk_bot
from bot.sending.digest import run_digests, week_of
from bot.sending.reminders import run_reminders, steps_from
from bot.storage import Storage
from bot.storage.tracking import tracker_for
from conversations.i18n import Catalogue
from knowledge.model import Titre
from tests.botapi_server import TOKEN, BotApiServer

PARIS = ZoneInfo("Europe/Paris")
STEPS = steps_from(("12m", "6m", "3m", "1m", "2w", "1w", "1d"))
TODAY = date(2026, 11, 30)  # a Monday
NOW = datetime.combine(TODAY, time(9, 0), PARIS).astimezone(UTC)
ADVISOR = 818_181_001
CANDIDATES = (818_181_101, 818_181_102, 818_181_103, 818_181_104)
pytestmark = [
    pytest.mark.slow,  # over HTTP
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    async with BotApiServer(rate_limit=30) as started:
        yield started


@pytest.fixture
async def bot(server: BotApiServer) -> AsyncIterator[Bot]:
    async with bulk_bot(TOKEN, server.base_url, read_timeout=0.5) as started:
        yield started


def open_storage(path: Path, titre: Titre, now: datetime = NOW) -> Storage:
    return Storage(path, track=tracker_for(titre, STEPS), clock=lambda: now)


def texts_to(server: BotApiServer, chat_id: int) -> list[str]:
    return [str(call.params["text"]) for call in server.api.requests("sendMessage")
            if call.status == 200 and int(call.params["chat_id"]) == chat_id]  # fmt: skip


def advisor_with(store: Storage, advisor: int, candidates: dict[int, str], at: datetime) -> str:
    """An advisor who talks to the bot, and candidates who said yes (name → first CCP date)."""
    code = store.register_advisor(f"Conseiller {advisor}", advisor)
    store.touch_user(advisor, now=at)
    for uid, name in candidates.items():
        store.offer_consent(uid, code, now=at)
        store.set_consent(uid, code, True, shown_name=name, now=at)
    return code


async def test_what_the_digest_says(
    server: BotApiServer, bot: Bot, tmp_path: Path, titre: Titre, catalogue: Catalogue
) -> None:
    store = open_storage(tmp_path / "bot.sqlite3", titre)
    long_ago = NOW - timedelta(days=30)
    aicha, bruno, chloe, dimitri = CANDIDATES
    code = advisor_with(store, ADVISOR, {aicha: "Aïcha", bruno: "Bruno", chloe: "Chloé"},
                        long_ago)  # fmt: skip
    store.declare(aicha, 1, date(2022, 11, 28), now=long_ago)  # her 12-month step: 28 Nov
    store.declare(bruno, 2, date(2024, 5, 2), now=NOW - timedelta(days=2))  # this week
    store.declare(chloe, 1, date(2022, 1, 15), now=long_ago)
    store.set_consent(chloe, code, False, shown_name=None, now=NOW - timedelta(days=1))
    store.offer_consent(dimitri, code, now=long_ago)  # never answered: never in the digest
    store.declare(dimitri, 3, date(2023, 3, 3), now=NOW - timedelta(days=1))
    summary = await run_reminders(store, bot, titre=titre, catalogue=catalogue, steps=STEPS,
                                  today=TODAY, now=NOW, sender=BulkSender(bot))  # fmt: skip
    assert summary.sent >= 1  # Aïcha's reminder: a step crossed this week

    result = await run_digests(store, bot, catalogue=catalogue, today=TODAY, now=NOW)
    assert result.line() == "digest due=1 sent=1 skipped=0 failed=0 blocked=0"
    [digest] = texts_to(server, ADVISOR)
    assert "Partagent leur progression avec vous : 2" in digest
    assert "• Aïcha : 12 mois avant la date" in digest
    assert "• Bruno : CCP 2" in digest
    assert "Personnes qui ont arrêté de partager cette semaine : 1" in digest
    assert "Chloé" not in digest and "Dimitri" not in digest and "CCP 3" not in digest
    for uid in CANDIDATES:
        assert str(uid) not in digest
    store.close()


async def test_once_a_week_across_restarts_and_two_senders(
    server: BotApiServer, bot: Bot, tmp_path: Path, titre: Titre, catalogue: Catalogue
) -> None:
    path = tmp_path / "bot.sqlite3"
    store = open_storage(path, titre)
    advisors = range(ADVISOR, ADVISOR + 30)
    for n, advisor in enumerate(advisors):
        advisor_with(store, advisor, {900 + n: f"Cand{n}"}, NOW)
    store.set_digest_enabled(ADVISOR + 29, False)  # turned off: never sent
    other = open_storage(path, titre)  # a second process: its own connection
    first, second = await asyncio.gather(
        *(run_digests(s, bot, catalogue=catalogue, today=TODAY, now=NOW,
                      owner=f"other-host:{name}") for name, s in ((1, store), (2, other)))
    )  # fmt: skip
    other.close()
    sent = Counter(int(c.params["chat_id"]) for c in server.api.requests("sendMessage")
                   if c.status == 200)  # fmt: skip
    assert sent == {advisor: 1 for advisor in advisors if advisor != ADVISOR + 29}
    assert first.sent + second.sent == 29 and first.skipped + second.skipped == 29
    store.close()

    later = NOW + timedelta(days=3)  # a restart later the same week: nothing again
    store = open_storage(path, titre, later)
    again = await run_digests(store, bot, catalogue=catalogue, today=TODAY + timedelta(days=3),
                              now=later)  # fmt: skip
    assert again.sent == 0 and again.skipped == 29
    next_week = TODAY + timedelta(days=7)
    assert week_of(next_week) != week_of(TODAY)
    following = await run_digests(store, bot, catalogue=catalogue, today=next_week,
                                  now=NOW + timedelta(days=7))  # fmt: skip
    assert following.sent == 29
    assert "Rien de nouveau cette semaine." in texts_to(server, ADVISOR)[-1]
    store.close()


async def test_the_cron_command_sends_the_digest_after_the_reminders(
    server: BotApiServer, tmp_path: Path, titre: Titre
) -> None:
    """`python -m bot remind` (cron, the bot not running) sends this week's digest too, once."""
    path = tmp_path / "bot.sqlite3"
    store = open_storage(path, titre)
    advisor_with(store, ADVISOR, {CANDIDATES[0]: "Aïcha"}, NOW - timedelta(days=30))
    store.close()
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": server.base_url,
           "BOT_DB": str(path), "BOT_TIMEZONE": "Europe/Paris"}  # fmt: skip
    root = Path(__file__).resolve().parent.parent
    for _ in range(2):  # run twice in the same week: the digest goes once
        done = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "remind", "--today", TODAY.isoformat(), cwd=root,
            env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(done.communicate(), timeout=120)
        assert done.returncode == 0, err.decode()[-2000:]
    lines = out.decode().splitlines()
    assert lines[-1] == "digest due=1 sent=0 skipped=1 failed=0 blocked=0"
    [digest] = texts_to(server, ADVISOR)
    assert "Partagent leur progression avec vous : 1" in digest
