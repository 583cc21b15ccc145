"""Question -> ranked topics: the index is built once, a question costs about a millisecond.

Why not one fuzzy ratio over example questions: short questions ("vae ?") tie everywhere and
out-of-scope questions that share a word or two ("combien coûte un iPhone ?") score high. So a
question is reduced to canonical tokens (`analyzer.py`) and every topic is scored by:
- coverage: how much of the question's weight (rare words weigh more) the topic's vocabulary
  explains. Words nobody in the référentiel uses weigh the most, so a question that is mostly
  about something else cannot reach a confident score;
- closeness: the best weighted overlap with one of the topic's example phrasings or keywords,
  which favours the most specific topic ("vae" alone -> `vae`, not `vae_experience`);
- wording: a small tie-breaker, the whole question (function words included) against the
  topic's phrasings;
- rapidfuzz (explicit scorer, processor and cutoff everywhere) mends stems the stemmer cut
  differently or misspelled, scores the wording, and matches questions made only of
  function words ("à plus") against whole phrasings. Words are mended before that in
  `analyzer.py` (one typo away from a known word, never a real word into another).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from knowledge.analyzer import Analyzer
from knowledge.idioms import SMALLTALK
from knowledge.lexicon import COMMON, LEMMAS, LIGHT, OTHER_DIPLOMAS, WEAK, stem
from knowledge.model import Titre, Topic

LIGHT_WEIGHT = 0.25  # question words ("comment", "quand")
WEAK_WEIGHT = 0.6  # everyday words that cannot decide alone ("temps", "date")
COMMON_WEIGHT = 1.2  # an ordinary word the index does not know
NUMBER_WEIGHT = 0.3
ANSWER_FACTOR = 0.5  # a word only found in a topic's answer text explains half as much
BORROWED = 0.85  # closeness to a competence listed under a CCP topic, not one of its phrasings
WORDING = 0.1  # share of the score given to the whole-sentence likeness
SMALLTALK_FACTOR = 0.6  # small talk gives way when the question also names a real subject
_DOING = frozenset({"fait", "fais", "font", "faire"})
WORDING_TOPICS = 6  # the wording tie-breaker is computed for this many leading topics
ANCHOR_WEIGHT = 0.5  # the titre's own names: every question is about the titre
NAMED_BONUS = 0.08  # the question holds every word of the topic's id
KNOWN_COMMON_WEIGHT = 1.0  # an everyday word some topic happens to use ("sert", "reconnu")


@dataclass(frozen=True, slots=True)
class Scored:
    topic: Topic
    score: float  # 0..1
    coverage: float
    closeness: float
    strong: bool  # a word that is neither a question word nor an everyday word links them


class Index:
    """Everything the matcher needs, computed once from the titre."""

    def __init__(self, titre: Titre, analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        self.topics = titre.topics
        self.light = frozenset(stem(w) for w in LIGHT)
        self.weak = frozenset(stem(w) for w in WEAK)
        self.common = frozenset(stem(LEMMAS.get(w, w)) for w in COMMON)
        self.other_diplomas = frozenset(stem(w) for w in OTHER_DIPLOMAS)
        self.examples: list[tuple[int, frozenset[str]]] = []
        self.factors: list[float] = []
        self.phrases: list[list[str]] = []  # normalised phrasings, per topic
        self.vocab: list[dict[str, float]] = []
        for ti, topic in enumerate(titre.topics):
            self._add_topic(ti, topic, titre)
        n = len(titre.topics)
        df: dict[str, int] = {}
        for weights in self.vocab:
            for tok, factor in weights.items():
                if factor >= 1.0:
                    df[tok] = df.get(tok, 0) + 1
        self.idf = {tok: math.log((n + 1) / (count + 0.5)) for tok, count in df.items()}
        self.unknown_weight = math.log((n + 1) / 0.5)
        self.known = frozenset(t for weights in self.vocab for t in weights)
        # Words some topic's phrasings use (not only its answer text).
        self.phrased = frozenset(t for weights in self.vocab for t, f in weights.items() if f >= 1)
        # Question words and ordinary words no topic uses: they tell nothing of a subject.
        self.everyday = self.light | (self.common - self.known)
        # Words naming the titre itself say the question is in the domain, not which topic;
        # the words a topic is named by say which topic, even everyday ones ("niveau").
        names = (titre.identity.short_name, "titre", "titre professionnel")
        self.anchors = frozenset(t for n in names for t in analyzer.analyze(n).tokens)
        self.named_by = [
            frozenset(analyzer.analyze(topic.id.replace("_", " ")).tokens) for topic in titre.topics
        ]
        self.defining = frozenset(t for named in self.named_by for t in named) - self.anchors

        self.by_token: dict[str, list[int]] = {}
        for ei, (_, toks) in enumerate(self.examples):
            for tok in toks:
                self.by_token.setdefault(tok, []).append(ei)
        self.example_weight = [sum(self.weight(t) for t in toks) for _, toks in self.examples]
        self.all_phrases = [(ti, p) for ti, ps in enumerate(self.phrases) for p in ps]
        self.phrase_strings = [p for _, p in self.all_phrases]
        self.position = {t.id: ti for ti, t in enumerate(titre.topics)}
        # Misspelling correction works on words long enough to misspell.
        self.correctable = sorted(t for t in self.known if len(t) >= 5 and t.isalpha())
        self.prefixes: dict[str, str] = {}
        for tok in sorted(self.correctable, key=len):
            for end in range(5, len(tok)):
                self.prefixes.setdefault(tok[:end], tok)

    def _add_topic(self, ti: int, topic: Topic, titre: Titre) -> None:
        phrasings = [*topic.questions, *topic.keywords, topic.title.fr]
        if topic.kind == "smalltalk":
            phrasings += list(SMALLTALK.get(topic.id, ()))
        if topic.title.en:
            phrasings.append(topic.title.en)
        borrowed: list[str] = []
        ccp = titre.ccp(topic.ccps[0]) if len(topic.ccps) == 1 else None
        if ccp is not None:
            phrasings += [ccp.title.fr, *ccp.keywords]
            for comp in ccp.competences:
                borrowed += [comp.text.fr, *comp.keywords]
        strong: set[str] = set()
        normalized: list[str] = []
        for phrasing, factor in [(p, 1.0) for p in phrasings] + [(p, BORROWED) for p in borrowed]:
            analysis = self.analyzer.analyze(phrasing)
            normalized.append(analysis.normalized)
            self.analyzer.learn(analysis.normalized.split())
            if analysis.tokens:
                self.examples.append((ti, frozenset(analysis.tokens)))
                self.factors.append(factor)
                strong.update(analysis.tokens)
        weights: dict[str, float] = {}
        for text in (topic.answer.fr, topic.answer.en or ""):
            analysis = self.analyzer.analyze(text)
            self.analyzer.learn(analysis.normalized.split())
            weights.update({t: ANSWER_FACTOR for t in analysis.tokens})
        weights.update({t: 1.0 for t in strong})
        self.vocab.append(weights)
        self.phrases.append(normalized)

    # --- reading a question -----------------------------------------------------------------
    def weight(self, tok: str) -> float:
        """How much a question word counts: rare words of the index most, then words nobody
        in the référentiel uses (another subject), ordinary words and question words least."""
        if tok in self.light:
            return LIGHT_WEIGHT
        if tok in self.anchors:
            return min(ANCHOR_WEIGHT, self.idf.get(tok, ANCHOR_WEIGHT))
        if tok in self.common and tok in self.known and tok not in self.defining:
            return min(KNOWN_COMMON_WEIGHT, self.idf.get(tok, KNOWN_COMMON_WEIGHT))
        if tok.isdigit():  # "3 ccp", "5 ans": a number helps a word, never decides
            return min(1.0, self.idf.get(tok, NUMBER_WEIGHT))
        if tok in self.weak and tok in self.known:
            return min(WEAK_WEIGHT, self.idf.get(tok, WEAK_WEIGHT))
        if tok in self.idf:
            return self.idf[tok]
        if tok in self.known:
            return 1.0
        if tok.isdigit():
            return NUMBER_WEIGHT
        return COMMON_WEIGHT if tok in self.common else self.unknown_weight

    def correct(self, tok: str, real: AbstractSet[str] = frozenset()) -> str:
        """A word the index does not know -> the closest known word, if close enough. A real
        word ("configurer") is only joined to a stem of the same word, never made another."""
        if tok in self.known or len(tok) < 5 or not tok.isalpha() or tok in self.other_diplomas:
            return tok
        # Stems of one word that the light stemmer cut differently ("gratu" / "gratuit").
        for end in range(len(tok) - 1, 4, -1):
            if tok[:end] in self.known:
                return tok[:end]
        if tok in real:  # a real word is never completed into another ("profess-eur")
            return tok
        if tok in self.prefixes:
            return self.prefixes[tok]
        if len(tok) < 6:  # a short word is too easily made another word
            return tok
        cutoff = 80.0 if len(tok) >= 8 else 85.0
        best = process.extractOne(
            tok, self.correctable, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff
        )
        return str(best[0]) if best is not None else tok

    def refine(
        self,
        tokens: Sequence[str],
        partial: AbstractSet[str] = frozenset(),
        real: AbstractSet[str] = frozenset(),
    ) -> list[str]:
        """Question tokens: misspellings corrected, politeness dropped unless it is all. The
        words inside a synonym phrase ("bloc" of "bloc de compétences") are dropped: the
        phrase's canonical token already carries them, and counting them again would weigh
        the phrase twice."""
        toks = [self.correct(t, real) for t in tokens if t not in partial]
        fillers = [t for t in toks if t in self.analyzer.fillers]
        content = [t for t in toks if t not in self.analyzer.fillers]
        # "merci c'est clair": politeness plus ordinary words is still politeness.
        if fillers and all(
            t in self.light or (t not in self.known and t in self.common) for t in content
        ):
            return list(dict.fromkeys(fillers))
        if any(t not in self.light for t in content):
            toks = content
        return list(dict.fromkeys(toks))

    def foreign(self, toks: Sequence[str], scored: Scored) -> bool:
        """The question names another diploma, and this topic does not talk about it or
        leaves the rest of the question unexplained ("le jury du bac")."""
        others = [t for t in toks if t in self.other_diplomas]
        if not others:
            return False
        vocab = self.vocab[self.position[scored.topic.id]]
        return any(vocab.get(t, 0.0) < 1.0 for t in others) or scored.coverage < 0.85

    def speaks_of_others(self, toks: Sequence[str], scored: Scored) -> bool:
        """Every other diploma or body the question names is a word of this topic."""
        vocab = self.vocab[self.position[scored.topic.id]]
        return all(vocab.get(t, 0.0) >= 1.0 for t in toks if t in self.other_diplomas)

    def decisive(self, toks: Sequence[str]) -> bool:
        """Whether the question has a word that can decide a topic (not a question word)."""
        content = [t for t in toks if t not in self.light]
        return any(
            t not in self.weak and (not t.isdigit() or len(content) > 1) for t in content
        )

    def only_names(self, toks: Sequence[str]) -> bool:
        """The question names the titre and asks nothing else of it ("le TSGRI c'est quoi ?",
        "présentez-moi le titre professionnel de technicien supérieur…")."""
        if any(t in _DOING for t in toks):  # "what does a TSGRI do?" asks for the job
            return False
        content = [t for t in toks if t not in self.light]
        return any(t in self.anchors for t in content) and all(
            t in self.anchors or (t in self.common and t not in self.phrased) for t in content
        )

    def unknown_share(self, toks: Sequence[str]) -> float:
        """Share of the question's weight made of words the référentiel never uses."""
        if not toks:
            return 0.0
        weights = [self.weight(t) for t in toks]
        unknown = sum(w for t, w in zip(toks, weights, strict=True) if t not in self.known)
        return unknown / sum(weights)

    # --- scoring ----------------------------------------------------------------------------
    def rank(self, toks: Sequence[str], normalized: str = "") -> list[Scored]:
        """Topics by score, best first (only topics that share at least one token)."""
        if not toks:
            return []
        weights = {t: self.weight(t) for t in toks}
        total = sum(weights.values())
        common: dict[int, float] = {}
        for tok, w in weights.items():
            for ei in self.by_token.get(tok, ()):
                common[ei] = common.get(ei, 0.0) + w
        best_close: dict[int, float] = {}
        for ei, shared in common.items():
            union = total + self.example_weight[ei] - shared
            score = shared / union * self.factors[ei] if union else 0.0
            ti = self.examples[ei][0]
            if score > best_close.get(ti, 0.0):
                best_close[ti] = score
        ranked = [self._score(ti, toks, weights, total, best_close.get(ti, 0.0))
                  for ti, vocab in enumerate(self.vocab) if any(t in vocab for t in toks)]
        ranked.sort(key=lambda s: -s.score)
        if normalized:
            ranked = self._with_wording(ranked, normalized)
        if any(s.strong and s.topic.kind != "smalltalk" for s in ranked):
            ranked = [
                Scored(s.topic, s.score * SMALLTALK_FACTOR, s.coverage, s.closeness, s.strong)
                if s.topic.kind == "smalltalk" else s
                for s in ranked
            ]
        ranked.sort(key=lambda s: (-s.score, s.topic.id))
        return ranked

    def _score(
        self, ti: int, toks: Sequence[str], weights: dict[str, float], total: float, close: float
    ) -> Scored:
        vocab = self.vocab[ti]
        cov = sum(w * vocab.get(t, 0.0) for t, w in weights.items()) / total
        # A number decides only with other words ("5 ans" yes, "2021" alone no).
        content = [t for t in toks if t not in self.light]
        strong = any(
            vocab.get(t, 0.0) >= 1.0
            and t not in self.weak
            and (not t.isdigit() or len(content) > 1)
            for t in content
        )
        # A question that says every word a topic is named by ("VAE experience") leans to it.
        named = self.named_by[ti]
        bonus = NAMED_BONUS if named and named <= weights.keys() else 0.0
        return Scored(self.topics[ti], 0.45 * cov + 0.45 * close + bonus, cov, close, strong)

    def _with_wording(self, ranked: list[Scored], normalized: str) -> list[Scored]:
        """Add the whole-sentence likeness to the leading topics (the others cannot catch
        up with a 0.1 share)."""
        out = []
        for i, s in enumerate(ranked):
            bonus = 0.0
            if i < WORDING_TOPICS:
                ti = self.position[s.topic.id]
                found = process.extractOne(
                    normalized, self.phrases[ti], scorer=fuzz.token_sort_ratio,
                    processor=None, score_cutoff=40.0,
                )
                bonus = WORDING * found[1] / 100.0 if found is not None else 0.0
            out.append(Scored(s.topic, s.score + bonus, s.coverage, s.closeness, s.strong))
        return out

    def by_phrase(self, normalized: str) -> Scored | None:
        """For questions made only of function words ("à plus", "que peux-tu faire ?"):
        a near copy of a whole example phrasing, or nothing."""
        found = process.extractOne(
            normalized, self.phrase_strings, scorer=fuzz.ratio, processor=None, score_cutoff=80.0
        )
        if found is None:
            return None
        score = float(found[1]) / 100.0
        return Scored(self.topics[self.all_phrases[found[2]][0]], score, score, score, True)
