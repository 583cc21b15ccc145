"""/start, its deep links, /aide and the menu buttons, through the real Application."""

from __future__ import annotations

import pytest

from tests.conv_support import GROUP, MENU, Conv, all_buttons, buttons_of, text_of, texts


async def test_start_welcomes_by_name_with_the_menu(conv: Conv) -> None:
    [welcome] = await conv.send("/start")
    assert text_of(welcome).startswith("👋 Bonjour Camille !")
    assert "TSGRI" in text_of(welcome)
    assert buttons_of(welcome) == MENU


async def test_start_in_english_for_an_english_telegram(conv: Conv) -> None:
    [welcome] = await conv.send("/start", language_code="en-GB")
    assert text_of(welcome).startswith("👋 Hello Camille!")
    assert "📚 The 3 CCPs and their competences" in buttons_of(welcome)


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("vae", "La VAE"),
        ("ccp1", "CCP 1"),
        ("ccp2", "CCP 2"),
        ("ccp3", "CCP 3"),
        ("capitalisation", "capitaliser"),
        ("ccs", "CCS"),
        ("dspp", "DSPP"),
        ("titre", "TSGRI"),
        ("jury", "jury"),
    ],
)
async def test_deep_link_opens_the_topic(conv: Conv, payload: str, expected: str) -> None:
    [answer] = await conv.send(f"/start {payload}")
    assert expected in text_of(answer).split("\n")[0]
    assert "Bonjour" not in text_of(answer)
    assert "☰ Menu" in buttons_of(answer)


async def test_deep_link_ccp2_offers_ccp3_and_the_deadline(conv: Conv) -> None:
    [answer] = await conv.send("/start ccp2")
    assert "Rétablir la production" in text_of(answer)
    assert [
        b["text"] for b in answer["reply_markup"]["inline_keyboard"][0]
    ] == ["Voir le CCP 1", "Voir le CCP 3"]
    [deadline] = await conv.press(answer, "Quel délai ?")
    assert text_of(deadline).startswith("Le délai pour obtenir tous les CCP")
    [browse] = await conv.press(answer, "Ses compétences")
    assert text_of(browse).startswith("CCP 2 — ")
    assert browse["message_id"] != answer["message_id"]  # the answer stays readable
    [comp] = await conv.press(browse, "5")
    assert comp["message_id"] == browse["message_id"]  # then browsing edits in place


async def test_deep_link_delai_asks_for_the_first_ccp_date(conv: Conv) -> None:
    [prompt] = await conv.send("/start delai")
    assert "premier CCP" in text_of(prompt)
    [result, _picture] = await conv.send("12/03/2022")
    assert "12 mars 2027" in text_of(result)


async def test_deep_links_to_dialogues(conv: Conv) -> None:
    [question] = await conv.send("/start parcours")
    assert text_of(question).startswith("Où en êtes-vous ?")
    [ccps] = await conv.send("/start ccp")
    assert "Les 3 CCP du titre TSGRI" in text_of(ccps)
    [choice] = await conv.send("/start langue")
    assert buttons_of(choice) == ["🇫🇷 Français", "🇬🇧 English"]
    [helping] = await conv.send("/start aide")
    assert text_of(helping).startswith("Ce que je sais faire")


@pytest.mark.parametrize("payload", ["inconnu", "ccp9", "x" * 80, "%3Cscript%3E", "ref-"])
async def test_unknown_payload_falls_back_to_the_welcome(conv: Conv, payload: str) -> None:
    [welcome] = await conv.send(f"/start {payload}")
    assert text_of(welcome).startswith("👋 Bonjour")
    assert buttons_of(welcome) == MENU


