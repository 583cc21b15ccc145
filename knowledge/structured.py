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

    def __init__(self, titre: Titre, analyzer: Analyzer) -> None:
        self.titre = titre
        self.analyzer = analyzer
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
        n = len(self.titre.ccps)
        short = self.titre.identity.short_name
        if lang == "en":
            head = f"There is no CCP {number}: the {short} titre has {n} CCPs."
        else:
            head = f"Il n'y a pas de CCP {number} : le titre {short} compte {n} CCP."
        lines = [f"{c.number}. CCP {c.number} — {c.title.get(lang)}" for c in self.titre.ccps]
        return "\n".join([head, *lines])

    def before_creation(self, written: str, lang: Lang) -> str:
        """A CCP date (as the user wrote it) from before the titre existed."""
        ident = self.titre.identity
        if lang == "en":
            return (
                f"\"{written}\" is before the {ident.short_name} titre existed: it was created "
                f"on {format_date(ident.created, lang)}. Please check the date of your first CCP."
            )
        return (
            f"« {written} » est antérieur au titre {ident.short_name}, qui a été créé par "
            f"{ident.created_label}. Vérifiez la date de votre premier CCP."
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
        n = len(ccp.competences)
        if lang == "en":
            head = f"CCP {ccp.number} — {ccp.title.get(lang)}. Its {n} competences:"
        else:
            head = f"CCP {ccp.number} — {ccp.title.get(lang)}. Ses {n} compétences :"
        lines = [f"{i}. {c.text.get(lang)}" for i, c in enumerate(ccp.competences, 1)]
        return "\n".join([head, *lines])

    def where_text(self, hits: Sequence[CompetenceHit], lang: Lang) -> str:
        """"« competence » : CCP 2 — title." for each CCP that holds it."""
        quoted = hits[0].competence.text.get(lang)
        ccps = [h.ccp for h in hits]
        if lang == "en":
            where = " and ".join(f"CCP {c.number} ({c.title.get(lang)})" for c in ccps)
            many = f"appears in {len(ccps)} CCPs: " if len(ccps) > 1 else "is part of "
            return f"The competence \"{quoted}\" {many}{where}."
        where = " et ".join(f"le CCP {c.number} ({c.title.get(lang)})" for c in ccps)
        many = f"figure dans {len(ccps)} CCP : " if len(ccps) > 1 else "fait partie du "
        if len(ccps) == 1:
            where = where.removeprefix("le ")
        return f"La compétence « {quoted} » {many}{where}."

    def count_text(self, lang: Lang) -> str:
        """How many CCPs and competences, from the data."""
        ccps = self.titre.ccps
        short = self.titre.identity.short_name
        total = sum(len(c.competences) for c in ccps)
        distinct = len({comp.text.fr for c in ccps for comp in c.competences})
        counts = [f"CCP {c.number} : {len(c.competences)}" for c in ccps]
        if lang == "en":
            counts = [f"CCP {c.number}: {len(c.competences)}" for c in ccps]
            text = (
                f"The {short} titre has {len(ccps)} CCPs, with {total} competences in all "
                f"({', '.join(counts)})"
            )
            if distinct < total:
                text += f"; {total - distinct} of them appear in two CCPs, so {distinct} differ"
            lines = [f"{c.number}. CCP {c.number} — {c.title.get(lang)}" for c in ccps]
            return "\n".join([text + ".", *lines])
        text = (
            f"Le titre {short} compte {len(ccps)} CCP, soit {total} compétences en tout "
            f"({', '.join(counts)})"
        )
        if distinct < total:
            text += (
                f" ; {total - distinct} figure{'nt' if total - distinct > 1 else ''} dans deux "
                f"CCP, soit {distinct} compétences différentes"
            )
        lines = [f"{c.number}. CCP {c.number} — {c.title.get(lang)}" for c in ccps]
        return "\n".join([text + ".", *lines])


def unit_free(tokens: Sequence[str]) -> list[str]:
    """Tokens without numbers (a number says nothing about a competence)."""
    return [t for t in tokens if not t.isdigit()]
