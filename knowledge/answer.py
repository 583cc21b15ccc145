"""What the engine hands back, and the sentences it builds around a topic's own text.

`Answer.to_json()` is the `ask --json` contract of DESIGN.md; the other fields serve the
Telegram dialogues (follow-up buttons, language, the deadline read from the question).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from knowledge.deadline import Deadline, format_date
from knowledge.model import Evolution, Lang, Status, Titre, Topic


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A topic offered as a button: "vouliez-vous dire…" or a follow-up."""

    topic: str
    title: str


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    status: Status
    topic: str | None
    confidence: float  # 0..1
    text: str  # plain text, evolutions appended
    suggestions: tuple[Suggestion, ...] = ()
    related: tuple[Suggestion, ...] = ()
    source: str | None = None
    lang: Lang = "fr"
    deadline: Deadline | None = None

    def to_json(self) -> dict[str, Any]:
        """The `ask --json` object, exactly the keys DESIGN.md lists."""
        return {
            "question": self.question,
            "status": self.status,
            "topic": self.topic,
            "confidence": round(self.confidence, 3),
            "text": self.text,
            "suggestions": [{"topic": s.topic, "title": s.title} for s in self.suggestions],
            "source": self.source,
        }


def suggestion(topic: Topic, lang: Lang) -> Suggestion:
    return Suggestion(topic.id, topic.title.get(lang))


def related(titre: Titre, topic: Topic, lang: Lang) -> tuple[Suggestion, ...]:
    found = (titre.topic(t) for t in topic.related)
    return tuple(suggestion(t, lang) for t in found if t is not None)


def evolution_lines(evolutions: Iterable[Evolution], lang: Lang) -> list[str]:
    """"Depuis le 1er juin 2016 : … (source : …)", unconfirmed changes flagged."""
    lines = []
    for ev in evolutions:
        since = format_date(ev.in_force, lang)
        check = ""
        if not ev.confirmed:
            check = ", not confirmed: to be checked" if lang == "en" else ", à vérifier"
        sources = "; ".join(ev.sources) if lang == "en" else " ; ".join(ev.sources)
        subject = ev.title.get(lang)
        rule = ev.later_rule.get(lang)
        if lang == "en":
            lines.append(f"Since {since} ({subject}{check}): {rule} (source: {sources})")
        else:
            lines.append(f"Depuis le {since} ({subject}{check}) : {rule} (source : {sources})")
    return lines


def with_evolutions(text: str, titre: Titre, topic: Topic, lang: Lang) -> str:
    """The topic's text followed by every later change attached to it."""
    found = [e for e in (titre.evolution(i) for i in topic.evolutions) if e is not None]
    lines = evolution_lines(found, lang)
    return text if not lines else text + "\n\n" + "\n".join(lines)


def clarify_text(options: Iterable[Suggestion], lang: Lang) -> str:
    items = "\n".join(f"• {s.title}" for s in options)
    if lang == "en":
        return f"I am not sure I understood. Did you mean:\n{items}"
    return f"Je ne suis pas sûr d'avoir compris. Vouliez-vous dire :\n{items}"


def fallback_text(titre: Titre, lang: Lang) -> str:
    """Say plainly what the bot cannot answer, and what it can."""
    short = titre.identity.short_name
    n = len(titre.ccps)
    if lang == "en":
        return (
            f"Sorry, I cannot answer that: I only know the titre professionnel {short} "
            f"({titre.identity.name}) from its référentiel.\n"
            f"I can tell you what the titre is, what its {n} CCPs contain, the ways to obtain it "
            "(training, VAE, CCP by CCP), the assessment (file, practical test, interview, jury), "
            "the deadline for collecting your CCPs (give me the date of your first CCP), "
            "and what has changed since. Type \"help\" for the list."
        )
    return (
        f"Désolé, je ne sais pas répondre à cette question : je ne connais que le titre "
        f"professionnel {short} ({titre.identity.name}), d'après son référentiel.\n"
        f"Je peux vous dire ce qu'est le titre, ce que contiennent ses {n} CCP, les façons de "
        "l'obtenir (formation, VAE, CCP par CCP), comment on est évalué (dossier, mise en "
        "situation, entretien, jury), le délai pour capitaliser vos CCP (donnez-moi la date de "
        "votre premier CCP) et ce qui a changé depuis. Tapez « aide » pour la liste."
    )
