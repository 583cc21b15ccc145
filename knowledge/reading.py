"""Stages 1–4 for one text: prepare (text.py) → mend (spelling.py) → features (features.py)
→ rank (ranker.py). The engine reads one message whole, then sentence by sentence, and some of
those texts twice (a one-sentence message is its own sentence): while it is answered, its
readings, the learnt spellings of its unknown words and where each model keeps their character
n-grams are kept, and dropped with the next message, so nothing a user wrote stays in memory
behind their answer (only the words the models learnt keep their n-grams' places for good).
"""

from __future__ import annotations

import functools
import itertools
from collections import Counter
from dataclasses import replace

from knowledge import neighbours
from knowledge.features import gram_words, grams, surface_terms, surface_words, terms
from knowledge.neighbours import Vector
from knowledge.ranker import Ranked, Ranker
from knowledge.spelling import Speller, mend
from knowledge.text import Normalizer, Prepared

READINGS = 64  # texts of one message kept read
WORDS = 256  # words of one message kept mended, and their n-grams looked up

Reading = tuple[Prepared, Ranked]  # a text prepared and ranked
Indices = tuple[tuple[int, ...], tuple[int, ...]]  # a word's n-grams in each model (`_look_up`)


class Reader:
    """Reads texts for one message at a time; `new_message` forgets the one before."""

    def __init__(
        self, normalizer: Normalizer, model: Ranker, surface_weight: float,
        neighbours_weight: float = 0.0,
    ) -> None:  # fmt: skip
        self.normalizer = normalizer
        self.vocabulary = v = normalizer.vocabulary
        self.model = model
        self.weight = surface_weight
        self.near = neighbours_weight
        # words the language data reads as they are: never "mended" into another
        self._understood = frozenset(v.glossary) | v.stop_words | v.question_words
        self._readings: functools._lru_cache_wrapper[Reading] = functools.lru_cache(READINGS)(
            self._read
        )
        # a sentence read with the one before it is also what the engine weighs the veto on
        self._prepared: functools._lru_cache_wrapper[Prepared] = functools.lru_cache(READINGS)(
            normalizer.prepare
        )
        self.speller = Speller(model.words)
        self._closest: functools._lru_cache_wrapper[str | None] = functools.lru_cache(WORDS)(
            self.speller.closest
        )
        self._indices: functools._lru_cache_wrapper[Indices] = functools.lru_cache(WORDS)(
            self._look_up
        )
        # the same for the words the models learnt (none is a user's own): kept for good
        self._learnt: dict[str, Indices] = {}

    def read(self, text: str) -> Reading:
        """The text prepared and ranked (kept while its message is answered: both are frozen)."""
        return self._readings(text)

    def prepare(self, text: str) -> Prepared:
        """The text prepared (kept while its message is answered, like its reading)."""
        return self._prepared(text)

    def new_message(self) -> None:
        self._readings.cache_clear()
        self._prepared.cache_clear()
        self._closest.cache_clear()
        self._indices.cache_clear()

    def _read(self, text: str) -> Reading:
        prepared = self._prepared(text)
        mended = mend(prepared, self.model.words, self._understood, self._closest)
        if mended is not None:  # the words mended; the text as written (its dates, its "?")
            prepared = replace(self.normalizer.prepare(mended), text=prepared.text,
                               asks=prepared.asks)  # fmt: skip
        near = self.near if len(prepared.words) <= neighbours.WORDS else 0.0
        ranked = self.model.rank_vectors(*self.vectors(prepared), self.weight, near)
        return prepared, replace(ranked, words=len(prepared.words))

    def vectors(self, prepared: Prepared) -> tuple[Vector, float, Vector | None]:
        """What the ranker weighs (`Ranker.rank_vectors`): the meaning's vector, the share of
        its stems learnt, the surface's vector (None when its weight is 0). The same numbers
        as `features.features` and `features.surface` give, counted word by word: a word's
        n-grams are looked up once a message (a word the models learnt, once for good)."""
        v, model = self.vocabulary, self.model
        meaning = Counter(terms(prepared, v))
        found = model.meaning.ids(meaning)
        found.update(itertools.chain.from_iterable(map(self._meaning, gram_words(prepared, v))))
        seen: Vector | None = None
        if self.weight > 0:
            words = surface_words(prepared, v)
            on_surface = model.surface.ids(Counter(surface_terms(words)))
            on_surface.update(itertools.chain.from_iterable(map(self._surface, words)))
            seen = model.surface.vector_of(on_surface)
        return model.meaning.vector_of(found), model.meaning.known(meaning), seen

    def _meaning(self, word: str) -> tuple[int, ...]:
        return self._indices_of(word)[0]

    def _surface(self, word: str) -> tuple[int, ...]:
        return self._indices_of(word)[1]

    def _indices_of(self, word: str) -> Indices:
        found = self._learnt.get(word)
        if found is None:
            if word in self.model.words:
                found = self._learnt[word] = self._look_up(word)
            else:
                found = self._indices(word)
        return found

    def _look_up(self, word: str) -> Indices:
        """A word's character n-grams each model learnt, by index (as often as they occur:
        `features.features` and `features.surface` count them the same way)."""
        meaning, on_surface = grams(word)
        m, s = self.model.meaning.vocab.get, self.model.surface.vocab.get
        return (tuple(i for i in map(m, meaning) if i is not None),
                tuple(i for i in map(s, on_surface) if i is not None))  # fmt: skip
