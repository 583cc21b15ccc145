"""/mescandidats through the real Application, offline (conversations/advisors.py): people
arrive by an advisor's `/start ref-<code>` link, declare CCPs; the advisor sees counts only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from telegram import Update

from bot.app import build_application
from bot.config import Settings
from bot.console import running
from bot.offline import FakeBotApi, OfflineRequest
from bot.offline_model import BOT_USER, JSON, text_of
from bot.storage import Storage
from knowledge.loader import default_titre_path, load_titre

TITRE = load_titre(default_titre_path())
NOW = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)
ADVISOR = 616_161_001
OTHER_ADVISOR = 616_161_002
ARRIVALS = (616_161_101, 616_161_102, 616_161_103, 616_161_104)
NAMES = ("Aïcha", "Bruno", "Chloé", "Dimitri")
FEATURES = ("declare", "start", "advisors", "share", "ask", "stale")
NOT_REGISTERED = "Cette commande est réservée aux conseillers inscrits"


@dataclass
class Chat:
    app: Any
    api: FakeBotApi

    @property
    def store(self) -> Storage:
        store = self.app.bot_data.services.store
        assert isinstance(store, Storage)
        return store

    async def send(
        self, text: str, user_id: int, *, name: str = "Camille", chat_id: int | None = None
    ) -> list[JSON]:
        since = self.api.mark()
        update = self.api.factory.message(text, user_id=user_id, chat_id=chat_id)
        update["message"]["from"]["first_name"] = name
        update["message"]["from"]["last_name"] = "Dupont"
        update["message"]["from"]["username"] = f"{name.lower()}_dupont"
        self.api.push(update, queue=False)
        await self.app.process_update(Update.de_json(update, self.app.bot))
        return self.api.visible(chat_id if chat_id is not None else user_id, since)


@asynccontextmanager
async def chat(tmp_path: Path) -> AsyncIterator[Chat]:
    api = FakeBotApi()
    app = build_application(
        Settings(db_path=tmp_path / "bot.sqlite3"),
        request=OfflineRequest(api),
        clock=lambda: NOW,
        titre=TITRE,
        features=FEATURES,
    )
    async with running(app):
        yield Chat(app, api)


async def test_counts_of_people_who_came_through_the_link(tmp_path: Path) -> None:
    async with chat(tmp_path) as c:
        code = c.store.register_advisor("Mme Martin", ADVISOR)
        other = c.store.register_advisor("M. Bernard", OTHER_ADVISOR)
        for user, name in zip(ARRIVALS, NAMES, strict=True):
            await c.send(f"/start ref-{code}", user, name=name)
        await c.send(f"/start ref-{other}", 616_161_201)  # someone else's candidate
        await c.send("/start", 616_161_202)  # came by the plain link
        await c.send("/start ref-inconnu", 616_161_203)  # a code nobody has
        await c.send(f"/start ref-{other}", ARRIVALS[0])  # the first link counts, not a later one

        said = await c.send("/declarer 2 15/03/2024", ARRIVALS[0], name=NAMES[0])
        assert "C'est noté : CCP 2 obtenu le 15 mars 2024" in text_of(said[0])
        await c.send("/declarer 1 12/03/2022", ARRIVALS[1], name=NAMES[1])
        c.store.set_reminders_enabled(ARRIVALS[1], False)  # declared, but reminders off

        shown = text_of((await c.send("/mescandidats", ADVISOR))[-1])
        assert "Arrivés par votre lien : 4\n" in shown
        assert "Ont déclaré au moins un CCP : 2\n" in shown
        assert "Ont les rappels activés : 1\n" in shown
        assert f"Votre lien : https://t.me/{BOT_USER['username']}?start=ref-{code}" in shown
        # Nothing that identifies a candidate: no id, name, username or date.
        for user, name in zip(ARRIVALS, NAMES, strict=True):
            assert str(user) not in shown and name not in shown
            assert f"{name.lower()}_dupont" not in shown
        assert "Dupont" not in shown and "2024" not in shown and "2022" not in shown

        shown = text_of((await c.send("/mescandidats", OTHER_ADVISOR))[-1])
        assert "Arrivés par votre lien : 1\n" in shown
        assert "Ont déclaré au moins un CCP : 0\n" in shown


async def test_non_advisor_is_told_it_is_reserved(tmp_path: Path) -> None:
    async with chat(tmp_path) as c:
        code = c.store.register_advisor("Mme Martin", ADVISOR)
        await c.send(f"/start ref-{code}", ARRIVALS[0])
        refused = await c.send("/mescandidats", ARRIVALS[0])
        assert len(refused) == 1 and text_of(refused[0]).startswith(NOT_REGISTERED)
        assert not any(ch.isdigit() for ch in text_of(refused[0]))


async def test_in_a_group_the_counts_go_private(tmp_path: Path) -> None:
    async with chat(tmp_path) as c:
        code = c.store.register_advisor("Mme Martin", ADVISOR)
        await c.send(f"/start ref-{code}", ARRIVALS[0])
        said = await c.send("/mescandidats", ADVISOR, chat_id=-100_616_161)
        assert said and all("Arrivés par votre lien" not in text_of(m) for m in said)
        assert "privé" in text_of(said[-1])
