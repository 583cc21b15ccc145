"""/confidentialite, /mesdonnees, /oublier through a real Application (conversations/privacy.py)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

from tests.conv_support import (
    DB_NAME,
    NOW,
    PERSONAL,
    USER,
    Launch,
    buttons_of,
    last,
    text_of,
    texts,
)

OTHER = 555000111


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


async def test_privacy_notice(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        messages = await b.send("/confidentialite")
        short = texts(messages)
        assert len(short) <= 800  # one phone screen; the rest on demand
        for part in ("Je garde", "Pour", "Qui voit quoi", "90 jours", "/mesdonnees", "/oublier"):
            assert part in short
        assert buttons_of(last(messages)) == ["➕ Détails", "📄 Mes données", "🗑 Tout effacer"]
        text = texts(await b.press(last(messages), "➕ Détails"))
        for part in ("Ce que je garde", "Pourquoi", "Combien de temps", "/mesdonnees", "/oublier",
                     "le nom choisi pour vos conseillers (/pseudo)"):
            assert part in text
        assert "pendant 90 jours" in text  # the configured retention (BOT_UNANSWERED_DAYS)
        english = await b.send("/confidentialite", language_code="en")
        assert "I keep" in texts(english)
        more = texts(await b.press(last(english), "➕ Details", language_code="en"))
        assert "What I keep" in more and "How long" in more


async def test_my_data_as_a_json_document(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        await b.send("/declarer 2 15/03/2024")
        messages = await b.send("/mesdonnees")
        document = last(messages)["document"]
        assert document["file_name"] == "mes-donnees-tsgri.json"
        data = json.loads(b.files["mes-donnees-tsgri.json"])
        assert data["user_id"] == USER
        assert [(r["ccp"], r["obtained"]) for r in data["declarations"]] == [(2, "2024-03-15")]


async def test_my_data_in_words_before_the_raw_file(launch: Launch) -> None:
    async with launch(user_id=USER) as b:
        await b.send("/declarer 2 15/03/2024")
        await b.send("quel temps fera-t-il à Brest ? appelez-moi au 06 12 34 56 78")
        await b.send("/declarer")  # a dialogue in progress
        [readable, raw] = await b.send("/mesdonnees")
        text = text_of(readable)
        lines = text.splitlines()
        assert lines[0] == "📄 Tout ce que je garde sur vous, au 29 novembre 2026"
        assert f"Identifiant Telegram : {USER} (un numéro, ni votre nom ni votre téléphone)" in (
            lines
        )
        assert "CCP 2 : obtenu le 15 mars 2024 (déclaré le 29 novembre 2026)" in lines
        assert "Rappels : activés" in lines
        question = "« quel temps fera-t-il à Brest ? appelez-moi au [téléphone] »"
        assert f"{question} (29 novembre 2026)" in lines
        assert "une déclaration de CCP commencée" in lines
        assert "effacées après 90 jours" in text
        # the dialogue memory in words, not as stored ("declare.asked_at")
        assert "l'heure de la dernière question de /declarer" in text
        for raw_word in ("ptb_", "next_reminder_on", "2024-03-15", "T09:30", "asked_at"):
            assert raw_word not in text
        assert raw["document"]["file_name"] == "mes-donnees-tsgri.json"
        assert "brutes" in text_of(raw)
        [english, _] = await b.send("/mydata", language_code="en")
        assert "CCP 2: obtained on 15 March 2024 (declared on 29 November 2026)" in text_of(english)


async def test_forget_everything(tmp_path: Path, launch: Launch) -> None:
    db = tmp_path / DB_NAME
    async with launch(features=PERSONAL, user_id=USER) as b:
        await b.send("/declarer 1 12/03/2022", user_id=OTHER)  # someone else stays
        await b.send("/declarer 1 12/03/2022")
        await b.send("/declarer")  # a dialogue in progress, kept in user_data and states
        messages = await b.send("2")
        assert "À quelle date" in texts(messages)
        await b.app.update_persistence()
        # A reply Telegram kept refusing waits in the outbox (bot.sending.outbox): forgotten too.
        kept = json.dumps({"chat_id": USER, "text": "La VAE…"})
        b.store.keep_reply(USER, "sendMessage", kept, "500", now=NOW)
        assert {"outbox.chat_id", "outbox.payload"} <= set(rows_holding(db, USER))

        messages = await b.send("/oublier")
        assert "Tout effacer ?" in texts(messages)
        messages = await b.press(last(messages), "🗑 Oui, tout effacer")
        assert "je ne garde plus rien sur vous" in texts(messages)
        await b.app.update_persistence()
        assert rows_holding(db, USER) == []
        assert b.declared() == {}
        # Writing again is a new visit (it is recorded as one), but nothing comes back:
        # the dialogue that was in progress is gone.
        assert await b.send("15/03/2024") == []
        assert b.declared() == {}
    async with launch(features=PERSONAL, user_id=USER) as b:
        assert b.declared(OTHER) == {1: date(2022, 3, 12)}
        assert b.declared() == {}


async def test_forget_cancelled_keeps_everything(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        await b.send("/declarer 1 12/03/2022")
        messages = await b.send("/oublier")
        messages = await b.press(last(messages), "Non, garder")
        assert "rien n'est effacé" in texts(messages)
        assert b.declared() == {1: date(2022, 3, 12)}


async def test_in_a_group(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        await b.send("/declarer 1 12/03/2022")
        for command in ("/mesdonnees", "/oublier"):
            messages = await b.send(command, chat_id=-100123)
            assert "continuons en privé" in texts(messages)
            assert not any("document" in m for m in messages)
        assert b.declared() == {1: date(2022, 3, 12)}


def tables_holding(db: Path, needles: list[str]) -> list[tuple[str, str]]:
    """(table, typed text) for every typed text found in any cell: text, or bytes (pickled)."""
    found: list[tuple[str, str]] = []
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                for cell in row:
                    raw = cell if isinstance(cell, bytes) else str(cell).encode()
                    found += [(table, n) for n in needles if n.encode() in raw]
    return found


async def test_after_forget_no_table_holds_any_text_the_user_typed(
    tmp_path: Path, launch: Launch
) -> None:
    db = tmp_path / DB_NAME
    typed = [
        "Je suis Jean Dupont, rappelez-moi au 06 12 34 56 78 pour le permis bateau",
        "écrivez à jean.dupont@example.org pour la recette des crêpes",
        "c koi la VAE ?",
    ]
    fragments = ["Jean Dupont", "permis bateau", "recette des crêpes", "c koi la VAE"]
    async with launch(user_id=USER) as b:
        for text in typed:
            assert await b.send(text)
        await b.send("/declarer 1 12/03/2022")
        await b.send("/declarer")  # a dialogue in progress
        await b.app.update_persistence()
        # kept to improve the answers, without the phone number and the e-mail address
        kept = tables_holding(db, fragments)
        assert ("questions", "Jean Dupont") in kept and ("questions", "recette des crêpes") in kept
        assert tables_holding(db, ["06 12 34 56 78", "jean.dupont@example.org"]) == []
        assert b.store.unanswered(now=NOW)[0][0].endswith("[téléphone] pour le permis bateau")

        confirm = await b.send("/forget", language_code="en")
        done = await b.press(last(confirm), "🗑 Yes, erase everything", language_code="en")
        assert "I no longer keep anything about you" in texts(done)
        await b.app.update_persistence()
        assert tables_holding(db, fragments) == []
        assert rows_holding(db, USER) == []
        assert b.store.unanswered(now=NOW) == []


async def test_my_data_and_my_reminders_give_the_same_next_reminder(launch: Launch) -> None:
    async with launch(user_id=USER) as b:
        await b.send("/declarer 1 14/03/2022")  # the six-month step has passed: due at once
        [settings, *_] = await b.send("/rappels")
        [readable, _raw] = await b.send("/mesdonnees")
        said = text_of(settings).split("Prochain rappel : ")[1].split(" (")[0]
        assert f"prochain rappel prévu : {said}" in text_of(readable)
        assert said == "30 novembre 2026"  # 10:30 in Paris: the 09:00 run of today has gone


async def test_my_data_never_says_a_window_closed_that_the_rule_in_force_keeps_open(
    launch: Launch,
) -> None:
    """Two testers read « Votre fenêtre se ferme le 15 juin 2022 » in /mesdonnees while every
    other answer said their CCPs (first one after 1 June 2016) may still count."""
    async with launch(user_id=USER) as b:
        await b.send("/declarer 1 15/06/2017")
        [readable, _raw] = await b.send("/mesdonnees")
        text = text_of(readable)
        assert "Date à viser : le 15 juin 2022" in text
        assert "vos CCP comptent tant que le titre est valide, puis un an" in text
        assert "fenêtre se ferme" not in text
    async with launch(user_id=USER + 1) as b:  # before the change: the référentiel's window
        await b.send("/declarer 1 10/01/2015", user_id=USER + 1)
        [readable, _raw] = await b.send("/mesdonnees", user_id=USER + 1)
        assert "Votre fenêtre se ferme le 10 janvier 2020" in text_of(readable)


async def test_my_data_plans_no_reminder_when_they_are_off(launch: Launch) -> None:
    """A tester read « Rappels : arrêtés · prochain rappel prévu : 14 mai 2028 »."""
    async with launch(user_id=USER) as b:
        await b.send("/declarer 1 14/05/2024")
        [settings, *_] = await b.send("/rappels")
        await b.press(settings, buttons_of(settings)[0])  # off
        [readable, _raw] = await b.send("/mesdonnees")
        text = text_of(readable)
        assert "prochain rappel prévu : aucun" in text and "14 mai 2028" not in text
