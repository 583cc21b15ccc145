"""What the engine hands back, and the sentences it builds around a topic's own text.

`Answer.to_json()` is the `ask --json` contract of DESIGN.md; the other fields serve the
Telegram dialogues (follow-up buttons, language, the deadline read from the question).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from knowledge.deadline import Deadline, in_force_text
from knowledge.links import full_sources
from knowledge.model import Evolution, Lang, Status, Titre, Topic
from knowledge.phrases import Phrases


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
    typed_dates: tuple[date, ...] = ()  # dates read from the message (a CCP it may save)

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


def evolution_lines(evolutions: Iterable[Evolution], lang: Lang, phrases: Phrases) -> list[str]:
    """"Depuis le 1er juin 2016 (subject) : … (source : https://…)": in date order, each change
    once, no internal id, an unconfirmed change flagged in words ("à vérifier"), sources as
    full links; a change known only by its years says its years, never an invented day."""
    sep = phrases.get("sources.separator", lang)
    unique = {ev.id: ev for ev in evolutions}.values()
    return [
        phrases.get(
            "evolution.line",
            lang,
            when=in_force_text(ev, lang, phrases),
            subject=ev.title.get(lang),
            check="" if ev.confirmed else phrases.get("evolution.to_check", lang),
            rule=ev.later_rule.get(lang),
            sources=sep.join(full_sources(ev.sources)),
        )
        for ev in sorted(unique, key=lambda e: e.in_force)
    ]


def with_evolutions(text: str, titre: Titre, topic: Topic, lang: Lang, phrases: Phrases) -> str:
    """The topic's text followed by every later change attached to it."""
    found = [e for e in (titre.evolution(i) for i in topic.evolutions) if e is not None]
    lines = evolution_lines(found, lang, phrases)
    return text if not lines else text + "\n\n" + "\n".join(lines)


def clarify_text(options: Iterable[Suggestion], lang: Lang, phrases: Phrases) -> str:
    items = "\n".join(f"• {s.title}" for s in options)
    return phrases.get("clarify", lang, items=items)


def fallback_text(titre: Titre, lang: Lang, phrases: Phrases) -> str:
    """Say plainly what the bot cannot answer, and what it can."""
    ident = titre.identity
    return phrases.get("fallback", lang, short=ident.short_name, name=ident.name,
                       n=len(titre.ccps))  # fmt: skip
