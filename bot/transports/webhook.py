"""The webhook listener, hardened: what Telegram pushes is checked, capped and stored first.

PTB's own webhook server reads any body (an 8 MiB one with the right secret was accepted) and
answers 500 to invalid JSON or an empty body. Here:
- the secret is compared in constant time; a missing or wrong one gets 403;
- a body over `MAX_BODY_BYTES` (Telegram's updates are a few kB) gets 413: never more than
  that is kept in memory (the rest is dropped as it arrives);
- a body that is not a JSON object with an integer `update_id` gets 400, never a 500;
- an update goes through `bot.updates.intake` (sanitised, poison skipped, written to the inbox) and
  only then is 200 answered: Telegram re-sends what was not acknowledged, so a crash between
  the two loses nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import signal
from http import HTTPStatus
from typing import Any
from urllib.parse import urlparse

import tornado.httpserver
import tornado.web
from telegram import Update

from bot.app import build_application, running
from bot.config import Settings
from bot.updates.durable import DurableApplication
from bot.updates.intake import Intake
from knowledge.model import Titre

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024  # 1 MiB: generous for an update
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@tornado.web.stream_request_body
class _UpdateHandler(tornado.web.RequestHandler):
    SUPPORTED_METHODS = ("POST",)

    def initialize(self, hook: WebhookListener) -> None:
        self.hook = hook
        self._chunks: list[bytes] = []
        self._size = 0
        self._refusal: HTTPStatus | None = None

    def prepare(self) -> None:
        # Answering now would cut the client off mid-send (it would see no answer at all):
        # a refused body is read and dropped as it arrives, never kept, then refused.
        secret = self.hook.secret_token
        given = self.request.headers.get(SECRET_HEADER, "")
        if secret and not hmac.compare_digest(given.encode(), secret.encode()):
            self._refusal = HTTPStatus.FORBIDDEN
            return
        length = self.request.headers.get("Content-Length")
        if length is not None and length.isdigit() and int(length) > MAX_BODY_BYTES:
            self._refusal = HTTPStatus.REQUEST_ENTITY_TOO_LARGE

    def data_received(self, chunk: bytes) -> None:
        if self._refusal is not None:
            return
        self._size += len(chunk)
        if self._size > MAX_BODY_BYTES:
            self._refusal = HTTPStatus.REQUEST_ENTITY_TOO_LARGE
            self._chunks.clear()
        else:
            self._chunks.append(chunk)

    async def post(self) -> None:
        if self._refusal is not None:
            self._refuse(self._refusal)
            return
        try:
            data = json.loads(b"".join(self._chunks).decode("utf-8", "replace"))
        except ValueError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            self._refuse(HTTPStatus.BAD_REQUEST)
            return
        await self.hook.accept(data)
        self.set_status(HTTPStatus.OK)
        self.finish()

    def _refuse(self, status: HTTPStatus) -> None:
        self.set_status(status)
        self.finish()

    def log_exception(self, *args: Any) -> None:
        log.warning("webhook request failed", exc_info=args[1] if len(args) > 1 else None)


class WebhookListener:
    """A tornado server feeding `application.update_queue` through the intake."""

    def __init__(
        self, application: DurableApplication, *, url_path: str, secret_token: str | None
    ) -> None:
        self.application = application
        self.url_path = "/" + url_path.strip("/")
        self.secret_token = secret_token
        self._server: tornado.httpserver.HTTPServer | None = None

    @property
    def intake(self) -> Intake:
        return self.application.intake if self.application.intake is not None else Intake()

    async def accept(self, data: dict[str, Any]) -> None:
        [admitted] = await self.intake.admit([data], self.application.bot)
        update = Update.de_json(admitted, self.application.bot)
        if update is not None:
            await self.application.update_queue.put(update)

    def start(self, listen: str, port: int) -> None:
        app = tornado.web.Application([(self.url_path, _UpdateHandler, {"hook": self})])
        # tornado's own cap only backstops ours: past it the connection is cut without an answer
        self._server = tornado.httpserver.HTTPServer(app, max_body_size=64 * MAX_BODY_BYTES)
        self._server.listen(port, listen)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None


async def serve_webhook(
    application: DurableApplication,
    *,
    listen: str,
    port: int,
    url_path: str,
    webhook_url: str,
    secret_token: str | None,
    stop: asyncio.Event | None = None,
) -> None:
    """Run the application by webhook until `stop` is set (or SIGINT/SIGTERM)."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    listener = WebhookListener(application, url_path=url_path, secret_token=secret_token)
    async with running(application):  # post_init, start; then stop, post_stop, shutdown
        listener.start(listen, port)
        try:
            await application.bot.set_webhook(
                webhook_url, secret_token=secret_token, allowed_updates=Update.ALL_TYPES
            )
            await stop.wait()
        finally:
            await listener.stop()


def run_webhook(
    settings: Settings, titre: Titre, *, listen: str, port: int, url: str, secret_token: str | None
) -> int:
    """`python -m bot webhook`: served by `serve_webhook` above (size cap, 400 for bad bodies,
    stored before 200), not by PTB's own server."""
    settings.require_token()
    application = build_application(settings, titre=titre, freeze_heap=True)
    if not isinstance(application, DurableApplication):
        raise TypeError("build_application must build a DurableApplication")
    asyncio.run(
        serve_webhook(
            application,
            listen=listen,
            port=port,
            url_path=urlparse(url).path,
            webhook_url=url,
            secret_token=secret_token,
        )
    )
    return 0
