"""/declarer through a real Application on a real SQLite file (conversations/declare.py)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conv_support import PERSONAL, USER, Conv, Launch, buttons_of, last, text_of, texts


async def guided_to_date(b: Conv, ccp: str = "CCP 2") -> None:
    messages = await b.send("/declarer")
    assert buttons_of(last(messages)) == ["CCP 1", "CCP 2", "CCP 3", "✖️ Annuler"]
    # The titles come from the référentiel, not from the code.
    assert "Mettre en exploitation ou remettre en exploitation" in text_of(last(messages))
    messages = await b.press(last(messages), ccp)
    assert "À quelle date l'avez-vous obtenu" in texts(messages)


async def test_guided_declaration(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        await guided_to_date(b)
        messages = await b.send("15/03/2024")
        assert "Obtenu le 15 mars 2024" in texts(messages)
        assert b.declared() == {}  # nothing before the confirmation
        assert buttons_of(last(messages)) == ["✅ Enregistrer", "✏️ Autre date", "✖️ Annuler"]
        messages = await b.press(last(messages), "✅ Enregistrer")
        assert "C'est noté : CCP 2 obtenu le 15 mars 2024" in texts(messages)
        assert "Vous avez 1 CCP sur 3" in texts(messages)
        assert b.declared() == {2: date(2024, 3, 15)}


async def test_guided_other_date_then_english(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        await guided_to_date(b, "CCP 1")
        messages = await b.send("12/03/2022")
        messages = await b.press(last(messages), "✏️ Autre date")
        assert "À quelle date" in texts(messages)
        messages = await b.send("13 mars 2022")
        await b.press(last(messages), "✅ Enregistrer")
        assert b.declared() == {1: date(2022, 3, 13)}
        messages = await b.send("/declare", language_code="en")
        assert "Which CCP did you obtain?" in texts(messages)
        assert "Ensure the day-to-day administration" in texts(messages)
        messages = await b.press(last(messages), "CCP 2", language_code="en")
        messages = await b.send("32/01/2024", language_code="en")
        assert "“32/01/2024” does not exist in the calendar. Nothing was recorded." in texts(
            messages
        )
        messages = await b.send("/cancel", language_code="en")
        assert "All right, I stopped. Nothing was recorded." in texts(messages)
        assert b.declared() == {1: date(2022, 3, 13)}


@pytest.mark.parametrize(
    ("line", "ccp", "obtained"),
    [
        ("2 15/03/2024", 2, date(2024, 3, 15)),
        ("ccp2 15 mars 2024", 2, date(2024, 3, 15)),
        ("CCP 2 15-03-2024", 2, date(2024, 3, 15)),
        ("3 15/03/24", 3, date(2024, 3, 15)),
        ("1 aujourd'hui", 1, date(2026, 11, 29)),
    ],
)
async def test_one_line(launch: Launch, line: str, ccp: int, obtained: date) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        messages = await b.send(f"/declarer {line}")
        assert f"C'est noté : CCP {ccp} obtenu le" in texts(messages)
        assert b.declared() == {ccp: obtained}


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("1 31/02/2023", "« 31/02/2023 » n'existe pas dans le calendrier"),
        ("1 15/03/2099", "« 15/03/2099 » est dans le futur (nous sommes le 29 novembre 2026)"),
        ("1 01/01/2003", "est avant la création du titre (9 décembre 2003)"),
        ("1 le 15 du mois", "Je ne reconnais pas de date dans « le 15 du mois »"),
        ("4 15/03/2024", "pas de « CCP 4 » dans ce titre : les CCP sont les numéros 1, 2, 3"),
        ("ccp9 15/03/2024", "pas de « CCP 9 » dans ce titre : les CCP sont les numéros 1, 2, 3"),
        ("bonjour", "Je n'ai pas compris"),
    ],
)
async def test_refusals_store_nothing(launch: Launch, line: str, reason: str) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        messages = await b.send(f"/declarer {line}")
        assert reason in texts(messages)
        assert "Rien n'a été enregistré" in texts(messages) or "Je n'ai pas compris" in reason
        assert b.declared() == {}
        # Kindly asked again: either the date or the CCP buttons.
        assert "✖️ Annuler" in buttons_of(last(messages))


async def test_guided_refusals_then_a_good_date(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        await guided_to_date(b)
        for typed, reason in (
            ("31/02/2023", "n'existe pas"),
            ("12/12/2099", "dans le futur"),
            ("blabla", "Je ne reconnais pas de date"),
            # a date, but of a failure: not « no date », and nothing saved
            ("je l'ai raté le 12/06/2025", "si vous n'avez pas eu ce CCP ce jour-là"),
        ):
            messages = await b.send(typed)
            assert reason in texts(messages)
            assert "Écrivez la date à nouveau" in texts(messages)
        assert b.declared() == {}
        messages = await b.send("15-03-2024")
        await b.press(last(messages), "✅ Enregistrer")
        assert b.declared() == {2: date(2024, 3, 15)}


async def test_date_first_then_ccp(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        messages = await b.send("/declarer 15/03/2024")
        assert "Date notée : 15 mars 2024" in texts(messages)
        messages = await b.press(last(messages), "CCP 3")
        messages = await b.press(last(messages), "✅ Enregistrer")
        assert b.declared() == {3: date(2024, 3, 15)}
        messages = await b.send("/declarer 01/06/2023")
        messages = await b.send("ccp 1")  # typed instead of pressed: the date is kept
        assert "CCP 1 — Assurer l'administration" in texts(messages)
        await b.press(last(messages), "✅ Enregistrer")
        assert b.declared() == {1: date(2023, 6, 1), 3: date(2024, 3, 15)}


async def test_replace_asks_first(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        await b.send("/declarer 1 12/03/2022")
        messages = await b.send("/declarer 1 15/03/2022")
        assert "Vous l'avez déjà déclaré, obtenu le 12 mars 2022" in texts(messages)
        assert buttons_of(last(messages)) == ["🔁 Remplacer la date", "Garder le 12 mars 2022"]
        assert b.declared() == {1: date(2022, 3, 12)}
        messages = await b.press(last(messages), "Garder le 12 mars 2022")
        # said as kept, not as a failure (« Rien n'a été enregistré » read like one)
        assert "C'est gardé : CCP 1 obtenu le 12 mars 2022. Rien n'a changé." in texts(messages)
        assert b.declared() == {1: date(2022, 3, 12)}
        messages = await b.send("/declarer 1 15/03/2022")
        await b.press(last(messages), "🔁 Remplacer la date")
        assert b.declared() == {1: date(2022, 3, 15)}
        messages = await b.send("/declarer 1 15/03/2022")
        assert "C'est déjà enregistré" in texts(messages)


async def test_buttons_pressed_twice_or_stale(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        await guided_to_date(b)
        confirm = last(await b.send("15/03/2024"))
        await b.press(confirm, "✅ Enregistrer")
        again = await b.press_again(confirm, "✅ Enregistrer")
        assert "C'est déjà enregistré" in texts(again)
        cancel = await b.press_again(confirm, "✖️ Annuler")
        assert "Il n'y a pas de déclaration en cours" in texts(cancel)
        assert b.declared() == {2: date(2024, 3, 15)}
        assert not [c for c in b.api.calls if c.status != 200]  # no refused request at all


async def test_cancel_with_command_stores_nothing(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        await guided_to_date(b)
        messages = await b.send("/annuler")
        assert "j'arrête là" in texts(messages)
        assert await b.send("15/03/2024") == []  # no longer waiting for a date
        assert b.declared() == {}


async def test_restart_in_the_middle(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        await guided_to_date(b)
        picker = b.api.visible(USER)[0]
    async with launch(features=PERSONAL, user_id=USER) as b:  # a new Application on the same file
        messages = await b.send("15/03/2024")
        assert "Obtenu le 15 mars 2024" in texts(messages)
        await b.press(last(messages), "✅ Enregistrer")
        assert b.declared() == {2: date(2024, 3, 15)}
    async with launch(features=PERSONAL, user_id=USER) as b:  # and after the next restart:
        assert b.declared() == {2: date(2024, 3, 15)}
        # A button from before the restarts, too old for Telegram to accept its answer:
        # the dialogue goes on from the button's own data.
        messages = await b.press_again(picker, "CCP 3", expired=True)
        assert "CCP 3 — Apporter aux décideurs" in texts(messages)
        assert "À quelle date" in texts(messages)
        refused = [c for c in b.api.requests("answerCallbackQuery") if c.status == 400]
        assert len(refused) == 1  # Telegram refused the late answer; the user saw no error
        messages = await b.send("aujourd'hui")
        await b.press(last(messages), "✅ Enregistrer")
        assert b.declared() == {2: date(2024, 3, 15), 3: date(2026, 11, 29)}


async def test_reminder_button_starts_the_dialogue(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        reminder = {
            "message_id": 99, "date": 0, "chat": {"id": USER, "type": "private"},
            "text": "Rappel", "reply_markup": {"inline_keyboard": [
                [{"text": "J'ai obtenu un CCP", "callback_data": "decl:start"}]]},
        }
        messages = await b.press_again(reminder, "J'ai obtenu un CCP")
        assert "Quel CCP avez-vous obtenu ?" in texts(messages)
        messages = await b.send("2")  # typing the number works as well as the button
        messages = await b.send("15/03/2024")
        await b.press(last(messages), "✅ Enregistrer")
        assert b.declared() == {2: date(2024, 3, 15)}


async def test_in_a_group_only_in_private(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        messages = await b.send("/declarer 1 12/03/2022", chat_id=-100123)
        assert "continuons en privé" in texts(messages)
        assert buttons_of(messages[-1]) == ["Écrire au bot en privé"]
        assert b.declared() == {}


async def test_a_question_at_the_date_prompt_is_answered_and_the_dialogue_goes_on(
    launch: Launch,
) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        await guided_to_date(b)
        messages = await b.send("attends c quoi le ccp3 deja")
        assert "Apporter aux décideurs" in texts(messages)  # CCP 3's content, from the engine
        assert "Je ne reconnais pas" not in texts(messages)
        assert "Pour reprendre votre déclaration" in text_of(last(messages))
        assert "CCP 2" in text_of(last(messages))
        messages = await b.send("15/03/2024")
        # a question at the confirmation: answered, then the same confirmation, date kept (a
        # tester had to type her date again)
        asked = await b.send("attends c quoi le ccp3 deja")
        assert "Apporter aux décideurs" in texts(asked)
        assert "Obtenu le 15 mars 2024" in text_of(last(asked))
        assert buttons_of(last(asked)) == ["✅ Enregistrer", "✏️ Autre date", "✖️ Annuler"]
        messages = await b.press(last(asked), "✅ Enregistrer")
        assert b.declared() == {2: date(2024, 3, 15)}


async def test_an_english_question_at_the_date_prompt_is_answered_in_english(
    launch: Launch,
) -> None:
    """As a free question is: the question's own language, the dialogue's in the user's."""
    async with launch(features=PERSONAL, user_id=USER) as b:
        await guided_to_date(b)
        messages = await b.send("What's in CCP 3 again?")
        assert "Provide decision-makers" in texts(messages)
        assert "Apporter aux décideurs" not in texts(messages)
        assert "Pour reprendre votre déclaration" in text_of(last(messages))


