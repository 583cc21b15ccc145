"""Stage 2: the features the ranker weighs, read from a `Prepared` text.

Stems and pairs of stems carry the meaning; the words as written, stop words included, and their
pairs keep the turns of phrase stemming loses ("c'est quoi", "how long", "jusqu'à quand"); the
question words say what kind of answer is wanted ("qui", "quand", "combien"); character n-grams
inside words absorb misspellings and unseen forms ("recevabiliter", "capitalisé"). The same
function serves training and answering.

`surface` is the second view: the words as written (stop words kept, nothing stemmed; English
words put into French by the glossary, the titre's synonyms folded) and their character
2–5-grams, the way a standard intent classifier reads a text. A second model learns from it,
and the ranker mixes both (`ranker.Ranker`): where stemming or the glossary misleads one view,
the other still reads the turn of phrase.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator

from knowledge.language import Vocabulary
from knowledge.text import Prepared

NGRAMS = (3, 4, 5)
SURFACE_NGRAMS = (2, *NGRAMS)

Grams = tuple[tuple[str, ...], tuple[str, ...]]  # a word's n-grams for each view


def grams(word: str) -> Grams:
    """A word's character n-grams, its edges marked by spaces: for the meaning and for the
    surface (the engine looks a word's up in each model once a message: `reading.Reader`)."""
    padded = f" {word} "
    end = len(padded) + 1
    longer = [padded[i : i + n] for n in NGRAMS for i in range(end - n)]
    pairs = [padded[i : i + 2] for i in range(end - 2)]
    return tuple(["c:" + g for g in longer]), tuple(["r:" + g for g in pairs + longer])


def features(text: Prepared, vocabulary: Vocabulary) -> Counter[str]:
    found = Counter(terms(text, vocabulary))
    found.update(itertools.chain.from_iterable(
        grams(word)[0] for word in gram_words(text, vocabulary)
    ))  # fmt: skip
    return found


def terms(text: Prepared, vocabulary: Vocabulary) -> Iterator[str]:
    """The meaning's features other than character n-grams, in the order `features` counts
    them (the engine counts a text's n-grams by word, `reading.Reader`)."""
    stems = text.stems
    yield from (f"w:{s}" for s in stems)
    yield from (f"b:{a}|{b}" for a, b in itertools.pairwise(stems))
    yield from (f"q:{w}" for w in text.words if w in vocabulary.question_words)
    yield from (f"t:{w}" for w in text.words)
    yield from (f"u:{a}|{b}" for a, b in itertools.pairwise(text.words))


def gram_words(text: Prepared, vocabulary: Vocabulary) -> list[str]:
    """The words whose character n-grams the meaning counts (English put into French)."""
    glossary, stop_words = vocabulary.glossary, vocabulary.stop_words
    return [glossary.get(w, w) for w in text.words if w not in stop_words and len(w) >= 3]


def surface(text: Prepared, vocabulary: Vocabulary) -> Counter[str]:
    words = surface_words(text, vocabulary)
    found = Counter(surface_terms(words))
    found.update(itertools.chain.from_iterable(grams(word)[1] for word in words))
    return found


def surface_words(text: Prepared, vocabulary: Vocabulary) -> list[str]:
    """The words as the surface reads them (English put into French, nothing stemmed)."""
    return [vocabulary.glossary.get(w, w) for w in text.words]


def surface_terms(words: list[str]) -> Iterator[str]:
    """The surface's features other than character n-grams, in the order `surface` counts them."""
    yield from (f"s:{w}" for w in words)
    yield from (f"p:{a}|{b}" for a, b in itertools.pairwise(words))
