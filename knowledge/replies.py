"""How the engine's decision becomes what the user reads: a topic's answer (with the later
changes of the law beside it, its source and the buttons of related topics), a clarifying
question, or a kind "I don't know" that offers what the ranker saw close.

The engine reads and decides; this writes. Kept apart so that every way of answering (the
pipeline, a button's topic, inline mode) builds the same `Answer`.
"""

from __future__ import annotations

from collections.abc import Sequence

from knowledge.answer import (
    Answer,
    Suggestion,
    clarify_text,
    fallback_text,
    related,
    suggestion,
    with_evolutions,
)
from knowledge.model import Lang, Titre, Topic
from knowledge.phrases import Phrases
from knowledge.policy import Decision
from knowledge.readers.ccp import CcpReader

__all__ = ["Replies"]


class Replies:
    """Writes the answers of one titre."""

    def __init__(self, titre: Titre, phrases: Phrases, ccps: CcpReader) -> None:
        self.titre = titre
        self.phrases = phrases
        self.ccps = ccps

    def topic_text(self, topic: Topic, lang: Lang) -> str:
        """A topic's answer as the user reads it (built from the data for a CCP), without
        the later changes (`Answer.text` adds them)."""
        ccp = self.titre.ccp(topic.ccps[0]) if len(topic.ccps) == 1 else None
        return self.ccps.contents_text(ccp, lang) if ccp is not None else topic.answer.get(lang)

    def decided(self, question: str, decision: Decision, lang: Lang) -> Answer:
        """The policy's decision as written: its topic, its choices, or the fallback."""
        if decision.outcome == "answer":
            topic = self.titre.topic(decision.topics[0])
            if topic is not None:
                return self.reply(question, topic, decision.confidence,
                                  self.topic_text(topic, lang), lang,
                                  runner_up=decision.topics[1:])  # fmt: skip
        if decision.outcome == "clarify":
            options = self.suggestions(decision.topics, lang)
            return Answer(question=question, status="clarify", topic=None,
                          confidence=decision.confidence,
                          text=clarify_text(options, lang, self.phrases),
                          suggestions=options, lang=lang)  # fmt: skip
        return self.fallback(question, lang, decision.confidence, decision.topics)

    def reply(
        self,
        question: str,
        topic: Topic,
        confidence: float,
        text: str,
        lang: Lang,
        runner_up: Sequence[str] = (),
        *,
        lead: bool = True,
        source: str | None = None,
        **extra: object,
    ) -> Answer:
        """An answer of `topic` with `text`; `lead=False` for a text computed with the rule in
        force (a deadline), which needs no "today" line above it."""
        if source is None:
            deadline_role = topic.role == "deadline"
            source = self.titre.capitalisation.source if deadline_role else topic.source
        return Answer(
            question=question,
            status="answer",
            topic=topic.id,
            confidence=min(1.0, confidence),
            text=with_evolutions(text, self.titre, topic, lang, self.phrases, lead=lead),
            related=related(self.titre, topic, lang, first=runner_up),
            source=source or None,
            lang=lang,
            **extra,  # type: ignore[arg-type]
        )

    def suggestions(self, topic_ids: Sequence[str], lang: Lang) -> tuple[Suggestion, ...]:
        found = (self.titre.topic(t) for t in topic_ids)
        return tuple(suggestion(t, lang) for t in found if t is not None)

    def fallback(
        self, question: str, lang: Lang, confidence: float = 0.0, close: Sequence[str] = ()
    ) -> Answer:
        """Not answered; a close topic the ranker saw is offered as "did you mean"."""
        options = self.suggestions(close, lang)
        return Answer(question=question, status="fallback", topic=None, confidence=confidence,
                      text=fallback_text(self.titre, lang, self.phrases, options),
                      suggestions=options, lang=lang)  # fmt: skip
