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
from collections.abc import Callable

from knowledge.language import Vocabulary
from knowledge.text import Prepared

NGRAMS = (3, 4, 5)
SURFACE_NGRAMS = (2, *NGRAMS)

Grams = tuple[tuple[str, ...], tuple[str, ...]]  # a word's n-grams for each view


def grams(word: str) -> Grams:
    """A word's character n-grams, its edges marked by spaces: for the meaning and for the
    surface (the engine keeps them while one message is read several times over)."""
    padded = f" {word} "
    end = len(padded) + 1
    longer = [padded[i : i + n] for n in NGRAMS for i in range(end - n)]
    pairs = [padded[i : i + 2] for i in range(end - 2)]
    return tuple(["c:" + g for g in longer]), tuple(["r:" + g for g in pairs + longer])


def features(
    text: Prepared, vocabulary: Vocabulary, grams_of: Callable[[str], Grams] = grams
) -> Counter[str]:
    found: Counter[str] = Counter()
    stems = text.stems
    found.update(f"w:{s}" for s in stems)
    found.update(f"b:{a}|{b}" for a, b in itertools.pairwise(stems))
    found.update(f"q:{w}" for w in text.words if w in vocabulary.question_words)
    found.update(f"t:{w}" for w in text.words)
    found.update(f"u:{a}|{b}" for a, b in itertools.pairwise(text.words))
    glossary, stop_words = vocabulary.glossary, vocabulary.stop_words
    found.update(itertools.chain.from_iterable(
        grams_of(glossary.get(word, word))[0]
        for word in text.words if word not in stop_words and len(word) >= 3
    ))  # fmt: skip
    return found


def surface(
    text: Prepared, vocabulary: Vocabulary, grams_of: Callable[[str], Grams] = grams
) -> Counter[str]:
    found: Counter[str] = Counter()
    words = [vocabulary.glossary.get(w, w) for w in text.words]
    found.update(f"s:{w}" for w in words)
    found.update(f"p:{a}|{b}" for a, b in itertools.pairwise(words))
    found.update(itertools.chain.from_iterable(grams_of(word)[1] for word in words))
    return found
