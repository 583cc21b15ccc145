"""`OfflineRequest`: python-telegram-bot's transport answered in-process by a `FakeBotApi`.

No socket: an Application built with it (`offline_builder`) talks to the simulated Bot API of
`bot.offline.api` (the console, the conversation tests).
"""

from __future__ import annotations

import json
from typing import Any

from telegram.error import TimedOut
from telegram.ext import Application, ApplicationBuilder
from telegram.request import BaseRequest, RequestData

from bot.offline.api import FakeBotApi
from bot.offline.model import Upload

OFFLINE_TOKEN = "1000:offline-token-for-the-tests-and-the-console"

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


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



def offline_builder(api: FakeBotApi, *, token: str = OFFLINE_TOKEN) -> Any:
    """An ApplicationBuilder wired to `api` (add handlers, options, then `.build()`)."""
    general, updates = offline_request_pair(api)
    return ApplicationBuilder().token(token).request(general).get_updates_request(updates)


def api_of(application: AnyApplication, request: OfflineRequest | None = None) -> FakeBotApi:
    """The simulated Bot API behind an Application built with `OfflineRequest`."""
    request = request if request is not None else application.bot.request
    if not isinstance(request, OfflineRequest):
        raise TypeError("the application does not use bot.offline.OfflineRequest")
    return request.api
