"""/delai: the closing date of the capitalisation window, with its rule; kind refusals."""

from __future__ import annotations

import pytest

from tests.conv_support import GROUP, Conv, Launch, buttons_of, text_of


async def test_one_line_gives_the_date_and_its_rule(conv: Conv) -> None:
    [result, picture] = await conv.send("/delai 12/03/2022")
    assert "photo" in picture and "12 mars 2027" in picture["caption"]
    body = text_of(result)
    assert body.startswith("📅 Votre délai")
    assert "Date à viser : le 12 mars 2027, cinq ans après votre premier CCP : il reste 103 jours" \
        in body  # today: 29 Nov 2026
    assert "Règle qui s'applique à vous : celle en vigueur depuis le 1er juin 2016" in body
    assert "E2" not in body
    assert "/declarer" in body
    assert "https://" not in body  # the sources are one tap away: the date fits a phone screen
    assert buttons_of(result) == [
        "➕ Détails", "Calculer avec une autre date", "La règle de capitalisation", "☰ Menu",
    ]
    [details] = await conv.press(result, "➕ Détails")
    assert "Sources : https://" in text_of(details)


async def test_a_first_ccp_before_the_rule_change_keeps_five_years(conv: Conv) -> None:
    [result, _picture] = await conv.send("/delai 15 mars 2015")
    assert "s'est fermée le 15 mars 2020 au soir" in text_of(result)
    assert "car votre premier CCP date d'avant le 1er juin 2016" in text_of(result)
    assert "avant qu'elle n'arrive" not in text_of(result)  # no reminder for a past date


async def test_guided_with_a_bad_date_then_a_good_one(conv: Conv) -> None:
    [prompt] = await conv.send("/delai")
    assert "À quelle date avez-vous obtenu votre premier CCP ?" in text_of(prompt)
    assert buttons_of(prompt) == ["Annuler"]
    [impossible] = await conv.send("31/02/2023")
    assert "n'existe pas dans le calendrier" in text_of(impossible)
    [future] = await conv.send("12/03/2099")
    assert "Le 12 mars 2099 est dans le futur" in text_of(future)
    [early] = await conv.send("01/01/1999")
    assert "antérieure à la création du titre TSGRI (9 décembre 2003)" in text_of(early)
    [unreadable] = await conv.send("le 12 du 3")
    assert "Je n'ai pas reconnu une date" in text_of(unreadable)
    [result, _picture] = await conv.send("12 mars 2022")
    assert "12 mars 2027" in text_of(result)
    answer, *_ = await conv.send("12/03/2022")  # the calculator is done: now it is a question
    assert not text_of(answer).startswith("📅 Votre délai")


async def test_user_text_in_a_refusal_is_escaped(conv: Conv) -> None:
    [refusal] = await conv.send("/delai <b>12/13</b> & co")
    assert "« <b>12/13</b> & co »" in text_of(refusal)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("c'est quoi la VAE ?", "La VAE"),
        ("et le ccp 2", "CCP 2"),
        ("j'ai eu mon premier CCP le 12/03/2022", "Le délai pour obtenir tous les CCP"),
    ],
)
async def test_a_question_instead_of_a_date_gets_answered(
    conv: Conv, text: str, expected: str
) -> None:
    await conv.send("/delai")
    [answer, offer] = await conv.send(text)
    assert text_of(answer).startswith(expected)
    if "12/03/2022" in text:  # a CCP date typed in a question: its deadline, offered for saving
        assert "Enregistrer ce CCP ?" in text_of(offer)
        later, *_ = await conv.send("12/03/2022")  # answered already: no longer waiting for a date
        assert not text_of(later).startswith("📅 Votre délai")
    else:  # answered, then the calculator is offered again
        assert "écrivez la date de votre premier CCP" in text_of(offer)
        [deadline, *_] = await conv.send("12/03/2022")
        assert text_of(deadline).startswith("📅 Votre délai")


@pytest.mark.parametrize("text", ["le 12 du 3", "mars 2022", "12/13", "31 fevrier 2023"])
async def test_a_mistyped_date_is_refused_not_taken_for_a_question(conv: Conv, text: str) -> None:
    await conv.send("/delai")
    [refusal] = await conv.send(text)
    assert "12/03/2022" in text_of(refusal) or "n'existe pas" in text_of(refusal)
    assert buttons_of(refusal) == ["Annuler"]


@pytest.mark.parametrize(
    ("command", "expected"),
    [("/start", "👋 Bonjour"), ("/ccp", "📚 Les 3 CCP"), ("/parcours", "Où en êtes-vous ?"),
     ("/aide", "Ce que je sais faire")],
)
async def test_another_command_leaves_the_calculator(
    conv: Conv, command: str, expected: str
) -> None:
    await conv.send("/delai")
    [shown] = await conv.send(command)
    assert text_of(shown).startswith(expected)
    later, *_ = await conv.send("12/03/2022")
    assert not text_of(later).startswith("📅 Votre délai")


async def test_start_delai_again_while_waiting_asks_again(conv: Conv) -> None:
    await conv.send("/delai")
    [prompt] = await conv.send("/start delai")
    assert "premier CCP" in text_of(prompt)
    [result, _picture] = await conv.send("12/03/2022")
    assert text_of(result).startswith("📅 Votre délai")


