"""A date inside a question about the deadline -> the computed deadline, naming its rule.

Kept apart from the engine: reading "mon premier CCP date du 4 octobre 2021" needs the dates,
the capitalisation rule and its later changes, and nothing of the topic matching but the
ranked topics. No clock here: `today` is always a parameter.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date

from knowledge.answer import Answer, related
from knowledge.dates import PartialDate, find_dates
from knowledge.deadline import compute_deadline, format_date
from knowledge.lexicon import word_set as _set
from knowledge.matching import Scored
from knowledge.model import Lang, Titre
from knowledge.structured import Structure

# Stems that make a question with a date a deadline question (French and English).
_DEADLINE_WORDS = _set(
    "delai jusque jusque_quand quand expir valabl valid reste encor bon perim capitalis fin "
    "ferm limit deadlin until left still obtenu obtenir eu passe passer premier premiere "
    "date depuis reussi valide combien_temps"
)


class DeadlineReader:
    """Answers the questions that give the date of a first CCP."""

    def __init__(self, titre: Titre, structure: Structure, unit: str) -> None:
        self.titre = titre
        self.structure = structure
        self.unit = unit
        self.topic = titre.topic("delai")  # topic id fixed by ARCHITECTURE.md

    def answer(
        self,
        question: str,
        words: list[str],
        toks: list[str],
        ranked: list[Scored],
        today: date,
        lang: Lang,
    ) -> Answer | None:
        topic = self.topic
        if topic is None:
            return None
        dates = find_dates(question)
        if not dates:
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
