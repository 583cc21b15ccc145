"""A date inside a question about the deadline -> the computed deadline, naming its rule.

Kept apart from the engine: reading "mon premier CCP date du 4 octobre 2021" needs the dates,
the capitalisation rule and its later changes, and nothing of the topic matching but the
ranked topics. No clock here: `today` is always a parameter.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Sequence
from datetime import date

from knowledge.answer import Answer, related
from knowledge.dates import PartialDate, find_dates
from knowledge.deadline import compute_deadline, explain_for, format_date
from knowledge.lexicon import word_set as _set
from knowledge.matching import Scored
from knowledge.model import Lang, Titre
from knowledge.phrases import Phrases
from knowledge.structured import Structure

# Stems that make a question with a date a deadline question (French and English).
_DEADLINE_WORDS = _set(
    "delai jusque jusque_quand quand expir valabl valid reste encor bon perim capitalis fin "
    "ferm limit deadlin until left still obtenu obtenir eu passe passer premier premiere "
    "date depuis reussi valide combien_temps"
)


class DeadlineReader:
    """Answers the questions that give the date of a first CCP."""

    def __init__(self, titre: Titre, structure: Structure, unit: str, phrases: Phrases) -> None:
        self.titre = titre
        self.structure = structure
        self.unit = unit
        self.phrases = phrases
        self.topic = titre.topic("delai")  # topic id fixed by ARCHITECTURE.md

    def answer(
        self,
        question: str,
        words: list[str],
        toks: list[str],
        ranked: list[Scored],
        today: date,
        lang: Lang,
        saved: Sequence[tuple[int, date]] = (),
    ) -> Answer | None:
        topic = self.topic
        if topic is None:
            return None
        dates = find_dates(question)
        if not dates and not saved:
            return None
        unit = self.unit
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
        if not dates:  # "c quand ma date limite": the user's own saved CCPs answer it
            if not (deadline_words and ranked and ranked[0].topic.id == topic.id):
                return None
            return self._dated(question, min(d for _, d in saved), (), today, lang,
                               [self.phrases.get("dated.from_saved", lang)])
        valid = [d for d in dates if d.valid]
        if not valid:
            return Answer(
                question=question,
                status="answer",
                topic=topic.id,
                confidence=0.9,
                text=_impossible_text(dates[0], lang, self.phrases),
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
        p = self.phrases
        notes = _precision_notes(first, day, lang, p)
        if day > today:
            notes.append(p.get("dated.future", lang))
        typed = tuple(sorted(d.earliest() for d in valid))
        earliest_saved = min((d for _, d in saved), default=None)
        if earliest_saved is not None and earliest_saved < day:
            notes.append(p.get("dated.from_saved", lang))  # the window opened with that one
            day = earliest_saved
        elif "premier" not in words and "first" not in words and "premiere" not in words:
            notes.append(p.get("dated.from_first", lang))
        return self._dated(question, day, typed, today, lang, notes)

    def _dated(
        self,
        question: str,
        first: date,
        typed: tuple[date, ...],
        today: date,
        lang: Lang,
        notes: list[str],
    ) -> Answer:
        """The deadline from `first`, said as every dialogue says it (`explain_for`)."""
        topic = self.topic
        assert topic is not None
        deadline = compute_deadline(self.titre.capitalisation, first)
        text = "\n".join([*notes, explain_for(self.titre, deadline, lang, today, self.phrases)])
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
            typed_dates=typed,
        )


def _precision_notes(found: PartialDate, day: date, lang: Lang, p: Phrases) -> list[str]:
    """Say which day a month or a year alone was taken to mean, and why (the safe side)."""
    if found.precision == "day":
        return []
    what = p.get("dated.a_month" if found.precision == "month" else "dated.a_year", lang)
    return [p.get("dated.not_a_day", lang, what=what, date=format_date(day, lang))]


def _impossible_text(found: PartialDate, lang: Lang, p: Phrases) -> str:
    """A kind sentence saying why the date cannot be read as a real day."""
    why = p.get("dated.no_such_date", lang)
    if found.month is not None and not 1 <= found.month <= 12:
        why = p.get("dated.twelve_months", lang)
    elif found.month is not None and found.day is not None:
        days = monthrange(found.year, found.month)[1]
        month = format_date(date(found.year, found.month, 1), lang).split(" ", 1)[1]
        why = p.get("dated.month_days", lang, month=month, days=days)
    return p.get("dated.impossible", lang, text=found.text, why=why)
