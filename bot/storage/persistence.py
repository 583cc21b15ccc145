"""python-telegram-bot persistence in the bot's own SQLite file.

Stores user_data, chat_data, callback_data and ConversationHandler states in the `ptb_*` tables
(created by `bot.storage.migrations`), so a user in the middle of a dialogue continues after a
restart.
`bot_data` is not stored: it is the typed `BotData` holding live services, rebuilt in
`post_init`. Values are pickled (they may hold dates); empty user/chat data removes the row so
the file keeps nothing about users who have nothing pending.

Give it the `Storage` (one shared connection) or the file's path: PTB reads the persistence in
`Application.initialize()`, before `post_init` opens the services, so with a path it opens its
own connection (same pragmas and migrations) until `use(storage)` hands it the bot's Storage
in post_init. Each write is one short transaction queued on the file's storage thread
(`SqliteFile.submit`, in order, not waited for): a commit that waits for the disk or for
another process's lock stalls neither the event loop nor the user's next update.
"""

from __future__ import annotations

import json
from copy import deepcopy
from pathlib import Path
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from bot.storage.sqlite_file import SqliteFile
from bot.storage.values import dump_blob, key_json, load_blob
from conversations.services import BotData

UserData = dict[Any, Any]
ChatData = dict[Any, Any]


class SqlitePersistence(BasePersistence[UserData, ChatData, BotData]):
    """PTB persistence backed by `Storage`; writes go straight to SQLite (flush has no work)."""

    def __init__(self, source: SqliteFile | str | Path, *, update_interval: float = 5) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=True, user_data=True, callback_data=True
            ),
            update_interval=update_interval,
        )
        self._shared = source if isinstance(source, SqliteFile) else None
        self._path = None if isinstance(source, SqliteFile) else source
        self._own: SqliteFile | None = None

    @property
    def storage(self) -> SqliteFile:
        """The shared Storage, or this persistence's own connection (opened on first use)."""
        if self._shared is not None:
            return self._shared
        if self._own is None:
            assert self._path is not None
            self._own = SqliteFile(self._path)
        return self._own

    # -- reads at start-up ------------------------------------------------------------------
    async def get_user_data(self) -> dict[int, UserData]:
        return self._load_map("ptb_user_data", "user_id")

    async def get_chat_data(self) -> dict[int, ChatData]:
        return self._load_map("ptb_chat_data", "chat_id")

    async def get_bot_data(self) -> BotData:
        """Never called (bot_data is not stored); a fresh object keeps the contract."""
        return BotData()

    async def get_callback_data(self) -> CDCData | None:
        self.storage.settle()
        with self.storage.reading() as db:
            row = next(db.table("ptb_callback_data").rows_where("id = 1", select="data"), None)
        return None if row is None else load_blob(row["data"])

    async def get_conversations(self, name: str) -> ConversationDict:
        self.storage.settle()
        with self.storage.reading() as db:
            rows = db.table("ptb_conversations").rows_where("name = ?", [name], select="key, state")
            return {tuple(json.loads(row["key"])): load_blob(row["state"]) for row in rows}

    def _load_map(self, table: str, column: str) -> dict[int, dict[Any, Any]]:
        self.storage.settle()  # read what was queued
        with self.storage.reading() as db:
            rows = db.table(table).rows_where(select=f"{column}, data")
            return {int(row[column]): load_blob(row["data"]) for row in rows}

    # -- writes -----------------------------------------------------------------------------
    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        self.storage.submit(self._put_conversation, name, key, new_state)

    def _put_conversation(self, name: str, key: ConversationKey, new_state: object | None) -> None:
        with self.storage.transaction() as db:
            table = db.table("ptb_conversations")
            if new_state is None:
                table.delete_where("name = ? AND key = ?", [name, key_json(key)])
            else:
                table.upsert({"name": name, "key": key_json(key), "state": dump_blob(new_state)},
                             pk=("name", "key"))  # fmt: skip

    async def update_user_data(self, user_id: int, data: UserData) -> None:
        self.storage.submit(self._put, "ptb_user_data", "user_id", user_id, data)

    async def update_chat_data(self, chat_id: int, data: ChatData) -> None:
        self.storage.submit(self._put, "ptb_chat_data", "chat_id", chat_id, data)

    async def update_bot_data(self, data: BotData) -> None:
        """bot_data holds live services, never stored."""

    async def update_callback_data(self, data: CDCData) -> None:
        with self.storage.transaction() as db:
            db.table("ptb_callback_data").upsert(
                {"id": 1, "data": dump_blob(deepcopy(data))}, pk="id"
            )

    async def drop_user_data(self, user_id: int) -> None:
        self.storage.submit(self._put, "ptb_user_data", "user_id", user_id, {})

    async def drop_chat_data(self, chat_id: int) -> None:
        self.storage.submit(self._put, "ptb_chat_data", "chat_id", chat_id, {})

    def _put(self, table: str, column: str, key: int, data: dict[Any, Any]) -> None:
        """Upsert, or delete when empty. `table`/`column` are the constants above."""
        with self.storage.transaction() as db:
            if data:
                db.table(table).upsert({column: key, "data": dump_blob(data)}, pk=column)
            else:
                db.table(table).delete_where(f"{column} = ?", [key])

    # -- nothing to refresh or flush: this process is the only writer of these rows ---------
    async def refresh_user_data(self, user_id: int, user_data: UserData) -> None:
        """Nothing else writes user_data."""

    async def refresh_chat_data(self, chat_id: int, chat_data: ChatData) -> None:
        """Nothing else writes chat_data."""

    async def refresh_bot_data(self, bot_data: BotData) -> None:
        """bot_data is not stored."""

    def use(self, storage: SqliteFile) -> None:
        """Write through the bot's `Storage` from now on (post_init): one storage thread for
        persistence, inbox and the rest, so a state is written before its update is marked
        done (`bot.updates.durable`), in the order they were queued."""
        if self._own is not None:
            self._own.settle()
            self._own.close()
            self._own = None
        self._shared = storage

    async def flush(self) -> None:
        """Wait for the queued writes; an own connection is closed (shutdown)."""
        self.storage.settle()
        if self._own is not None:
            self._own.close()
            self._own = None