async def test_a_date_question_at_the_date_prompt_is_still_refused_kindly(
    launch: Launch,
) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        await guided_to_date(b)
        messages = await b.send("bof")
        assert "Pour reprendre votre déclaration" not in texts(messages)
        assert b.declared() == {}


async def test_an_update_handled_twice_stores_one_row_and_announces_no_change(
    launch: Launch,
) -> None:
    """After a kill -9, updates whose "done" mark was not written yet are handled again
    (at-least-once): the same declaration, twice, is one row and is said to be there."""
    async with launch(features=PERSONAL, user_id=USER) as b:
        command = b.api.factory.message("/declarer 1 12/03/2022", user_id=USER)
        assert "C'est noté : CCP 1 obtenu le 12 mars 2022" in texts(await b.feed(command))
        again = texts(await b.feed(command))
        assert "C'est déjà enregistré : CCP 1 obtenu le 12 mars 2022" in again
        assert "C'est noté" not in again
        await guided_to_date(b, "CCP 2")
        confirm = last(await b.send("15/03/2024"))
        pressed = b.api.factory.callback_query(b.api.current(confirm), "✅ Enregistrer",
                                               user_id=USER)  # fmt: skip
        assert "C'est noté : CCP 2 obtenu le 15 mars 2024" in texts(await b.feed(pressed))
        again = texts(await b.feed(pressed))
        assert "C'est déjà enregistré : CCP 2 obtenu le 15 mars 2024" in again
        assert "C'est noté" not in again
        assert b.declared() == {1: date(2022, 3, 12), 2: date(2024, 3, 15)}
        [(rows,)] = b.store.db.execute("SELECT count(*) FROM declarations").fetchall()
        assert rows == 2


