"""A real Application for the declare / my CCPs / privacy dialogues, on a real SQLite file.

The bot talks to `bot.offline.FakeBotApi` (no network); storage is `bot.storage.Storage` and the
conversation states live in `bot.persistence.SqlitePersistence` on the same file, so a test can
stop the Application, build a new one on the same file and go on, as after a restart.
"""

from __future__ import annotations

import importlib
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, Defaults
from telegram.request import RequestData

from bot.console import running
from bot.offline import FakeBotApi, OfflineRequest
from bot.offline_model import JSON, text_of
from bot.persistence import SqlitePersistence
from bot.storage import Storage
from bot.tracking import tracker_for
from conversations.i18n import Catalogue
from conversations.services import CONTEXT_TYPES, ConversationSettings, Services
from knowledge.loader import default_titre_path, load_titre
from knowledge.model import Titre

NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)  # "today" for every test: 29 November 2026
TITRE: Titre = load_titre(default_titre_path())
CATALOGUE = Catalogue.load()
FEATURES = ("declare", "privacy", "my_ccps")  # in the application's order
USER = 777000123  # distinctive, so scanning the file for it cannot match by chance


class CapturingRequest(OfflineRequest):
    """The offline transport, keeping the bytes of uploaded files (the fake API keeps sizes)."""

    def __init__(self, api: FakeBotApi, files: dict[str, bytes]) -> None:
        super().__init__(api)
        self.files = files

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
        for spec in (request_data.multipart_data if request_data else {}).values():
            content = spec[1]
            data = content if isinstance(content, bytes) else content.read()
            self.files[str(spec[0])] = data
        return await super().do_request(url, method, request_data, read_timeout)


@dataclass
class Bot:
    """One running Application and the fake Telegram it talks to."""

    app: Application[Any, Any, Any, Any, Any, Any]
    api: FakeBotApi
    storage: Storage
    files: dict[str, bytes] = field(default_factory=dict)

    async def _feed(self, update: JSON, chat_id: int) -> list[JSON]:
        since = self.api.mark()
        await self.app.process_update(Update.de_json(update, self.app.bot))
        return self.api.visible(chat_id, since)

    async def send(
        self, text: str, *, user_id: int = USER, chat_id: int | None = None, lang: str = "fr"
    ) -> list[JSON]:
        """The user writes `text`; returns what the bot sent or edited in that chat."""
        update = self.api.factory.message(
            text, user_id=user_id, chat_id=chat_id, language_code=lang
        )
        return await self._feed(update, chat_id if chat_id is not None else user_id)

    async def press(
        self, message: JSON, label: str, *, user_id: int = USER, lang: str = "fr",
        current: bool = True, expired: bool = False,
    ) -> list[JSON]:
        """Press a button; `current=False` presses it on the message as it was (a stale copy);
        `expired` makes the query too old for Telegram to accept an answer (after a restart)."""
        chat_id = message["chat"]["id"]
        if current:
            message = self.api.messages.get(chat_id, {}).get(message["message_id"], message)
        update = self.api.factory.callback_query(
            message, label, user_id=user_id, language_code=lang
        )
        if expired:
            update["callback_query"]["id"] = f"expired-{update['update_id']}"
        return await self._feed(update, chat_id)

    def declared(self, user_id: int = USER) -> dict[int, date]:
        return self.storage.declarations(user_id)


@asynccontextmanager
async def running_bot(
    db: Path, api: FakeBotApi | None = None, *, features: tuple[str, ...] = FEATURES,
    engine: Any = None,
) -> AsyncIterator[Bot]:
    """Start the dialogues (`conversations.<feature>`) on `db`; stopping flushes the
    persistence like a real stop. The three tested here need no engine."""
    api = api if api is not None else FakeBotApi()
    files: dict[str, bytes] = {}
    storage = Storage(db, track=tracker_for(TITRE, ("12m", "6m", "1m")))
    application = (
        ApplicationBuilder()
        .token("1000:offline-token")
        .request(CapturingRequest(api, files))
        .get_updates_request(OfflineRequest(api, read_timeout=None))
        .context_types(CONTEXT_TYPES)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .persistence(SqlitePersistence(storage))
        .build()
    )
    for name in features:
        application.add_handlers(importlib.import_module(f"conversations.{name}").handlers())
    application.bot_data.services = Services(
        titre=TITRE,
        engine=engine,
        store=storage,
        catalogue=CATALOGUE,
        settings=ConversationSettings(),
        clock=lambda: NOW,
    )
    try:
        async with running(application):
            yield Bot(application, api, storage, files)
    finally:
        storage.close()


def last(messages: list[JSON]) -> JSON:
    assert messages, "the bot said nothing"
    return messages[-1]


def texts(messages: list[JSON]) -> str:
    return "\n".join(text_of(m) for m in messages)


def rows_holding(db: Path, value: int) -> list[str]:
    """Every (table, column) whose rows hold `value`: as a number, in text, or pickled."""
    needles = (str(value).encode(), value.to_bytes(4, "little", signed=True))
    found: list[str] = []
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            cursor = conn.execute(f'SELECT * FROM "{table}"')
            names = [c[0] for c in cursor.description]
            for row in cursor:
                for name, cell in zip(names, row, strict=True):
                    raw = cell if isinstance(cell, bytes) else str(cell).encode()
                    if cell == value or any(n in raw for n in needles):
                        found.append(f"{table}.{name}")
    return found
