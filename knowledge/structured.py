"""Answers computed from the structured référentiel rather than read from a canned paragraph.

What CCP n contains (numbered, counted), which CCP holds a given competence, how many CCPs
and competences there are. Built from `Titre.ccps`, so they stay true when the YAML changes
and work for any titre.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.analyzer import Analyzer
from knowledge.deadline import format_date
from knowledge.lexicon import ENGLISH, stem
from knowledge.model import Ccp, Competence, Lang, Titre
from knowledge.phrases import PhraseKey, Phrases

# Words that say "which unit is this in?" once the unit word itself is present.
_WHICH = frozenset({"quel", "quelle", "lequel", "laquelle", "which", "ou", "where", "dans", "in"})
_HOW_MANY = frozenset({"combien", "nombre", "many", "number"})


@dataclass(frozen=True, slots=True)
class CompetenceHit:
    ccp: Ccp
    competence: Competence
    score: float  # share of the question's specific words found in the competence


class Structure:
    """Competence index and the texts built from the CCP list."""

    def __init__(self, titre: Titre, analyzer: Analyzer, phrases: Phrases) -> None:
        self.titre = titre
        self.analyzer = analyzer
        self.phrases = phrases
        self._comp: list[tuple[Ccp, Competence, frozenset[str]]] = []
        for ccp in titre.ccps:
            for comp in ccp.competences:
                toks: set[str] = set(analyzer.tokens(comp.text.fr))
                if comp.text.en:
                    toks |= set(analyzer.tokens(comp.text.en))
                for kw in comp.keywords:
                    toks |= set(analyzer.tokens(kw))
                self._comp.append((ccp, comp, frozenset(toks)))
        self._titles = [
            (
                ccp,
                frozenset(analyzer.tokens(ccp.title.fr))
                | frozenset(t for kw in ccp.keywords for t in analyzer.tokens(kw)),
            )
            for ccp in titre.ccps
        ]
        distinct = {text for _, _, text in self._comp}
        n = len(distinct) or 1
        df: dict[str, int] = {}
        for words in distinct:
            for t in words:
                df[t] = df.get(t, 0) + 1
        # Words in (nearly) every competence ("informatique", "ressource") say nothing.
        self._idf = {t: math.log((n + 1) / c) for t, c in df.items()}
        self._max_idf = math.log(n + 1)

    def names_a_ccp(self, tokens: Sequence[str], hit: CompetenceHit) -> bool:
        """The question names a CCP by its title rather than one of its competences."""
        best = max(
            (sum(1 for t in tokens if t in toks) for _, toks in self._titles), default=0
        )
        comp_toks = next(toks for _, c, toks in self._comp if c is hit.competence)
        return best > sum(1 for t in tokens if t in comp_toks)

    # --- reading the question ---------------------------------------------------------------
    def ccp_numbers(self, words: Sequence[str], *, existing: bool = True) -> list[int]:
        """CCP numbers named in the question ("ccp2", "deuxieme ccp" -> [2]): those of the
        titre, or (`existing=False`) those it does not have ("ccp 7")."""
        unit = self.analyzer.unit
        found = []
        for w in words:
            if w.startswith(unit) and w[len(unit) :].isdigit():
                number = int(w[len(unit) :])
                if (self.titre.ccp(number) is not None) == existing and number not in found:
                    found.append(number)
        return found

    def no_such_ccp(self, number: int, lang: Lang) -> str:
        """"There is no CCP 7": said kindly, with the list of the ones there are."""
        short = self.titre.identity.short_name
        head = self.phrases.get("ccp.none", lang, number=number, short=short,
                                n=len(self.titre.ccps))  # fmt: skip
        return "\n".join([head, *self._ccp_list(lang)])

    def _ccp_list(self, lang: Lang) -> list[str]:
        """"1. CCP 1 — title", one line per CCP."""
        p = self.phrases
        return [
            f"{c.number}. {p.get('ccp.name', lang, number=c.number, title=c.title.get(lang))}"
            for c in self.titre.ccps
        ]

    def before_creation(self, written: str, lang: Lang) -> str:
        """A CCP date (as the user wrote it) from before the titre existed."""
        ident = self.titre.identity
        # The arrêté's label is French data; English names its date instead.
        created = ident.created_label if lang == "fr" else format_date(ident.created, lang)
        return self.phrases.get(
            "dated.before_creation", lang, written=written, short=ident.short_name, created=created
        )

    def asks_which_ccp(self, words: Sequence[str]) -> bool:
        return self.analyzer.unit in words and any(w in _WHICH for w in words)

    def counted(self, words: Sequence[str]) -> str | None:
        """What "combien de …" / "how many …" counts: "unit" (CCPs), "competence" or None."""
        for i, w in enumerate(words):
            if w not in _HOW_MANY:
                continue
            for after in words[i + 1 : i + 4]:
                after = stem(ENGLISH.get(after, after))
                if after == self.analyzer.unit:
                    return "unit"
                if after.startswith("competenc"):
                    return "competence"
        return None

    def competences_for(self, tokens: Sequence[str]) -> list[CompetenceHit]:
        """Competences the question is about, best first; ties kept (same text in two CCPs)."""
        specific = [t for t in tokens if self._idf.get(t, 0.0) > 0.2]
        unknown = [t for t in unit_free(tokens) if t not in self._idf and t != self.analyzer.unit]
        total = sum(self._idf[t] for t in specific)
        if total <= 0:
            return []
        # A question word the competences never use (e.g. "linux") lowers the score.
        total += self._max_idf * len(unknown)
        hits = []
        for ccp, comp, toks in self._comp:
            got = sum(self._idf[t] for t in specific if t in toks)
            if got:
                hits.append(CompetenceHit(ccp, comp, got / total))
        hits.sort(key=lambda h: -h.score)
        if not hits:
            return []
        best = hits[0].score
        top_text = hits[0].competence.text.fr
        return [h for h in hits if h.score >= best - 1e-9 or h.competence.text.fr == top_text]

    # --- texts ------------------------------------------------------------------------------
    def ccp_text(self, ccp: Ccp, lang: Lang) -> str:
        """CCP n — title, then its competences numbered."""
        head = self.phrases.get("ccp.contents", lang, number=ccp.number,
                                title=ccp.title.get(lang), n=len(ccp.competences))  # fmt: skip
        lines = [f"{i}. {c.text.get(lang)}" for i, c in enumerate(ccp.competences, 1)]
        return "\n".join([head, *lines])

    def where_text(self, hits: Sequence[CompetenceHit], lang: Lang) -> str:
        """"« competence » : CCP 2 — title." for each CCP that holds it."""
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
        """How many CCPs and competences, from the data."""
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
        return "\n".join([text, *self._ccp_list(lang)])


def unit_free(tokens: Sequence[str]) -> list[str]:
    """Tokens without numbers (a number says nothing about a competence)."""
    return [t for t in tokens if not t.isdigit()]