async def test_a_later_dialogue_takes_the_next_message(launch: Launch) -> None:
    """A tester left /declarer at the CCP choice, typed /delai, then a date: the declaration
    took it (« Date notée… Quel CCP avez-vous obtenu ? »), one tap from saving a CCP she never
    meant to record. The dialogue started last is the one the message answers."""
    async with launch(user_id=USER) as b:
        await b.send("/declarer")
        await b.send("/delai")
        said = texts(await b.send("29/02/2024"))
        assert "le 28 février 2029" in said and "Quel CCP avez-vous obtenu" not in said
        thanks = await b.send("merci")
        assert "Avec plaisir" in texts(thanks) and "Pour calculer votre délai" not in texts(thanks)
        assert b.declared() == {}
        # Left at the date of CCP 3, then /delai: the calculator's date is the calculator's (a
        # tester got « je ne sais pas répondre » for it), and the next message is no question
        await guided_to_date(b, "CCP 3")
        [prompt] = await b.send("/delai")
        assert "À quelle date avez-vous obtenu votre premier CCP" in texts([prompt])
        said = texts(await b.send("15/03/2025"))
        assert "le 15 mars 2030" in said and "je ne sais pas répondre" not in said
        assert b.declared() == {}
        # The other way round: the calculator left waiting, the declaration goes on.
        await b.send("/delai")
        await guided_to_date(b)
        said = texts(await b.send("15/03/2024"))
        assert "Obtenu le 15 mars 2024" in said and "il reste" not in said


async def test_words_that_ask_nothing_at_the_date_prompt_are_no_question(launch: Launch) -> None:
    """« last spring » at the date of CCP 1 showed a tester the CCP 3 card: only a message that
    asks (a question mark or word) is answered as a question there."""
    async with launch(user_id=USER) as b:
        await guided_to_date(b, "CCP 1")
        said = texts(await b.send("last spring"))
        assert "Je ne reconnais pas de date dans « last spring »" in said
        assert "livret de certification" in said and "CCP 3 —" not in said
        asked = texts(await b.send("attends c quoi le ccp3 deja"))
        assert "CCP 3 —" in asked  # a question still gets its answer, and the dialogue goes on
        assert b.declared() == {}
