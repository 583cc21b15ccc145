"""How a question is read before and around the ranking: what it names besides the titre
(another titre, another trade), what it really asks (everything the titre is, all the CCPs
held, which is best) and when a silent topic only seems to fit. Split from `engine.py`,
which decides; this module only reads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from types import MappingProxyType

from knowledge.analyzer import Analyzer
from knowledge.lexicon import COMMON
from knowledge.matching import Index, Scored
from knowledge.model import Titre

SILENT_COVERAGE = 0.75  # share of a question a silent topic must explain without the titre
HOW_TO_COVERAGE = 0.9  # ... when it asks how to do something
PARENT_GAP = 0.08  # an overview this close ahead of a topic it leads to may give way

_HOW_TO = frozenset({"comm", "how"})
LISTING = frozenset(
    {"quels", "quelles", "quel", "quelle", "what", "which", "liste", "list", "quoi"}
)
_HOLDING = frozenset({"obtenir", "valid", "capitalis", "reussi", "got"})
_HOLDING_WORDS = frozenset({"ai", "have", "eu", "avoir"})
_HOLDING_DETERMINERS = frozenset({"les", "mes", "my", "the", "all"})
# A count written in words ("les trois CCP") is the same count.
CARDINALS = MappingProxyType({
    "deux": "2", "trois": "3", "quatre": "4", "cinq": "5", "six": "6", "sept": "7",
    "two": "2", "three": "3", "four": "4", "five": "5",
})
# The question word of a definition request ("c'est quoi X ?").
_DEFINING = frozenset({"quoi"})
_DEFINING_ANY = frozenset({"quoi", "what"})
# "le titre (professionnel) de <métier>": the words after it name a titre.
_TITRE_OF = re.compile(r"\btitre(?: professionnel| pro)? de (?:la |le |les )?(.*)")
# "le métier de boulanger": a trade named by a word the référentiel never uses is another one.
_TRADE_OF = re.compile(r"\b(?:metier|profession) de (?:la |le |les )?(\w+)")
_BECOMING = re.compile(r"\b(?:devenir|become|becoming) (?:un |une |a |an )?(\w+)")
# Words for a kind of thing: "c'est quoi comme formation" asks what the thing is.
_KIND_WORDS = (
    "formation diplome certification sert servir degree diploma course type genre sorte kind"
)
# Words that ask which is best: the référentiel states facts, it never ranks things.
_RANKING_WORDS = "meilleur meilleure meilleurs meilleures best worst pire pires"
_JOINING = frozenset({"de", "en", "des", "du", "et"})


class Reading:
    """The titre's words and names, gathered once; each method reads one question."""

    def __init__(self, titre: Titre, analyzer: Analyzer, index: Index) -> None:
        self.titre = titre
        self.analyzer = analyzer
        self.index = index
        ident = titre.identity
        self._name_tokens = frozenset(
            t for n in (ident.name, ident.short_name, ident.id) for t in analyzer.tokens(n)
        )
        self._ranking = frozenset(analyzer.tokens(_RANKING_WORDS))
        self._kind_words = frozenset(analyzer.tokens(_KIND_WORDS))
        # Words that name a fact and that no silent topic uses ("entretien", "jury", not
        # "formation"): a question naming one is about that fact.
        spoken_of = {
            t
            for topic, vocab in zip(titre.topics, index.vocab, strict=True)
            if topic.kind == "silent"
            for t, factor in vocab.items()
            if factor >= 1.0
        }
        self._fact_names = frozenset(
            t
            for topic, named in zip(titre.topics, index.named_by, strict=True)
            if topic.kind == "fact"
            for t in named
        ) - index.anchors - spoken_of
        # Each topic's title, in both languages, as telling words (not names nor everyday
        # words): what a topic is *called* breaks a tie between two equally close topics.
        plain = (
            index.light | index.weak | (index.common - index.known) | index.anchors
            | self._name_tokens
        )
        # "CCP 3 : ..." names a CCP as much as "tous les CCP" does.
        unit = analyzer.unit
        self._title_words = MappingProxyType({
            topic.id: frozenset(
                unit if t.startswith(unit) and t[len(unit):].isdigit() else t
                for text in (topic.title.fr, topic.title.en or "")
                for t in analyzer.tokens(text)
                if t not in plain
            )
            for topic in titre.topics
        })

    def holds_all(self, words: tuple[str, ...], toks: list[str]) -> bool:
        """"J'ai validé mes 3 CCP": holding as many CCPs as the titre has is holding all of
        them (the analyzer folds "tous les CCP" alone; it does not know how many there are)."""
        unit = self.analyzer.unit
        count = len(self.titre.ccps)
        held = any(t in _HOLDING for t in toks) or any(w in _HOLDING_WORDS for w in words)
        if not held or f"all_{unit}" in toks:
            return False
        return any(
            words[i] in _HOLDING_DETERMINERS
            and CARDINALS.get(words[i + 1], words[i + 1]) == str(count)
            and words[i + 2] == unit
            for i in range(len(words) - 2)
        )

    def other_titre(self, normalized: str) -> bool:
        """The question names another titre ("le titre de technicien d'assistance
        informatique", "le titre pro de secrétaire comptable"): its facts are not these."""
        trade = _TRADE_OF.search(normalized) or _BECOMING.search(normalized)
        if trade is not None:
            named_toks = self.analyzer.tokens(trade.group(1))
            if named_toks and (
                named_toks[0] not in self.index.known
                or (trade.re is _BECOMING and named_toks[0] not in self._name_tokens)
            ):
                return True
        found = _TITRE_OF.search(normalized)
        if found is None:
            return False
        named: list[str] = []
        first_word = ""
        for word in found.group(1).split():
            if word in _JOINING:
                continue
            toks = self.analyzer.tokens(word)
            if not toks:
                break
            first_word = first_word or word
            named.append(toks[0])
        if not named:
            return False
        first, rest = named[0], named[1:3]
        if first in self._name_tokens:
            return any(t not in self._name_tokens and t not in self.index.light for t in rest)
        # "titre de niveau III" qualifies this titre; "titre de serveur" names another one.
        return first not in self.index.defining and first_word not in COMMON

    def elsewhere(self, toks: list[str], best: Scored) -> bool:
        """A topic the référentiel is silent on, asked with other words it does not explain
        and without naming the titre: likely the same question about something else
        ("salaire moyen d'un comptable")."""
        if best.topic.kind != "silent" or any(t in self.index.anchors for t in toks):
            return False
        # "technicien sup gestionnaire ressources" names the titre by its words.
        if sum(1 for t in set(toks) if t in self._name_tokens) >= 3:
            return False
        # "c'est quoi le CPF ?" asks what a thing is: a silent topic does not define it.
        content = [t for t in toks if t not in self.index.light]
        defines = len(content) == 1 and any(t in _DEFINING for t in toks)
        # "comment calculer mon salaire net ?" asks how to do something: a silent topic
        # only says what the référentiel does not say, so the question must be all its own.
        how_to = any(t in _HOW_TO for t in toks) and best.coverage < HOW_TO_COVERAGE
        return best.coverage < SILENT_COVERAGE or defines or how_to

    def what_titre_is(self, toks: list[str], words: Sequence[str]) -> bool:
        """"TSGRI, ça correspond à quoi comme formation ?", "le TSGRI, c'est quel genre de
        diplôme ?": what the titre is, asked with words for a kind of thing."""
        asks = any(t in _DEFINING_ANY for t in toks) or any(w in LISTING for w in words)
        if not asks or not any(t in self.index.anchors for t in toks):
            return False
        index = self.index
        content = {
            t
            for t in toks
            if t not in index.light
            and t not in index.anchors
            and not (t in index.common and t not in index.phrased)  # "quel type de"
        }
        return bool(content) and content <= self._kind_words

    def silent_aside(self, toks: list[str], ranked: list[Scored]) -> list[Scored]:
        """"L'entretien dure combien de temps ?": a silent topic (the training's length)
        that leads only by the question's everyday words, while the question names a fact
        it does not speak of, gives way to the facts (the référentiel's entretien), whether
        it leads or only comes close behind them."""
        names = any(t in self._fact_names for t in toks)

        def aside(s: Scored) -> bool:
            return s.topic.kind == "silent" and names and self.elsewhere(toks, s)

        if not any(aside(s) for s in ranked[:2]):
            return ranked
        return [s for s in ranked if not aside(s)]

    def titled(self, toks: Sequence[str], ranked: list[Scored], margin: float) -> Scored | None:
        """Two topics tied ahead of the rest ("le parchemin est délivré par qui": the
        parchemin and the DDTEFP): the one whose title the question names more is meant.
        An overview close ahead of a topic it leads to ("quels CCP composent le titre": the
        titre, then its activities) gives way the same way. Three close topics, titles
        named alike or a one-word question stay as they are."""
        if len(ranked) < 2:
            return None
        lead, runner = ranked[0], ranked[1]
        gap = lead.score - runner.score
        overview = runner.topic.id in lead.topic.related and gap < PARENT_GAP
        if gap >= margin and not overview:
            return None
        third = ranked[2].score if len(ranked) > 2 else 0.0
        if runner.score - third < margin:
            return None
        said = {t for t in toks if t not in self.index.light}
        if len(said) < 2:
            return None  # "évaluation" alone names no more than a tie
        first, second = (len(self._title_words[s.topic.id] & said) for s in (lead, runner))
        if first == second or (gap >= margin and second < first):
            return None
        return lead if first > second else runner

    def beyond_facts(self, toks: list[str], best: Scored) -> bool:
        """A question the facts cannot settle although its words are the référentiel's:
        which is best ("meilleur système d'exploitation") or what a thing named in one
        competence is ("c'est quoi active directory": the CCP lists it, never defines it)."""
        if best.topic.kind == "fact" and any(t in self._ranking for t in toks):
            return True
        if len(best.topic.ccps) != 1 or not any(t in _DEFINING_ANY for t in toks):
            return False
        unit = self.analyzer.unit
        return not any(t.startswith(unit) or t.isdigit() or t in self.index.anchors for t in toks)