async def test_referral_link_counts_the_arrival_then_welcomes(conv: Conv) -> None:
    code = conv.store.register_advisor("Mme Martin, centre AFPA", advisor_user_id=500)
    [welcome, asked] = await conv.send(f"/start ref-{code}", user_id=7)
    assert text_of(welcome).startswith("👋 Bonjour")
    # then, once, whether to share their progress with that advisor (issue 14)
    assert text_of(asked).startswith("Partager votre progression avec Mme Martin, centre AFPA ?")
    await conv.send(f"/start ref-{code}", user_id=8)
    [again] = await conv.send(f"/start ref-{code}", user_id=7)  # counted once, asked once
    assert text_of(again).startswith("👋 Bonjour")
    assert conv.store.referral_counts(code).arrived == 2


async def test_help_lists_the_commands(conv: Conv) -> None:
    [helping] = await conv.send("/aide")
    body = text_of(helping)
    for command in ("/ccp", "/parcours", "/delai", "/declarer", "/mesccp", "/langue"):
        assert command in body
    assert buttons_of(helping) == MENU
    # "help" typed without its slash gets the same, commands included (a tester got a
    # shorter text without them)
    [typed] = await conv.send("help")
    assert text_of(typed) == body and buttons_of(typed) == MENU


async def test_menu_buttons_lead_somewhere(conv: Conv) -> None:
    [welcome] = await conv.send("/start")
    [ccps] = await conv.press(welcome, MENU[0])
    assert "Les 3 CCP du titre TSGRI" in text_of(ccps)
    [welcome] = await conv.send("/start")
    [ways] = await conv.press(welcome, MENU[1])
    assert ways["message_id"] != welcome["message_id"]  # an answer, the menu stays
    assert "parcours" in text_of(ways).lower()
    [question] = await conv.press(welcome, MENU[2])
    assert text_of(question).startswith("Où en êtes-vous ?")
    [welcome] = await conv.send("/start")
    [prompt] = await conv.press(welcome, MENU[3])
    assert "premier CCP" in text_of(prompt)
    await conv.send("/annuler")
    [welcome] = await conv.send("/start")
    [ask] = await conv.press(welcome, MENU[4])
    assert text_of(ask).startswith("Écrivez votre question")
    assert conv.last_callback_answer().get("text") is None  # the spinner stops, no pop-up


async def test_menu_typed_as_a_command_sends_the_menu(conv: Conv) -> None:
    [menu] = await conv.send("/menu")  # every answer shows "☰ Menu": people type it too
    assert text_of(menu) == "Que voulez-vous savoir ?"
    assert buttons_of(menu) == MENU


async def test_menu_button_under_an_answer_sends_the_menu(conv: Conv) -> None:
    [answer] = await conv.send("/start vae")
    [menu] = await conv.press(answer, "☰ Menu")
    assert text_of(menu) == "Que voulez-vous savoir ?"
    assert buttons_of(menu) == MENU
    assert text_of(conv.api.current(answer)) == text_of(answer)  # the answer is kept


async def test_every_callback_data_fits_64_bytes(conv: Conv) -> None:
    sent = await conv.send("/start")
    sent += await conv.send("/start ccp1")
    sent += await conv.send("/ccp 1")
    sent += await conv.send("/parcours")
    datas = [
        button["callback_data"]
        for message in sent
        for row in message["reply_markup"]["inline_keyboard"]
        for button in row
    ]
    assert len(datas) > 20
    assert all(len(d.encode()) <= 64 for d in datas)
    assert len(all_buttons(sent)) == len(datas)
    assert texts(sent)


async def test_in_a_group_the_menu_explains_how_to_ask(conv: Conv) -> None:
    [welcome] = await conv.send("/start", chat_id=GROUP)
    [prompt] = await conv.press(welcome, MENU[4], user_id=5)
    assert text_of(prompt).startswith("Dans ce groupe, écrivez @tsgri_test_bot suivi")
    [private] = await conv.press(welcome, MENU[3], user_id=5)
    assert "continuons en privé" in text_of(private)


async def test_cancel_with_nothing_open_says_so(conv: Conv) -> None:
    """A tester typed /annuler with nothing waiting and read « Je ne connais pas cette
    commande »."""
    [said] = await conv.send("/annuler")
    assert text_of(said).startswith("Il n'y a rien en cours à annuler.")
    assert buttons_of(said) == MENU
