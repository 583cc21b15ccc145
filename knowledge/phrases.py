"""The knowledge core's own sentences (French and English), read once from `data/phrases.yaml`.

The project keeps what the bot says out of the code: the conversation layer has its catalogue,
and this is the one of the knowledge core (which never imports the conversation layer). The file
is validated when loaded, with the référentiel's `file:line: what is wrong` messages: a key the
code does not know or does not find, a missing language, placeholders that differ between French
and English. `PhraseKey` lists the keys, so mypy checks every `get` call against them.

A phrase may carry an `other:` form, said when the CCPs are someone else's (an advisor asking for
a candidate): "le premier CCP" where the user's own answer says "votre premier CCP".
`Phrases.about_another` is the same phrases with those forms in place.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Final, Literal, get_args

import yaml

from knowledge.model import Lang
from knowledge.problems import KnowledgeError, Problem
from knowledge.yamlfile import compose_file, line_of

__all__ = ["KEYS", "PhraseKey", "Phrases", "default_phrases", "load_phrases", "read_phrases"]

PhraseKey = Literal[
    "when.day", "when.then", "years.one", "years.many", "sources.separator",
    "evolution.line", "evolution.to_check", "evolution.summary", "evolution.item",
    "evolution.list", "evolution.bullet", "evolution.line_cited", "evolution.now",
    "evolution.original",
    "evolution.source_only", "evolution.source_and_others", "more.details", "clarify",
    "fallback", "fallback.close",
    "deadline.closed", "deadline.last_day", "deadline.open", "deadline.target_open",
    "deadline.target_last_day", "deadline.target_passed", "deadline.first_ccp",
    "deadline.rule_referentiel", "deadline.rule_referentiel_before", "deadline.rule_in_force",
    "deadline.validity_known", "deadline.unknown_ahead", "deadline.unknown_passed",
    "deadline.closed_next", "deadline.to_check", "deadline.sources", "deadline.ago_days",
    "deadline.ago_years", "deadline.source_in_force",
    "dated.from_saved",
    "dated.future", "dated.future_set_aside", "dated.from_first", "dated.not_a_day",
    "dated.a_month", "dated.a_year",
    "dated.impossible", "dated.no_year", "dated.no_such_date", "dated.twelve_months",
    "dated.month_days",
    "dated.before_creation", "dated.earliest", "dated.relative",
    "resit.open", "resit.passed", "resit.before_rule", "also.asked",
    "ccp.name", "ccp.contents", "ccp.none", "competence.in_one", "competence.in_many",
    "competence.where_item", "competence.and", "count.all", "count.item", "count.shared_one",
    "count.shared_many",
    "faq.intro", "faq.asked", "faq.quoted", "faq.silent", "faq.source",
]  # fmt: skip
KEYS: Final = frozenset(get_args(PhraseKey))
_LANGS: Final = ("fr", "en")
OTHER: Final = "other"  # a phrase's form said of someone else's CCPs


@dataclass(frozen=True, slots=True, eq=False)
class Phrases:
    """Every phrase in both languages; `get` fills one in with `str.format`."""

    texts: Mapping[str, tuple[str, str]]  # key -> (French, English)
    path: str = ""
    others: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # key -> its `other:` form

    def get(self, key: PhraseKey, lang: Lang, /, **values: object) -> str:
        return self.texts[key][1 if lang == "en" else 0].format(**values)

    def about_another(self) -> Phrases:
        """The phrases said of someone else's CCPs: each `other:` form in place of its phrase."""
        return Phrases(MappingProxyType({**self.texts, **self.others}), self.path)


def default_phrases_path() -> Path:
    """The phrases shipped with the bot."""
    return Path(__file__).resolve().parent / "data" / "phrases.yaml"


@functools.cache
def default_phrases() -> Phrases:
    """The shipped phrases, read once per process (the file does not change while running)."""
    return load_phrases(default_phrases_path())


def load_phrases(path: str | Path) -> Phrases:
    """Load and validate a phrases file; raise `KnowledgeError` listing all problems."""
    phrases, problems = read_phrases(path)
    if problems or phrases is None:
        raise KnowledgeError(problems)
    return phrases


