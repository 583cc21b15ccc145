"""Conversation tests for the dialogues a person finds: the real Application, offline.

`conv` builds the application with `bot.app.build_application` (real Engine on the real YAML,
real SQLite storage and persistence in a temporary file) limited to the dialogues under test,
on the in-process transport of `bot.offline`; updates go through `process_update`, and each
helper returns the messages the bot sent or edited, as the chat shows them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
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

__all__ = ["GROUP", "NOW", "Conv", "buttons_of", "conv", "start_conv", "text_of"]


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
        return await self.feed(self.api.factory.callback_query(self.api.current(message), label, **kw))

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
    application = build_application(
        settings_for(path), request=OfflineRequest(api), clock=lambda: NOW, features=FEATURES
    )
    return application, Conv(application, api)


@pytest.fixture
async def conv(tmp_path: Path, bot_api: FakeBotApi) -> AsyncIterator[Conv]:
    application, helper = await start_conv(tmp_path, bot_api)
    async with running(application):
        yield helper


def texts(messages: list[JSON]) -> str:
    return "\n---\n".join(text_of(m) for m in messages)


def all_buttons(messages: list[JSON]) -> list[str]:
    return [label for m in messages for label in buttons_of(m)]
