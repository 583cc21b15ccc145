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
