"""/partager through the real Application, offline (conversations/share.py): the bot's link
from its own username, a QR code picture, topic links that really open their topic."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.request import RequestData

from bot.app import build_application
from bot.config import Settings
from bot.console import running
from bot.offline import BOT_USER, FakeBotApi, OfflineRequest
from bot.offline_model import JSON, text_of
from bot.storage import Storage
from conversations.share import SHARED_TOPICS
from knowledge.loader import default_titre_path, load_titre

NOW = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)
USERNAME = "centre_formation_tsgri_bot"  # not the harness's default: it must come from getMe
ADVISOR = 515_151_001
USER = 515_151_002
FEATURES = ("deadline_calc", "start", "browse", "pathway", "share", "ask", "stale")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TITRE = load_titre(default_titre_path())


class CapturingRequest(OfflineRequest):
    """The offline transport, keeping the bytes of uploads (the fake API keeps only sizes)."""

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
            self.files[str(spec[0])] = content if isinstance(content, bytes) else content.read()
        return await super().do_request(url, method, request_data, read_timeout)


@dataclass
class Chat:
    app: Any
    api: FakeBotApi
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def store(self) -> Storage:
        store = self.app.bot_data.services.store
        assert isinstance(store, Storage)
        return store

    async def send(self, text: str, user_id: int = USER, chat_id: int | None = None) -> list[JSON]:
        since = self.api.mark()
        update = self.api.factory.message(text, user_id=user_id, chat_id=chat_id)
        self.api.push(update, queue=False)
        await self.app.process_update(Update.de_json(update, self.app.bot))
        return self.api.visible(chat_id if chat_id is not None else user_id, since)


@asynccontextmanager
async def chat(tmp_path: Path, *, inline: bool = True) -> AsyncIterator[Chat]:
    api = FakeBotApi(
        bot_user=dict(BOT_USER, username=USERNAME, supports_inline_queries=inline)
    )
    files: dict[str, bytes] = {}
    app = build_application(
        Settings(db_path=tmp_path / "bot.sqlite3"),
        request=CapturingRequest(api, files),
        clock=lambda: NOW,
        titre=TITRE,
        features=FEATURES,
    )
    async with running(app):
        yield Chat(app, api, files)


def links(text: str) -> list[str]:
    return re.findall(r"https://t\.me/\S+", text)


async def test_share_gives_the_bots_link_and_a_qr_code(tmp_path: Path) -> None:
    async with chat(tmp_path) as c:
        messages = await c.send("/partager")
        assert len(messages) == 2
        text, photo = messages
        shown = text_of(text)
        assert f"donnez ce lien : https://t.me/{USERNAME}\n" in shown
        assert "?start=ref-" not in shown  # not an advisor: the plain link
        assert "lien personnel" not in shown
        assert f"https://t.me/{USERNAME}?start=vae" in shown
        assert f"https://t.me/{USERNAME}?start=delai" in shown
        forward, inline = text["reply_markup"]["inline_keyboard"]
        assert forward[0]["url"].startswith("https://t.me/share/url?url=https%3A%2F%2Ft.me%2F")
        assert inline[0]["switch_inline_query"] == ""  # inline mode: an answer into any chat

        assert "photo" in photo
        assert text_of(photo) == f"QR code du conseiller TSGRI : https://t.me/{USERNAME}"
        upload = c.api.requests("sendPhoto")[-1].uploads[0]
        assert upload.mime_type == "image/png" and upload.filename.endswith(".png")
        png = c.files[upload.filename]
        assert png.startswith(PNG_SIGNATURE) and len(png) > 500


async def test_advisor_gets_a_personal_link(tmp_path: Path) -> None:
    async with chat(tmp_path) as c:
        code = c.store.register_advisor("Mme Martin, Afpa Lyon", ADVISOR)
        text, photo = await c.send("/partager", ADVISOR)
        personal = f"https://t.me/{USERNAME}?start=ref-{code}"
        assert f"donnez ce lien : {personal}\n" in text_of(text)
        assert "C'est votre lien personnel de conseiller" in text_of(text)
        assert text_of(photo).endswith(personal)  # the QR code carries the personal link
        # Topic links stay plain: a deep link carries one payload.
        assert f"https://t.me/{USERNAME}?start=ccp2" in text_of(text)


async def test_no_inline_button_when_inline_mode_is_off(tmp_path: Path) -> None:
    async with chat(tmp_path, inline=False) as c:
        text, _ = await c.send("/partager")
        rows = text["reply_markup"]["inline_keyboard"]
        assert [button["text"] for row in rows for button in row] == [
            "📤 Envoyer le lien à un contact"
        ]


async def test_english_speaker_reads_english(tmp_path: Path) -> None:
    async with chat(tmp_path) as c:
        update = c.api.factory.message("/share", user_id=USER, language_code="en")
        since = c.api.mark()
        await c.app.process_update(Update.de_json(update, c.app.bot))
        text, photo = c.api.visible(USER, since)
        assert f"To share the TSGRI advisor, give this link: https://t.me/{USERNAME}" in (
            text_of(text)
        )
        assert text_of(photo).startswith("QR code of the TSGRI advisor")


async def test_every_topic_link_opens_something_else_than_the_welcome(tmp_path: Path) -> None:
    async with chat(tmp_path) as c:
        welcome = text_of((await c.send("/start"))[-1])
        shared = [
            link for link in links(text_of((await c.send("/partager"))[0])) if "?start=" in link
        ]
        assert [link.rsplit("=", 1)[1] for link in shared] == list(SHARED_TOPICS)
        for link in shared:
            payload = link.rsplit("=", 1)[1]
            opened = await c.send(f"/start {payload}", user_id=USER + 1)
            assert opened, payload
            assert text_of(opened[0]) != welcome, payload
        vae = text_of((await c.send("/start vae", user_id=USER + 2))[0])
        assert "VAE" in vae or "validation des acquis" in vae.lower()
