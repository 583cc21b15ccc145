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

from knowledge.language import Vocabulary
from knowledge.text import Prepared

NGRAMS = (3, 4, 5)
SURFACE_NGRAMS = (2, 3, 4, 5)


def features(text: Prepared, vocabulary: Vocabulary) -> Counter[str]:
    found: Counter[str] = Counter()
    stems = text.stems
    found.update(f"w:{s}" for s in stems)
    found.update(f"b:{a}|{b}" for a, b in itertools.pairwise(stems))
    found.update(f"q:{w}" for w in text.words if w in vocabulary.question_words)
    found.update(f"t:{w}" for w in text.words)
    found.update(f"u:{a}|{b}" for a, b in itertools.pairwise(text.words))
    for word in text.words:
        if word in vocabulary.stop_words or len(word) < 3:
            continue
        found.update(_grams("c", vocabulary.glossary.get(word, word), NGRAMS))
    return found


def surface(text: Prepared, vocabulary: Vocabulary) -> Counter[str]:
    found: Counter[str] = Counter()
    words = [vocabulary.glossary.get(w, w) for w in text.words]
    found.update(f"s:{w}" for w in words)
    found.update(f"p:{a}|{b}" for a, b in itertools.pairwise(words))
    for word in words:
        found.update(_grams("r", word, SURFACE_NGRAMS))
    return found


def _grams(kind: str, word: str, sizes: tuple[int, ...]) -> list[str]:
    """The word's character n-grams, its edges marked by spaces."""
    padded = f" {word} "
    return [f"{kind}:{padded[i : i + n]}" for n in sizes for i in range(len(padded) - n + 1)]
