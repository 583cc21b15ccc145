"""Telegram without Telegram: an in-process transport for PTB over a simulated Bot API.

Conversation tests, `python -m bot chat` and the local HTTP server (tests/botapi_server.py)
need the same Bot API behaviour (per-chat message ids, edits, uploads, the errors Telegram
returns), so it lives once in `bot.offline_api.FakeBotApi`; `OfflineRequest` drives it without
a socket. Updates, errors and records are in `bot.offline_model`; all are re-exported here.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

from bot.offline_api import SEND_METHODS, VISIBLE_METHODS, FakeBotApi
from bot.offline_model import (
    BOT_USER,
    JSON,
    ApiError,
    BotProfile,
    Call,
    Fault,
    UpdateFactory,
    Upload,
    buttons_of,
    html_to_text,
    text_of,
)

__all__ = [
    "BOT_USER",
    "JSON",
    "SEND_METHODS",
    "VISIBLE_METHODS",
    "ApiError",
    "BotProfile",
    "Call",
    "FakeBotApi",
    "Fault",
    "OfflineRequest",
    "UpdateFactory",
    "Upload",
    "buttons_of",
    "html_to_text",
    "offline_request_pair",
    "run_console",
    "text_of",
]


class OfflineRequest(BaseRequest):
    """PTB's transport extension point, answered by a `FakeBotApi` in the same process."""

    def __init__(self, api: FakeBotApi | None = None, read_timeout: float | None = 5.0) -> None:
        self.api = api if api is not None else FakeBotApi()
        self._read_timeout = read_timeout

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = None,
        write_timeout: object = None,
        connect_timeout: object = None,
        pool_timeout: object = None,
    ) -> tuple[int, bytes]:
        params = request_data.parameters if request_data else {}
        uploads = [
            Upload(name, str(spec[0]), _size(spec[1]), str(spec[2] if len(spec) > 2 else ""))
            for name, spec in (request_data.multipart_data if request_data else {}).items()
        ]
        timeout = read_timeout if isinstance(read_timeout, int | float) else self._read_timeout
        status, body = await self.api.handle(
            url.rsplit("/", 1)[-1], params, uploads, hang_limit=timeout or 5.0
        )
        if status == 504:
            raise TimedOut("offline Bot API did not answer in time")
        return status, json.dumps(body).encode()


def _size(content: Any) -> int:
    if isinstance(content, bytes | bytearray):
        return len(content)
    if hasattr(content, "seek") and hasattr(content, "tell"):
        position = content.tell()
        size = int(content.seek(0, 2))
        content.seek(position)
        return size
    return 0


def offline_request_pair(api: FakeBotApi) -> tuple[OfflineRequest, OfflineRequest]:
    """Transports for `ApplicationBuilder().request(...)` and `.get_updates_request(...)`."""
    return OfflineRequest(api), OfflineRequest(api, read_timeout=None)


async def run_console(
    application: Any,
    request: OfflineRequest | None = None,
    *,
    input: TextIO | None = None,
    output: TextIO | None = None,
    **options: Any,
) -> None:
    """The terminal chat (`bot.console.run_console`), importable from here for the CLI."""
    from bot.console import run_console as console

    await console(application, request, input=input, output=output, **options)
