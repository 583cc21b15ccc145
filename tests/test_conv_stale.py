"""Buttons from old messages or old versions: a kind notice and the menu, never an error."""

from __future__ import annotations

import pytest

from tests.conv_support import GROUP, Conv, buttons_of, text_of


@pytest.mark.parametrize("data", ["oldprefix:thing", "menu:nowhere", "ask:other", "x"])
async def test_unknown_button_gets_a_notice_and_the_menu(conv: Conv, data: str) -> None:
    [menu] = await conv.press_data(data)
    assert conv.last_callback_answer()["text"] == (
        "Ce bouton n'est plus actif, mais rien n'est perdu."
    )
    assert text_of(menu).startswith("Ce bouton date d'un ancien message")
    assert buttons_of(menu)[0] == "📚 Les 3 CCP et leurs compétences"


async def test_in_english(conv: Conv) -> None:
    [menu] = await conv.press_data("oldprefix:thing", language_code="en")
    assert conv.last_callback_answer()["text"].startswith("This button is no longer active")
    assert "📚 The 3 CCPs and their competences" in buttons_of(menu)


async def test_in_a_group_only_the_notice(conv: Conv) -> None:
    assert await conv.press_data("oldprefix:thing", chat_id=GROUP, user_id=5) == []
    assert conv.last_callback_answer()["text"].startswith("Ce bouton n'est plus actif")


async def test_a_button_pressed_after_a_restart_still_works(conv: Conv) -> None:
    [ccp] = await conv.press_data("browse:show:2")  # plain strings: no per-process state
    assert text_of(ccp).startswith("CCP 2 — ")


async def test_a_button_update_delivered_twice_is_answered_twice(conv: Conv) -> None:
    """After a crash Telegram may deliver an update again: its query is then already answered."""
    [answer] = await conv.send("/start ccp2")
    update = conv.api.factory.callback_query(answer, "Voir le CCP 3")
    [first] = await conv.feed(update)
    [second] = await conv.feed(update)  # answerCallbackQuery now fails with 400
    assert text_of(first) == text_of(second)
    assert text_of(second).startswith("CCP 3")
    statuses = [c.status for c in conv.api.requests("answerCallbackQuery")]
    assert statuses == [200, 400]
