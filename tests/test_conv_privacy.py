"""/confidentialite, /mesdonnees, /oublier through a real Application (conversations/privacy.py)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from declare_support import USER, last, rows_holding, running_bot, texts

from bot.offline_model import buttons_of

OTHER = 555000111


async def test_privacy_notice(tmp_path: Path) -> None:
    async with running_bot(tmp_path / "bot.sqlite3") as b:
        messages = await b.send("/confidentialite")
        text = texts(messages)
        for part in ("Ce que je garde", "Pourquoi", "Combien de temps", "/mesdonnees", "/oublier"):
            assert part in text
        assert buttons_of(last(messages)) == ["📄 Mes données", "🗑 Tout effacer"]
        english = texts(await b.send("/confidentialite", lang="en"))
        assert "What I keep" in english and "How long" in english


async def test_my_data_as_a_json_document(tmp_path: Path) -> None:
    async with running_bot(tmp_path / "bot.sqlite3") as b:
        await b.send("/declarer 2 15/03/2024")
        messages = await b.send("/mesdonnees")
        document = last(messages)["document"]
        assert document["file_name"] == "mes-donnees-tsgri.json"
        data = json.loads(b.files["mes-donnees-tsgri.json"])
        assert data["user_id"] == USER
        assert [(r["ccp"], r["obtained"]) for r in data["declarations"]] == [(2, "2024-03-15")]


async def test_forget_everything(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    async with running_bot(db) as b:
        await b.send("/declarer 1 12/03/2022", user_id=OTHER)  # someone else stays
        await b.send("/declarer 1 12/03/2022")
        await b.send("/declarer")  # a dialogue in progress, kept in user_data and states
        messages = await b.send("2")
        assert "À quelle date" in texts(messages)
        await b.app.update_persistence()
        assert rows_holding(db, USER)  # the check below can see the user when present

        messages = await b.send("/oublier")
        assert "Tout effacer ?" in texts(messages)
        messages = await b.press(last(messages), "🗑 Oui, tout effacer")
        assert "je ne garde plus rien sur vous" in texts(messages)
        assert b.declared() == {}
        assert await b.send("15/03/2024") == []  # the dialogue in progress is gone too
    assert rows_holding(db, USER) == []
    async with running_bot(db) as b:
        assert b.declared(OTHER) == {1: date(2022, 3, 12)}
        assert b.declared() == {}


async def test_forget_cancelled_keeps_everything(tmp_path: Path) -> None:
    async with running_bot(tmp_path / "bot.sqlite3") as b:
        await b.send("/declarer 1 12/03/2022")
        messages = await b.send("/oublier")
        messages = await b.press(last(messages), "Non, garder")
        assert "rien n'est effacé" in texts(messages)
        assert b.declared() == {1: date(2022, 3, 12)}


async def test_in_a_group(tmp_path: Path) -> None:
    async with running_bot(tmp_path / "bot.sqlite3") as b:
        await b.send("/declarer 1 12/03/2022")
        for command in ("/mesdonnees", "/oublier"):
            messages = await b.send(command, chat_id=-100123)
            assert "continuons en privé" in texts(messages)
            assert not any("document" in m for m in messages)
        assert b.declared() == {1: date(2022, 3, 12)}
