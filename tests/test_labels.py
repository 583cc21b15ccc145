"""Button labels fit a phone and are never cut inside a word."""

from __future__ import annotations

import pytest

from conversations.i18n import Catalogue
from conversations.render import MAX_LABEL_CHARS, label, shorten_words
from knowledge.model import Lang, Titre


def test_a_long_title_is_cut_between_words() -> None:
    title = "Le parcours discontinu : capitaliser les CCP un par un"
    assert shorten_words(title, 40) == "Le parcours discontinu : capitaliser…"
    assert shorten_words("Court titre", 40) == "Court titre"
    assert shorten_words("Anticonstitutionnellement" * 3, 10) == "Anticonst…"  # one word: no choice


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_topic_button_is_whole_words(titre: Titre, catalogue: Catalogue, lang: Lang) -> None:
    shortened = 0
    for topic in titre.topics:
        title = topic.title.get(lang)
        shown = label(catalogue, lang, topic.id, title)
        assert len(shown) <= MAX_LABEL_CHARS, shown
        if shown.endswith("…") and not title.endswith("…"):
            shortened += 1
            kept = shown.removesuffix("…")
            words = " ".join(title.split())
            assert words.startswith(kept), (title, shown)
            assert not words[len(kept)].isalnum(), f"cut inside a word: {shown!r} of {title!r}"
    assert shortened > 0  # some titles are long: the check above did run
