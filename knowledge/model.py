"""Typed, immutable view of a référentiel, built once at start-up by the loader.

Nothing here is specific to one titre: a second référentiel file must load into the
same objects. Texts that exist in both languages are `Text` pairs; English may be
missing, in which case the French text is used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Lang = Literal["fr", "en"]
Status = Literal["answer", "clarify", "fallback"]
# What a topic is for, when the engine needs to find it: the deadline a date is read for, the
# list of the CCPs, the titre itself, and the small talk every titre has.
Role = Literal["deadline", "ccp_list", "about", "greeting", "thanks", "goodbye", "identity", "help",
               "resit"]


@dataclass(frozen=True, slots=True)
class Text:
    """A user-facing text in French, optionally in English."""

    fr: str
    en: str | None = None

    def get(self, lang: Lang) -> str:
        return self.en if lang == "en" and self.en else self.fr


@dataclass(frozen=True, slots=True)
class Evolution:
    """A later change of the law, shown beside the facts it affects (evolutions.md)."""

    id: str  # "E2"
    title: Text  # short subject, e.g. "Délai de capitalisation"
    referentiel_says: Text
    later_rule: Text
    in_force: date  # first date the later rule applies
    in_force_label: str  # as written in the source, e.g. "2017-01-01 / 2022-12-23"
    status: str  # "V", "P", "U" or combinations like "V / U"
    sources: tuple[str, ...]

    @property
    def confirmed(self) -> bool:
        return self.status.strip().upper() == "V"


@dataclass(frozen=True, slots=True)
class Competence:
    id: str  # "ccp1.c3"
    text: Text  # word for word from the référentiel in `fr`
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Ccp:
    number: int
    id: str  # "ccp1"
    title: Text  # word for word from the référentiel in `fr`
    competences: tuple[Competence, ...]
    source: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CapitalisationRule:
    """Parameters of the capitalisation deadline; the arithmetic is in `deadline.py`."""

    years: int  # 5: from the date of the first CCP (référentiel)
    source: str  # where the référentiel says it
    rule_change: date | None  # E2: first CCP on/after this date -> titre-validity rule
    evolution: str | None  # id of the evolution that changed it ("E2")
    titre_valid_until: date | None  # recorded by an operator when known, else None
    grace_years_after_validity: int = 1  # E2: 1 year after the end of the titre's validity


@dataclass(frozen=True, slots=True)
class ResitRule:
    """Sitting again after a failure, as the change `evolution` put it: within `months`, with
    no new training. The sources do not say from which day the months run (`readers.resit`
    says so beside every date it computes)."""

    months: int
    evolution: str


@dataclass(frozen=True, slots=True)
class Topic:
    """Something a person can ask about: one answer, many ways to ask for it."""

    id: str
    title: Text
    answer: Text
    questions: tuple[str, ...]  # example phrasings (French and English) used for matching
    keywords: tuple[str, ...]
    source: str  # part of the référentiel the answer comes from ("" for small talk)
    evolutions: tuple[str, ...] = ()  # ids of Evolution shown beside the answer
    # the one of `evolutions` that makes the référentiel's text out of date ("3 ans" of
    # experience for a VAE, none since 2022): said first, in full, above the original text
    now: str | None = None
    related: tuple[str, ...] = ()  # topic ids offered as follow-ups
    kind: Literal["fact", "silent", "smalltalk"] = "fact"
    ccps: tuple[int, ...] = ()  # numbers of the CCPs this topic is about (checked by the loader)
    role: Role | None = None  # what the engine finds this topic for (at most one topic a role)


@dataclass(frozen=True, slots=True)
class LegalText:
    id: str
    label: str  # "décret n° 2002-1029 du 2 août 2002 (JO du 6 août 2002)"
    signed: date
    published: date | None


@dataclass(frozen=True, slots=True)
class Identity:
    id: str  # "tsgri"
    name: str
    short_name: str
    code: str  # "TP 00495"
    level: str  # "III"
    nsf: str  # "326 u"
    rome_code: str
    rome_label: str
    created: date  # arrêté de spécialité
    created_label: str
    published: date | None  # JO


@dataclass(frozen=True, slots=True)
class Titre:
    identity: Identity
    ccps: tuple[Ccp, ...]
    capitalisation: CapitalisationRule
    topics: tuple[Topic, ...]
    evolutions: tuple[Evolution, ...]
    legal_texts: tuple[LegalText, ...]
    synonyms: tuple[tuple[str, ...], ...]  # each group: canonical form first
    # Other titres, diplomas and bodies: a question about one of them is about something else,
    # unless the answer chosen speaks of it ("le TSSR a-t-il remplacé le titre ?").
    neighbours: tuple[str, ...] = ()
    resit: ResitRule | None = None  # a titre whose sources give no re-sit rule has none
    # Near misses the engine learns to refuse (from `<titre>.questions.yaml`).
    out_of_scope: tuple[str, ...] = ()
    path: str = ""  # file it was loaded from, for messages
    _topic_index: dict[str, Topic] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._topic_index.update({t.id: t for t in self.topics})

    def topic(self, topic_id: str) -> Topic | None:
        return self._topic_index.get(topic_id)

    def by_role(self, role: Role) -> Topic | None:
        """The topic declared for a role (`check` requires the roles the engine uses)."""
        return next((t for t in self.topics if t.role == role), None)

    def ccp(self, number: int) -> Ccp | None:
        return next((c for c in self.ccps if c.number == number), None)

    def evolution(self, evolution_id: str) -> Evolution | None:
        return next((e for e in self.evolutions if e.id == evolution_id), None)
