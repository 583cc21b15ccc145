"""The answering engine: a question in, an `Answer` out (answer, clarify or fallback).

Built once from a `Titre` (the index costs a few milliseconds); each question then costs well
under a millisecond. Order of reasoning for one question:
1. a date in a question about the deadline -> the computed deadline, naming its rule;
2. questions the structured data answers best: which CCP holds a competence, how many CCPs
   or competences, what CCP n contains;
3. otherwise the ranked topics (`matching.Index`): a confident best topic is answered, a
   plausible one is offered among up to three "vouliez-vous dire…" suggestions, and anything
   else gets a plain fallback that says what the bot can answer. Never a guess.
No clock here: `today` is always a parameter.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import replace
from datetime import date

from knowledge.analyzer import Analyzer, clauses
from knowledge.answer import (
    Answer,
    Suggestion,
    clarify_text,
    fallback_text,
    related,
    suggestion,
    with_evolutions,
)
from knowledge.dates import PartialDate, find_dates
from knowledge.deadline import compute_deadline, format_date
from knowledge.lexicon import OFF_TOPIC
from knowledge.lexicon import word_set as _set
from knowledge.matching import Index, Scored
from knowledge.model import Lang, Titre, Topic
from knowledge.normalize import detect_lang
from knowledge.structured import Structure
from knowledge.wordlist import real_words

__all__ = ["Answer", "Engine", "Suggestion"]

ANSWER_AT = 0.5  # best topic score from which the bot answers
CLARIFY_AT = 0.3  # ... from which it offers suggestions
MARGIN = 0.03  # a best topic this close to the second one is a question, not an answer
MAX_UNKNOWN = 0.45  # share of words foreign to the référentiel above which it never answers
COMPETENCE_AT = 0.5
SILENT_COVERAGE = 0.75  # share of a question a silent topic must explain without the titre

# Stems that make a question with a date a deadline question (French and English).
_DEADLINE_WORDS = _set(
    "delai jusque jusque_quand quand expir valabl valid reste encor bon perim capitalis fin "
    "ferm limit deadlin until left still obtenu obtenir eu passe passer premier premiere "
    "date depuis reussi valide combien_temps"
)

# "le titre (professionnel) de <métier>": the words after it name a titre.
_TITRE_OF = re.compile(r"\btitre(?: professionnel| pro)? de (?:la |le |les )?(.*)")
_JOINING = frozenset({"de", "en", "des", "du", "et"})


class Engine:
    """Answers questions about one titre. Build once; `ask` is cheap and side-effect free."""

    def __init__(self, titre: Titre) -> None:
        self.titre = titre
        # "CCP" is the word of every titre professionnel, whatever the ids in the file.
        self.analyzer = Analyzer(titre.synonyms, "ccp", real_words())
        self.index = Index(titre, self.analyzer)
        self.structure = Structure(titre, self.analyzer)
        self._ccp_topic = {t.ccps[0]: t for t in titre.topics if len(t.ccps) == 1}
        all_numbers = tuple(sorted(c.number for c in titre.ccps))
        covering = [t for t in titre.topics if tuple(sorted(t.ccps)) == all_numbers]
        # The topic that lists the CCPs: the one whose own phrasings talk about CCPs most.
        self._all_ccps_topic = max(
            covering,
            key=lambda t: sum(1 for q in (*t.questions, *t.keywords) if "ccp" in q.lower()),
            default=None,
        )
        self._deadline_topic = titre.topic("delai")  # topic id fixed by ARCHITECTURE.md
        ident = titre.identity
        self._name_tokens = frozenset(
            t for n in (ident.name, ident.short_name, ident.id) for t in self.analyzer.tokens(n)
        )

    # --- public API -------------------------------------------------------------------------
    def ask(self, question: str, *, today: date, lang: Lang | None = None) -> Answer:
        lang = lang or detect_lang(question)
        whole = self._ask(question, today, lang)
        if whole.status == "answer":
            return whole
        # A long message tells a story before it asks ("Bonjour, je suis en reconversion et
        # ..."): the question is usually its end, so the last clauses are tried alone.
        parts = clauses(question)
        for start in range(len(parts) - 1, 0, -1):
            tail = " ".join(parts[start:])
            found = self._ask(tail, today, lang)
            if found.status == "answer" and self._topic_kind(found) == "fact|silent":
                return replace(found, question=question)
        return whole

    def _other_titre(self, normalized: str) -> bool:
        """The question names another titre ("le titre de technicien d'assistance
        informatique", "le titre pro de secrétaire comptable"): its facts are not these."""
        found = _TITRE_OF.search(normalized)
        if found is None:
            return False
        named: list[str] = []
        for word in found.group(1).split():
            if word in _JOINING:
                continue
            toks = self.analyzer.tokens(word)
            if not toks:
                break
            named.append(toks[0])
        if not named:
            return False
        first, rest = named[0], named[1:3]
        if first in self._name_tokens:
            return any(t not in self._name_tokens and t not in self.index.light for t in rest)
        return first not in self.index.known and first not in self.index.common

    def _topic_kind(self, answer: Answer) -> str:
        topic = self.titre.topic(answer.topic or "")
        return "fact|silent" if topic is not None and topic.kind != "smalltalk" else "smalltalk"

    def _ask(self, question: str, today: date, lang: Lang) -> Answer:
        analysis = self.analyzer.analyze(question, spell=True)
        words = list(analysis.words)
        toks = self.index.refine(analysis.tokens, analysis.partial, analysis.real)
        if self._other_titre(analysis.normalized):
            return self._fallback(question, lang)
        ranked = self.index.rank(toks, analysis.normalized)
        dated = self._deadline_answer(question, words, toks, ranked, today, lang)
        if dated is not None:
            return dated
        if not self.index.decisive(toks):
            near = self.index.by_phrase(analysis.normalized)
            if near is not None:
                ranked = [near]
        structured = self._structured(question, words, toks, ranked, lang)
        if structured is not None:
            return structured
        return self._decide(question, toks, ranked, lang)

    def topic_answer(self, topic_id: str, *, today: date, lang: Lang) -> Answer:
        topic = self.titre.topic(topic_id)
        if topic is None:
            return self._fallback(topic_id, lang)
        return self._answer("", topic, 1.0, lang)

    def search(self, query: str, *, today: date, lang: Lang, limit: int = 5) -> list[Answer]:
        """Inline mode: the few topics a partial query may be about, as ready answers."""
        if not query.strip():
            facts = [t for t in self.titre.topics if t.kind == "fact"]
            return [self._answer("", t, 1.0, lang) for t in facts[:limit]]
        analysis = self.analyzer.analyze(query, spell=True)
        toks = self.index.refine(analysis.tokens, analysis.partial, analysis.real)
        if self.index.unknown_share(toks) > MAX_UNKNOWN:
            return []
        return [
            self._answer(query, s.topic, s.score, lang)
            for s in self.index.rank(toks, analysis.normalized)[:limit]
            if s.score >= CLARIFY_AT and s.strong and s.topic.kind != "smalltalk"
        ]

    # --- outcomes ---------------------------------------------------------------------------
    def _decide(self, question: str, toks: list[str], ranked: list[Scored], lang: Lang) -> Answer:
        if not ranked:
            return self._fallback(question, lang)
        best = ranked[0]
        second = ranked[1].score if len(ranked) > 1 else 0.0
        unknown = self.index.unknown_share(toks)
        about = self.titre.topic("titre")  # topic id fixed by ARCHITECTURE.md
        if about is not None and self.index.only_names(toks):
            return self._answer(question, about, max(best.score, ANSWER_AT), lang)
        if (
            best.score >= ANSWER_AT
            and (best.strong or self._plain_smalltalk(best, second))
            and unknown <= MAX_UNKNOWN
            and best.score - second >= MARGIN
            and not self.index.foreign(toks, best)
            and not self._elsewhere(toks, best)
            and OFF_TOPIC not in toks
        ):
            return self._answer(question, best.topic, best.score, lang)
        # Suggestions only when the question is mostly made of the référentiel's words.
        if best.score >= CLARIFY_AT and (best.coverage >= 0.45 or unknown <= 0.3):
            floor = max(CLARIFY_AT, best.score * 0.6)
            options = tuple(suggestion(s.topic, lang) for s in ranked[:3] if s.score >= floor)
            return Answer(
                question=question,
                status="clarify",
                topic=None,
                confidence=best.score,
                text=clarify_text(options, lang),
                suggestions=options,
                lang=lang,
            )
        return self._fallback(question, lang, best.score)

    def _elsewhere(self, toks: list[str], best: Scored) -> bool:
        """A topic the référentiel is silent on, asked with other words it does not explain
        and without naming the titre: likely the same question about something else
        ("salaire moyen d'un comptable")."""
        return (
            best.topic.kind == "silent"
            and best.coverage < SILENT_COVERAGE
            and not any(t in self.index.anchors for t in toks)
        )

    @staticmethod
    def _plain_smalltalk(best: Scored, second: float) -> bool:
        """Small talk is made of function words ("t'es qui toi"): answered when its words
        are all the question's and no topic comes close."""
        return (
            best.topic.kind == "smalltalk" and best.coverage >= 0.99 and best.score - second >= 0.2
        )

    def topic_text(self, topic: Topic, lang: Lang) -> str:
        """A topic's answer as the user reads it (built from the data for a CCP), without
        the later changes (`Answer.text` adds them)."""
        ccp = self.titre.ccp(topic.ccps[0]) if len(topic.ccps) == 1 else None
        return self.structure.ccp_text(ccp, lang) if ccp is not None else topic.answer.get(lang)

    def _answer(self, question: str, topic: Topic, confidence: float, lang: Lang) -> Answer:
        return self._topic_reply(question, topic, confidence, self.topic_text(topic, lang), lang)

    def _topic_reply(
        self, question: str, topic: Topic, confidence: float, text: str, lang: Lang
    ) -> Answer:
        return Answer(
            question=question,
            status="answer",
            topic=topic.id,
            confidence=min(1.0, confidence),
            text=with_evolutions(text, self.titre, topic, lang),
            related=related(self.titre, topic, lang),
            source=topic.source or None,
            lang=lang,
        )

    def _fallback(self, question: str, lang: Lang, confidence: float = 0.0) -> Answer:
        return Answer(
            question=question,
            status="fallback",
            topic=None,
            confidence=confidence,
            text=fallback_text(self.titre, lang),
            lang=lang,
        )

    # --- structured answers -----------------------------------------------------------------
    def _structured(
        self, question: str, words: list[str], toks: list[str], ranked: list[Scored], lang: Lang
    ) -> Answer | None:
        st = self.structure
        numbers = st.ccp_numbers(words)
        best = ranked[0] if ranked else None
        missing = st.ccp_numbers(words, existing=False)
        if missing and not numbers and self._all_ccps_topic is not None:
            text = st.no_such_ccp(missing[0], lang)
            return self._topic_reply(question, self._all_ccps_topic, 0.9, text, lang)
        counted = st.counted(words)
        if any(t in self.index.other_diplomas for t in toks):
            return None  # "combien de CCP dans le BTS ?" is about another diploma
        if counted and self._all_ccps_topic is not None:
            counts_units = counted == "unit"
            counts_comps = counted == "competence"
            if numbers and counts_comps and numbers[0] in self._ccp_topic:
                return self._answer(question, self._ccp_topic[numbers[0]], 0.95, lang)
            if (counts_units or counts_comps) and not numbers and self._plain(toks):
                return self._topic_reply(
                    question, self._all_ccps_topic, 0.95, st.count_text(lang), lang
                )
        if numbers:
            return None
        ccp_topic_best = best is not None and len(best.topic.ccps) == 1 and best.score >= 0.4
        if st.asks_which_ccp(words) or ccp_topic_best:
            hits = st.competences_for(toks)
            if hits and hits[0].score >= COMPETENCE_AT and not st.names_a_ccp(toks, hits[0]):
                nums = tuple(sorted({h.ccp.number for h in hits}))
                topic = self._ccp_topic.get(nums[0]) if len(nums) == 1 else next(
                    (t for t in self.titre.topics if tuple(sorted(t.ccps)) == nums), None
                )
                if topic is not None:
                    return self._topic_reply(
                        question, topic, max(hits[0].score, 0.6), st.where_text(hits, lang), lang
                    )
        return None

    def _plain(self, toks: list[str]) -> bool:
        """A counting question with nothing else in it that the index does not know."""
        return self.index.unknown_share(toks) <= MAX_UNKNOWN

    # --- dates in questions -----------------------------------------------------------------
    def _deadline_answer(
        self,
        question: str,
        words: list[str],
        toks: list[str],
        ranked: list[Scored],
        today: date,
        lang: Lang,
    ) -> Answer | None:
        topic = self._deadline_topic
        if topic is None:
            return None
        dates = find_dates(question)
        if not dates:
            return None
        unit = self.analyzer.unit
        mentions_unit = any(
            w == unit or (w.startswith(unit) and w[len(unit) :].isdigit()) for w in words
        )
        deadline_words = any(
            t in _DEADLINE_WORDS or t[:6] in _DEADLINE_WORDS for t in (*toks, *words)
        )
        leading = {s.topic.id for s in ranked[:3]}
        # "mon premier CCP date du …", "CCP2 en 2018, encore bon ?": a time word with a CCP or
        # with the deadline among the likely topics, or a CCP with the deadline among them;
        # not "le décret du 2 août 2002".
        likely = topic.id in leading
        if not ((deadline_words and (mentions_unit or likely)) or (mentions_unit and likely)):
            return None
        valid = [d for d in dates if d.valid]
        if not valid:
            return Answer(
                question=question,
                status="answer",
                topic=topic.id,
                confidence=0.9,
                text=_impossible_text(dates[0], lang),
                related=related(self.titre, topic, lang),
                source=self.titre.capitalisation.source,
                lang=lang,
            )
        first = min(valid, key=lambda d: d.earliest())
        day = first.earliest()
        if first.latest() < self.titre.identity.created:
            return Answer(
                question=question,
                status="answer",
                topic=topic.id,
                confidence=0.9,
                text=self.structure.before_creation(first.text, lang),
                related=related(self.titre, topic, lang),
                source=self.titre.capitalisation.source,
                lang=lang,
            )
        deadline = compute_deadline(self.titre.capitalisation, day)
        evolution = (
            self.titre.evolution(deadline.evolution) if deadline.evolution else
            self.titre.evolution(self.titre.capitalisation.evolution or "")
        )
        notes = _precision_notes(first, day, lang)
        if day > today:
            notes.append(
                "This date is in the future: here is the deadline it would give."
                if lang == "en"
                else "Cette date est dans le futur : voici le délai qu'elle donnerait."
            )
        if "premier" not in words and "first" not in words and "premiere" not in words:
            notes.append(
                "The window runs from your FIRST CCP: if you obtained another one earlier, "
                "give me its date."
                if lang == "en"
                else "Le délai court à partir de votre PREMIER CCP : si vous en avez obtenu un "
                "autre avant, donnez-moi sa date."
            )
        text = "\n".join([*notes, deadline.explain(lang, today, evolution)])
        return Answer(
            question=question,
            status="answer",
            topic=topic.id,
            confidence=0.95,
            text=text,
            related=related(self.titre, topic, lang),
            source=self.titre.capitalisation.source,
            lang=lang,
            deadline=deadline,
        )


def _precision_notes(found: PartialDate, day: date, lang: Lang) -> list[str]:
    """Say which day a month or a year alone was taken to mean, and why (the safe side)."""
    if found.precision == "day":
        return []
    shown = format_date(day, lang)
    if lang == "en":
        what = "a month" if found.precision == "month" else "a year"
        return [
            f"You gave {what}, not a day: I take {shown}, the earliest possible day, which gives "
            "the earliest (safest) deadline. Give me the exact date for a precise answer."
        ]
    what = "un mois" if found.precision == "month" else "une année"
    return [
        f"Vous avez donné {what}, pas un jour : je prends le {shown}, le premier jour possible, "
        "ce qui donne la date limite la plus prudente. Donnez-moi la date exacte pour un calcul "
        "précis."
    ]


def _impossible_text(found: PartialDate, lang: Lang) -> str:
    """A kind sentence saying why the date cannot be read as a real day."""
    why_fr, why_en = "cette date n'existe pas", "that date does not exist"
    if found.month is not None and not 1 <= found.month <= 12:
        why_fr, why_en = "il n'y a que 12 mois", "there are only 12 months"
    elif found.month is not None and found.day is not None:
        days = monthrange(found.year, found.month)[1]
        month_fr = format_date(date(found.year, found.month, 1), "fr").split(" ", 1)[1]
        month_en = format_date(date(found.year, found.month, 1), "en").split(" ", 1)[1]
        why_fr = f"{month_fr} n'a que {days} jours"
        why_en = f"{month_en} has only {days} days"
    if lang == "en":
        return (
            f"I cannot use \"{found.text}\": {why_en}. Please check the date of your first CCP "
            "(for example 15/03/2021) and ask again."
        )
    return (
        f"Je ne peux pas utiliser « {found.text} » : {why_fr}. Vérifiez la date de votre premier "
        "CCP (par exemple 15/03/2021) et reposez la question."
    )
