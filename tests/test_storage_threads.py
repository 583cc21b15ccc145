"""No SQLite call of a dialogue runs on the event loop (issue 12).

1. Every SQL statement of the real Application is recorded with the thread that ran it (the
   connections' trace callbacks) while users go through the dialogues: none ran on the
   event loop's thread.
2. Another process holds the database's write lock (BEGIN IMMEDIATE) for 2 s: a question is
   answered while it is held; a declaration made meanwhile is stored and confirmed once the
   lock is released, and nothing is lost.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from bot.storage import Storage
from tests.conv_support import DB_NAME, MENU, Conv, Launch, buttons_of, last, text_of, texts

ADMIN = 606_060_001
USER = 606_060_101
OTHER = 606_060_102


@contextmanager
def statements_by_thread(storage: Storage) -> Iterator[list[tuple[int, str]]]:
    """(thread id, SQL) of every statement run on the storage's connections meanwhile."""
    seen: list[tuple[int, str]] = []

    def note(sql: str) -> None:
        seen.append((threading.get_ident(), sql))

    storage.trace(note)
    try:
        yield seen
    finally:
        storage.trace(None)


async def tour(b: Conv) -> None:
    """The dialogues a user and an operator go through, checking what they see."""
    assert buttons_of(last(await b.send("/start"))) == MENU
    assert text_of(last(await b.send("C'est quoi la VAE ?"))).startswith("La VAE")
    assert "C'est noté : CCP 2 obtenu le 15 mars 2024" in texts(
        await b.send("/declarer 2 15/03/2024")
    )
    assert "C'est déjà enregistré" in texts(await b.send("/declarer 2 15/03/2024"))
    summary = (await b.send("/mesccp"))[0]
    assert "Mes CCP : 1/3" in text_of(summary)
    edit = last(await b.press(summary, "✏️ Modifier"))
    confirm = last(await b.press(edit, "🗑 Supprimer CCP 2"))
    assert "La déclaration du CCP 2 est supprimée" in texts(
        await b.press(confirm, "🗑 Oui, supprimer le CCP 2")
    )
    assert await asyncio.to_thread(b.declared) == {}  # the test's own reads: off the loop too
    await b.send("/declarer 1 12/03/2022")
    shown = last(await b.send("/rappels"))
    assert "Rappels activés." in text_of(shown)
    await b.press(shown, buttons_of(shown)[0])  # off
    assert not (await asyncio.to_thread(b.store.reminder_settings, USER)).enabled
    await b.send("/delai 12/03/2022")
    await b.send("/parcours")
    await b.send("/partager")
    [choice] = await b.send("/langue")
    [done] = await b.press(choice, "🇬🇧 English")
    assert text_of(done).startswith("Got it: I will answer in English.")
    [choice] = await b.send("/langue")
    await b.press(choice, "🇫🇷 Français")
    await b.send("/confidentialite")
    readable, raw = await b.send("/mesdonnees")
    assert "CCP 1 : obtenu le 12 mars 2022" in text_of(readable)
    assert raw["document"]["file_name"] == "mes-donnees-tsgri.json"
    await b.send("/conseiller")
    await b.send("/pseudo Camille")
    assert "Utilisateurs" in text_of(last(await b.send("/stats", user_id=ADMIN)))
    await b.send("/inconnues", user_id=ADMIN)
    preview = last(await b.send("/annonce Nouveau référentiel", user_id=ADMIN))
    since = b.api.mark()
    await b.press(preview, "📤 Envoyer à tous", user_id=ADMIN)
    await b.api.wait_for(lambda: any("Résultat de l'envoi" in text_of(m)
                                     for m in b.api.visible(ADMIN, since)))  # fmt: skip
    forget = last(await b.send("/oublier"))
    assert "je ne garde plus rien sur vous" in texts(await b.press(forget, "🗑 Oui, tout effacer"))
    assert await asyncio.to_thread(b.declared) == {}


async def test_no_sql_statement_runs_on_the_event_loop(launch: Launch) -> None:
    async with launch(admins=frozenset({ADMIN}), user_id=USER) as b:
        loop_thread = threading.get_ident()
        with statements_by_thread(b.store) as seen:
            await tour(b)
            await asyncio.to_thread(b.store.settle)
        on_loop = [sql for thread, sql in seen if thread == loop_thread]
        assert on_loop == []
        # The trace saw the dialogues' own reads and writes (it can fail: they are there).
        plain = [sql.replace('"', "").upper() for _, sql in seen]  # sqlite-utils quotes names
        assert any(sql.startswith("INSERT INTO DECLARATIONS") for sql in plain)
        assert any("FROM USERS WHERE USER_ID" in sql for sql in plain)
        assert any(sql.startswith("DELETE FROM DECLARATIONS") for sql in plain)


@contextmanager
def write_lock_held(db: Path) -> Iterator[threading.Event]:
    """Another process's connection takes the write lock until the returned event is set."""
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        locked.set()
        release.wait(10)
        other.execute("COMMIT")
        other.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(5)
        yield release
    finally:
        release.set()
        holder.join()


@pytest.mark.slow  # holds the write lock for seconds
async def test_a_held_write_lock_delays_the_declaration_not_the_question(
    tmp_path: Path, launch: Launch
) -> None:
    async with launch(user_id=USER) as b:
        await b.send("/start")
        await b.send("/start", user_id=OTHER)
        b.store.settle()
        with write_lock_held(tmp_path / DB_NAME) as release:
            started = time.monotonic()
            declaring = asyncio.create_task(b.send("/declarer 1 12/03/2022"))
            await asyncio.sleep(0.2)  # the declaration now waits for the lock
            since = b.api.mark()
            asking = asyncio.create_task(b.send("C'est quoi la VAE ?", user_id=OTHER))
            await b.api.wait_for(lambda: bool(b.api.visible(OTHER, since)), timeout=1.5)
            [answer] = b.api.visible(OTHER, since)
            assert text_of(answer).startswith("La VAE")
            assert time.monotonic() - started < 1.5  # answered while the lock is held
            assert not declaring.done()
            await asyncio.sleep(2.0 - (time.monotonic() - started))
            release.set()
            confirmed = await asyncio.wait_for(declaring, 10)
            await asyncio.wait_for(asking, 10)
        assert time.monotonic() - started >= 2.0
        assert "C'est noté : CCP 1 obtenu le 12 mars 2022" in texts(confirmed)
        assert b.declared() == {1: date(2022, 3, 12)}
