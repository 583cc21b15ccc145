"""Stages 1–4 for one text: prepare (text.py) → mend (spelling.py) → features (features.py)
→ rank (ranker.py). The engine reads one message whole, then sentence by sentence, and some of
those texts twice (a one-sentence message is its own sentence): while it is answered, its
readings, the learnt spellings of its unknown words and their character n-grams are kept, and
dropped with the next message, so nothing a user wrote stays in memory behind their answer.
"""

from __future__ import annotations

import functools
from dataclasses import replace

from knowledge import neighbours
from knowledge.features import Grams, features, grams, surface
from knowledge.ranker import Ranked, Ranker
from knowledge.spelling import Speller, mend
from knowledge.text import Normalizer, Prepared

READINGS = 64  # texts of one message kept read
WORDS = 256  # words of one message kept mended and cut into n-grams

Reading = tuple[Prepared, Ranked]  # a text prepared and ranked


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
        self._grams: functools._lru_cache_wrapper[Grams] = functools.lru_cache(WORDS)(grams)

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
        self._grams.cache_clear()

    def _read(self, text: str) -> Reading:
        prepared = self._prepared(text)
        mended = mend(prepared, self.model.words, self._understood, self._closest)
        if mended is not None:  # the words mended; the text as written (its dates, its "?")
            prepared = replace(self.normalizer.prepare(mended), text=prepared.text,
                               asks=prepared.asks)  # fmt: skip
        v, weight = self.vocabulary, self.weight
        seen = surface(prepared, v, self._grams) if weight > 0 else None
        near = self.near if len(prepared.words) <= neighbours.WORDS else 0.0
        ranked = self.model.rank(features(prepared, v, self._grams), seen, weight, near)
        return prepared, replace(ranked, words=len(prepared.words))
