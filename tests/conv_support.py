"""Conversation tests: the real Application, offline, driven as the chat would be.

`started` builds the application with `bot.app.build_application` (the given features in the
application's order, SQLite storage and persistence in `<tmp_path>/bot.sqlite3`) on the
in-process transport of `bot.offline`, and runs it with `bot.transports.console.running`; updates go
through `process_update`, and each `Conv` helper returns the messages the bot sent or edited
(in any chat) because of it. Stopping closes the database: starting again on the same folder
(and the same `FakeBotApi`) is a restart. The fixtures `knowledge`, `launch` and `conv` that
wrap this live in tests/conftest.py.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.request import RequestData

from bot.app import build_application, running
from bot.config import Settings
from bot.features import ALL as FEATURES
from bot.offline import FakeBotApi, OfflineRequest
from bot.offline.model import JSON, buttons_of, text_of
from bot.storage import Storage
from bot.storage.threaded import storage_of
from conversations.i18n import Catalogue
from knowledge.engine import Engine
from knowledge.model import Titre

NOW = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)  # "today" for every test: 29 Nov 2026
GROUP = -100123
USER = 777_000_123  # distinctive, so scanning the database file for it cannot match by chance
PERSONAL = ("declare", "privacy", "my_ccps")  # one's own CCPs and data, in the app's order
DB_NAME = "bot.sqlite3"
MENU = [  # the welcome's buttons, as the user sees them
    "📚 Les 3 CCP et leurs compétences",
    "🧭 Les voies pour obtenir le titre",
    "🙋 Quel parcours pour moi ?",
    "📅 Mon délai pour finir le titre",
    "💬 Poser une question",
]
Launch = Callable[..., AbstractAsyncContextManager["Conv"]]  # the `launch` fixture

__all__ = [
    "DB_NAME", "FEATURES", "GROUP", "MENU", "NOW", "PERSONAL", "USER", "CapturingRequest", "Conv",
    "Knowledge", "Launch", "all_buttons", "buttons_of", "last", "started", "text_of", "texts",
]


@dataclass(frozen=True)
class Knowledge:
    """What every test application shares, built once per session: the titre, the engine
    (side-effect free) and the catalogue are read-only, and building the engine takes most
    of an application's start-up time."""

    titre: Titre
    engine: Engine
    catalogue: Catalogue


def keep_uploads(files: dict[str, bytes], request_data: RequestData | None) -> None:
    """The bytes of every file a request uploads, by file name (a test opens them)."""
    for spec in (request_data.multipart_data if request_data else {}).values():
        content = spec[1]
        files[str(spec[0])] = content if isinstance(content, bytes) else content.read()


class CapturingRequest(OfflineRequest):
    """The offline transport, keeping the bytes of uploads (the fake API keeps only sizes),
    so a test can open the JSON export, the calendar file or the QR code it was sent."""

    def __init__(self, api: FakeBotApi, files: dict[str, bytes]) -> None:
        super().__init__(api)
        self.files = files

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        keep_uploads(self.files, request_data)
        return await super().do_request(url, method, request_data, *args, **kwargs)


class Conv:
    """One running application and the scripted users talking to it; `user_id` is who
    writes and presses unless a call names someone else."""

    def __init__(
        self, application: Any, api: FakeBotApi, files: dict[str, bytes], user_id: int = 1
    ) -> None:
        self.app = application
        self.api = api
        self.files = files
        self.user_id = user_id

    @property
    def store(self) -> Storage:
        return storage_of(self.app.bot_data.services)

    def declared(self, user_id: int | None = None) -> dict[int, date]:
        """The CCPs stored for `user_id` (default: this conversation's user)."""
        return self.store.declarations(self.user_id if user_id is None else user_id)

    async def feed(self, update: JSON) -> list[JSON]:
        """Process one update; the messages the bot sent or edited because of it."""
        since = self.api.mark()
        self.api.push(update, queue=False)
        await self.app.process_update(Update.de_json(update, self.app.bot))
        self.store.settle()  # the writes no reply waits for (last seen, question log) are done
        return self.api.visible(since=since)

    async def send(self, text: str, **kw: Any) -> list[JSON]:
        kw.setdefault("user_id", self.user_id)
        return await self.feed(self.api.factory.message(text, **kw))

    async def press(self, message: JSON, label: str, **kw: Any) -> list[JSON]:
        """Press a button of `message` as the chat shows it now (after the bot's edits)."""
        return await self.press_again(self.api.current(message), label, **kw)

    async def press_again(
        self, message: JSON, label: str, *, expired: bool = False, **kw: Any
    ) -> list[JSON]:
        """Press a button of `message` as it was (a double tap before the edit arrived);
        `expired` makes the query too old for Telegram to accept an answer (after a restart)."""
        kw.setdefault("user_id", self.user_id)
        update = self.api.factory.callback_query(message, label, **kw)
        if expired:
            update["callback_query"]["id"] = f"expired-{update['update_id']}"
        return await self.feed(update)

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


@contextlib.asynccontextmanager
async def started(
    tmp_path: Path,
    knowledge: Knowledge,
    api: FakeBotApi,
    *,
    features: tuple[str, ...] = FEATURES,
    admins: frozenset[int] = frozenset(),
    user_id: int = 1,
    steps: tuple[str, ...] | None = None,
) -> AsyncIterator[Conv]:
    """A running application on `tmp_path`/bot.sqlite3 (kept across restarts).

    The daily reminder jobs `post_init` schedules are removed: their catch-up run fires 5 s
    after start, and a slow machine must not see a reminder appear mid-test (the reminder
    tests schedule and run them themselves). `steps` replaces the configured reminder steps.
    """
    files: dict[str, bytes] = {}
    application = build_application(
        Settings(db_path=tmp_path / DB_NAME, admins=admins)
        if steps is None
        else Settings(db_path=tmp_path / DB_NAME, admins=admins, reminder_steps=steps),
        request=CapturingRequest(api, files),
        titre=knowledge.titre,
        engine=knowledge.engine,
        catalogue=knowledge.catalogue,
        clock=lambda: NOW,
        features=features,
    )
    async with running(application):
        if application.job_queue is not None:
            for job in application.job_queue.jobs():
                job.schedule_removal()
        yield Conv(application, api, files, user_id)


def last(messages: list[JSON]) -> JSON:
    assert messages, "the bot said nothing"
    return messages[-1]


def texts(messages: list[JSON]) -> str:
    return "\n---\n".join(text_of(m) for m in messages)


def all_buttons(messages: list[JSON]) -> list[str]:
    return [label for m in messages for label in buttons_of(m)]
