"""The application's own wiring: the one error handler, the menu, the services lifecycle."""

from __future__ import annotations

import asyncio
import logging

import pytest
from telegram import Update
from telegram.ext import CommandHandler

from bot.logs import RedactTokens
from conversations.services import Context
from tests.conv_support import Conv, Launch, text_of

SECRET_TOKEN = "123456789:AAH-secret-token-that-must-never-be-logged"


async def test_an_unexpected_error_is_logged_and_the_user_told_kindly(
    launch: Launch, caplog: pytest.LogCaptureFixture
) -> None:
    async def boom(update: Update, context: Context) -> None:
        raise RuntimeError(f"unexpected failure calling https://x/bot{SECRET_TOKEN}/sendMessage")

    caplog.handler.addFilter(RedactTokens())
    async with launch() as b:
        b.app.add_handler(CommandHandler("boom", boom), group=-2)
        with caplog.at_level(logging.ERROR):
            messages = await b.send("/boom")
    assert any("quelque chose s'est mal passé" in text_of(m) for m in messages)
    assert "RuntimeError" in caplog.text
    assert SECRET_TOKEN not in caplog.text


async def test_menu_and_descriptions_are_set_in_french_and_english(conv: Conv) -> None:
    calls = conv.api.requests("setMyCommands")
    by_language = {call.params.get("language_code"): call.params["commands"] for call in calls}
    french = {c["command"]: c["description"] for c in by_language[None]}
    english = {c["command"]: c["description"] for c in by_language["en"]}
    assert french["declarer"] == "Déclarer un CCP obtenu"
    assert english["declare"] == "Declare a CCP I obtained"  # the English name, in English
    assert french["conseiller"] == "Ce que voit mon conseiller"  # consent can be found
    assert english["advisor"] == "What my advisor sees"
    assert "stats" not in french  # operators get theirs in their own chat only
    descriptions = {
        call.params.get("language_code"): call.params["description"]
        for call in conv.api.requests("setMyDescription")
    }
    assert descriptions[None].startswith("Je suis le conseiller")
    assert descriptions["en"].startswith("I am the advisor")


async def test_services_are_closed_at_shutdown(launch: Launch) -> None:
    async with launch() as b:
        services = b.app.bot_data.services
        assert services.engine is not None
    with pytest.raises(RuntimeError, match="post_init"):
        _ = b.app.bot_data.services


async def test_no_job_starts_once_the_bot_is_stopping(
    launch: Launch, caplog: pytest.LogCaptureFixture
) -> None:
    """PTB waits for the jobs running when it stops, then its scheduler cancels the rest: a job
    due in between (the reminders' catch-up run, due 5 s after start) was cancelled as it began
    and logged as an error. Once stopping, no job starts; the one running ends its work."""
    ran: list[str] = []
    slow_started = asyncio.Event()

    async def slow(context: Context) -> None:
        slow_started.set()
        await asyncio.sleep(1.5)
        ran.append("slow")

    async def due_while_stopping(context: Context) -> None:
        ran.append("started")
        await asyncio.sleep(1.0)  # still running when slow ends and the scheduler shuts down
        ran.append("due")

    with caplog.at_level(logging.INFO):
        async with launch() as b:
            queue = b.app.job_queue
            assert queue is not None
            queue.run_once(slow, when=0.0)
            queue.run_once(due_while_stopping, when=1.0)
            await asyncio.wait_for(slow_started.wait(), timeout=10)  # running when the bot stops
    assert ran == ["slow"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
