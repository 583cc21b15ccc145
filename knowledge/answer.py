"""What the engine hands back, and the sentences it builds around a topic's own text.

`Answer.to_json()` is the `ask --json` contract of DESIGN.md; the other fields serve the
Telegram dialogues (follow-up buttons, language, the deadline read from the question).

Answers fit a phone screen: `Answer.text` is the answer itself, cut between lines at about
`BRIEF_CHARS`, with what changed since in one compact line; the full change lines are in
`Answer.changes` and what was left out (the rest of the text, the links) in `Answer.details`,
for the "Ce qui a changé" and "Détails" buttons. The cut knows the question: `Answer` cuts
again with it (`knowledge.focus`), so the sentence that answers it stays on the screen.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from knowledge.deadline import Deadline, in_force_text
from knowledge.focus import focused
from knowledge.language import load_vocabulary
from knowledge.links import full_sources
from knowledge.model import Evolution, Lang, Status, Titre, Topic
from knowledge.phrases import Phrases
from knowledge.readers.deadline import TypedDates
from knowledge.text import Normalizer

BRIEF_CHARS = 700  # about one phone screen: the most `Answer.text` holds, all included
_YEAR = re.compile(r"\b\d{4}\b")
_LINK = "://"  # a line holding a web link is a source: behind "Détails", not in the text


@dataclass(frozen=True, slots=True)
class Layout:
    """How `with_evolutions` lays a topic's text out on a screen, kept so that the cut can
    be made again once the question is known (`Answer` does it)."""

    text: str  # the topic's text, before the cut
    room: int  # characters the text may take
    summary: str  # what changed since, in one compact line (or one short line per change)
    more: str  # "… la suite : bouton « Détails »."
    synonyms: tuple[tuple[str, ...], ...] = ()  # the titre's, to read the question's words
    # the rule in force where the référentiel's text is out of date, and the label of that
    # text: always on the screen, whatever the cut keeps
    lead: str = ""
    original: str = ""

    def compose(self, question: str = "") -> tuple[str, str]:
        """(the short text, what was left out): cut around the sentence that answers
        `question` when a plain cut would hide it."""
        plain = brief(self.text, self.room)
        kept, rest = plain
        if rest and question.strip():  # something was cut: was it what the question asks?
            reader = _reader(self.synonyms)
            asked = question_terms(reader, question)
            kept, rest = focused(self.text, self.room, asked,
                                 functools.partial(_terms, self.synonyms), plain)
        if any(_LINK not in line for line in rest.splitlines() if line.strip()):
            kept = f"{kept}\n{self.more}"
        body = f"{self.original}\n{kept}" if self.original else kept
        return "\n\n".join(part for part in (self.lead, body, self.summary) if part), rest


@functools.cache
def _reader(synonyms: tuple[tuple[str, ...], ...]) -> Normalizer:
    """The engine's reading of words (stems, the titre's synonyms), built once per titre."""
    return Normalizer(load_vocabulary(), synonyms)


@functools.lru_cache(maxsize=4096)
def _terms(synonyms: tuple[tuple[str, ...], ...], text: str) -> frozenset[str]:
    """The stems of one sentence of an answer: the same few hundred sentences are read for
    every question, so each is read once (measured: a 2 ms answer took 0.9 ms after)."""
    return frozenset(_reader(synonyms).prepare(text).stems)


def question_terms(reader: Normalizer, question: str) -> frozenset[str]:
    """The question's stems, and the numbers it writes in words as digits ("troisième
    parcours" asks for the "3." of a list)."""
    prepared = reader.prepare(question)
    v = reader.vocabulary
    numbers = {str(v.numbers[w]) for w in prepared.words
               if w in v.numbers and w not in v.stop_words}  # fmt: skip
    return frozenset(prepared.stems) | numbers


