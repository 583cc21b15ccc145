"""Operators' commands through the real Application, offline (conversations/admin.py,
bot/sending/announcements.py): /stats, /inconnues, /annonce with preview, send and cancel."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest

from bot.offline import Fault
from bot.sending.announcements import send_announcement
from bot.sending.bulk import BulkSender
from conversations.i18n import Catalogue
from tests.conv_support import NOW, Conv, Launch, buttons_of, text_of

ADMIN = 424_242_001
USERS = (424_242_101, 424_242_102, 424_242_103, 424_242_104)
GROUP = -100_424_242
FEATURES = ("start", "admin", "ask", "stale")
RESERVED = "Cette commande est réservée aux personnes qui gèrent ce bot."
SEND = "📤 Envoyer à tous"
CANCEL = "✖️ Annuler"
RESULT = "Résultat de l'envoi"
HEADER = "📢 Message de l'équipe du conseiller TSGRI"


@pytest.fixture
async def conv(launch: Launch) -> AsyncIterator[Conv]:
    """Here: the operators' commands only, ADMIN the operator (and who presses buttons)."""
    async with launch(features=FEATURES, admins=frozenset({ADMIN}), user_id=ADMIN) as helper:
        yield helper


async def result(c: Conv, since: int) -> str:
    """Wait for the end of the background send; the text of the result message."""

    def results() -> list[str]:
        return [text_of(m) for m in c.api.visible(ADMIN, since) if RESULT in text_of(m)]

    await c.api.wait_for(lambda: bool(results()))
    return results()[0]


def received(c: Conv, chat_id: int, words: str) -> int:
    """Announcements delivered to `chat_id` holding `words` (not the operator's preview)."""
    return sum(
        call.status == 200
        and call.result["chat"]["id"] == chat_id
        and text_of(call.result).startswith(HEADER)
        and words in text_of(call.result)
        for call in c.api.requests("sendMessage")
    )


async def test_stats_figures_for_operators_only(conv: Conv) -> None:
    for user in USERS:
        await conv.send("/start", user_id=user)
    conv.store.declare(USERS[0], 2, date(2024, 3, 15), now=NOW)
    conv.store.log_question(topic="vae", status="answer", text=None, now=NOW)
    conv.store.log_question(topic=None, status="fallback", text="météo ?", now=NOW)

    shown = text_of((await conv.send("/stats", user_id=ADMIN))[-1])
    assert "Utilisateurs : 5 (actifs sur 7 jours : 5" in shown  # 4 users and the operator
    assert "CCP déclarés : 1, par 1 personne(s)" in shown
    assert "Questions posées : 2" in shown
    vae = conv.app.bot_data.services.titre.topic("vae").title.fr  # titles, not ids
    assert f"Sujets les plus demandés : {vae} (1)" in shown
    assert "Questions sans réponse : 50%" in shown
    assert "Réponses en attente (Telegram les refusait) : 0, gardées 24 h au plus" in shown

    refused = await conv.send("/stats", user_id=USERS[1])
    assert [text_of(m) for m in refused] == [RESERVED]
    assert not any(ch.isdigit() for ch in text_of(refused[0]))
    # An operator in a group is sent to the private chat: the group sees no figure.
    in_group = await conv.send("/stats", user_id=ADMIN, chat_id=GROUP)
    assert in_group and not any(ch.isdigit() for m in in_group for ch in text_of(m))
    assert "privé" in text_of(in_group[-1])


async def test_unanswered_grouped_most_frequent_first(conv: Conv) -> None:
    empty = await conv.send("/inconnues", user_id=ADMIN)
    assert "Aucune question sans réponse" in text_of(empty[-1])
    asked = [
        "Le bot marche sur WhatsApp ?",
        "Où passer l'examen à Lyon ?",
        "ou passer l'examen a Lyon",
        "Où passer l'examen à Lyon ?",
        "Quel est le code du wifi ?",
        "Quel est le code du wifi ?",
    ]
    for text in asked:
        conv.store.log_question(topic=None, status="fallback", text=text, now=NOW)
    conv.store.log_question(topic="vae", status="answer", text="la vae ?", now=NOW)

    lines = text_of((await conv.send("/inconnues", user_id=ADMIN))[-1]).split("\n")
    assert lines[1:] == [
        "• ×3 — Où passer l'examen à Lyon ?",
        "• ×2 — Quel est le code du wifi ?",
        "• ×1 — Le bot marche sur WhatsApp ?",
    ]
    refused = await conv.send("/inconnues", user_id=USERS[0])
    assert [text_of(m) for m in refused] == [RESERVED]


