"""Language data of the answering engine (`data/lang/*.yaml`), loaded once into frozen objects.

Everything the engine knows of French and English lives in those files: function words, question
words, SMS spellings, elisions, the English → French glossary, everyday compounds that mean another
subject, number words and relative dates. Nothing here knows a titre; nothing in the engine's
Python holds a word list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from knowledge.model import Lang
from knowledge.problems import KnowledgeError, Problem
from knowledge.yamlfile import Builder, build_file

__all__ = ["LanguageFile", "Vocabulary", "default_language_paths", "load_vocabulary",
           "read_language"]  # fmt: skip


@dataclass(frozen=True, slots=True)
class LanguageFile:
    """One `data/lang/<code>.yaml` as written (the loader checks every key and type)."""

    language: Lang
    markers: str  # words that tell this language from the other one
    stop_words: str  # words that say nothing of what is asked
    question_words: str  # words that make a sentence a question
    marker_letters: str = ""  # letters that tell it when no word does ("détails ?")
    counting_words: str = ""  # words that ask "how many"
    which_words: str = ""  # words that ask "which one" ("c'est dans quel CCP ?")
    numbering_words: str = ""  # words between a unit and its number ("CCP numéro 2")
    courtesy_words: str = ""  # greetings and thanks around a question ("bonjour", "merci")
    past_words: str = ""  # before a trade or diploma, make it the writer's past ("ancienne")
    own_words: str = ""  # the writer's own CCP: "mon" before it, "j" before an auxiliary
    others_words: str = ""  # someone else's: "son" before it, "il" before an auxiliary
    auxiliaries: str = ""  # after a subject, say it obtained something ("il a obtenu")
    passive_words: str = ""  # after an auxiliary, make its subject the thing ("il a été validé")
    failed_words: str = ""  # a CCP failed, not obtained: its date opens no window ("raté")
    joining_words: str = ""  # join two events in a sentence ("raté le CCP 3 … et eu le CCP 1 …")
    elisions: dict[str, str] = field(default_factory=dict)  # "l" (from "l'") -> "le"
    contractions: dict[str, str] = field(default_factory=dict)  # "re" (from "'re") -> "are"
    spellings: dict[str, str] = field(default_factory=dict)  # "koi" -> "quoi"
    glossary: dict[str, str] = field(default_factory=dict)  # English word -> French word
    off_topic: tuple[str, ...] = ()  # compounds that mean another subject ("permis de conduire")
    numbers: dict[str, int] = field(default_factory=dict)  # "deuxieme" -> 2
    ordinal_words: str = ""  # numbers that rank ("deuxieme"): before a unit they name one
    relative: dict[str, str] = field(default_factory=dict)  # "il y a {n} ans" -> "years"
    months: dict[str, int] = field(default_factory=dict)  # "fevr" -> 2 (accent-free)
    weekdays: str = ""  # "lundi ...": said before a date, never part of it
    days_ago: dict[str, int] = field(default_factory=dict)  # "hier" -> 1, "demain" -> -1
    quantity_words: str = ""  # a number before one is a quantity, not a year
    reference_words: str = ""  # a number after one is a reference, not a year
    unit_words: str = ""  # what a titre's certificates are called ("ccp"), before their number
    date_openers: str = ""  # said before a typed date ("le", "depuis", "on")
    month_joiners: str = ""  # between a day and its month ("3rd of May")
    ordinal_suffixes: str = ""  # after a day's number ("1er", "3rd")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Both languages merged, as the pipeline reads them (words are accent-free, lowercase)."""

    markers: Mapping[Lang, frozenset[str]]
    marker_letters: Mapping[Lang, frozenset[str]]
    stop_words: frozenset[str]
    question_words: frozenset[str]
    counting: frozenset[str]
    which: frozenset[str]
    numbering: frozenset[str]
    courtesy: frozenset[str]
    past: frozenset[str]
    own: frozenset[str]
    others: frozenset[str]
    auxiliaries: frozenset[str]
    passive: frozenset[str]
    failed: frozenset[str]
    joining: frozenset[str]
    elisions: Mapping[str, str]
    contractions: Mapping[str, str]
    spellings: Mapping[str, tuple[str, ...]]
    glossary: Mapping[str, str]
    off_topic: tuple[tuple[str, ...], ...]
    numbers: Mapping[str, int]
    ordinals: frozenset[str]
    relative: tuple[tuple[tuple[str, ...], str], ...]  # ("il","y","a","{n}","ans"), "years"
    months: Mapping[str, int]
    weekdays: frozenset[str]
    days_ago: Mapping[str, int]
    quantity_words: frozenset[str]
    reference_words: frozenset[str]
    units: frozenset[str]
    date_openers: frozenset[str]
    month_joiners: frozenset[str]
    ordinal_suffixes: frozenset[str]


