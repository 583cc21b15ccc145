"""A dialogue left half-way does not swallow what comes next: a question asked instead is
answered, another command ends it, and a message long after is a new question."""

from __future__ import annotations

from datetime import timedelta

from tests.conv_support import NOW, USER, Conv, Launch, buttons_of, last, texts


def later(b: Conv, minutes: int) -> None:
    b.app.bot_data.services.clock = lambda: NOW + timedelta(minutes=minutes)


async def test_a_question_at_the_ccp_choice_is_answered_then_the_choice_comes_back(
    launch: Launch,
) -> None:
    async with launch(user_id=USER) as b:
        await b.send("/declarer")
        messages = await b.send("c'est quoi la VAE ?")
        assert "Validation des Acquis" in texts(messages)  # the question, answered
        assert "Pour reprendre votre déclaration : quel CCP" in texts(messages)
        assert buttons_of(last(messages))[:3] == ["CCP 1", "CCP 2", "CCP 3"]
        [asked_date] = await b.send("2")
        assert "CCP 2" in texts([asked_date]) and b.declared() == {}


async def test_another_command_ends_the_declaration(launch: Launch) -> None:
    async with launch(user_id=USER) as b:
        await b.send("/declarer")
        await b.send("/aide")
        messages = await b.send("qui délivre le livret de certification ?")
        assert "Je n'ai pas compris" not in texts(messages)
        assert "livret" in texts(messages).lower() and "Quel CCP" not in texts(messages)


async def test_a_message_long_after_a_prompt_is_a_new_question(launch: Launch) -> None:
    async with launch(user_id=USER) as b:
        await b.send("/declarer")
        await b.send("2")  # the date is awaited now…
        later(b, 45)  # … but the person comes back three quarters of an hour later
        messages = await b.send("how long is a CCP valid?")
        assert "I cannot read a date" not in texts(messages)
        assert "Nothing was recorded" not in texts(messages) and b.declared() == {}
        assert "CCP" in texts(messages)
        # the same for the deadline calculator's date prompt
        await b.send("/delai")
        later(b, 90)
        messages = await b.send("c'est quoi le CCP 3 ?")
        assert "CCP 3" in texts(messages) and "15/03/2021" not in texts(messages)


async def test_a_date_typed_in_time_is_still_the_dialogues(launch: Launch) -> None:
    async with launch(user_id=USER) as b:
        await b.send("/declarer")
        await b.send("2")
        later(b, 10)
        messages = await b.send("15/03/2024")
        assert buttons_of(last(messages))[0] == "✅ Enregistrer"


async def test_cancel_at_the_first_step_says_it_stopped(launch: Launch) -> None:
    async with launch(user_id=USER) as b:
        [choice] = await b.send("/declarer")
        messages = await b.press(choice, "✖️ Annuler")
        assert "Rien n'a été enregistré" in texts(messages)
        again = await b.press_again(choice, "✖️ Annuler")
        assert "Il n'y a pas de déclaration en cours" in texts(again)
