"""Conversation tests for the dialogues a person finds: the real Application, offline.

`conv` builds the application with `bot.app.build_application` (every feature in its order,
the real Engine on the real YAML, SQLite storage and persistence in a temporary file) on the
in-process transport of `bot.offline`; updates go through `process_update`, and each helper
returns the messages the bot sent or edited, as the chat shows them.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.app import build_application
from bot.config import Settings
from bot.console import running
from bot.offline import FakeBotApi, OfflineRequest
from bot.offline_model import JSON, buttons_of, text_of
from bot.storage import Storage
from conversations.i18n import Catalogue
from knowledge.engine import Engine
from knowledge.loader import default_titre_path, load_titre
from knowledge.model import Titre

NOW = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)  # "today" for every test: 29 Nov 2026
GROUP = -100123

__all__ = [
    "GROUP", "NOW", "Conv", "Knowledge", "buttons_of", "conv", "knowledge", "start_conv",
    "started", "text_of",
]


class Conv:
    """One running application and the scripted users talking to it."""

    def __init__(self, application: Any, api: FakeBotApi) -> None:
        self.app = application
        self.api = api

    @property
    def store(self) -> Storage:
        store = self.app.bot_data.services.store
        assert isinstance(store, Storage)
        return store

    async def feed(self, update: JSON) -> list[JSON]:
        """Process one update; the messages the bot sent or edited because of it."""
        since = self.api.mark()
        self.api.push(update, queue=False)
        await self.app.process_update(Update.de_json(update, self.app.bot))
        return self.api.visible(since=since)

    async def send(self, text: str, **kw: Any) -> list[JSON]:
        return await self.feed(self.api.factory.message(text, **kw))

    async def press(self, message: JSON, label: str, **kw: Any) -> list[JSON]:
        query = self.api.factory.callback_query(self.api.current(message), label, **kw)
        return await self.feed(query)

    async def press_again(self, message: JSON, label: str, **kw: Any) -> list[JSON]:
        """Press a button of `message` as it was (a double tap before the edit arrived)."""
        return await self.feed(self.api.factory.callback_query(message, label, **kw))

    async def press_data(self, data: str, *, chat_id: int = 1, **kw: Any) -> list[JSON]:
        """Press a button carrying `data` under an old bot message (e.g. from a past version)."""
        old: JSON = {
            "message_id": 999,
            "from": self.api.bot_user,
            "chat": self.api.factory.chat(chat_id),
            "date": 0,
            "text": "old message",
            "reply_markup": {"inline_keyboard": [[{"text": "old", "callback_data": data}]]},
        }
        self.api.messages.setdefault(chat_id, {})[999] = old
        return await self.press(old, "old", **kw)

    def last_callback_answer(self) -> JSON:
        return list(self.api.callback_answers.values())[-1]

    async def inline(self, query: str, **kw: Any) -> list[JSON]:
        update = self.api.factory.inline_query(query, **kw)
        await self.feed(update)
        return self.api.inline_answers[update["inline_query"]["id"]]


def settings_for(path: Path) -> Settings:
    return Settings(db_path=path / "bot.sqlite3")


@dataclass(frozen=True)
class Knowledge:
    """What every test application shares, built once per session: the titre, the engine
    (side-effect free) and the catalogue are read-only, and building the engine takes most
    of an application's start-up time."""

    titre: Titre
    engine: Engine
    catalogue: Catalogue


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    titre = load_titre(default_titre_path())
    return Knowledge(titre, Engine(titre), Catalogue.load())


async def start_conv(path: Path, api: FakeBotApi, knowledge: Knowledge) -> tuple[Any, Conv]:
    """The application exactly as `bot.app.build_application` wires it (every feature in its
    order, SQLite storage and persistence in `path`), on the offline transport."""
    application = build_application(
        settings_for(path),
        request=OfflineRequest(api),
        titre=knowledge.titre,
        engine=knowledge.engine,
        catalogue=knowledge.catalogue,
        clock=lambda: NOW,
    )
    return application, Conv(application, api)


@contextlib.asynccontextmanager
async def started(path: Path, api: FakeBotApi, knowledge: Knowledge) -> AsyncIterator[Conv]:
    """A running application; stopping it closes its database (a restart opens a new one)."""
    application, helper = await start_conv(path, api, knowledge)
    async with running(application):
        yield helper


@pytest.fixture
async def conv(tmp_path: Path, bot_api: FakeBotApi, knowledge: Knowledge) -> AsyncIterator[Conv]:
    async with started(tmp_path, bot_api, knowledge) as helper:
        yield helper


def texts(messages: list[JSON]) -> str:
    return "\n---\n".join(text_of(m) for m in messages)


def all_buttons(messages: list[JSON]) -> list[str]:
    return [label for m in messages for label in buttons_of(m)]
