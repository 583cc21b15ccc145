"""Stage 1 of the pipeline: a message in, its words and stems out, computed once.

Sanitise (lone surrogates and control characters never reach a reader), fold case and accents,
write out elisions, contractions and SMS spellings, fold the titre's multi-word synonyms to one
word, translate English words through the glossary, and stem with Snowball (PyStemmer). Every
later stage reads the `Prepared` text; none normalises again.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import Stemmer

from knowledge.language import Vocabulary
from knowledge.model import Lang

_APOSTROPHES = {"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"}
_FOLDS_FROM = {**_APOSTROPHES, "œ": "oe", "æ": "ae", "ß": "ss"}  # once lowercased
_TO_FOLD = re.compile("|".join(map(re.escape, _FOLDS_FROM)))
# the accents NFKD leaves on Latin letters, dropped at once (any other mark one by one): as
# patterns, not `str.translate`, which looks each character up (a long message is folded
# several times while it is answered)
_MARKS = re.compile(
    "[" + "".join(chr(cp) for cp in range(0x300, 0x370) if unicodedata.combining(chr(cp))) + "]"
)
_ACRONYM_DOTS = re.compile(r"\b([a-z](?:\.[a-z])+)\.?(?![a-z])")
_NEGATION = re.compile(r"n't\b")
_CONTRACTION = re.compile(r"(\w)'([a-z]{1,2})\b")
_ELIDED = re.compile(r"\b([a-z]{1,7})'")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_DIGIT_LETTER = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")
_ORDINAL = re.compile(r"^\d+(er|ere|e|eme|nd|nde|st|th|rd)$")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # category Cc, but tab and line feed
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


def sanitize(text: str) -> str:
    """Text every stage can read and store: lone surrogates and control characters replaced."""
    clean = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates are "?" now
    return _CONTROL.sub(" ", clean)


def fold(text: str) -> str:
    """Lowercase, apostrophes unified, accents and ligatures gone."""
    low = _TO_FOLD.sub(lambda m: _FOLDS_FROM[m.group()], text.lower())
    if low.isascii():
        return low  # nothing for NFKD to decompose
    bare = _MARKS.sub("", unicodedata.normalize("NFKD", low))
    if bare.isascii():
        return bare
    return "".join(ch for ch in bare if not unicodedata.combining(ch))


def by_first_word(phrases: Iterable[tuple[str, ...]]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Multi-word phrases under their first word, longest first: a text is searched at each
    word for the phrases that start there only (most words start none)."""
    found: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted(phrases, key=lambda p: (-len(p), p)):
        found.setdefault(phrase[0], []).append(phrase)
    return {first: tuple(same) for first, same in found.items()}


def sentences(text: str) -> list[str]:
    """A message cut where its sentences end (and at line breaks)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


@dataclass(frozen=True, slots=True)
class Prepared:
    """One text as every stage reads it."""

    text: str  # sanitised, as written
    lang: Lang
    plain: tuple[str, ...]  # folded words, spellings written out
    words: tuple[str, ...]  # the same with the titre's synonyms folded to one word each
    stems: tuple[str, ...]  # content words: glossary applied, stop words out, stemmed
    asks: bool  # a question mark or a question word

    @property
    def folded(self) -> str:
        return " ".join(self.words)


class Normalizer:
    """Built once from the language data and the titre's synonyms; `prepare` is cheap."""

    def __init__(self, vocabulary: Vocabulary, synonyms: Iterable[Sequence[str]] = ()) -> None:
        self.vocabulary = vocabulary
        self._stemmer = Stemmer.Stemmer("french")
        self._cache: dict[str, str] = {}
        # "validation des acquis de l'experience" -> "vae": longest phrase first
        phrases: dict[tuple[str, ...], str] = {}
        for group in synonyms:
            canonical = "_".join(self.words(group[0]))
            for form in group:
                words = self.words(form)
                if words and words != (canonical,):
                    phrases[words] = canonical
        self._phrases = phrases
        self._starting = by_first_word(phrases)

    def words(self, text: str) -> tuple[str, ...]:
        """Folded words with elisions, contractions and SMS spellings written out."""
        v = self.vocabulary
        low = _ACRONYM_DOTS.sub(lambda m: m.group(1).replace(".", ""), fold(text))
        low = _NEGATION.sub(" not", low)
        low = _CONTRACTION.sub(lambda m: self._contraction(m, v), low)
        low = _ELIDED.sub(lambda m: v.elisions.get(m.group(1), m.group(1)) + " ", low)
        out: list[str] = []
        for raw in _NON_WORD.sub(" ", low).split():
            if raw in v.spellings:
                out.extend(v.spellings[raw])
            elif raw in v.elisions:  # "l experience" typed without its apostrophe
                out.append(v.elisions[raw])
            elif raw.isalpha() or raw.isdigit() or _ORDINAL.match(raw):
                out.append(raw)  # no digit beside a letter to split at
            else:
                for part in _DIGIT_LETTER.sub(" ", raw).split():
                    out.extend(v.spellings.get(part, (part,)))
        return tuple(out)

    @staticmethod
    def _contraction(match: re.Match[str], v: Vocabulary) -> str:
        word, suffix = match.group(1), match.group(2)
        if suffix in v.contractions:
            return f"{word} {v.contractions[suffix]}"
        return match.group(0)

    def fold_phrases(self, words: Sequence[str]) -> tuple[str, ...]:
        """The titre's multi-word synonyms as one word each."""
        out: list[str] = []
        i = 0
        while i < len(words):
            for phrase in self._starting.get(words[i], ()):
                if tuple(words[i : i + len(phrase)]) == phrase:
                    out.append(self._phrases[phrase])
                    i += len(phrase)
                    break
            else:
                out.append(words[i])
                i += 1
        return tuple(out)

    def stem(self, word: str) -> str:
        found = self._cache.get(word)
        if found is None:
            found = self._cache[word] = str(self._stemmer.stemWord(word))
        return found

    def detect_lang(self, words: Sequence[str]) -> Lang:
        """French unless English function words outnumber French ones."""
        return self._told_by_words(words) or "fr"

    def _told_by_words(self, words: Sequence[str]) -> Lang | None:
        """The language with the most marker words, None on a tie."""
        markers = self.vocabulary.markers
        counts = {lang: sum(map(found.__contains__, words)) for lang, found in markers.items()}
        if len(set(counts.values())) > 1:
            return max(counts, key=lambda lang: counts[lang])
        return None

    def lang_told(self, text: str) -> Lang | None:
        """The language a text tells by its marker words, else by its letters; None when it
        tells neither (a tie, "CCP 2 ?"): the caller keeps the language it knows."""
        by_words = self._told_by_words(self.words(sanitize(text)))
        if by_words is not None:
            return by_words
        lower = text.lower()
        told = [lang for lang, letters in self.vocabulary.marker_letters.items()
                if any(ch in letters for ch in lower)]  # fmt: skip
        return told[0] if len(told) == 1 else None

    def prepare(self, text: str) -> Prepared:
        v = self.vocabulary
        clean = sanitize(text)
        plain = self.words(clean)
        words = self.fold_phrases(plain)
        stems = tuple(
            self.stem(v.glossary.get(w, w))
            for w in words
            if w not in v.stop_words and v.glossary.get(w, w) not in v.stop_words
        )
        if not stems:  # "à plus", "et alors ?": function words are all there is to read
            stems = tuple(self.stem(w) for w in words)
        asks = "?" in clean or any(w in v.question_words for w in words)
        return Prepared(clean, self.detect_lang(words), plain, words, stems, asks)
