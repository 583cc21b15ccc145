"""PTB persistence in the bot's SQLite file, and privacy over every table.

A guided dialogue interrupted by a restart completes without /start, through a real
`Application`; `/mesdonnees` exports everything; `/oublier` leaves no row and no bytes behind.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.offline import FakeBotApi, offline_request_pair, text_of
from bot.storage import Storage, Tracking
from bot.storage.persistence import SqlitePersistence
from conversations.services import CONTEXT_TYPES, Context

NOW = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
CHOOSE, DATE = range(2)
USER = 987_654_321
OTHER = 55


def track(declared: Mapping[int, date], today: date) -> Tracking | None:
    first = min(declared.values())
    closes = first.replace(year=first.year + 5)
    return Tracking(closes, len(declared) == 3, closes - timedelta(days=30))


async def start(update: Update, context: Context) -> int:
    assert update.effective_message is not None
    await update.effective_message.reply_text("Quel CCP ?")
    return CHOOSE


async def choose(update: Update, context: Context) -> int:
    assert update.effective_message is not None and context.user_data is not None
    context.user_data["ccp"] = int(update.effective_message.text or "0")
    await update.effective_message.reply_text("Quelle date ?")
    return DATE


async def finish(update: Update, context: Context) -> int:
    assert update.effective_message is not None and context.user_data is not None
    ccp = context.user_data.pop("ccp")
    await update.effective_message.reply_text(f"CCP{ccp} le {update.effective_message.text}")
    return ConversationHandler.END


def build(source: Storage | Path, api: FakeBotApi) -> Application[Any, Any, Any, Any, Any, Any]:
    request, updates = offline_request_pair(api)
    app = (
        ApplicationBuilder()
        .token("123:TEST")
        .request(request)
        .get_updates_request(updates)
        .context_types(CONTEXT_TYPES)
        .persistence(SqlitePersistence(source))
        .build()
    )
    app.add_handler(
        ConversationHandler(
            entry_points=[CommandHandler("declarer", start)],
            states={
                CHOOSE: [MessageHandler(filters.TEXT & ~filters.COMMAND, choose)],
                DATE: [MessageHandler(filters.TEXT & ~filters.COMMAND, finish)],
            },
            fallbacks=[],
            name="declarer",
            persistent=True,
        )
    )
    return app


async def say(app: Application[Any, Any, Any, Any, Any, Any], api: FakeBotApi, text: str) -> str:
    since = api.mark()
    await app.process_update(Update.de_json(api.factory.message(text, user_id=7), app.bot))
    return " | ".join(text_of(m) for m in api.visible(7, since))


@pytest.mark.parametrize("shared", [True, False], ids=["storage", "path"])
async def test_guided_dialogue_survives_a_restart(tmp_path: Path, shared: bool) -> None:
    path = tmp_path / "bot.sqlite3"
    store, api = Storage(path, track=track), FakeBotApi()
    app = build(store if shared else path, api)
    async with app:
        assert await say(app, api, "/declarer") == "Quel CCP ?"
        assert await say(app, api, "2") == "Quelle date ?"
    store.close()  # the process ends here

    store, api = Storage(path, track=track), FakeBotApi()
    app = build(store if shared else path, api)
    async with app:
        assert await say(app, api, "15/03/2024") == "CCP2 le 15/03/2024"
        assert await say(app, api, "encore") == ""  # the dialogue is over
    # ended dialogues and emptied user_data leave no row behind
    assert store.db.execute("SELECT COUNT(*) FROM ptb_conversations").fetchone()[0] == 0
    assert store.db.execute("SELECT COUNT(*) FROM ptb_user_data").fetchone()[0] == 0
    store.close()


async def test_stored_data_round_trips(tmp_path: Path) -> None:
    store = Storage(tmp_path / "p.sqlite3", track=track)
    persistence = SqlitePersistence(store)
    await persistence.update_user_data(1, {"pending": date(2024, 3, 15), "ccp": 2})
    await persistence.update_chat_data(-100, {"lang": "en"})
    await persistence.update_callback_data(([("id1", 1.5, {"k": "v"})], {"q": "id1"}))
    await persistence.update_conversation("declarer", (1, 1), 3)
    await persistence.update_conversation("declarer", (-100, 2), "ASK")
    await persistence.update_user_data(2, {})
    store.close()

    persistence = SqlitePersistence(Storage(tmp_path / "p.sqlite3", track=track))
    assert await persistence.get_user_data() == {1: {"pending": date(2024, 3, 15), "ccp": 2}}
    assert await persistence.get_chat_data() == {-100: {"lang": "en"}}
    assert await persistence.get_callback_data() == ([("id1", 1.5, {"k": "v"})], {"q": "id1"})
    assert await persistence.get_conversations("declarer") == {(1, 1): 3, (-100, 2): "ASK"}
    assert await persistence.get_conversations("other") == {}
    await persistence.update_conversation("declarer", (1, 1), None)
    await persistence.drop_user_data(1)
    await persistence.drop_chat_data(-100)
    assert await persistence.get_conversations("declarer") == {(-100, 2): "ASK"}
    assert await persistence.get_user_data() == {} and await persistence.get_chat_data() == {}
    assert persistence.store_data.bot_data is False


async def _everything_about(store: Storage, user: int, secret: str) -> None:
    persistence = SqlitePersistence(store)
    code = store.register_advisor("Conseiller", OTHER)
    own_code = store.register_advisor("Moi aussi conseiller", user)
    store.touch_user(user, now=NOW, referral=f"ref-{code}")
    store.touch_user(OTHER, now=NOW, referral=f"ref-{own_code}")
    store.set_user_lang(user, "en")
    store.declare(user, 1, date(2022, 3, 12), now=NOW)
    store.declare(user, 2, date(2023, 3, 12), now=NOW)
    store.snooze_reminders(user, date(2025, 7, 1))
    owner = f"{socket.gethostname()}:1"
    assert store.claim_reminder(user, date(2027, 3, 12), "1m", owner=owner, now=NOW)
    store.finish_reminder(user, date(2027, 3, 12), "1m", "sent", now=NOW, next_reminder_on=None)
    ident = store.create_announcement("Nouveau référentiel", user, NOW)
    assert store.claim_announcement(ident, user, owner=owner, now=NOW)
    store.finish_announcement(ident, user, "sent", now=NOW)
    await persistence.update_user_data(user, {"note": secret, "pending": date(2024, 1, 2)})
    await persistence.update_chat_data(user, {"draft": secret})
    await persistence.update_conversation("declarer", (user, user), 1)
    await persistence.update_conversation("declarer", (-100, user), 1)  # a group dialogue
    await persistence.update_user_data(OTHER, {"note": "keep me"})
    await persistence.update_conversation("declarer", (OTHER, OTHER), 1)
    store.log_question(topic=None, status="fallback", text="combien ça coûte", now=NOW)
    store.log_question(topic=None, status="clarify", text=f"{secret} ?", now=NOW, user_id=user)


def _rows_holding(store: Storage, user: int) -> list[str]:
    """Every table and column, scanned for the id as a number or inside text/JSON."""
    store.settle()  # persistence writes are queued on the storage thread
    found = []
    tables = [r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    for table in tables:
        for column in [r[1] for r in store.db.execute(f"PRAGMA table_info([{table}])")]:
            hits = store.db.execute(
                f"SELECT COUNT(*) FROM [{table}] WHERE [{column}] = ?"
                f" OR (typeof([{column}]) = 'text' AND instr([{column}], ?) > 0)"
                f" OR (typeof([{column}]) = 'blob' AND instr([{column}], ?) > 0)",
                (user, str(user), user.to_bytes(4, "little")),
            ).fetchone()[0]
            if hits:
                found.append(f"{table}.{column}")
    return found


async def test_export_holds_everything_about_the_user(tmp_path: Path) -> None:
    store = Storage(tmp_path / "e.sqlite3", track=track)
    await _everything_about(store, USER, "mon-secret")
    export = store.export_user(USER)
    json.dumps(export)  # a JSON document, as /mesdonnees sends it
    assert export["users"][0]["lang"] == "en"
    assert export["users"][0]["snoozed_until"] == "2025-07-01"
    assert [d["ccp"] for d in export["declarations"]] == [1, 2]
    assert export["tracking"][0]["closes_on"] == "2027-03-12"
    assert export["reminder_log"][0]["status"] == "sent"
    assert export["announcement_log"][0]["status"] == "sent"
    assert export["advisors"][0]["label"] == "Moi aussi conseiller"
    assert export["ptb_user_data"][0]["data"] == {"note": "mon-secret", "pending": "2024-01-02"}
    assert export["ptb_chat_data"][0]["data"] == {"draft": "mon-secret"}
    assert len(export["ptb_conversations"]) == 2
    assert [q["text"] for q in export["questions"]] == ["mon-secret ?"]  # theirs only
    assert "keep me" not in json.dumps(export)


async def test_forget_leaves_no_row_and_no_bytes(tmp_path: Path) -> None:
    path = tmp_path / "f.sqlite3"
    store = Storage(path, track=track)
    secret = "SECRET-UNIQUE-7f3a9"
    await _everything_about(store, USER, secret)
    assert len(_rows_holding(store, USER)) >= 10  # the scan does find the id when present
    files = [p for p in tmp_path.iterdir() if p.name.startswith("f.sqlite3")]
    assert any(secret.encode() in p.read_bytes() for p in files)  # and the bytes

    store.forget_user(USER)

    assert _rows_holding(store, USER) == []
    files = [p for p in tmp_path.iterdir() if p.name.startswith("f.sqlite3")]
    assert all(secret.encode() not in p.read_bytes() for p in files)
    # the others keep what is theirs; anonymous figures stay
    assert store.export_user(OTHER)["ptb_user_data"][0]["data"] == {"note": "keep me"}
    assert store.export_user(OTHER)["users"][0]["referral"] is None  # the advisor is gone
    assert store.stats(now=NOW)["reminders_sent"] == 1
    assert store.unanswered(now=NOW) == [("combien ça coûte", 1)]
    announcement = store.announcement(1)
    assert announcement is not None and announcement.created_by is None
    store.close()
