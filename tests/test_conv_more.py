"""Short answers on a phone; what changed and the details behind two buttons (issue 11)."""

from __future__ import annotations

from bot.offline.model import html_to_text
from tests.conv_support import Conv, buttons_of, text_of


async def test_short_answer_then_what_changed_and_details_on_demand(conv: Conv) -> None:
    [answer] = await conv.send("la vae se passe comment")
    body = text_of(answer)
    assert len(body) <= 800  # the answer, its title and source: one phone screen
    assert ("Aujourd'hui (VAE : expérience exigée, depuis le 1er janvier 2017, puis le 23 "
            "décembre 2022)") in body
    assert ("Autres changements : dossier écrit du candidat (2016), administration qui délivre "
            "(2021), VAE : procédure (2024) — sources : bouton « Ce qui a changé ».") in body
    assert "Depuis le 1er janvier 2024" not in body and "un entretien avec le jury" not in body
    assert buttons_of(answer)[-3:] == ["📜 Ce qui a changé", "➕ Détails", "☰ Menu"]
    [changes] = await conv.press(answer, "📜 Ce qui a changé")
    shown = text_of(changes)
    assert shown.startswith("Ce qui a changé depuis le référentiel (La VAE)")
    assert "Depuis le 1er janvier 2024 (VAE : procédure) : Le service public France VAE" in shown
    assert shown.index("Depuis le 1er juin 2016") < shown.index("Depuis le 1er avril 2021")
    [details] = await conv.press(answer, "➕ Détails")
    assert "un entretien avec le jury" in text_of(details)


async def test_a_dated_deadline_keeps_its_own_details(conv: Conv) -> None:
    [answer, _offer] = await conv.send("premier ccp le 30/11/2023, date limite ?")
    body = text_of(answer)
    assert "30 novembre 2028" in body and "Règle qui s'applique à vous" in body
    assert "https://" not in body
    [details] = await conv.press(answer, "➕ Détails")
    assert "https://mmi-deco.com/aide/passage-de-lexamen/" in text_of(details)


async def test_english_buttons(conv: Conv) -> None:
    [answer] = await conv.send("how does the VAE work", language_code="en")
    assert "⚠️ Today (VAE: experience required, since 1 January 2017, then 23 December" in (
        text_of(answer))
    assert buttons_of(answer)[-3:-1] == ["📜 What changed", "➕ Details"]
    [changes] = await conv.press(answer, "📜 What changed", language_code="en")
    assert "Since 1 January 2024" in text_of(changes)


async def test_an_answer_without_changes_has_no_such_button(conv: Conv) -> None:
    [answer] = await conv.send("c'est quoi le CCP 2 ?")
    assert "📜 Ce qui a changé" not in buttons_of(answer)


async def test_inline_result_is_as_short_as_a_chat_message(conv: Conv) -> None:
    results = await conv.inline("vae")
    first = results[0]
    shown = html_to_text(first["input_message_content"]["message_text"])
    # the rule in force, then the référentiel's text (it no longer says "three years" alone)
    assert shown.startswith("La VAE\n\n⚠️ Aujourd'hui (VAE : expérience exigée, depuis le 1er")
    assert "Le référentiel :\nLe candidat à la VAE" in shown
    assert len(shown) <= 450 + 280  # the rule in force adds its own lines
    assert "bouton" not in shown and "Ce qui a changé" not in shown
    [[button]] = first["reply_markup"]["inline_keyboard"]
    assert button["text"] == "Lire la suite dans le bot"
    assert button["url"] == "https://t.me/tsgri_test_bot?start=vae"