class Composed(str):
    """What `with_evolutions` returns: the short text the user reads first (a plain `str`,
    so it can be used as one), carrying the full change lines, what was left out, and its
    layout (to cut again around the question)."""

    changes: tuple[str, ...]
    details: str
    full: str  # the whole text and every change line (the FAQ document)
    layout: Layout | None

    def __new__(
        cls,
        text: str,
        changes: Sequence[str] = (),
        details: str = "",
        full: str = "",
        layout: Layout | None = None,
    ) -> Composed:
        made = super().__new__(cls, text)
        made.changes = tuple(changes)
        made.details = details
        made.full = full or text
        made.layout = layout
        return made


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
    changes: tuple[str, ...] = ()  # every later change, one full line each ("Ce qui a changé")
    details: str = ""  # what the short text leaves out: the rest, the links ("Détails")
    focused: bool = False  # cut around the sentence answering the question: "Détails" shows all
    typed_pairs: tuple[tuple[int, date], ...] = ()  # (CCP, date) written together in the message
    # a CCP's day the message gives when the answer is about something else: its deadline is
    # offered beside the answer (a button), never put in its place
    dated: date | None = None

    def __post_init__(self) -> None:
        """A text from `with_evolutions` brings its change lines and details along, cut
        again around the question when there is one; dates from the deadline reader bring
        the CCP written next to each."""
        if isinstance(self.typed_dates, TypedDates):
            if not self.typed_pairs:
                object.__setattr__(self, "typed_pairs", self.typed_dates.pairs)
            object.__setattr__(self, "typed_dates", tuple(self.typed_dates))
        if isinstance(self.text, Composed):
            composed = self.text
            short, rest = str.__str__(composed), composed.details
            # a computed answer (a deadline) is written for its question, in its own order
            if composed.layout is not None and self.question and self.deadline is None:
                short, rest = composed.layout.compose(self.question)
                object.__setattr__(self, "focused", rest != composed.details)
            object.__setattr__(self, "text", short)
            if not self.changes:
                object.__setattr__(self, "changes", composed.changes)
            if not self.details:
                object.__setattr__(self, "details", rest)

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


def related(
    titre: Titre, topic: Topic, lang: Lang, first: Sequence[str] = ()
) -> tuple[Suggestion, ...]:
    """The topic's follow-ups; topics in `first` (a close runner-up) lead, and the list keeps
    its length so the keyboard does not grow."""
    ids = list(dict.fromkeys(t for t in (*first, *topic.related) if t != topic.id))
    found = (titre.topic(t) for t in ids[: max(len(topic.related), len(first))])
    return tuple(suggestion(t, lang) for t in found if t is not None)


def evolution_lines(
    evolutions: Iterable[Evolution], lang: Lang, phrases: Phrases, *, cited: str = ""
) -> list[str]:
    """"Depuis le 1er juin 2016 (subject) : … (source : https://…)": in date order, each change
    once, no internal id, an unconfirmed change flagged in words ("à vérifier"), sources as
    full links; a change known only by its years says its years, never an invented day. A
    change whose every source is already written in `cited` (the text above) goes without."""
    sep = phrases.get("sources.separator", lang)
    unique = {ev.id: ev for ev in evolutions}.values()
    lines = []
    for ev in sorted(unique, key=lambda e: e.in_force):
        sources = full_sources(ev.sources)
        said = bool(cited) and all(s in cited for s in sources)
        lines.append(phrases.get(
            "evolution.line_cited" if said else "evolution.line",
            lang,
            when=in_force_text(ev, lang, phrases),
            subject=ev.title.get(lang),
            check="" if ev.confirmed else phrases.get("evolution.to_check", lang),
            rule=ev.later_rule.get(lang),
            sources=sep.join(sources),
        ))  # fmt: skip
    return lines


def with_evolutions(
    text: str, titre: Titre, topic: Topic, lang: Lang, phrases: Phrases, *, lead: bool = True
) -> str:
    """The topic's text cut to fit a screen, then what changed since in one compact line (or,
    for the topic that lists every change, one short line per change); the full change lines
    and what was cut travel along (`Composed`) and land in `Answer.changes` / `details`.

    Where a change makes the référentiel's text out of date (the topic's `now`), the rule in
    force comes first, in full, and the text follows as the original: a phone shows the
    answer that holds today before the one of 2006 (`lead`: not for a computed answer, which
    already applies the rule in force)."""
    found = [e for e in (titre.evolution(i) for i in topic.evolutions) if e is not None]
    found = sorted({e.id: e for e in found}.values(), key=lambda e: e.in_force)
    lines = evolution_lines(found, lang, phrases)
    now = titre.evolution(topic.now) if lead and topic.now else None
    first, original = "", ""
    if now is not None:
        check = "" if now.confirmed else phrases.get("evolution.to_check", lang)
        first = phrases.get("evolution.now", lang, subject=_subject(now, lang),
                            when=in_force_text(now, lang, phrases), check=check,
                            rule=now.later_rule.get(lang))  # fmt: skip
        original = phrases.get("evolution.original", lang)
    whole = f"{first}\n\n{original}\n{text}" if first else text
    full = whole if not lines else whole + "\n\n" + "\n".join(lines)
    others = [e for e in found if now is None or e.id != now.id]
    if found and len(found) == len(titre.evolutions) and len(found) > 1:
        bullets = [phrases.get("evolution.bullet", lang, years=_years(e), subject=_subject(e, lang))
                   for e in found]  # fmt: skip
        summary = phrases.get("evolution.list", lang, items="\n".join(bullets))
    elif others and now is None:
        items = [phrases.get("evolution.item", lang, years=_years(e), subject=_subject(e, lang))
                 for e in others]  # fmt: skip
        summary = phrases.get("evolution.summary", lang, items=", ".join(items))
    elif now is not None and others:  # the rule in force is above; the others are named
        items = [phrases.get("evolution.item", lang, years=_years(e), subject=_subject(e, lang))
                 for e in others]  # fmt: skip
        summary = phrases.get("evolution.source_and_others", lang, items=", ".join(items))
    elif now is not None:
        summary = phrases.get("evolution.source_only", lang)
    else:
        summary = ""
    more = phrases.get("more.details", lang)
    listed = summary.count("\n") > 0  # a full list was asked: it does not eat the text's room
    room = BRIEF_CHARS - (len(summary) + 2 if summary and not listed else 0) - len(more) - 1
    room -= len(first) + 2 + len(original) + 1 if first else 0
    layout = Layout(text, room, summary, more, titre.synonyms, first, original)
    short, rest = layout.compose()
    return Composed(short, lines, rest, full, layout)