async def test_announcement_preview_send_once_even_pressed_twice(conv: Conv) -> None:
    for user in USERS:
        await conv.send("/start", user_id=user)
    conv.api.faults[USERS[2]] = Fault.blocked()  # this one blocked the bot meanwhile

    assert "Écrivez l'annonce" in text_of((await conv.send("/annonce", user_id=ADMIN))[-1])
    preview = (await conv.send("/annonce Le référentiel change\nDemandez-moi.", user_id=ADMIN))[-1]
    assert "Le référentiel change\nDemandez-moi." in text_of(preview)
    assert buttons_of(preview) == [SEND, CANCEL]
    assert all(received(conv, user, "référentiel change") == 0 for user in USERS)  # preview only

    since = conv.api.mark()
    await conv.press_again(preview, SEND)
    first = await result(conv, since)
    assert "sent: recipients=5 sent=4" in first and "blocked=1" in first
    assert buttons_of(conv.api.current(preview)) == []  # the preview stays, its buttons go
    for user in (ADMIN, USERS[0], USERS[1], USERS[3]):
        assert received(conv, user, "Le référentiel change") == 1
    assert received(conv, USERS[2], "Le référentiel change") == 0
    assert conv.store.reminder_settings(USERS[2]).active is False

    since = conv.api.mark()
    await conv.press_again(preview, SEND)  # the old copy of the preview, buttons and all
    assert "already_sent" in await result(conv, since)
    for user in (ADMIN, USERS[0], USERS[1], USERS[3]):
        assert received(conv, user, "Le référentiel change") == 1


async def test_double_tap_while_sending_sends_once(conv: Conv) -> None:
    for user in USERS:
        await conv.send("/start", user_id=user)
    preview = (await conv.send("/annonce Nouvelle session", user_id=ADMIN))[-1]
    since = conv.api.mark()
    await conv.press_again(preview, SEND)
    await conv.press_again(preview, SEND)  # before the first run has finished

    def results() -> int:
        return sum(RESULT in text_of(m) for m in conv.api.visible(ADMIN, since))

    await conv.api.wait_for(lambda: results() == 2)
    for user in (ADMIN, *USERS):
        assert received(conv, user, "Nouvelle session") == 1


async def test_cancel_sends_nothing_even_if_send_is_pressed_later(conv: Conv) -> None:
    for user in USERS:
        await conv.send("/start", user_id=user)
    preview = (await conv.send("/annonce Rien du tout", user_id=ADMIN))[-1]
    shown = await conv.press_again(preview, CANCEL)
    assert text_of(shown[-1]) == "Annonce annulée : rien n'a été envoyé."
    since = conv.api.mark()
    await conv.press_again(preview, SEND)  # a stale copy of the preview
    assert "cancelled" in await result(conv, since)
    assert all(received(conv, user, "Rien du tout") == 0 for user in (ADMIN, *USERS))


async def test_non_operator_cannot_announce_or_press(conv: Conv) -> None:
    await conv.send("/start", user_id=USERS[0])
    refused = await conv.send("/annonce Piratage", user_id=USERS[0])
    assert [text_of(m) for m in refused] == [RESERVED]
    preview = (await conv.send("/annonce Pour tous", user_id=ADMIN))[-1]
    update = conv.api.factory.callback_query(preview, SEND, user_id=USERS[0])
    await conv.feed(update)
    answer = conv.api.callback_answers[update["callback_query"]["id"]]
    assert answer["text"] == "Réservé aux personnes qui gèrent ce bot."
    assert received(conv, USERS[0], "Pour tous") == 0
    assert buttons_of(conv.api.current(preview)) == [SEND, CANCEL]


async def test_failed_recipient_is_retried_by_a_second_run(
    conv: Conv, catalogue: Catalogue
) -> None:
    """A 400 leaves the announcement 'partial'; the next run reaches only the one missed."""
    for user in USERS:
        await conv.send("/start", user_id=user)
    ident = conv.store.create_announcement("Deux fois ?", ADMIN, NOW)
    conv.api.faults[USERS[1]] = Fault(400, "Bad Request: chat not found", times=1)

    async def run() -> str:
        sender = BulkSender(conv.app.bot, backoff=0.0)
        summary = await send_announcement(
            conv.store, conv.app.bot, ident, catalogue=catalogue, now=NOW, sender=sender
        )
        return summary.line()

    assert await run() == f"#{ident} partial: recipients=4 sent=3 skipped=0 failed=1 blocked=0"
    assert await run() == f"#{ident} sent: recipients=1 sent=1 skipped=0 failed=0 blocked=0"
    for user in USERS:
        assert received(conv, user, "Deux fois ?") == 1