def default_language_paths() -> tuple[Path, ...]:
    folder = Path(__file__).resolve().parent / "data" / "lang"
    return tuple(sorted(folder.glob("*.yaml")))


def read_language(path: str | Path) -> tuple[LanguageFile | None, list[Problem]]:
    """One language file, or every problem in it with its line."""
    value, problems = build_file(LanguageFile, path, _check_ordinals)
    return (value if isinstance(value, LanguageFile) else None), problems


def _check_ordinals(found: LanguageFile, builder: Builder) -> None:
    """An ordinal that is not a number would silently never name a CCP."""
    unknown = [w for w in found.ordinal_words.split() if w not in found.numbers]
    if unknown:
        line = builder.line_of(found, "ordinal_words")
        builder.problem(line, f"ordinal_words: not among the numbers: {', '.join(unknown)}")


def load_vocabulary(paths: Sequence[str | Path] = ()) -> Vocabulary:
    """Merge the language files (both shipped ones by default); raise on the first bad file."""
    files: list[LanguageFile] = []
    for path in paths or default_language_paths():
        found, problems = read_language(path)
        if problems or found is None:
            raise KnowledgeError(problems)
        files.append(found)
    return merge(files)


def merge(files: Sequence[LanguageFile]) -> Vocabulary:
    def words(name: str) -> frozenset[str]:
        return frozenset(w for f in files for w in str(getattr(f, name)).split())

    def mapping(name: str) -> dict[str, object]:
        out: dict[str, object] = {}
        for f in files:
            out.update(getattr(f, name))
        return out

    spellings = {k: tuple(str(v).split()) for k, v in mapping("spellings").items()}
    relative = tuple((tuple(k.split()), str(v)) for k, v in mapping("relative").items())
    return Vocabulary(
        markers=MappingProxyType({f.language: frozenset(f.markers.split()) for f in files}),
        marker_letters=MappingProxyType({f.language: frozenset(f.marker_letters) for f in files}),
        stop_words=words("stop_words"),
        question_words=words("question_words"),
        counting=words("counting_words"),
        which=words("which_words"),
        numbering=words("numbering_words"),
        courtesy=words("courtesy_words"),
        past=words("past_words"),
        own=words("own_words"),
        others=words("others_words"),
        auxiliaries=words("auxiliaries"),
        passive=words("passive_words"),
        failed=words("failed_words"),
        joining=words("joining_words"),
        elisions=MappingProxyType({k: str(v) for k, v in mapping("elisions").items()}),
        contractions=MappingProxyType({k: str(v) for k, v in mapping("contractions").items()}),
        spellings=MappingProxyType(spellings),
        glossary=MappingProxyType({k: str(v) for k, v in mapping("glossary").items()}),
        off_topic=tuple(tuple(c.split()) for f in files for c in f.off_topic),
        numbers=MappingProxyType({k: int(str(v)) for k, v in mapping("numbers").items()}),
        ordinals=words("ordinal_words"),
        relative=relative,
        months=MappingProxyType({k: int(str(v)) for k, v in mapping("months").items()}),
        weekdays=words("weekdays"),
        days_ago=MappingProxyType({k: int(str(v)) for k, v in mapping("days_ago").items()}),
        quantity_words=words("quantity_words"),
        reference_words=words("reference_words"),
        units=words("unit_words"),
        date_openers=words("date_openers"),
        month_joiners=words("month_joiners"),
        ordinal_suffixes=words("ordinal_suffixes"),
    )

