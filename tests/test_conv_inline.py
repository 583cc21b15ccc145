"""Inline mode: `@bot vae` offers up to five shareable answers; empty query: main topics."""

from __future__ import annotations

from bot.offline.model import html_to_text
from tests.conv_support import Conv


async def test_vae_offers_shareable_answers(conv: Conv) -> None:
    results = await conv.inline("vae")
    assert 1 <= len(results) <= 5
    first = results[0]
    assert first["type"] == "article"
    assert first["title"] == "La VAE"
    content = first["input_message_content"]
    assert content["parse_mode"] == "HTML"
    shown = html_to_text(content["message_text"])  # Telegram would accept the HTML
    assert shown.startswith("La VAE")
    assert len(shown) <= 4096
    [[button]] = first["reply_markup"]["inline_keyboard"]
    assert button["url"] == "https://t.me/tsgri_test_bot?start=vae"
    assert len({r["id"] for r in results}) == len(results)


async def test_empty_query_offers_main_topics(conv: Conv) -> None:
    results = await conv.inline("")
    assert [r["title"] for r in results] == [
        "Le titre TSGRI",
        "Les trois activités types (CCP)",
        "La VAE",
        "Le parcours discontinu : capitaliser les CCP",
        "Le délai pour obtenir tous les CCP",
    ]
    assert all(r["description"] for r in results)


async def test_english_user_gets_english_results(conv: Conv) -> None:
    results = await conv.inline("vae", language_code="en")
    assert "work experience" in html_to_text(results[0]["input_message_content"]["message_text"])


async def test_nonsense_query_gives_no_result_but_a_way_to_the_bot(conv: Conv) -> None:
    update = conv.api.factory.inline_query("zzzz qqqq")
    await conv.feed(update)
    [call] = conv.api.requests("answerInlineQuery")
    assert call.params["results"] == []
    assert call.params["button"]["start_parameter"] == "aide"
