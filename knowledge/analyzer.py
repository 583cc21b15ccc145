"""Text -> the words and tokens the matcher compares, the same way for questions and index.

Steps: `normalize` (case, accents, elisions, SMS spellings), English content words mapped to
French, everyday idioms and the titre's synonyms folded to one canonical token ("dossier de
synthese" -> "dspp"), CCP numbers joined ("ccp 2", "deuxieme ccp" -> "ccp2"), function words
dropped, irregular forms lemmatised and the rest lightly stemmed. A synonym phrase keeps its
own words beside the canonical token, so a question using part of it still meets it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from rapidfuzz import process
from rapidfuzz.distance import OSA

from knowledge.idioms import PHRASES, SMALLTALK
from knowledge.lexicon import (
    COMMON,
    ENGLISH,
    FILLERS,
    LEMMAS,
    LIGHT,
    OTHER_DIPLOMAS,
    STOPWORDS,
    WEAK,
    stem,
)
from knowledge.normalize import normalize

_ORDINALS: Final = MappingProxyType({
    "premier": 1, "premiere": 1, "un": 1, "une": 1, "1": 1, "deuxieme": 2, "second": 2,
    "seconde": 2, "deux": 2, "2": 2, "troisieme": 3, "trois": 3, "3": 3, "quatrieme": 4,
    "quatre": 4, "4": 4, "cinquieme": 5, "cinq": 5, "5": 5,
})  # fmt: skip
# "premier CCP" usually means the first one obtained (the deadline runs from it), not CCP 1:
# only the other ordinals name a CCP by its number.
_BEFORE_ONLY = frozenset({"deuxieme", "second", "seconde", "troisieme", "quatrieme", "cinquieme"})
_NOT_A_NUMBER = frozenset({"premier", "premiere"})
# "mon premier / dernier CCP": an order among the CCPs one holds.
_MINE = frozenset({"mon", "my"})
_ORDER = ("premier", "dernier")
_NUMBER_MARK = frozenset({"n", "no", "num", "numero", "number"})
# "le troisième certificat": an ordinal before "certificat" numbers the units too.
_UNIT_NOUNS = ("certificat",)
_WHICH_UNIT = frozenset({"quel", "which"})
# ... but asked what it holds, the first CCP is CCP 1 (no deadline runs from its content).
_CONTENT = frozenset({
    "contient", "contenir", "contenu", "comprend", "comprendre", "competences", "competence",
    "programme", "detail", "details",
})
# "tous les CCP", "all my CCPs": holding every unit is its own subject (what comes after).
_ALL = frozenset({"tous", "toutes", "all"})
_ALL_BETWEEN = frozenset({"les", "mes", "ses", "nos", "vos", "the", "my", "our", "your", "of"})


# "où" loses its accent ("ou" is also "or"): at either end of a sentence, or as "where", it
# asks for a place, which says much of what is asked ("où se former ?").
_WHERE: Final = "ou_lieu"
_WHERE_BEFORE = frozenset({"est", "se", "puis", "peut", "peux", "passer", "faire", "trouver"})


def _where(words: tuple[str, ...]) -> tuple[str, ...]:
    out = list(words)
    for i, w in enumerate(out):
        after = out[i + 1] if i + 1 < len(out) else ""
        if w == "where" or (w == "ou" and (i == 0 or not after or after in _WHERE_BEFORE)):
            out[i] = _WHERE
    return tuple(out)


_CLAUSE_BREAK: Final = re.compile(r"[.,;:!?()\n]+|\s(?:et|mais|donc|and|but|so)\s", re.IGNORECASE)


# A phrase written without its apostrophe ("de l experience") as a question typed with it
# reads once normalised ("de le experience").
_ELIDED: Final = MappingProxyType(
    {"l": "le", "d": "de", "j": "je", "n": "ne", "s": "se", "m": "me", "t": "te", "qu": "que"}
)


def _as_typed(phrase: str) -> str:
    return " ".join(_ELIDED.get(w, w) for w in normalize(phrase).split())


def clauses(text: str) -> list[str]:
    """A message cut where one clause ends ("Bonjour, je suis en reconversion et ..."), so
    that the question at its end can be read apart from the story before it."""
    return [c.strip() for c in _CLAUSE_BREAK.split(text) if c.strip()]


_SENTENCE = re.compile(r"[^.?!\n]*[.?!\n]*")


def asking_sentences(text: str) -> list[str]:
    """The sentences of a message that end with a question mark, each alone then joined to
    the sentence before it ("I heard of the TSGRI. What is it?"); none for a single one."""
    sentences = [s.strip() for s in _SENTENCE.findall(text) if s.strip()]
    if len(sentences) < 2:
        return []
    found: list[str] = []
    for i, sentence in enumerate(sentences):
        if "?" in sentence:
            found.append(sentence)
            if i > 0:
                found.append(f"{sentences[i - 1]} {sentence}")
    return found


def tails(text: str) -> list[str]:
    """The message without its first clauses, shortest first."""
    parts = clauses(text)
    return [" ".join(parts[start:]) for start in range(len(parts) - 1, 0, -1)]


@dataclass(frozen=True, slots=True)
class Analysis:
    """One text, analysed once."""

    normalized: str
    words: tuple[str, ...]  # synonyms folded, CCP numbers joined (read by structured answers)
    tokens: tuple[str, ...]  # what the index compares
    partial: frozenset[str] = frozenset()  # tokens only from inside a folded phrase
    real: frozenset[str] = frozenset()  # tokens of real (dictionary) words: never respelled


class Analyzer:
    """Text -> canonical tokens, with the titre's synonyms and the CCP word."""

    def __init__(
        self,
        synonyms: Iterable[Sequence[str]],
        unit_word: str = "ccp",
        real_words: Mapping[str, None] | None = None,
    ) -> None:
        self.unit = unit_word
        self.real_words: Mapping[str, None] = real_words or {}
        self._idioms = sorted(
            ((self._english(_as_typed(v)), g[0]) for g in PHRASES for v in g[1:]),
            key=lambda p: -len(p[0]),
        )
        phrases: list[tuple[tuple[str, ...], str]] = []
        for group in [*synonyms, *PHRASES]:
            if not group:
                continue
            canonical = "_".join(normalize(group[0]).split())
            for variant in group:
                words = self._english(_as_typed(variant))
                if words and words != (canonical,):
                    phrases.append((words, canonical))
        phrases.sort(key=lambda p: -len(p[0]))
        self._phrases = phrases
        self._first_words = {p[0][0] for p in phrases}
        # Looked up by first word, longest first: a question costs a few comparisons.
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for phrase, canonical in phrases:
            self._by_first.setdefault(phrase[0], []).append((phrase, canonical))
        self._idiom_strings = [
            (idiom[0], f" {' '.join(idiom)} ", canonical)
            for idiom, canonical in self._idioms
            if idiom
        ]
        self.fillers = frozenset(stem(ENGLISH.get(w, w)) for w in FILLERS)
        self.stop = STOPWORDS - LIGHT
        known = set(STOPWORDS | LIGHT | COMMON | FILLERS | WEAK | OTHER_DIPLOMAS)
        known |= set(ENGLISH) | set(LEMMAS)
        for texts in (*PHRASES, *SMALLTALK.values(), *synonyms):
            for text in texts:
                known.update(normalize(text).split())
        self._spelled: dict[tuple[str, int], set[str]] = {}
        self.learn(known)

    def learn(self, words: Iterable[str]) -> None:
        """Words spelled right (the index's and the lexicon's): misspellings are mended
        towards them. Kept by first letter and length, so a repair looks at few words."""
        for word in words:  # function words are never what a misspelled word meant
            if len(word) >= 4 and word.isalpha() and word not in self.stop:
                self._spelled.setdefault((word[0], len(word)), set()).add(word)

    def spell(self, word: str) -> str:
        """A misspelled word -> the known word one typo away (two for long words), same first
        letter (typos rarely hit it; "route" must not become "toute"). Real words are kept."""
        if len(word) < 5 or not word.isalpha() or word in self.real_words:
            return word
        if word in self._spelled.get((word[0], len(word)), ()):
            return word
        limit = 1 if len(word) < 8 else 2
        candidates = sorted(  # sorted: the same repair every time, whatever the hash seed
            known
            for size in range(len(word) - limit, len(word) + limit + 1)
            for known in self._spelled.get((word[0], size), ())
        )
        found = process.extractOne(
            word, candidates, scorer=OSA.distance, processor=None, score_cutoff=limit
        )
        if found is None:
            return word
        known = str(found[0])
        # "parcoursup" is not "parcours" mistyped: letters added after a whole known word
        # make another word, not a typo.
        return word if word.startswith(known) and len(word) - len(known) >= 2 else known

    def analyze(self, text: str, *, spell: bool = False) -> Analysis:
        """`spell`: mend misspelled words first (questions; the index is spelled right)."""
        normalized = normalize(text)
        if spell:
            normalized = " ".join(self.spell(w) for w in normalized.split())
        base = _where(self._english(normalized))
        folded = self._number_units(self._fold(base))
        unfolded = self._number_units(self._fold_idioms(base))
        def token(word: str) -> str:
            return stem(LEMMAS.get(word, word))

        whole = [token(w) for w in folded if w not in self.stop]
        parts = [token(w) for w in unfolded if w not in self.stop]
        tokens = tuple(dict.fromkeys([*whole, *parts]))
        real = frozenset(token(w) for w in unfolded if w in self.real_words)
        return Analysis(normalized, tuple(folded), tokens, frozenset(parts) - set(whole), real)

    def tokens(self, text: str) -> tuple[str, ...]:
        return self.analyze(text).tokens

    def words(self, text: str) -> tuple[str, ...]:
        return self.analyze(text).words

    @staticmethod
    def _english(normalized: str) -> tuple[str, ...]:
        """English content words in French, as the index holds them."""
        words: list[str] = []
        for w in normalized.split():
            words.extend(ENGLISH.get(w, w).split())
        return tuple(words)

    def _fold(self, words: Sequence[str]) -> list[str]:
        """Synonym phrases and idioms -> their canonical token, longest phrase first."""
        out: list[str] = []
        i = 0
        while i < len(words):
            if words[i] in self._first_words:
                for phrase, canonical in self._by_first[words[i]]:
                    if tuple(words[i : i + len(phrase)]) == phrase:
                        out.append(canonical)
                        i += len(phrase)
                        break
                else:
                    out.append(words[i])
                    i += 1
            else:
                out.append(words[i])
                i += 1
        return out

    def _fold_idioms(self, words: Sequence[str]) -> list[str]:
        """Everyday idioms are folded even in the unfolded view: their words mean nothing
        alone ("a la prochaine" is not about the next session)."""
        joined = f" {' '.join(words)} "
        present = set(words)
        for first, phrase, canonical in self._idiom_strings:
            if first in present and phrase in joined:
                joined = joined.replace(phrase, f" {canonical} ")
                present.add(canonical)
        return joined.split()

    def _number_units(self, words: list[str]) -> list[str]:
        """"ccp 2", "ccp n 2", "ccp deux", "deuxieme ccp" -> "ccp2"; "ccp par ccp" -> one by
        one."""
        out: list[str] = []
        i = 0
        unit = self.unit
        while i < len(words):
            w = words[i]
            if w == unit and words[i + 1 : i + 3] in (["par", unit], ["by", unit]):
                out += [unit, "un_par_un"]
                i += 3
                continue
            if w == unit:
                j = i + 1
                if j < len(words) and words[j] in _NUMBER_MARK:
                    j += 1
                after = words[j] if j < len(words) else ""
                if after.isdigit() and len(after) <= 2:
                    out.append(f"{unit}{int(after)}")
                    i = j + 1
                    continue
                if after in _ORDINALS and not (after in _BEFORE_ONLY or after in _NOT_A_NUMBER):
                    out.append(f"{unit}{_ORDINALS[after]}")
                    i = j + 1
                    continue
            if w in _ALL:
                j = i + 1
                while j < len(words) and words[j] in _ALL_BETWEEN:
                    j += 1
                if j < len(words) and words[j] == unit:
                    out += [w, f"all_{unit}"]  # the unit itself follows as usual
                    i = j
                    continue
            if (
                w in _MINE
                and words[i + 1 : i + 3] in ([o, unit] for o in _ORDER)
                and _CONTENT.isdisjoint(words)
            ):
                # "mon dernier CCP" is the last one obtained, not the last by number.
                out += [w, words[i + 1], unit, "obtenu"]
                i += 3
                continue
            if (
                w in _NOT_A_NUMBER
                and i + 1 < len(words)
                and words[i + 1] == unit
                and not _CONTENT.isdisjoint(words)
            ):
                out.append(f"{unit}1")  # "que contient le premier CCP ?" asks for CCP 1
                i += 2
                continue
            if w in _WHICH_UNIT and i + 1 < len(words) and words[i + 1] in _UNIT_NOUNS:
                out += [w, unit]  # "c'est dans quel certificat ?" asks which CCP
                i += 2
                continue
            if w in _BEFORE_ONLY and i + 1 < len(words) and words[i + 1] in (unit, *_UNIT_NOUNS):
                out.append(f"{unit}{_ORDINALS[w]}")
                i += 2
                continue
            out.append(w)
            i += 1
        return out
