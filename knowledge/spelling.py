"""Mending misspellings towards the words the ranker learnt ("nveau" → "niveau").

rapidfuzz with an explicit scorer (the optimal string alignment distance: one letter added,
dropped, changed, or two swapped), no processor (the words are already folded) and a cutoff of
one edit: a word is mended only when exactly one learnt word is one typo away, and long enough
to be a typo rather than another word ("capitale" is two edits from "capitalise": left as
written). "No match" leaves it as written. The learnt words are searched by length: one edit
away is at most one letter longer or shorter, a sixth of them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence, Set

from rapidfuzz import process
from rapidfuzz.distance import OSA

from knowledge.text import Prepared

MIN_LENGTH = 5  # shorter words are too often another real word one letter away
MAX_EDITS = 1  # typos from which a learnt word is taken for the word written


def mend(
    text: Prepared,
    learnt: Set[str],
    understood: Set[str] = frozenset(),
    closest: Callable[[str], str | None] | None = None,
) -> str | None:
    """The text with its unknown words replaced by their learnt spelling, or None when
    nothing changed. `understood`: words read as they are (the glossary's English words);
    `closest`: `closest_learnt` over `learnt`, as the engine keeps it while one message is
    answered (the message is read whole, then sentence by sentence)."""
    if not learnt:
        return None
    out: list[str] = []
    changed = False
    for word in text.plain:
        if len(word) < MIN_LENGTH or not word.isalpha() or word in learnt or word in understood:
            out.append(word)
            continue
        if closest is None:
            closest = functools.partial(closest_learnt, learnt=by_length(learnt))
        found = closest(word)
        out.append(found or word)
        changed = changed or found is not None
    return " ".join(out) if changed else None


def by_length(words: Iterable[str]) -> dict[int, tuple[str, ...]]:
    """Words by their length, each length's in order."""
    found: dict[int, list[str]] = {}
    for word in sorted(words):
        found.setdefault(len(word), []).append(word)
    return {n: tuple(same) for n, same in found.items()}


def closest_learnt(word: str, learnt: Mapping[int, Sequence[str]]) -> str | None:
    """The one learnt word (`by_length`) a typo away from `word`, or None (none, or more
    than one)."""
    n = len(word)
    found = [
        near
        for size in range(n - MAX_EDITS, n + MAX_EDITS + 1)
        for near, _, _ in process.extract(word, learnt.get(size, ()), scorer=OSA.distance,
                                          processor=None, score_cutoff=MAX_EDITS, limit=2)
    ]  # fmt: skip
    return str(found[0]) if len(found) == 1 else None