def full_answer(text: str, titre: Titre, topic: Topic, lang: Lang, phrases: Phrases) -> str:
    """The whole text and every change line in full (the FAQ document, not a phone)."""
    composed = with_evolutions(text, titre, topic, lang, phrases)
    return composed.full if isinstance(composed, Composed) else composed


def brief(text: str, room: int) -> tuple[str, str]:
    """(the first lines of `text` that fit in `room` characters, the rest). Lines holding a
    link go to the rest; the first line is always kept, cut after a sentence if too long."""
    kept: list[str] = []
    rest: list[str] = []
    cut = False  # once a line does not fit, every later one goes to the rest, in order
    used = 0
    for line in text.split("\n"):
        if _LINK in line or (cut and line.strip()):
            rest.append(line)
        elif not kept and len(line) > room:
            head, tail = _cut_sentence(line, room)
            kept.append(head)
            rest.extend([tail] if tail else [])
            used, cut = len(head), bool(tail)
        elif used + len(line) + 1 > room and line.strip():
            rest.append(line)
            cut = True
        else:
            kept.append(line)
            used += len(line) + 1
    return "\n".join(kept).strip(), "\n".join(rest).strip()


def _cut_sentence(line: str, room: int) -> tuple[str, str]:
    """A line too long for the screen, cut after its last sentence that fits (else whole)."""
    ends = [m.end() for m in re.finditer(r"[.!?](?=\s)", line[:room])]
    if not ends:
        return line, ""
    return line[: ends[-1]], line[ends[-1] :].strip()


def _years(ev: Evolution) -> str:
    """"2016", "2017, 2022": the years the change took effect, as its label gives them."""
    years = list(dict.fromkeys(_YEAR.findall(ev.in_force_label))) or [str(ev.in_force.year)]
    return ", ".join(years)


def _subject(ev: Evolution, lang: Lang) -> str:
    """The change's title inside a sentence: "délai de capitalisation…", but "VAE : …"."""
    title = ev.title.get(lang)
    if len(title) > 1 and title[0].isupper() and title[1].islower():
        return title[0].lower() + title[1:]
    return title


def clarify_text(options: Iterable[Suggestion], lang: Lang, phrases: Phrases) -> str:
    items = "\n".join(f"• {s.title}" for s in options)
    return phrases.get("clarify", lang, items=items)


def fallback_text(
    titre: Titre, lang: Lang, phrases: Phrases, close: Sequence[Suggestion] = ()
) -> str:
    """Say plainly what the bot cannot answer, and what it can (and the close topic, if any)."""
    ident = titre.identity
    text = phrases.get("fallback", lang, short=ident.short_name, name=ident.name,
                       n=len(titre.ccps))  # fmt: skip
    if close:
        text += "\n" + phrases.get("fallback.close", lang, title=close[0].title)
    return text


def rule_source(
    titre: Titre, deadline: Deadline | None, lang: Lang, phrases: Phrases
) -> str | None:
    """A deadline computed with the rule in force cites that change, then the référentiel
    for the prudent five-year date; None: the référentiel's own rule and source."""
    ruled = deadline.evolution if deadline is not None else None
    change = titre.evolution(ruled) if ruled else None
    if change is None:
        return None
    return phrases.get("deadline.source_in_force", lang, subject=change.title.get(lang),
                       year=change.in_force.year, source=titre.capitalisation.source)  # fmt: skip