def read_phrases(path: str | Path) -> tuple[Phrases | None, list[Problem]]:
    """Like `load_phrases`, but return the problems instead of raising."""
    name = str(path)
    root, problems = compose_file(path)
    if root is None:
        return None, problems
    if not isinstance(root, yaml.MappingNode):
        return None, [Problem(name, line_of(root), "expected a mapping of phrase keys")]
    texts: dict[str, tuple[str, str]] = {}
    others: dict[str, tuple[str, str]] = {}
    for key_node, value_node in root.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        line = line_of(key_node)
        if not isinstance(key, str) or key not in KEYS:
            problems.append(Problem(name, line, f"unknown phrase key {key!r}"))
        elif key in texts:
            problems.append(Problem(name, line, f"phrase {key!r} given twice"))
        else:
            pair = _pair(name, key, value_node, problems)
            if pair is not None:
                texts[key] = pair
                other = _other(name, key, value_node, problems)
                if other is not None:
                    others[key] = other
    seen = {k.value for k, _ in root.value if isinstance(k, yaml.ScalarNode)}
    for key in sorted(KEYS - seen):
        problems.append(Problem(name, line_of(root), f"missing phrase {key!r}"))
    problems.sort(key=lambda p: p.line)
    if problems:
        return None, problems
    return Phrases(MappingProxyType(texts), name, MappingProxyType(others)), []


def _other(
    name: str, key: str, node: yaml.MappingNode, problems: list[Problem]
) -> tuple[str, str] | None:
    """A phrase's `other:` form, if it has one; its placeholders must be the phrase's own."""
    found = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode)
                  and k.value == OTHER), None)  # fmt: skip
    if found is None:
        return None
    pair = _pair(name, f"{key}.{OTHER}", found, problems)  # not a mapping: said there
    if pair is None:
        return None
    main = {_placeholders(t) for t in _texts(node)}
    if {_placeholders(t) for t in pair} != main:
        problems.append(Problem(name, line_of(found), f"phrase {key!r}: its {OTHER} form "
                                "has other placeholders than the phrase"))  # fmt: skip
        return None
    return pair


def _texts(node: yaml.MappingNode) -> list[str]:
    return [str(v.value) for k, v in node.value
            if isinstance(k, yaml.ScalarNode) and k.value in _LANGS]  # fmt: skip


def _pair(
    name: str, key: str, node: yaml.Node, problems: list[Problem]
) -> tuple[str, str] | None:
    """(French, English) of one phrase, or None once its problems are recorded."""
    line = line_of(node)
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem(name, line, f"phrase {key!r}: expected {{fr: ..., en: ...}}"))
        return None
    found: dict[str, tuple[str, int]] = {}
    ok = True
    for lang_node, text_node in node.value:
        lang = lang_node.value if isinstance(lang_node, yaml.ScalarNode) else None
        if lang == OTHER and not key.endswith(f".{OTHER}"):
            continue  # the phrase's form said of someone else (`_other`)
        if lang not in _LANGS or lang in found:
            what = "given twice" if lang in found else "is not fr or en"
            problems.append(Problem(name, line_of(lang_node), f"phrase {key!r}: {lang!r} {what}"))
            ok = False
        elif not isinstance(text_node, yaml.ScalarNode) or text_node.tag.endswith(":null"):
            problems.append(Problem(name, line_of(text_node), f"phrase {key!r}, {lang}: no text"))
            ok = False
        else:
            found[str(lang)] = (str(text_node.value), line_of(text_node))
    for lang in _LANGS:
        if lang not in found and ok:
            problems.append(Problem(name, line, f"phrase {key!r}: missing the {lang} text"))
            ok = False
    if not ok:
        return None
    fields: dict[str, frozenset[str]] = {}
    for lang, (text, text_line) in found.items():
        try:
            fields[lang] = _placeholders(text)
        except ValueError as exc:
            problems.append(Problem(name, text_line, f"phrase {key!r}, {lang}: {exc}"))
            ok = False
    if ok and fields["fr"] != fields["en"]:
        only_fr = ", ".join(sorted(fields["fr"] - fields["en"])) or "-"
        only_en = ", ".join(sorted(fields["en"] - fields["fr"])) or "-"
        problems.append(
            Problem(
                name,
                line,
                f"phrase {key!r}: fr and en differ in placeholders "
                f"(only in fr: {only_fr}; only in en: {only_en})",
            )
        )
        ok = False
    return (found["fr"][0], found["en"][0]) if ok else None


def _placeholders(text: str) -> frozenset[str]:
    """Names of the `{placeholders}` of a str.format text; ValueError if it is not one."""
    names = set()
    for _, placeholder, spec, _ in string.Formatter().parse(text):
        if placeholder is None:
            continue
        if not placeholder.isidentifier():
            raise ValueError(f"placeholder {{{placeholder}}} is not a plain name")
        if spec and "{" in spec:
            raise ValueError(f"placeholder {{{placeholder}}} has a nested placeholder")
        names.add(placeholder)
    return frozenset(names)


def placeholders(phrases: Phrases, key: str) -> tuple[frozenset[str], frozenset[str]]:
    """Placeholders of one phrase in French and in English (for tests and tools)."""
    fr, en = phrases.texts[key]
    return _placeholders(fr), _placeholders(en)
