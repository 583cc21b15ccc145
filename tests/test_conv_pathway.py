"""/parcours: "où en êtes-vous ?" leads to the path that fits, with a way back."""

from __future__ import annotations

import pytest

from tests.conv_support import Conv, buttons_of, text_of


@pytest.mark.parametrize(
    ("choice", "intro", "topic_words"),
    [
        ("🎓 Je suis (ou serai) en formation", "🎓 En formation", "formation"),
        ("💼 J'ai de l'expérience dans le métier", "💼 Avec de l'expérience", "VAE"),
        ("🧩 J'ai déjà un ou plusieurs CCP", "🧩 Vous avez déjà des CCP", "capitalis"),
        ("🏅 J'ai déjà le titre TSGRI", "🏅 Titulaire du titre", "CCS"),
        ("🤔 Je ne sais pas encore", "🤔 Pas de souci", "parcours"),
    ],
)
async def test_each_situation_leads_to_its_path(
    conv: Conv, choice: str, intro: str, topic_words: str
) -> None:
    [question] = await conv.send("/parcours")
    assert text_of(question).startswith("Où en êtes-vous ?")
    [result] = await conv.press(question, choice)
    assert result["message_id"] == question["message_id"]
    assert text_of(result).startswith(intro)
    assert topic_words in text_of(result)
    assert buttons_of(result)[-2:] == ["← Autre situation", "☰ Menu"]
    # every button the text announces is there ("… la suite : bouton « Détails »")
    for announced, button in (("« Détails »", "➕ Détails"), ("« Ce qui a changé »",
                                                               "📜 Ce qui a changé")):
        assert (announced in text_of(result)) == (button in buttons_of(result)), button
    [back] = await conv.press(question, "← Autre situation")
    assert text_of(back) == text_of(question)


async def test_the_details_of_a_path_open_from_it(conv: Conv) -> None:
    [question] = await conv.send("/parcours")
    [result] = await conv.press(question, "💼 J'ai de l'expérience dans le métier")
    [details] = await conv.press(result, "➕ Détails")
    assert "un entretien avec le jury" in text_of(details)
    [changes] = await conv.press(result, "📜 Ce qui a changé")
    assert "Depuis le 1er janvier 2024 (VAE : procédure)" in text_of(changes)


async def test_ccp_holders_can_compute_their_deadline(conv: Conv) -> None:
    [question] = await conv.send("/parcours")
    [result] = await conv.press(question, "🧩 J'ai déjà un ou plusieurs CCP")
    [prompt] = await conv.press(result, "📅 Calculer mon délai")
    assert "premier CCP" in text_of(prompt)


async def test_in_english(conv: Conv) -> None:
    [question] = await conv.send("/parcours", language_code="en")
    assert text_of(question).startswith("Where are you now?")
    [result] = await conv.press(question, "💼 I have experience in the trade", language_code="en")
    assert "validation of acquired experience" in text_of(result)


async def test_old_pathway_button_is_kind(conv: Conv) -> None:
    [menu] = await conv.press_data("path:a:retraite")
    assert "Ce bouton date d'un ancien message" in text_of(menu)
