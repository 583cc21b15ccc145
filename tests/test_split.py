import pytest

from conversations.common import callback, split_message


def test_short_text_is_one_message() -> None:
    assert split_message("bonjour") == ["bonjour"]


def test_long_text_splits_on_paragraphs_within_the_limit() -> None:
    paragraphs = [f"Paragraphe {i} " + "x" * 900 for i in range(10)]
    text = "\n\n".join(paragraphs)
    parts = split_message(text)
    assert all(len(p) <= 4096 for p in parts)
    assert "\n\n".join(parts) == text
    assert all(p.startswith("Paragraphe") for p in parts)


def test_a_single_huge_word_is_still_cut() -> None:
    parts = split_message("y" * 10_000)
    assert [len(p) for p in parts] == [4096, 4096, 1808]


def test_callback_data_over_64_bytes_is_refused() -> None:
    assert callback("topic", "ccp2") == "topic:ccp2"
    with pytest.raises(ValueError):
        callback("topic", "é" * 40)


def test_limits_are_counted_as_telegram_counts_them() -> None:
    from conversations.limits import excerpt, fits, visible_units

    assert visible_units("<b>a&amp;b</b>") == 3  # tags not counted, entity is one character
    assert visible_units("😀") == 2  # outside the BMP: two UTF-16 units
    text = "😀" * 3000  # 3,000 characters, 6,000 units: Telegram refuses it whole
    parts = split_message(text)
    assert len(parts) == 2 and "".join(parts) == text
    assert all(fits(p) for p in parts)
    tagged = "\n\n".join("<b>" + "x" * 1000 + "</b>" for _ in range(4))  # 4,000 visible
    assert split_message(tagged) == [tagged]
    quoted = excerpt("un très long message " * 200)
    assert len(quoted) <= 60 and quoted.endswith("…")


def test_emoji_heavy_paragraphs_split_within_4096_units() -> None:
    from conversations.limits import visible_units

    text = "\n\n".join("🎓 " * 700 for _ in range(3))  # 2,100 characters, 2,800 units each
    parts = split_message(text)
    assert len(parts) == 3
    assert all(visible_units(p) <= 4096 for p in parts)
