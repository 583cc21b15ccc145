"""A local Bot API server on 127.0.0.1: the real HTTP path, without Telegram.

It speaks the protocol PTB's HTTPXRequest uses (`POST /bot<token>/<method>`, form-encoded
parameters whose non-string values are JSON, multipart for files; JSON bodies are accepted
too) and answers through the same `FakeBotApi` as the in-process transport, so the scripted
user (`user_sends`, `user_presses`, `wait_messages`...), the faults, the delay and the rate
limit behave alike on both paths.

Why in-process, on the test's event loop, rather than in a thread: the scripted user, the
recorded calls and the long-poll wake-ups share plain Python objects with no locking, and a
test stays deterministic (one loop, no cross-thread hand-off). The cost: server CPU time is
taken from the bot's loop, which the benchmark accepts because the echo bot it compares
against pays the same.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import signal
import socket
from typing import Any

import httpx
import pytest
import tornado.httpserver
import tornado.netutil
import tornado.web
from telegram.ext import ApplicationBuilder

from bot.offline import FakeBotApi, Fault, Upload
from bot.offline.model import JSON

TOKEN = "1000:TEST-token-for-the-local-bot-api-server"

# Values PTB sends as raw strings that must not be JSON-decoded (a text "42" stays a string).
TEXT_FIELDS = frozenset({
    "text", "caption", "query", "description", "short_description", "name", "url",
    "secret_token", "parse_mode", "action", "language_code", "inline_message_id",
    "callback_query_id", "inline_query_id", "next_offset", "switch_pm_text",
    "switch_pm_parameter", "emoji", "title", "ip_address", "certificate",
})


def decode_params(raw: dict[str, str]) -> dict[str, Any]:
    """Form values to Python: JSON where the Bot API expects numbers, booleans or objects."""
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if key in TEXT_FIELDS:
            params[key] = value
            continue
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value  # a plain string such as "@channel" or a file id
    return params


class _MethodHandler(tornado.web.RequestHandler):
    """`/bot<token>/<method>`: decode the request, ask the FakeBotApi, answer its JSON."""

    def initialize(self, server: BotApiServer) -> None:
        self.server = server

    async def get(self, token: str, method: str) -> None:
        await self.post(token, method)

    async def post(self, token: str, method: str) -> None:
        if token != self.server.token:
            self._answer(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        content_type = self.request.headers.get("Content-Type", "")
        if content_type.startswith("application/json") and self.request.body:
            params: dict[str, Any] = dict(json.loads(self.request.body))
        else:
            raw = {k: self.get_argument(k) for k in self.request.arguments}
            params = decode_params(raw)
        uploads = [
            Upload(name, f.filename, len(f.body), f.content_type)
            for name, files in self.request.files.items()
            for f in files
        ]
        status, body = await self.server.api.handle(method, params, uploads)
        self._answer(status, body)

    def _answer(self, status: int, body: JSON) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))


class BotApiServer:
    """Start with `await server.start()`; `server.base_url` goes to `ApplicationBuilder`."""

    def __init__(
        self,
        *,
        token: str = TOKEN,
        delay: float = 0.0,
        rate_limit: int | None = None,
        api: FakeBotApi | None = None,
    ) -> None:
        self.token = token
        self.api = api if api is not None else FakeBotApi(delay=delay, rate_limit=rate_limit)
        self.port = 0
        self._http: tornado.httpserver.HTTPServer | None = None

    @property
    def base_url(self) -> str:
        """For `ApplicationBuilder().base_url(...)`: PTB appends the token to it."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> BotApiServer:
        self.api.reopen()  # the same simulated API may serve again after a stop (a restart)
        app = tornado.web.Application([(r"/bot([^/]+)/(\w+)", _MethodHandler, {"server": self})])
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1", family=socket.AF_INET)
        self.port = sockets[0].getsockname()[1]
        self._http = tornado.httpserver.HTTPServer(app, max_body_size=60 * 1024 * 1024)
        self._http.add_sockets(sockets)
        return self

    async def stop(self) -> None:
        self.api.close()  # release long polls and hung requests first
        if self._http is not None:
            self._http.stop()
            await self._http.close_all_connections()
            self._http = None

    async def __aenter__(self) -> BotApiServer:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ---- the scripted user and the knobs, delegated to the shared FakeBotApi ------------
    def user_sends(self, text: str, **kwargs: Any) -> JSON:
        return self.api.user_sends(text, **kwargs)

    def user_presses(self, message: JSON, button_text: str, **kwargs: Any) -> JSON:
        return self.api.user_presses(message, button_text, **kwargs)

    def user_inline_query(self, query: str, **kwargs: Any) -> JSON:
        return self.api.user_inline_query(query, **kwargs)

    async def ask(self, text: str, count: int = 1, timeout: float = 5.0, **kw: Any) -> list[JSON]:
        replies: list[JSON] = await self.api.ask(text, count, timeout, **kw)
        return replies

    async def wait_messages(
        self, chat_id: int, count: int = 1, since: int = 0, timeout: float = 5.0
    ) -> list[JSON]:
        replies: list[JSON] = await self.api.wait_messages(chat_id, count, since, timeout)
        return replies

    def fail_chat(self, chat_id: int, fault: Fault) -> None:
        """Fault injection: requests about `chat_id` get `fault` (see `Fault.blocked()`...)."""
        self.api.faults[chat_id] = fault

    # ---- webhook mode --------------------------------------------------------------------
    async def push_webhook(
        self, update: JSON, *, secret_token: str | None = None, use_registered_secret: bool = True
    ) -> int:
        """POST `update` to the webhook the bot registered with setWebhook, as Telegram would.

        The header carries the registered secret unless `secret_token` overrides it (a wrong
        one) or `use_registered_secret` is False and no override is given (no header at all).
        Returns the HTTP status the bot answered.
        """
        url = self.api.webhook.get("url")
        if not url:
            raise RuntimeError("the bot has not called setWebhook")
        self.api.push(update, queue=False)  # its message joins the chat, for later presses
        secret = secret_token
        if secret is None and use_registered_secret:
            secret = self.api.webhook.get("secret_token")
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
        async with httpx.AsyncClient(timeout=5.0) as client:
            response = await client.post(url, json=update, headers=headers)
        return response.status_code


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (for the bot's own webhook listener)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http_builder(
    server: BotApiServer, *, pool_size: int = 8, read_timeout: float = 5.0
) -> ApplicationBuilder:  # type: ignore[type-arg]
    """An ApplicationBuilder pointed at `server` over real HTTP (add handlers, then build)."""
    return (
        ApplicationBuilder()
        .token(server.token)
        .base_url(server.base_url)
        .connection_pool_size(pool_size)
        .read_timeout(read_timeout)
        .get_updates_read_timeout(read_timeout)
    )


async def stop_bot_process(process: asyncio.subprocess.Process) -> str:
    """SIGTERM a `python -m bot …` started by a test (if still running); everything it printed."""
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    out, err = await asyncio.wait_for(process.communicate(), timeout=30.0)
    return (out + err).decode()


def assert_clean_exit(process: asyncio.subprocess.Process, logs: str) -> None:
    assert process.returncode == 0, logs
    assert "Traceback" not in logs


FAKE_TELEGRAM_LOG = "tornado.access"  # this server's own lines, such as a 5xx it was told to answer


def errors_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Every ERROR the bot logged while a test ran, its set-up and teardown included.

    Read from a fixture's teardown, `caplog.records` holds the teardown's records alone: the
    test's own run is in `get_records("call")`."""
    phases = (caplog.get_records("setup"), caplog.get_records("call"), caplog.records)
    records = {id(r): r for r in itertools.chain(*phases)}  # read during the run: twice
    return [
        f"{r.name}: {r.getMessage()}"
        for r in records.values()
        if r.levelno >= logging.ERROR and r.name != FAKE_TELEGRAM_LOG
    ]
