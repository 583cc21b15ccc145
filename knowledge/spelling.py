"""Mending misspellings towards the words the ranker learnt ("nveau" → "niveau").

rapidfuzz with an explicit scorer (normalised Levenshtein ratio), no processor (the words are
already folded) and a cutoff: a word is mended only when exactly one learnt word is close
enough, and long enough to be a typo rather than another word. "No match" leaves it as written.
"""

from __future__ import annotations

from collections.abc import Set

from rapidfuzz import fuzz, process

from knowledge.text import Prepared

MIN_LENGTH = 5  # shorter words are too often another real word one letter away
CUTOFF = 84.0  # ratio from which a learnt word is taken for the word written


def mend(text: Prepared, learnt: Set[str]) -> str | None:
    """The text with its unknown words replaced by their learnt spelling, or None when
    nothing changed."""
    if not learnt:
        return None
    out: list[str] = []
    changed = False
    for word in text.plain:
        if len(word) < MIN_LENGTH or not word.isalpha() or word in learnt:
            out.append(word)
            continue
        found = process.extract(word, learnt, scorer=fuzz.ratio, processor=None,
                                score_cutoff=CUTOFF, limit=2)  # fmt: skip
        if len(found) == 1 or (len(found) == 2 and found[0][1] > found[1][1]):
            out.append(found[0][0])
            changed = True
        else:
            out.append(word)
    return " ".join(out) if changed else None
