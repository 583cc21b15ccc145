"""Question -> ranked topics: the index is built once, a question costs well under a millisecond.

Why not one fuzzy ratio over example questions: short questions ("vae ?") tie everywhere and
out-of-scope questions that share a word or two ("combien coûte un iPhone ?") score high. So a
question is reduced to canonical tokens (normalised, synonyms and acronyms folded, English
words mapped to French, stemmed, function words dropped) and every topic is scored by:
- coverage: how much of the question's weight (rare words weigh more) the topic's vocabulary
  explains. Words nobody in the référentiel uses weigh the most, so a question that is mostly
  about something else cannot reach a confident score;
- closeness: the best weighted overlap with one of the topic's example phrasings or keywords,
  which favours the most specific topic ("vae" alone -> `vae`, not `vae_experience`);
- rapidfuzz, twice: to correct misspelled words against the index vocabulary, and to catch a
  near copy of an example phrasing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from knowledge.lexicon import (
    COMMON,
    ENGLISH,
    FILLERS,
    LEMMAS,
    LIGHT,
    PHRASES,
    SMALLTALK,
    STOPWORDS,
    WEAK,
    stem,
)
from knowledge.model import Titre, Topic
from knowledge.normalize import normalize

LIGHT_WEIGHT = 0.25
WEAK_WEIGHT = 0.6
COMMON_WEIGHT = 1.2  # an ordinary word the index does not know
NUMBER_WEIGHT = 0.3
WORDING = 0.1  # share of the score given to the whole-sentence likeness
SMALLTALK_FACTOR = 0.8  # small talk gives way when the question also names a real subject
ANSWER_FACTOR = 0.5  # a word only found in a topic's answer text explains half as much
BORROWED = 0.85  # closeness to a competence listed under a CCP topic, not one of its phrasings
_ORDINALS = {
    "premier": 1, "premiere": 1, "un": 1, "une": 1, "1": 1, "deuxieme": 2, "second": 2,
    "seconde": 2, "deux": 2, "2": 2, "troisieme": 3, "trois": 3, "3": 3, "quatrieme": 4,
    "quatre": 4, "4": 4, "cinquieme": 5, "cinq": 5, "5": 5,
}
# "premier CCP" usually means the first one obtained (the deadline runs from it), not CCP 1:
# only the other ordinals name a CCP by its number.
_BEFORE_ONLY = frozenset({"deuxieme", "second", "seconde", "troisieme", "quatrieme", "cinquieme"})
_NOT_A_NUMBER = frozenset({"premier", "premiere"})
_NUMBER_MARK = frozenset({"n", "no", "num", "numero", "number"})


@dataclass(frozen=True, slots=True)
class Scored:
    topic: Topic
    score: float  # 0..1
    coverage: float
    closeness: float
    strong: bool  # a word that is neither a question word nor an everyday word links them


class Analyzer:
    """Text -> canonical tokens, with the titre's synonyms and the CCP code word."""

    def __init__(self, synonyms: Iterable[Sequence[str]], unit_word: str = "ccp") -> None:
        self.unit = unit_word
        phrases: list[tuple[tuple[str, ...], str]] = []
        self._idioms: list[tuple[tuple[str, ...], str]] = [
            (self._english(v), g[0]) for g in PHRASES for v in g[1:]
        ]
        self._idioms.sort(key=lambda p: -len(p[0]))
        for group in [*synonyms, *PHRASES]:
            if not group:
                continue
            canonical = "_".join(normalize(group[0]).split())
            for variant in group:
                words = self._english(variant)
                if words and words != (canonical,):
                    phrases.append((words, canonical))
        phrases.sort(key=lambda p: -len(p[0]))
        self._phrases = phrases
        self._first_words = {p[0][0] for p in phrases}
        self.fillers = frozenset(stem(ENGLISH.get(w, w)) for w in FILLERS)

    def words(self, text: str, *, fold: bool = True) -> list[str]:
        """Normalised words, English content words in French, synonym phrases folded to their
        canonical form (unless `fold` is False), CCP numbers joined ("ccp2")."""
        words = list(self._english(text))
        if not fold:
            return self._number_units(self._fold_idioms(words))
        out: list[str] = []
        i = 0
        while i < len(words):
            if words[i] in self._first_words:
                for phrase, canonical in self._phrases:
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
        return self._number_units(out)

    @staticmethod
    def _english(text: str) -> tuple[str, ...]:
        """Normalised words with English content words in French, as questions get them."""
        words: list[str] = []
        for w in normalize(text).split():
            words.extend(ENGLISH.get(w, w).split())
        return tuple(words)

    def _fold_idioms(self, words: list[str]) -> list[str]:
        """Everyday idioms are folded even in the unfolded view: their words mean nothing
        alone ("a la prochaine" is not about the next session)."""
        joined = f" {' '.join(words)} "
        for idiom, canonical in self._idioms:
            phrase = f" {' '.join(idiom)} "
            if phrase in joined:
                joined = joined.replace(phrase, f" {canonical} ")
        return joined.split()

    def _number_units(self, words: list[str]) -> list[str]:
        """"ccp 2", "ccp n 2", "ccp deux", "deuxieme ccp" -> "ccp2"."""
        out: list[str] = []
        i = 0
        unit = self.unit
        while i < len(words):
            w = words[i]
            if w == unit and words[i + 1 : i + 3] == ["par", unit]:
                out += [unit, "un_par_un"]
                i += 3
                continue
            if w == unit:
                j = i + 1
                if j < len(words) and words[j] in _NUMBER_MARK:
                    j += 1
                if (
                    j < len(words)
                    and words[j] in _ORDINALS
                    and words[j] not in _BEFORE_ONLY
                    and words[j] not in _NOT_A_NUMBER
                ):
                    out.append(f"{unit}{_ORDINALS[words[j]]}")
                    i = j + 1
                    continue
            if w in _BEFORE_ONLY and i + 1 < len(words) and words[i + 1] == unit:
                out.append(f"{unit}{_ORDINALS[w]}")
                i += 2
                continue
            out.append(w)
            i += 1
        return out

    def tokens(self, text: str) -> list[str]:
        """Content tokens: function words dropped, stemmed, deduplicated. A synonym phrase
        gives its canonical form and its own words ("dossier de synthese" -> dspp, dossier,
        synthes), so that a question using part of the phrase still meets it."""
        seen: dict[str, None] = {}
        for w in [*self.words(text), *self.words(text, fold=False)]:
            if w in STOPWORDS and w not in LIGHT:
                continue
            seen.setdefault(stem(LEMMAS.get(w, w)), None)
        return list(seen)


