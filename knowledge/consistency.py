"""The référentiel's rules that no single field shows, checked on the whole titre at once.

Duplicate ids, dangling references, empty texts, a phrasing under two topics, overlapping
synonym groups, dates in the wrong order. `cross_check` is run by the loader on every titre it
reads, so the bot refuses to start with exactly the messages `python -m bot check` prints.
Imports only the model and `Problem`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Protocol

from knowledge.model import Titre, Topic
from knowledge.problems import Problem

__all__ = ["Where", "cross_check", "fold"]

_TOPIC_ID = re.compile(r"^[a-z0-9_]{1,40}$")
_STATUS = re.compile(r"^[VPU](\s*/\s*[VPU])*$")


class Where(Protocol):
    """Where the loader read each object (file and lines)."""

    file: str
    broken_ids: set[str]  # entries that could not be built (already reported)

    def line_of(self, obj: object, field: str | None = None, index: int | None = None) -> int: ...


def cross_check(titre: Titre, where: Where) -> list[Problem]:
    """Problems that no single field shows: duplicates, dangling references, empty texts."""
    out: list[Problem] = []

    def bad(obj: object, message: str, field: str | None = None, index: int | None = None) -> None:
        out.append(Problem(where.file, where.line_of(obj, field, index), message))

    _check_unique_ids(titre, where, bad)
    _check_topics(titre, where, bad)
    _check_questions(titre, bad)
    _check_roles(titre, bad)
    for c in titre.ccps:
        if not c.competences:
            bad(c, f"CCP {c.number}: has no competences", "competences")
    _check_rule(titre, where, bad)
    _check_resit(titre, where, bad)
    _check_dated_texts(titre, bad)
    _check_synonyms(titre, bad)
    return out


class _Bad(Protocol):
    def __call__(
        self, obj: object, message: str, field: str | None = None, index: int | None = None
    ) -> None: ...


def _check_unique_ids(titre: Titre, where: Where, bad: _Bad) -> None:
    _unique(bad, where, ((t, "id", t.id, "topic") for t in titre.topics))
    _unique(bad, where, ((c, "number", c.number, "CCP number") for c in titre.ccps))
    _unique(bad, where, ((c, "id", c.id, "CCP id") for c in titre.ccps))
    competences = [k for c in titre.ccps for k in c.competences]
    _unique(bad, where, ((k, "id", k.id, "competence id") for k in competences))
    _unique(bad, where, ((e, "id", e.id, "evolution id") for e in titre.evolutions))
    _unique(bad, where, ((t, "id", t.id, "legal text id") for t in titre.legal_texts))


def _check_topics(titre: Titre, where: Where, bad: _Bad) -> None:
    """Each topic's id, references (related topics, evolutions, CCPs) and texts; every
    evolution shown by some topic."""
    topic_ids = {t.id for t in titre.topics} | where.broken_ids
    evolution_ids = {e.id for e in titre.evolutions} | where.broken_ids
    ccp_numbers = {c.number for c in titre.ccps} | {
        int(i) for i in where.broken_ids if i.isdigit()
    }
    shown = {ref for t in titre.topics for ref in t.evolutions}
    for e in titre.evolutions:
        if e.id not in shown:
            bad(e, f"evolution {e.id!r} is attached to no topic, so the bot would never show it",
                "id")
    for t in titre.topics:
        name = f"topic {t.id!r}"
        if not _TOPIC_ID.match(t.id):
            bad(t, f"{name}: an id may only hold a-z, 0-9 and _ (up to 40), as it goes into "
                "links and buttons", "id")
        _check_references(t, name, topic_ids, evolution_ids, ccp_numbers, bad)
        if not t.questions:
            bad(t, f"{name}: needs at least one example question", "questions")
        if not t.answer.fr.strip():
            bad(t, f"{name}: the French answer is empty", "answer")
        if not t.title.fr.strip():
            bad(t, f"{name}: the French title is empty", "title")
        if t.kind == "fact" and not t.source.strip():
            bad(t, f"{name}: a fact needs its source (part of the référentiel)", "source")


def _check_references(
    t: Topic,
    name: str,
    topic_ids: set[str],
    evolution_ids: set[str],
    ccp_numbers: set[int],
    bad: _Bad,
) -> None:
    for i, ref in enumerate(t.related):
        if ref not in topic_ids:
            bad(t, f"{name}: related topic {ref!r} is not defined", "related", i)
        elif ref == t.id:
            bad(t, f"{name}: lists itself as related", "related", i)
    for i, ref in enumerate(t.evolutions):
        if ref not in evolution_ids:
            bad(t, f"{name}: evolution {ref!r} is not defined", "evolutions", i)
    if t.now is not None and t.now not in t.evolutions:
        bad(t, f"{name}: now {t.now!r} is not one of its evolutions", "now")
    for i, num in enumerate(t.ccps):
        if num not in ccp_numbers:
            bad(t, f"{name}: CCP {num} is not defined", "ccps", i)


def _check_roles(titre: Titre, bad: _Bad) -> None:
    roles: dict[str, str] = {}
    for t in titre.topics:
        if t.role is not None and t.role in roles:
            bad(t, f"topic {t.id!r}: role {t.role!r} is already topic {roles[t.role]!r}'s", "role")
        elif t.role is not None:
            roles[t.role] = t.id


def _check_resit(titre: Titre, where: Where, bad: _Bad) -> None:
    """The re-sit rule: its evolution exists, a topic answers it, and the other way round."""
    rule, topic = titre.resit, titre.by_role("resit")
    if rule is None:
        if topic is not None:
            bad(topic, f"topic {topic.id!r}: role 'resit' needs a `resit:` rule in the file",
                "role")
        return
    if rule.evolution not in {e.id for e in titre.evolutions} | where.broken_ids:
        bad(rule, f"resit: evolution {rule.evolution!r} is not defined", "evolution")
    if rule.months < 1:
        bad(rule, "resit: months must be at least 1", "months")
    if topic is None:
        bad(rule, "resit: no topic has role 'resit' (the one its dates go beside)")


def _check_rule(titre: Titre, where: Where, bad: _Bad) -> None:
    """The capitalisation rule: its evolution exists, its numbers and dates make sense."""
    evolution_ids = {e.id for e in titre.evolutions} | where.broken_ids
    rule = titre.capitalisation
    if rule.evolution is not None and rule.evolution not in evolution_ids:
        bad(rule, f"capitalisation: evolution {rule.evolution!r} is not defined", "evolution")
    if rule.years < 1:
        bad(rule, "capitalisation: years must be at least 1", "years")
    if rule.grace_years_after_validity < 0:
        bad(rule, "capitalisation: grace_years_after_validity cannot be negative",
            "grace_years_after_validity")
    valid_until = rule.titre_valid_until
    if valid_until is not None and valid_until < titre.identity.created:
        bad(rule, f"capitalisation: titre_valid_until {valid_until} is before the titre was "
            f"created ({titre.identity.created})", "titre_valid_until")
    elif valid_until is not None and rule.rule_change and valid_until < rule.rule_change:
        bad(rule, f"capitalisation: titre_valid_until {valid_until} is before rule_change "
            f"({rule.rule_change}), the day the rule that uses it came into force",
            "titre_valid_until")


def _check_dated_texts(titre: Titre, bad: _Bad) -> None:
    """Evolutions' status codes, and texts published no earlier than signed or created."""
    for e in titre.evolutions:
        if not _STATUS.match(e.status.strip()):
            bad(e, f"evolution {e.id!r}: status {e.status!r} is not V, P, U or e.g. 'V / U'",
                "status")
    for lt in titre.legal_texts:
        if lt.published is not None and lt.published < lt.signed:
            bad(lt, f"legal text {lt.id!r}: published before it was signed", "published")
    ident = titre.identity
    if ident.published is not None and ident.published < ident.created:
        bad(ident, "identity: published before it was created", "published")


