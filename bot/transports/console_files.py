"""The console's transport: the offline one, plus what a terminal session needs.

- Each file the bot uploads (the deadline picture, the QR code, the data export, the calendar
  file) is written under `folder`, and the path is remembered by (chat id, message id) so the
  console can print it next to the message.
- Only the console's own chat exists. The console may be started on the real database (no
  token in the environment, `BOT_DB` left at its default): a reminder or an announcement for
  anyone else is answered "chat not found", which the senders count as failed and leave for
  the real bot's next run, instead of being swallowed here and never reaching that person.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

from telegram.request import RequestData

from bot.offline import SEND_METHODS, FakeBotApi, OfflineRequest

_UNSAFE = re.compile(r"[^\w.-]+")
NOT_HERE = json.dumps(
    {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
).encode()
log = logging.getLogger(__name__)


class ConsoleRequest(OfflineRequest):
    """`OfflineRequest` that also writes every uploaded file into `folder`."""

    def __init__(self, folder: Path, api: FakeBotApi | None = None, *, chat_id: int = 1) -> None:
        super().__init__(api)
        self.folder = folder
        self.chat_id = chat_id
        self.saved: dict[tuple[int, int], list[Path]] = {}
        # numbered after what earlier sessions wrote there, so nothing is overwritten
        self._count = len(list(folder.iterdir())) if folder.is_dir() else 0

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
        target = (request_data.parameters if request_data else {}).get("chat_id")
        sending = url.rsplit("/", 1)[-1].lower() in SEND_METHODS
        if sending and target is not None and target != self.chat_id:
            log.info("console: not delivered to chat %s (only chat %s exists here)",
                     target, self.chat_id)
            return 400, NOT_HERE
        status, body = await super().do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )
        files = request_data.multipart_data if request_data else {}
        if status == 200 and files:
            result = json.loads(body).get("result")
            if isinstance(result, dict) and "chat" in result:
                key = (int(result["chat"]["id"]), int(result["message_id"]))
                for spec in files.values():
                    name = str(spec[0]) if spec[0] else "fichier"
                    self.saved.setdefault(key, []).append(self._write(name, spec[1]))
        return status, body

    def _write(self, name: str, content: Any) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._count += 1
        path = self.folder / f"{self._count:03d}-{_UNSAFE.sub('_', name)}"
        path.write_bytes(_bytes(content))
        return path.resolve()


def _bytes(content: Any) -> bytes:
    if isinstance(content, bytes | bytearray):
        return bytes(content)
    if hasattr(content, "read"):
        position = content.tell() if hasattr(content, "tell") else None
        if position is not None:
            content.seek(0)
        data = content.read()
        if position is not None:
            content.seek(position)
        return data if isinstance(data, bytes) else str(data).encode()
    return str(content).encode()