_UNIT_WITH_NUMBER = re.compile(r"^[a-z]+\d+$")


class Index:
    """Everything the matcher needs, computed once from the titre."""

    def __init__(self, titre: Titre, analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        self.topics = titre.topics
        light = {stem(w) for w in LIGHT}
        self.light = frozenset(light)
        self.weak = frozenset(stem(w) for w in WEAK)
        self.common = frozenset(stem(LEMMAS.get(w, w)) for w in COMMON)
        examples: list[tuple[int, frozenset[str]]] = []
        factors: list[float] = []
        phrases: list[tuple[int, str]] = []
        vocab: list[dict[str, float]] = []
        for ti, topic in enumerate(titre.topics):
            strong: set[str] = set()
            phrasings = [*topic.questions, *topic.keywords, topic.title.fr]
            phrasings += list(SMALLTALK.get(topic.id, ())) if topic.kind == "smalltalk" else []
            if topic.title.en:
                phrasings.append(topic.title.en)
            borrowed: list[str] = []
            ccp = titre.ccp(topic.ccps[0]) if len(topic.ccps) == 1 else None
            if ccp is not None:
                phrasings += [ccp.title.fr, *ccp.keywords]
                for comp in ccp.competences:
                    borrowed += [comp.text.fr, *comp.keywords]
            weighted = [(p, 1.0) for p in phrasings] + [(p, BORROWED) for p in borrowed]
            for phrasing, factor in weighted:
                phrases.append((ti, normalize(phrasing)))
                toks = frozenset(analyzer.tokens(phrasing))
                if toks:
                    examples.append((ti, toks))
                    factors.append(factor)
                    strong |= toks
            weights = {t: ANSWER_FACTOR for t in analyzer.tokens(topic.answer.fr)}
            if topic.answer.en:
                weights.update({t: ANSWER_FACTOR for t in analyzer.tokens(topic.answer.en)})
            weights.update({t: 1.0 for t in strong})
            vocab.append(weights)
        n = len(titre.topics)
        df: dict[str, int] = {}
        for weights in vocab:
            for tok, factor in weights.items():
                if factor >= 1.0:
                    df[tok] = df.get(tok, 0) + 1
        self.idf = {tok: math.log((n + 1) / (count + 0.5)) for tok, count in df.items()}
        self.unknown_weight = math.log((n + 1) / 0.5)
        self.vocab = vocab
        self.examples = examples
        self.factors = factors
        by_token: dict[str, list[int]] = {}
        for ei, (_, toks) in enumerate(examples):
            for tok in toks:
                by_token.setdefault(tok, []).append(ei)
        self.by_token = by_token
        known = set(df)
        for weights in vocab:
            known |= set(weights)
        self.known = frozenset(known)
        self.example_weight = [sum(self.weight(t) for t in toks) for _, toks in examples]
        # Only words long enough to misspell are corrected, and only towards such words.
        self.correctable = sorted(t for t in known if len(t) >= 4 and t.isalpha())
        self.example_strings = [" ".join(sorted(toks)) for _, toks in examples]
        self.phrase_topics = [ti for ti, _ in phrases]
        self.phrase_strings = [p for _, p in phrases]

    def by_phrase(self, text: str) -> Scored | None:
        """For questions made only of function words ("à plus", "que peux-tu faire ?"):
        a near copy of a whole example phrasing, or nothing."""
        found = process.extractOne(
            normalize(text), self.phrase_strings, scorer=fuzz.ratio, processor=None,
            score_cutoff=80.0,
        )
        if found is None:
            return None
        score = float(found[1]) / 100.0
        return Scored(self.topics[self.phrase_topics[found[2]]], score, score, score, True)

    def weight(self, tok: str) -> float:
        if tok in self.light:
            return LIGHT_WEIGHT
        if tok in self.weak and tok in self.known:
            return min(WEAK_WEIGHT, self.idf.get(tok, WEAK_WEIGHT))
        if tok in self.idf:
            return self.idf[tok]
        if tok in self.known:
            return 1.0
        if tok.isdigit():
            return NUMBER_WEIGHT
        return COMMON_WEIGHT if tok in self.common else self.unknown_weight

    def correct(self, tok: str) -> str:
        """A word the index does not know -> the closest known word, if close enough."""
        if tok in self.known or len(tok) < 4 or not tok.isalpha():
            return tok
        # Stems of one word that the light stemmer cut differently ("gratu" / "gratuit").
        if len(tok) >= 5:
            longer = [k for k in self.correctable if k.startswith(tok)]
            shorter = [k for k in self.correctable if len(k) >= 5 and tok.startswith(k)]
            if shorter:
                return max(shorter, key=len)
            if longer:
                return min(longer, key=len)
        if len(tok) < 6:  # a short word is too easily "corrected" into another word
            return tok
        cutoff = 80.0 if len(tok) >= 8 else 85.0
        best = process.extractOne(
            tok, self.correctable, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff
        )
        return str(best[0]) if best is not None else tok

    def decisive(self, toks: Sequence[str]) -> bool:
        """Whether the question has a word that can decide a topic (not a question word)."""
        return any(t not in self.light and t not in self.weak for t in toks)

    def query_tokens(self, text: str) -> list[str]:
        toks = [self.correct(t) for t in self.analyzer.tokens(text)]
        content = [t for t in toks if t not in self.analyzer.fillers]
        if any(t not in self.light for t in content):
            toks = content
        return list(dict.fromkeys(toks))

    def wording(self, text: str) -> dict[int, float]:
        """Per topic, how close the whole question (function words included) is to one of
        its phrasings: a small tie-breaker between topics that share the same content words
        ("quels sont les CCP du titre" vs "j'ai tous les CCP, et le titre ?")."""
        found = process.extract(
            normalize(text), self.phrase_strings, scorer=fuzz.token_sort_ratio,
            processor=None, limit=None, score_cutoff=40.0,
        )
        best: dict[int, float] = {}
        for _, score, pi in found:
            ti = self.phrase_topics[pi]
            best[ti] = max(best.get(ti, 0.0), float(score) / 100.0)
        return best

    def rank(self, toks: Sequence[str], text: str = "") -> list[Scored]:
        """Topics by score, best first (only topics that share at least one token)."""
        if not toks:
            return []
        wording = self.wording(text) if text else {}
        weights = {t: self.weight(t) for t in toks}
        total = sum(weights.values())
        closeness: dict[int, float] = {}
        for tok in toks:
            for ei in self.by_token.get(tok, ()):
                ti, ex = self.examples[ei]
                if ei in closeness:
                    continue
                common = sum(w for t, w in weights.items() if t in ex)
                union = total + self.example_weight[ei] - common
                score = common / union if union else 0.0
                closeness[ei] = score * self.factors[ei]
        best_close: dict[int, float] = {}
        for ei, score in closeness.items():
            ti = self.examples[ei][0]
            best_close[ti] = max(best_close.get(ti, 0.0), score)
        near = process.extractOne(
            " ".join(sorted(toks)),
            self.example_strings,
            scorer=fuzz.token_sort_ratio,
            processor=None,
            score_cutoff=88.0,
        )
        if near is not None:
            ti = self.examples[near[2]][0]
            score = float(near[1]) / 100.0 * self.factors[near[2]]
            best_close[ti] = max(best_close.get(ti, 0.0), score)
        ranked: list[Scored] = []
        for ti in {*best_close, *self._covering(toks)}:
            vocab = self.vocab[ti]
            cov = sum(w * vocab.get(t, 0.0) for t, w in weights.items()) / total
            close = best_close.get(ti, 0.0)
            strong = any(
                vocab.get(t, 0.0) >= 1.0 and t not in self.light and t not in self.weak
                for t in toks
            )
            score = 0.45 * cov + 0.45 * close + WORDING * wording.get(ti, 0.0)
            ranked.append(Scored(self.topics[ti], score, cov, close, strong))
        if any(s.strong and s.topic.kind != "smalltalk" for s in ranked):
            ranked = [
                Scored(s.topic, s.score * SMALLTALK_FACTOR, s.coverage, s.closeness, s.strong)
                if s.topic.kind == "smalltalk" else s
                for s in ranked
            ]
        ranked.sort(key=lambda s: (-s.score, s.topic.id))
        return ranked

    def _covering(self, toks: Sequence[str]) -> set[int]:
        return {ti for ti, vocab in enumerate(self.vocab) if any(t in vocab for t in toks)}

    def unknown_share(self, toks: Sequence[str]) -> float:
        """Share of the question's weight made of words the référentiel never uses."""
        if not toks:
            return 0.0
        weights = [self.weight(t) for t in toks]
        unknown = sum(w for t, w in zip(toks, weights, strict=True) if t not in self.known)
        return unknown / sum(weights)
