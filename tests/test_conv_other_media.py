"""Stickers, photos, voice, files, unknown commands, edits: kind or deliberately silent."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conv_support import GROUP, Conv, buttons_of, text_of


def document(conv: Conv, chat_id: int | None = None) -> dict[str, Any]:
    update = conv.api.factory.sticker(chat_id=chat_id)
    message = update["message"]
    del message["sticker"]
    message["document"] = {"file_id": "d1", "file_unique_id": "d1", "file_name": "cv.pdf"}
    return update


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("sticker", "🙂 Merci ! Je ne sais répondre qu'aux messages écrits"),
        ("photo", "Je ne peux pas regarder les images"),
        ("voice", "Je ne peux pas écouter les messages vocaux"),
        ("document", "Je ne lis pas les fichiers"),
    ],
)
async def test_private_media_get_a_kind_reply(conv: Conv, kind: str, expected: str) -> None:
    factory = conv.api.factory
    update = document(conv) if kind == "document" else getattr(factory, kind)()
    [reply] = await conv.feed(update)
    assert text_of(reply).startswith(expected)
    assert "💬 Poser une question" in buttons_of(reply)


@pytest.mark.parametrize("kind", ["sticker", "photo", "voice", "document"])
async def test_group_media_get_silence(conv: Conv, kind: str) -> None:
    factory = conv.api.factory
    update = (
        document(conv, GROUP) if kind == "document" else getattr(factory, kind)(chat_id=GROUP)
    )
    assert await conv.feed(update) == []


async def test_location_gets_the_general_reply(conv: Conv) -> None:
    update = conv.api.factory.sticker()
    message = update["message"]
    del message["sticker"]
    message["location"] = {"latitude": 48.85, "longitude": 2.35}
    [reply] = await conv.feed(update)
    assert text_of(reply).startswith("Je ne sais répondre qu'aux messages écrits")


async def test_edited_message_is_ignored(conv: Conv) -> None:
    first = conv.api.factory.message("c'est quoi la VAE ?")
    [answer] = await conv.feed(first)
    assert text_of(answer).startswith("La VAE")
    since = conv.api.mark()
    assert await conv.feed(conv.api.factory.edited(first, "c'est quoi le DSPP ?")) == []
    assert conv.api.calls[since:] == []  # nothing at all was sent


async def test_unknown_command(conv: Conv) -> None:
    [reply] = await conv.send("/inconnue")
    assert text_of(reply).startswith("Je ne connais pas cette commande.")
    assert await conv.send("/inconnue", chat_id=GROUP) == []


@pytest.mark.parametrize("command", ["/start", "/aide", "/ccp", "/parcours", "/langue", "/delai"])
async def test_edited_command_is_ignored(conv: Conv, command: str) -> None:
    first = conv.api.factory.message(command)
    assert await conv.feed(first) != []
    since = conv.api.mark()
    await conv.feed(conv.api.factory.edited(first, command + " "))
    assert conv.api.calls[since:] == []
