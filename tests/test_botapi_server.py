"""The local Bot API server: a real Application over real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import pytest
from telegram.error import Forbidden, InvalidToken
from telegram.ext import AIORateLimiter

from bot.app import running
from bot.offline import FakeBotApi, Fault, buttons_of, text_of
from tests.botapi_server import BotApiServer, errors_logged, free_port, http_builder
from tests.test_offline import demo_handlers

pytestmark = pytest.mark.slow  # over HTTP


def _app(server: BotApiServer, **options: Any) -> Any:
    builder = http_builder(server)
    if "rate_limiter" in options:
        builder = builder.rate_limiter(options["rate_limiter"])
    app = builder.build()
    app.add_handlers(demo_handlers())
    return app


async def test_long_polling_path_of_a_user(botapi_server: BotApiServer) -> None:
    app = _app(botapi_server)
    async with running(app, polling=True):
        [welcome] = await botapi_server.ask("/start")
        assert buttons_of(welcome) == ["Voir le CCP 3"]
        [edited] = await botapi_server.api.press(welcome, "Voir le CCP 3")
        assert text_of(edited) == "CCP 3"
        assert text_of(botapi_server.api.current(welcome)) == "CCP 3"
        [echo] = await botapi_server.ask("5 < 6 & " + "é" * 10)
        assert text_of(echo) == "Écho : 5 < 6 & " + "é" * 10
        _, document = await botapi_server.ask("/carte", count=2)  # multipart uploads
        uploads = [u for c in botapi_server.api.requests("sendPhoto") for u in c.uploads]
        assert [(u.filename, u.size) for u in uploads] == [("qr.png", 7)]
        assert document["document"]["file_name"] == "delai.ics"
        botapi_server.user_inline_query("vae", user_id=3)
        await botapi_server.api.wait_for(lambda: bool(botapi_server.api.inline_answers))
        [[article]] = botapi_server.api.inline_answers.values()
        assert article["title"] == "La VAE"
    assert botapi_server.api.requests("deleteWebhook")  # what start_polling does first


async def test_a_429_is_waited_out_by_the_rate_limiter(botapi_server: BotApiServer) -> None:
    botapi_server.fail_chat(1, Fault.flood(retry_after=1, times=1))
    app = _app(botapi_server, rate_limiter=AIORateLimiter(max_retries=2))
    async with running(app, polling=True):
        [reply] = await botapi_server.ask("bonjour", timeout=10.0)
    assert text_of(reply) == "Écho : bonjour"
    refused, accepted = botapi_server.api.requests("sendMessage")
    assert (refused.status, accepted.status) == (429, 200)
    assert accepted.at - refused.at >= 1.0  # retry_after honoured
    assert botapi_server.api.too_many_requests == 1


async def test_global_rate_limit_answers_429_with_retry_after() -> None:
    frozen = FakeBotApi(rate_limit=2, monotonic=lambda: 100.0)
    async with BotApiServer(api=frozen) as server, httpx.AsyncClient() as client:
        url = f"{server.base_url}{server.token}/sendMessage"
        answers = [await client.post(url, data={"chat_id": "1", "text": "x"}) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2].json()["parameters"] == {"retry_after": 1}
    assert frozen.sent_per_chat == {1: 2} and frozen.too_many_requests == 1


async def test_faults_reach_the_bot_as_telegram_errors(botapi_server: BotApiServer) -> None:
    botapi_server.fail_chat(5, Fault.blocked())
    app = http_builder(botapi_server, read_timeout=0.2).build()
    async with running(app):
        with pytest.raises(Forbidden, match="blocked by the user"):
            await app.bot.send_message(5, "rappel")
        botapi_server.fail_chat(6, Fault.server_error(500, times=1))
        with pytest.raises(Exception, match="Internal Server Error"):
            await app.bot.send_message(6, "rappel")
        botapi_server.fail_chat(7, Fault.hang(times=1))
        with pytest.raises(Exception, match=r"(?i)timed out"):
            await app.bot.send_message(7, "rappel")
        await app.bot.send_message(7, "rappel")
    assert botapi_server.api.sent_per_chat == {7: 1}


async def test_form_values_keep_their_types(botapi_server: BotApiServer) -> None:
    app = http_builder(botapi_server).build()
    async with running(app):
        sent = await app.bot.send_message(1, "42", reply_markup=None)
        assert sent.text == "42"
        [call] = botapi_server.api.requests("sendMessage")
        assert call.params == {"chat_id": 1, "text": "42"}
        with pytest.raises(Exception, match=r"(?i)chat not found"):
            await app.bot.send_message("@nowhere", "x")


async def test_wrong_token_is_refused(botapi_server: BotApiServer) -> None:
    app = http_builder(botapi_server).token("1000:wrong").build()
    with pytest.raises(InvalidToken):
        await app.initialize()


async def test_get_updates_long_poll_and_offset(botapi_server: BotApiServer) -> None:
    url = f"{botapi_server.base_url}{botapi_server.token}/getUpdates"
    async with httpx.AsyncClient() as client:
        assert (await client.post(url, data={"timeout": "0"})).json() == {"ok": True, "result": []}
        waiting = client.post(url, data={"timeout": "5"})
        first = botapi_server.user_sends("salut")
        got = (await waiting).json()["result"]
        assert [u["update_id"] for u in got] == [first["update_id"]]
        again = (await client.post(url, json={"timeout": 0})).json()["result"]
        assert again == got  # not confirmed yet: delivered again
        confirm = {"offset": str(first["update_id"] + 1), "timeout": "0"}
        assert (await client.post(url, data=confirm)).json()["result"] == []


async def test_webhook_with_secret_token(botapi_server: BotApiServer) -> None:
    app = _app(botapi_server)
    port = free_port()
    async with running(app):
        assert app.updater is not None
        await app.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="hook",
            webhook_url=f"http://127.0.0.1:{port}/hook",
            secret_token="s3cret",
        )
        assert botapi_server.api.webhook["secret_token"] == "s3cret"
        factory = botapi_server.api.factory
        assert await botapi_server.push_webhook(factory.message("pirate"), secret_token="x") == 403
        no_header = factory.message("sans en-tête")
        assert await botapi_server.push_webhook(no_header, use_registered_secret=False) == 403
        since = botapi_server.api.mark()
        assert await botapi_server.push_webhook(factory.message("vrai")) == 200
        [reply] = await botapi_server.wait_messages(1, since=since)
        assert text_of(reply) == "Écho : vrai"
        sent = [json.dumps(c.params) for c in botapi_server.api.requests("sendMessage")]
        assert not any("pirate" in s or "sans en-t" in s for s in sent)


def test_errors_logged_reads_the_test_s_own_run_not_only_the_teardown(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """What the no-error fixtures check from their teardown: the test's run, where a handler's
    crash is logged, and not the server's own line for a 5xx it was told to answer."""
    logging.getLogger("bot.errors").error("an update failed")
    logging.getLogger("tornado.access").error("500 POST /bot…/sendMessage")
    logging.getLogger("bot.errors").warning("a retry")
    assert errors_logged(caplog) == ["bot.errors: an update failed"]
