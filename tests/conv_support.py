"""Conversation tests for the dialogues a person finds: the real Application, offline.

`conv` builds the application (real Engine on the real YAML, real SQLite storage and
persistence in a temporary file) with the dialogues under test,
on the in-process transport of `bot.offline`; updates go through `process_update`, and each
helper returns the messages the bot sent or edited, as the chat shows them.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Defaults

from bot.config import Settings
from bot.console import offline_builder, running
from bot.offline import FakeBotApi
from bot.offline_model import JSON, buttons_of, text_of
from bot.persistence import SqlitePersistence
from bot.storage import Storage
from bot.tracking import tracker_for
from conversations.i18n import Catalogue
from conversations.services import CONTEXT_TYPES, Services
from knowledge.engine import Engine
from knowledge.loader import default_titre_path, load_titre

FEATURES = (
    "deadline_calc",
    "start",
    "browse",
    "pathway",
    "language",
    "inline",
    "ask",
    "other_media",
    "stale",
)
NOW = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)
GROUP = -100123

__all__ = ["GROUP", "NOW", "Conv", "buttons_of", "conv", "start_conv", "started", "text_of"]


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


async def start_conv(path: Path, api: FakeBotApi) -> tuple[Any, Conv]:
    """The application as `bot.app` wires it (context types, HTML defaults, SQLite persistence,
    services), with only the dialogues under test. Built here rather than with
    `build_application` so that these tests do not depend on every other feature module."""
    settings = settings_for(path)
    titre = load_titre(default_titre_path())
    storage = Storage(settings.db_path, track=tracker_for(titre, settings.reminder_steps))
    application = (
        offline_builder(api)
        .context_types(CONTEXT_TYPES)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.timezone))
        .persistence(SqlitePersistence(storage))
        .build()
    )
    for name in FEATURES:
        application.add_handlers(importlib.import_module(f"conversations.{name}").handlers())
    application.bot_data.services = Services(
        titre=titre,
        engine=Engine(titre),
        store=storage,
        catalogue=Catalogue.load(),
        settings=settings.conversation_settings(),
        clock=lambda: NOW,
    )
    return application, Conv(application, api)


@contextlib.asynccontextmanager
async def started(path: Path, api: FakeBotApi) -> AsyncIterator[Conv]:
    """A running application; stopping it closes its database (a restart opens a new one)."""
    application, helper = await start_conv(path, api)
    try:
        async with running(application):
            yield helper
    finally:
        helper.store.close()


@pytest.fixture
async def conv(tmp_path: Path, bot_api: FakeBotApi) -> AsyncIterator[Conv]:
    async with started(tmp_path, bot_api) as helper:
        yield helper


def texts(messages: list[JSON]) -> str:
    return "\n---\n".join(text_of(m) for m in messages)


def all_buttons(messages: list[JSON]) -> list[str]:
    return [label for m in messages for label in buttons_of(m)]