@pytest.mark.parametrize("how", ["/annuler", "button"])
async def test_cancel(conv: Conv, how: str) -> None:
    [prompt] = await conv.send("/delai")
    if how == "button":
        [done] = await conv.press(prompt, "Annuler")
    else:
        [done] = await conv.send(how)
    assert text_of(done).startswith("C'est annulé.")
    answer, *_ = await conv.send("12/03/2022")
    assert not text_of(answer).startswith("📅 Votre délai")
    [again] = await conv.press_again(prompt, "Annuler")  # nothing waiting: still kind
    assert text_of(again).startswith("C'est annulé.")


async def test_rule_button_explains_capitalisation(conv: Conv) -> None:
    [result, _picture] = await conv.send("/delai 12/03/2022")
    [rule] = await conv.press(result, "La règle de capitalisation")
    assert text_of(rule).startswith("Le parcours discontinu : capitaliser les CCP")


async def test_another_date_button(conv: Conv) -> None:
    [result, _picture] = await conv.send("/delai 12/03/2022")
    [prompt] = await conv.press(result, "Calculer avec une autre date")
    assert "premier CCP" in text_of(prompt)
    [other, _picture] = await conv.send("01/06/2020")
    assert "1er juin 2025" in text_of(other)


async def test_in_a_group_it_moves_to_private(conv: Conv) -> None:
    [private] = await conv.send("/delai 12/03/2022", chat_id=GROUP)
    assert "12 mars 2027" not in text_of(private)
    assert "continuons en privé" in text_of(private)
    [[button]] = private["reply_markup"]["inline_keyboard"]
    assert button["url"] == "https://t.me/tsgri_test_bot?start=delai"


async def test_in_english(conv: Conv) -> None:
    [result, _picture] = await conv.send("/delai 12/03/2022", language_code="en")
    assert "Date to aim for: 12 March 2027, five years after your first CCP: 103 days left" \
        in text_of(result)


async def test_waiting_for_a_date_survives_a_restart(launch: Launch) -> None:
    async with launch() as first:
        [prompt] = await first.send("/delai")
        assert "premier CCP" in text_of(prompt)
    async with launch() as second:  # a new Application on the same file
        [result, _picture] = await second.send("12/03/2022")
        assert "12 mars 2027" in text_of(result)


STATED = "Bonjour, mon livret indique un CCP acquis le 14.03.2019. Qui délivre ce livret ?"


async def test_a_day_given_beside_another_answer_offers_its_deadline(conv: Conv) -> None:
    """The question is read as another topic (the livret): the day the user gave is not lost,
    its deadline is one tap away, and the button works pressed twice."""
    [answer] = await conv.send(STATED)
    assert not text_of(answer).startswith("📅 Votre délai")
    assert "📅 Délai (CCP du 14/03/2019)" in buttons_of(answer)
    assert "📅 Calculer mon délai" not in buttons_of(answer)  # one deadline button, not two
    [result, picture] = await conv.press(answer, "📅 Délai (CCP du 14/03/2019)")
    assert text_of(result).startswith("📅 Votre délai")
    assert "Premier CCP : 14 mars 2019." in text_of(result)
    assert "photo" in picture
    [again, _picture] = await conv.press_again(answer, "📅 Délai (CCP du 14/03/2019)")
    assert text_of(again) == text_of(result)


async def test_the_day_button_works_after_a_restart(launch: Launch) -> None:
    question = "I got CCP 2 on 14 March 2019. What does CCP 3 cover?"
    async with launch() as first:
        [answer] = await first.send(question, language_code="en")
        assert text_of(answer).startswith("CCP 3")
        assert "📅 Deadline (CCP of 2019-03-14)" in buttons_of(answer)
    async with launch() as second:  # the day is in the button, not in memory
        [result, _picture] = await second.press(answer, "📅 Deadline (CCP of 2019-03-14)",
                                                language_code="en")  # fmt: skip
        assert "First CCP: 14 March 2019." in text_of(result)


@pytest.mark.parametrize(
    "data",
    ["delai:from:20990101", "delai:from:19990101", "delai:from:20230231"],
)
async def test_a_day_button_no_longer_usable_asks_for_the_date(conv: Conv, data: str) -> None:
    [prompt] = await conv.press_data(data)
    assert "À quelle date avez-vous obtenu votre premier CCP ?" in text_of(prompt)


@pytest.mark.parametrize(
    "question",
    [
        "Que contient le CCP 2 ?",  # no day at all
        "Mon examen du CCP 2 est le 12/06/2027, que faut-il apporter ?",  # a day to come
        "J'ai eu le CCP 1 le 12/03/2021, jusqu'à quand ?",  # the deadline itself is the answer
    ],
)
async def test_no_day_button_without_a_past_day_beside_another_answer(
    conv: Conv, question: str
) -> None:
    replies = await conv.send(question)
    assert not [b for r in replies for b in buttons_of(r) if b.startswith("📅 Délai (CCP")]


async def test_the_day_button_in_a_group_moves_to_private(conv: Conv) -> None:
    [private] = await conv.press_data("delai:from:20190314", chat_id=GROUP)
    assert "continuons en privé" in text_of(private)
    assert "14 mars 2019" not in text_of(private)  # a personal date stays out of the group
