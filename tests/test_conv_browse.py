"""/ccp: the CCPs and their competences with buttons; always a way back, no dead end."""

from __future__ import annotations

from tests.conv_support import Conv, buttons_of, text_of


async def test_ccp_lists_the_three_ccps(conv: Conv) -> None:
    [listing] = await conv.send("/ccp")
    body = text_of(listing)
    assert body.startswith("📚 Les 3 CCP du titre TSGRI")
    assert "CCP 1 — Assurer l'administration et l'exploitation courantes" in body
    assert "CCP 3 — Apporter aux décideurs" in body
    assert buttons_of(listing) == [
        "CCP 1", "CCP 2", "CCP 3", "🧭 Comment obtenir les CCP et le titre", "☰ Menu",
    ]


async def test_a_ccp_shows_its_competences_and_ways_on(conv: Conv) -> None:
    [listing] = await conv.send("/ccp")
    [ccp1] = await conv.press(listing, "CCP 1")
    assert ccp1["message_id"] == listing["message_id"]  # the same message, edited
    body = text_of(ccp1)
    assert body.startswith("CCP 1 — Assurer l'administration")
    assert "Ses 12 compétences" in body
    assert "12. Utiliser l'anglais dans son activité professionnelle en informatique" in body
    labels = buttons_of(ccp1)
    assert labels[:12] == [str(i) for i in range(1, 13)]
    assert labels[12:] == [
        "CCP 2 ▶", "En savoir plus sur le CCP 1", "← Les 3 CCP", "☰ Menu",
    ]


async def test_competence_navigation_and_back(conv: Conv) -> None:
    [listing] = await conv.send("/ccp")
    await conv.press(listing, "CCP 3")
    [comp] = await conv.press(listing, "7")
    assert text_of(comp).startswith("CCP 3 — compétence 7 sur 7")
    assert "évolutions technologiques" in text_of(comp)
    assert buttons_of(comp) == ["◀ Précédente", "← Retour au CCP 3", "← Les 3 CCP", "☰ Menu"]
    [comp6] = await conv.press(listing, "◀ Précédente")
    assert text_of(comp6).startswith("CCP 3 — compétence 6 sur 7")
    assert "Suivante ▶" in buttons_of(comp6)
    [ccp3] = await conv.press(listing, "← Retour au CCP 3")
    assert "Ses 7 compétences" in text_of(ccp3)
    [ccp2] = await conv.press(listing, "◀ CCP 2")
    assert text_of(ccp2).startswith("CCP 2 — Mettre en exploitation")
    [back] = await conv.press(listing, "← Les 3 CCP")
    assert text_of(back) == text_of(listing)


async def test_more_about_a_ccp_sends_the_engine_answer(conv: Conv) -> None:
    [listing] = await conv.send("/ccp 2")
    assert text_of(listing).startswith("CCP 2 — ")
    [more] = await conv.press(listing, "En savoir plus sur le CCP 2")
    assert more["message_id"] != listing["message_id"]
    assert "Source : Activités types et compétences, CCP 2" in text_of(more)


async def test_pressing_twice_is_fine(conv: Conv) -> None:
    [listing] = await conv.send("/ccp")
    await conv.press(listing, "CCP 2")
    since = conv.api.mark()
    unchanged = await conv.press_again(listing, "CCP 2")  # "message is not modified"
    assert unchanged == []
    assert [c.status for c in conv.api.requests("editMessageText", since)] == [400]
    assert conv.api.requests("answerCallbackQuery", since)[0].status == 200


async def test_english_labels(conv: Conv) -> None:
    [listing] = await conv.send("/ccp", language_code="en")
    assert text_of(listing).startswith("📚 The 3 CCPs of the TSGRI titre")
    [ccp1] = await conv.press(listing, "CCP 1", language_code="en")
    assert "Monitor and optimise the performance of the servers" in text_of(ccp1)


async def test_malformed_or_old_browse_buttons_get_the_menu(conv: Conv) -> None:
    for data in ("browse:show:9", "browse:comp:1:99", "browse:comp:x:1", "browse:zoom"):
        [menu] = await conv.press_data(data)
        assert text_of(menu).startswith("Ce bouton date d'un ancien message")
        assert conv.last_callback_answer()["text"].startswith("Ce bouton n'est plus actif")


async def test_ways_button_answers_with_the_pathways(conv: Conv) -> None:
    [listing] = await conv.send("/ccp")
    [ways] = await conv.press(listing, "🧭 Comment obtenir les CCP et le titre")
    assert ways["message_id"] != listing["message_id"]
    assert "parcours" in text_of(ways).lower()


async def test_unknown_ccp_number_shows_the_list(conv: Conv) -> None:
    [listing] = await conv.send("/ccp 7")
    assert text_of(listing).startswith("📚 Les 3 CCP")
