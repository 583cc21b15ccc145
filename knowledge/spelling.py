"""Mending misspellings towards the words the ranker learnt ("nveau" → "niveau").

rapidfuzz with an explicit scorer (the optimal string alignment distance: one letter added,
dropped, changed, or two swapped), no processor (the words are already folded) and a cutoff of
one edit: a word is mended only when exactly one learnt word is one typo away, and long enough
to be a typo rather than another word ("capitale" is two edits from "capitalise": left as
written). "No match" leaves it as written.

Which learnt words to measure: two words one typo apart share a spelling with one letter
dropped (changed or swapped letters: the same one dropped from both; a letter added: the other
word itself), so the learnt words are indexed by those spellings (the symmetric-delete index of
SymSpell) and only the few that share one are measured, not thousands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Set

from knowledge.text import Prepared

MIN_LENGTH = 5  # shorter words are too often another real word one letter away
MAX_EDITS = 1  # typos from which a learnt word is taken for the word written (the index's)


class Speller:
    """The learnt words, indexed when first needed (30 ms; `warm` does it ahead)."""

    def __init__(self, learnt: Iterable[str]) -> None:
        self.words = frozenset(learnt)
        self._index: Mapping[str, tuple[str, ...]] | None = None

    def warm(self) -> None:
        self._by_deletion()
        distance("", "", 0)  # imports rapidfuzz (70 ms), left out of start-up

    def closest(self, word: str) -> str | None:
        """The one learnt word a typo away from `word`, or None (none, or more than one)."""
        index = self._by_deletion()
        sharing = {learnt for key in _deletions(word) for learnt in index.get(key, ())}
        near = [
            learnt
            for learnt in sorted(sharing)
            if distance(word, learnt, MAX_EDITS) <= MAX_EDITS
        ]
        return near[0] if len(near) == 1 else None

    def _by_deletion(self) -> Mapping[str, tuple[str, ...]]:
        if self._index is None:  # built whole, then kept: two threads at most build it twice
            index: dict[str, list[str]] = {}
            for learnt in sorted(self.words):
                for key in _deletions(learnt):
                    index.setdefault(key, []).append(learnt)
            self._index = {key: tuple(found) for key, found in index.items()}
        return self._index


def distance(a: str, b: str, cutoff: int) -> int:
    """Typos between two folded words (cutoff + 1 when more): rapidfuzz's optimal string
    alignment, imported when first needed: it is a tenth of the engine's imports, and most
    messages have no word to mend."""
    from rapidfuzz.distance import OSA

    return int(OSA.distance(a, b, processor=None, score_cutoff=cutoff))


def _deletions(word: str) -> set[str]:
    """The word and every spelling of it one letter shorter."""
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


def mend(
    text: Prepared,
    learnt: Set[str],
    understood: Set[str] = frozenset(),
    closest: Callable[[str], str | None] | None = None,
) -> str | None:
    """The text with its unknown words replaced by their learnt spelling, or None when
    nothing changed. `understood`: words read as they are (the glossary's English words);
    `closest`: `Speller.closest` over `learnt`, as the engine keeps it while one message is
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
            closest = Speller(learnt).closest
        found = closest(word)
        out.append(found or word)
        changed = changed or found is not None
    return " ".join(out) if changed else None
