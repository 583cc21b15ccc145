"""End to end by webhook: the real bot listens on 127.0.0.1, the local Bot API server pushes.

As `python -m bot webhook --secret-token s3cret` runs it: `build_application` and the
hardened listener of `bot.transports.webhook`. Telegram (here the local server) sends each
update with the secret in the `X-Telegram-Bot-Api-Secret-Token` header; anything else must be
refused and never answered.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app import build_application, running
from bot.config import Settings
from bot.offline.model import JSON, buttons_of, text_of
from bot.transports.webhook import MAX_BODY_BYTES, WebhookListener
from bot.updates.durable import DurableApplication
from tests.botapi_server import BotApiServer, assert_clean_exit, free_port, stop_bot_process

pytestmark = pytest.mark.slow  # over HTTP, the bot in a subprocess

ROOT = Path(__file__).resolve().parent.parent
SECRET = "s3cret"


@pytest.fixture
async def hooked(botapi_server: BotApiServer, tmp_path: Path) -> AsyncIterator[BotApiServer]:
    """The real bot serving a webhook on a free local port; yields the pushing server."""
    settings = Settings(
        token=botapi_server.token,
        base_url=botapi_server.base_url,
        db_path=tmp_path / "bot.sqlite3",
    )
    application = build_application(settings)
    port = free_port()
    assert isinstance(application, DurableApplication)
    listener = WebhookListener(application, url_path="telegram/hook", secret_token=SECRET)
    async with running(application):
        listener.start("127.0.0.1", port)
        await application.bot.set_webhook(
            f"http://127.0.0.1:{port}/telegram/hook", secret_token=SECRET
        )
        try:
            yield botapi_server
        finally:
            await listener.stop()


async def test_the_bot_registers_its_webhook_with_the_secret(hooked: BotApiServer) -> None:
    assert hooked.api.webhook["url"].endswith("/telegram/hook")
    assert hooked.api.webhook["secret_token"] == SECRET


async def test_an_update_with_the_right_secret_is_answered(hooked: BotApiServer) -> None:
    factory = hooked.api.factory
    since = hooked.api.mark()
    assert await hooked.push_webhook(factory.message("/start")) == 200
    [welcome] = await hooked.wait_messages(1, since=since)
    assert text_of(welcome).startswith("👋 Bonjour Camille !")
    since = hooked.api.mark()
    assert await hooked.push_webhook(factory.message("c koi la VAE ?")) == 200
    [answer] = await hooked.wait_messages(1, since=since)
    assert text_of(answer).startswith("La VAE")
    assert "☰ Menu" in buttons_of(answer)


async def test_wrong_or_missing_secret_is_refused_and_never_answered(
    hooked: BotApiServer,
) -> None:
    factory = hooked.api.factory
    wrong = factory.message("pirate : c'est quoi le CCP 1 ?", user_id=66)
    assert await hooked.push_webhook(wrong, secret_token="not-the-secret") == 403
    missing = factory.message("sans en-tête : c'est quoi le CCP 1 ?", user_id=67)
    assert await hooked.push_webhook(missing, use_registered_secret=False) == 403
    # a genuine update afterwards is answered, so the refused ones had every chance to be
    since = hooked.api.mark()
    assert await hooked.push_webhook(factory.message("c'est quoi le CCP 1 ?", user_id=68)) == 200
    [answer] = await hooked.wait_messages(68, since=since)
    assert "CCP 1" in text_of(answer)
    sent = [json.dumps(c.params, ensure_ascii=False) for c in hooked.api.calls]
    assert not any('"chat_id": 66' in s or '"chat_id": 67' in s for s in sent)
    assert hooked.api.sent_per_chat.keys() == {68}


async def post_raw(server: BotApiServer, body: bytes, secret: str | None = SECRET) -> int:
    headers = {"Content-Type": "application/json"}
    if secret:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    async with httpx.AsyncClient(timeout=10.0) as client:
        response = await client.post(server.api.webhook["url"], content=body, headers=headers)
    return response.status_code


async def test_bodies_that_are_not_updates_get_400_and_huge_ones_413(
    hooked: BotApiServer, tmp_path: Path
) -> None:
    assert await post_raw(hooked, b"") == 400
    assert await post_raw(hooked, b"{not json") == 400
    assert await post_raw(hooked, b"[1, 2]") == 400
    assert await post_raw(hooked, b'{"update_id": "7"}') == 400
    huge = json.dumps({"update_id": 5, "padding": "x" * (8 * MAX_BODY_BYTES)}).encode()
    assert await post_raw(hooked, huge) == 413
    assert await post_raw(hooked, huge, secret="wrong") == 403
    # still serving, and a real update is stored before it is acknowledged
    since = hooked.api.mark()
    update = hooked.api.factory.message("c koi la VAE ?", user_id=12)
    assert await hooked.push_webhook(update) == 200
    with sqlite3.connect(tmp_path / "bot.sqlite3") as db:
        stored = db.execute(
            "SELECT COUNT(*) FROM inbox WHERE update_id = ?", (update["update_id"],)
        ).fetchone()
    assert stored == (1,)
    [answer] = await hooked.wait_messages(12, since=since)
    assert text_of(answer).startswith("La VAE")


async def test_a_poison_update_is_acknowledged_and_skipped(hooked: BotApiServer) -> None:
    poison = {"update_id": 9_999, "my_chat_member": {"chat": {"id": 3, "type": "private"},
              "new_chat_member": {"status": "kicked"}}}
    assert await post_raw(hooked, json.dumps(poison).encode()) == 200
    since = hooked.api.mark()
    assert await hooked.push_webhook(hooked.api.factory.message("/start", user_id=13)) == 200
    [welcome] = await hooked.wait_messages(13, since=since)
    assert text_of(welcome).startswith("👋 Bonjour")


async def test_python_m_bot_webhook_refuses_a_wrong_secret(
    botapi_server: BotApiServer, tmp_path: Path
) -> None:
    """`python -m bot webhook … --secret-token` as an operator runs it, stopped by SIGTERM."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    environment.update(
        TELEGRAM_BOT_TOKEN=botapi_server.token,
        TELEGRAM_BASE_URL=botapi_server.base_url,
        BOT_DB=str(tmp_path / "bot.sqlite3"),
        PYTHONIOENCODING="utf-8",
    )
    url = f"http://127.0.0.1:{port}/hook"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "webhook",
        "--listen", "127.0.0.1", "--port", str(port), "--url", url, "--secret-token", SECRET,
        cwd=ROOT, env=environment,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        await botapi_server.api.wait_for(lambda: botapi_server.api.webhook["url"] == url, 30.0)
        assert botapi_server.api.webhook["secret_token"] == SECRET
        factory = botapi_server.api.factory
        wrong = factory.message("/start", user_id=70)
        assert await push_when_listening(botapi_server, wrong, secret_token="faux") == 403
        since = botapi_server.api.mark()
        assert await botapi_server.push_webhook(factory.message("/start", user_id=71)) == 200
        [welcome] = await botapi_server.wait_messages(71, since=since, timeout=10.0)
        assert text_of(welcome).startswith("👋 Bonjour")
        assert botapi_server.api.sent_per_chat.keys() == {71}
    finally:
        logs = await stop_bot_process(process)
    assert_clean_exit(process, logs)


async def push_when_listening(server: BotApiServer, update: JSON, **kw: Any) -> int:
    """setWebhook is called just before the listener accepts: retry a refused connection."""
    for _ in range(100):
        try:
            return await server.push_webhook(update, **kw)
        except httpx.ConnectError:
            await asyncio.sleep(0.1)
    return await server.push_webhook(update, **kw)