def _unique(
    bad: _Bad, where: Where, items: Iterable[tuple[object, str, object, str]]
) -> None:
    first: dict[object, object] = {}
    for obj, field, value, what in items:
        if value in first:
            bad(obj, f"duplicate {what} {value!r} (first defined at line "
                f"{where.line_of(first[value], field)})", field)
        else:
            first[value] = obj


# ASCII punctuation to spaces, as `[^\w+]` would (`_` and `+` stay): a byte table (folding the
# 26,000 phrasings checked at start-up took 99 ms here, against 129 ms with a `str` table)
_ASCII_PUNCTUATION = bytes(
    c if chr(c).isalnum() or chr(c) in "_+" or c >= 128 else ord(" ") for c in range(256)
)

# the accents NFKD takes off Latin letters (é → e + U+0301): dropped at C speed
_LATIN_MARKS = re.compile(
    "[" + "".join(chr(c) for c in range(0x300, 0x370) if unicodedata.combining(chr(c))) + "]+"
)


def fold(text: str) -> str:
    """Lower case, no accents, no punctuation: how two phrasings are told apart."""
    text = text.casefold()
    if not text.isascii():
        text = _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", text))
    if text.isascii():  # most phrasings, once their accents are off: read at C speed
        return " ".join(text.encode().translate(_ASCII_PUNCTUATION).decode().split())
    # « », ’, emoji, another script: marks one by one
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w+]+", " ", text).split())


def _check_questions(titre: Titre, bad: _Bad) -> None:
    """The same example question under two topics would make matching a coin toss."""
    owner: dict[str, str] = {}
    for t in titre.topics:
        for i, q in enumerate(t.questions):
            key = fold(q)
            if not key:
                bad(t, f"topic {t.id!r}: empty example question", "questions", i)
            elif key in owner:
                where = "twice" if owner[key] == t.id else f"also under topic {owner[key]!r}"
                bad(t, f"topic {t.id!r}: example question {q!r} is {where}", "questions", i)
            else:
                owner[key] = t.id
        seen: set[str] = set()
        for i, k in enumerate(t.keywords):
            if fold(k) in seen:
                bad(t, f"topic {t.id!r}: keyword {k!r} is listed twice", "keywords", i)
            seen.add(fold(k))


def _check_synonyms(titre: Titre, bad: _Bad) -> None:
    group_of: dict[str, int] = {}
    for g, group in enumerate(titre.synonyms):
        if len(group) < 2:
            bad(titre, f"synonyms: group {g + 1} needs at least two terms", "synonyms", g)
        for term in group:
            key = fold(term)
            if not key:
                bad(titre, f"synonyms: empty term in group {g + 1}", "synonyms", g)
            elif key in group_of and group_of[key] != g:
                bad(titre, f"synonyms: {term!r} is in groups {group_of[key] + 1} and {g + 1}",
                    "synonyms", g)
            else:
                group_of.setdefault(key, g)
