"""/langue: Français / English, remembered; Telegram's language by default."""

from __future__ import annotations

from tests.conv_support import GROUP, Conv, buttons_of, text_of


async def test_choose_english_then_everything_is_in_english(conv: Conv) -> None:
    [choice] = await conv.send("/langue")
    assert text_of(choice).startswith("Dans quelle langue")
    assert buttons_of(choice) == ["🇫🇷 Français", "🇬🇧 English"]
    [done] = await conv.press(choice, "🇬🇧 English")
    assert text_of(done).startswith("Got it: I will answer in English.")
    assert "📚 The 3 CCPs and their competences" in buttons_of(done)
    assert conv.store.user_lang(1) == "en"
    [welcome] = await conv.send("/start")  # Telegram still says French
    assert text_of(welcome).startswith("👋 Hello Camille!")
    [answer] = await conv.send("vae")
    assert "years of work experience" in text_of(answer)


async def test_back_to_french_and_double_press(conv: Conv) -> None:
    conv.store.set_user_lang(1, "en")
    [choice] = await conv.send("/langue")
    assert text_of(choice).startswith("Which language")
    [done] = await conv.press(choice, "🇫🇷 Français")
    assert text_of(done).startswith("C'est noté : je vous réponds en français.")
    assert await conv.press_again(choice, "🇫🇷 Français") == []  # same screen: nothing new
    assert conv.store.user_lang(1) == "fr"


async def test_in_a_group_the_choice_moves_to_private(conv: Conv) -> None:
    [private] = await conv.send("/langue", chat_id=GROUP)
    assert "continuons en privé" in text_of(private)
    [[button]] = private["reply_markup"]["inline_keyboard"]
    assert button["url"] == "https://t.me/tsgri_test_bot?start=langue"
    assert conv.store.user_lang(1) is None


async def test_unknown_language_button_is_stale(conv: Conv) -> None:
    [menu] = await conv.press_data("lang:set:de")
    assert "Ce bouton date d'un ancien message" in text_of(menu)
    assert conv.store.user_lang(1) is None
