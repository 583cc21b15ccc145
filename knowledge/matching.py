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

from knowledge.lexicon import ENGLISH, FILLERS, LIGHT, STOPWORDS, stem
from knowledge.model import Titre, Topic
from knowledge.normalize import normalize

LIGHT_WEIGHT = 0.25
ANSWER_FACTOR = 0.5  # a word only found in a topic's answer text explains half as much
_ORDINALS = {
    "premier": 1, "premiere": 1, "un": 1, "une": 1, "1": 1, "deuxieme": 2, "second": 2,
    "seconde": 2, "deux": 2, "2": 2, "troisieme": 3, "trois": 3, "3": 3, "quatrieme": 4,
    "quatre": 4, "4": 4, "cinquieme": 5, "cinq": 5, "5": 5,
}
_BEFORE_ONLY = frozenset({"premier", "premiere", "deuxieme", "second", "seconde", "troisieme",
                          "quatrieme", "cinquieme"})
_NUMBER_MARK = frozenset({"n", "no", "num", "numero", "number"})


@dataclass(frozen=True, slots=True)
class Scored:
    topic: Topic
    score: float  # 0..1
    coverage: float
    closeness: float


class Analyzer:
    """Text -> canonical tokens, with the titre's synonyms and the CCP code word."""

    def __init__(self, synonyms: Iterable[Sequence[str]], unit_word: str = "ccp") -> None:
        self.unit = unit_word
        phrases: list[tuple[tuple[str, ...], str]] = []
        for group in synonyms:
            if not group:
                continue
            canonical = "_".join(normalize(group[0]).split())
            for variant in group:
                words = tuple(normalize(variant).split())
                if words and words != (canonical,):
                    phrases.append((words, canonical))
        phrases.sort(key=lambda p: -len(p[0]))
        self._phrases = phrases
        self._first_words = {p[0][0] for p in phrases}
        self.fillers = frozenset(stem(ENGLISH.get(w, w)) for w in FILLERS)

    def words(self, text: str) -> list[str]:
        """Normalised words with synonym phrases folded to their canonical form."""
        words = normalize(text).split()
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

    def _number_units(self, words: list[str]) -> list[str]:
        """"ccp 2", "ccp n 2", "ccp deux", "deuxieme ccp" -> "ccp2"."""
        out: list[str] = []
        i = 0
        unit = self.unit
        while i < len(words):
            w = words[i]
            if w == unit:
                j = i + 1
                if j < len(words) and words[j] in _NUMBER_MARK:
                    j += 1
                if j < len(words) and words[j] in _ORDINALS and words[j] not in _BEFORE_ONLY:
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
        """Content tokens: English mapped, function words dropped, stemmed, deduplicated."""
        seen: dict[str, None] = {}
        for w in self.words(text):
            w = ENGLISH.get(w, w)
            for part in w.split():
                if part in STOPWORDS and part not in LIGHT:
                    continue
                seen.setdefault(stem(part), None)
        return list(seen)


_UNIT_WITH_NUMBER = re.compile(r"^[a-z]+\d+$")


class Index:
    """Everything the matcher needs, computed once from the titre."""

    def __init__(self, titre: Titre, analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        self.topics = titre.topics
        light = {stem(w) for w in LIGHT}
        self.light = frozenset(light)
        examples: list[tuple[int, frozenset[str]]] = []
        vocab: list[dict[str, float]] = []
        for ti, topic in enumerate(titre.topics):
            strong: set[str] = set()
            phrasings = [*topic.questions, *topic.keywords, topic.title.fr]
            if topic.title.en:
                phrasings.append(topic.title.en)
            ccp = next((c for c in titre.ccps if c.id == topic.id), None)
            if ccp is not None:
                phrasings += [ccp.title.fr, *ccp.keywords]
                phrasings += [c.text.fr for c in ccp.competences]
                for comp in ccp.competences:
                    phrasings += list(comp.keywords)
            for phrasing in phrasings:
                toks = frozenset(analyzer.tokens(phrasing))
                if toks:
                    examples.append((ti, toks))
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

    def weight(self, tok: str) -> float:
        if tok in self.light:
            return LIGHT_WEIGHT
        return self.idf.get(tok, self.unknown_weight if tok not in self.known else 1.0)

    def correct(self, tok: str) -> str:
        """A word the index does not know -> the closest known word, if close enough."""
        if tok in self.known or len(tok) < 4 or not tok.isalpha():
            return tok
        cutoff = 80.0 if len(tok) >= 6 else 85.0
        best = process.extractOne(
            tok, self.correctable, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff
        )
        return str(best[0]) if best is not None else tok

    def query_tokens(self, text: str) -> list[str]:
        toks = [self.correct(t) for t in self.analyzer.tokens(text)]
        content = [t for t in toks if t not in self.analyzer.fillers]
        if any(t not in self.light for t in content):
            toks = content
        return list(dict.fromkeys(toks))

    def rank(self, toks: Sequence[str]) -> list[Scored]:
        """Topics by score, best first (only topics that share at least one token)."""
        if not toks:
            return []
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
                closeness[ei] = score
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
            best_close[ti] = max(best_close.get(ti, 0.0), float(near[1]) / 100.0)
        ranked: list[Scored] = []
        for ti in {*best_close, *self._covering(toks)}:
            vocab = self.vocab[ti]
            cov = sum(w * vocab.get(t, 0.0) for t, w in weights.items()) / total
            close = best_close.get(ti, 0.0)
            ranked.append(Scored(self.topics[ti], 0.5 * cov + 0.5 * close, cov, close))
        ranked.sort(key=lambda s: (-s.score, s.topic.id))
        return ranked

    def _covering(self, toks: Sequence[str]) -> set[int]:
        return {ti for ti, vocab in enumerate(self.vocab) if any(t in vocab for t in toks)}

    def unknown_share(self, toks: Sequence[str]) -> float:
        """Share of the question's weight made of words the référentiel never uses."""
        if not toks:
            return 1.0
        weights = [self.weight(t) for t in toks]
        unknown = sum(w for t, w in zip(toks, weights, strict=True) if t not in self.known)
        return unknown / sum(weights)
