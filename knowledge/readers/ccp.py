"""The CCP structure: numbers named, a CCP that does not exist, counts, which CCP holds a task.

Answers built from `Titre.ccps`, so they stay true when the YAML changes and work for any titre.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.model import Ccp, Competence, Lang, Titre
from knowledge.phrases import PhraseKey, Phrases
from knowledge.readers import NAMED_BY
from knowledge.text import Normalizer, Prepared

COMPETENCE_AT = 0.55  # share of a question's specific words a competence must hold


@dataclass(frozen=True, slots=True)
class CompetenceHit:
    ccp: Ccp
    competence: Competence
    score: float  # share of the question's specific weight found in the competence


class CcpReader:
    def __init__(self, titre: Titre, normalizer: Normalizer, phrases: Phrases) -> None:
        self.titre = titre
        self.normalizer = normalizer
        self.phrases = phrases
        self._comp: list[tuple[Ccp, Competence, frozenset[str]]] = []
        for ccp in titre.ccps:
            for comp in ccp.competences:
                # French words only: English questions reach them through the glossary
                texts = [comp.text.fr, *comp.keywords]
                stems = frozenset(s for t in texts for s in normalizer.prepare(t).stems)
                self._comp.append((ccp, comp, stems))
        df: dict[str, int] = {}
        for stems in {s for _, _, s in self._comp}:
            for s in stems:
                df[s] = df.get(s, 0) + 1
        n = len({s for _, _, s in self._comp}) or 1
        self._idf = {s: math.log((n + 1) / c) for s, c in df.items()}
        self._unknown = math.log(n + 1)  # a word no competence uses weighs as the rarest one
        asking = normalizer.vocabulary.question_words
        self._asking = frozenset(normalizer.stem(w) for w in asking) | normalizer.vocabulary.units
        # which topics' phrasings name a CCP that does not exist, read when first needed
        self._phrasings = {topic.id: topic.questions for topic in titre.topics}
        self._names_missing: dict[str, bool] = {}

    # --- reading ----------------------------------------------------------------------------
    def numbers(self, text: Prepared) -> list[int]:
        """CCP numbers named: "ccp 2", "ccp2", "le deuxième CCP", "CCP n°3"; "trois CCP" counts."""
        words = text.words
        v = self.normalizer.vocabulary
        found: list[int] = []

        def number(word: str) -> int | None:
            if word.isdigit() and len(word) <= 2:
                return int(word)
            return v.numbers.get(word)

        for i, w in enumerate(words):
            if w not in v.units:
                continue
            after = [x for x in words[i + 1 : i + 3] if x not in v.numbering][:1]
            before = words[i - 1 : i] if i else ()
            for candidate in (*after, *before):
                n = number(candidate)
                # "2 ccp" and "trois ccp" count CCPs; "deuxième ccp" and "ccp trois" name one
                named = candidate in after or candidate in v.ordinals
                if n is not None and n not in found and named:
                    found.append(n)
                    break
        return found

    def counts_units(self, text: Prepared) -> bool:
        """"combien de CCP", "how many CCPs": a counting word just before the unit."""
        counting, units = self.normalizer.vocabulary.counting, self.normalizer.vocabulary.units
        words = text.words
        return any(
            w in counting and not units.isdisjoint(words[i + 1 : i + 4])
            for i, w in enumerate(words)
        )

    def missing(self, text: Prepared) -> list[int]:
        """Numbers named that the titre has no CCP for ("le CCP 4")."""
        return [n for n in self.numbers(text) if self.titre.ccp(n) is None and 0 < n < 20]

    def names_missing(self, topic_id: str) -> bool:
        """Whether the topic's own phrasings name a CCP the titre does not have: the question
        is that topic's, not "there is no CCP 4" (`NAMED_BY` of them at least)."""
        if topic_id not in self._names_missing:
            prepare = self.normalizer.prepare
            seen = sum(1 for q in self._phrasings.get(topic_id, ()) if self.missing(prepare(q)))
            self._names_missing[topic_id] = seen >= NAMED_BY
        return self._names_missing[topic_id]

    def competences(self, text: Prepared) -> list[CompetenceHit]:
        """Competences the words describe, best first (a shared competence: all its CCPs)."""
        stems = [s for s in text.stems if s not in self._asking and not s.isdigit()]
        specific = [s for s in stems if self._idf.get(s, 0.0) > 0.2]
        unknown = [s for s in stems if s not in self._idf]
        total = sum(self._idf[s] for s in specific) + self._unknown * len(unknown)
        if not specific or total <= 0:
            return []
        hits = []
        for ccp, comp, held in self._comp:
            got = sum(self._idf[s] for s in specific if s in held)
            if got:
                hits.append(CompetenceHit(ccp, comp, got / total))
        hits.sort(key=lambda h: -h.score)
        if not hits:
            return []
        top = hits[0].competence.text.fr
        return [h for h in hits if h.competence.text.fr == top]

    # --- texts ------------------------------------------------------------------------------
    def contents_text(self, ccp: Ccp, lang: Lang) -> str:
        head = self.phrases.get("ccp.contents", lang, number=ccp.number,
                                title=ccp.title.get(lang), n=len(ccp.competences))  # fmt: skip
        lines = [f"{i}. {c.text.get(lang)}" for i, c in enumerate(ccp.competences, 1)]
        return "\n".join([head, *lines])

    def no_such_text(self, number: int, lang: Lang) -> str:
        short = self.titre.identity.short_name
        head = self.phrases.get("ccp.none", lang, number=number, short=short,
                                n=len(self.titre.ccps))  # fmt: skip
        return "\n".join([head, *self._list(lang)])

    def where_text(self, hits: Sequence[CompetenceHit], lang: Lang) -> str:
        p = self.phrases
        quoted = hits[0].competence.text.get(lang)
        ccps = [h.ccp for h in hits]
        if len(ccps) == 1:
            c = ccps[0]
            return p.get("competence.in_one", lang, competence=quoted, number=c.number,
                         title=c.title.get(lang))  # fmt: skip
        where = p.get("competence.and", lang).join(
            p.get("competence.where_item", lang, number=c.number, title=c.title.get(lang))
            for c in ccps
        )
        return p.get("competence.in_many", lang, competence=quoted, n=len(ccps), ccps=where)

    def count_text(self, lang: Lang) -> str:
        p = self.phrases
        ccps = self.titre.ccps
        total = sum(len(c.competences) for c in ccps)
        distinct = len({comp.text.fr for c in ccps for comp in c.competences})
        counts = ", ".join(
            p.get("count.item", lang, number=c.number, count=len(c.competences)) for c in ccps
        )
        shared = ""
        if distinct < total:
            key: PhraseKey = "count.shared_one" if total - distinct == 1 else "count.shared_many"
            shared = p.get(key, lang, shared=total - distinct, distinct=distinct)
        text = p.get("count.all", lang, short=self.titre.identity.short_name, n=len(ccps),
                     total=total, counts=counts, shared=shared)  # fmt: skip
        return "\n".join([text, *self._list(lang)])

    def _list(self, lang: Lang) -> list[str]:
        p = self.phrases
        return [
            f"{c.number}. {p.get('ccp.name', lang, number=c.number, title=c.title.get(lang))}"
            for c in self.titre.ccps
        ]
