"""What runs before every feature (bot/updates/guards.py) and the limits helper in the dialogues:
edited messages never re-run an action (they are ignored), buttons under inline-mode
messages answer kindly, and a refusal quotes only a short excerpt of what the user wrote."""

from __future__ import annotations

from datetime import date

from tests.conv_support import PERSONAL, USER, Conv, Launch, last, texts


async def test_an_edited_declaration_is_not_stored_again(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        first = b.api.factory.message("/declarer 1 12/03/2022", user_id=USER)
        await b.feed(first)
        assert b.declared() == {1: date(2022, 3, 12)}
        b.store.delete_declaration(USER, 1)  # the user removed it since (from /mesccp)
        since = b.api.mark()
        await b.feed(b.api.factory.edited(first, "/declarer 1 12/03/2022 "))
        assert b.declared() == {}
        assert b.api.calls[since:] == []


async def test_an_edited_forget_does_not_ask_again(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        first = b.api.factory.message("/oublier", user_id=USER)
        messages = await b.feed(first)
        assert "Tout effacer ?" in texts(messages)
        assert await b.feed(b.api.factory.edited(first, "/oublier")) == []


async def test_an_edit_during_the_date_step_is_not_taken_as_the_date(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        messages = await b.send("/declarer")
        messages = await b.press(last(messages), "CCP 2")
        typo = b.api.factory.message("15/13/2024", user_id=USER)
        await b.feed(typo)
        assert await b.feed(b.api.factory.edited(typo, "15/03/2024")) == []
        messages = await b.send("15/03/2024")  # still in the dialogue: a new message works
        assert "Obtenu le 15 mars 2024" in texts(messages)


async def test_a_button_under_an_inline_mode_message_answers_kindly(conv: Conv) -> None:
    query_id = "inline-press-1"
    conv.api.factory.callback_ids.add(query_id)
    update = {
        "update_id": 10_000,
        "callback_query": {
            "id": query_id,
            "from": conv.api.factory.user(5),
            "inline_message_id": "AAQ-inline-1",
            "chat_instance": "ci-elsewhere",
            "data": "priv:export",
        },
    }
    messages = await conv.feed(update)
    assert messages == []  # no chat to write to, and no crash
    answer = conv.api.callback_answers[query_id]
    assert "conversation privée" in answer["text"]


async def test_a_refusal_quotes_only_a_short_excerpt(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        story = "le jour où j'ai passé mon premier CCP il faisait beau " * 60
        messages = await b.send(f"/declarer 1 {story}")
        refusal = texts(messages)
        quoted = refusal.split("«", 1)[1].split("»", 1)[0].strip()
        assert quoted.startswith("le jour où j'ai passé mon premier CCP")
        assert len(quoted) <= 60 and quoted.endswith("…")
        assert story[:200] not in refusal
        assert b.declared() == {}
