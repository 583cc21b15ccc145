"""A long answer cut to fit a screen keeps the part the question asks about.

`knowledge.answer.brief` keeps the first lines that fit and sends the rest behind "Détails":
it does not know the question, so the sentence that answers it can be cut. `focused` scores
every sentence of the answer against the question — the terms they share (stems, and a number
the question writes in words found as digits: "troisième" → "3."), each weighed by how rare it
is among the answer's sentences, so that words every sentence shares count for nothing, and
leaving out the words of the first sentence (which names the topic) — and when the best match
was cut, chooses the visible part around it: the first
sentence first, the best match (with the line introducing it when it is an item of a list,
and the items it introduces), then the rest in reading order while it fits. Pure: the terms of
a text are a parameter (`knowledge.answer` reads them with the engine's `Normalizer`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

Terms = Callable[[str], frozenset[str]]  # the terms of a text (stems, numbers)
Cut = tuple[str, str]  # (what the screen shows, what goes behind "Détails")

LINK: Final = "://"  # a sentence holding a web link is a source: never on screen
_SENTENCE_END: Final = re.compile(r"(?<![\d\s])[.!?](?=\s)")  # "1. Suivre…" is not one
_ITEM: Final = re.compile(r"^\s*(?:[-•–]|\d+[.)])\s")  # "- un DSPP…", "3. après un…"
_INTRODUCES: Final = ":"  # "… sur la base des éléments suivants :" opens a list


@dataclass(frozen=True, slots=True)
class Piece:
    """One sentence of an answer and what stood before it ("\\n\\n", "\\n" or " ")."""

    text: str
    sep: str

    @property
    def item(self) -> bool:
        return self.sep != " " and bool(_ITEM.match(self.text))

    @property
    def opens_list(self) -> bool:
        return self.text.rstrip().endswith(_INTRODUCES)


def pieces(text: str) -> list[Piece]:
    """The sentences of `text` in order, each with the separator before it (line breaks
    kept, so that the pieces put back together give the text again)."""
    out: list[Piece] = []
    sep = ""
    for line in text.split("\n"):
        if not line.strip():
            sep = "\n\n" if out else ""
            continue
        start = 0
        for match in _SENTENCE_END.finditer(line):
            out.append(Piece(line[start : match.end()].strip(), sep or ("\n" if out else "")))
            sep, start = " ", match.end()
        out.append(Piece(line[start:].strip(), sep or ("\n" if out else "")))
        sep = ""
    return [p for p in out if p.text]


def join(chosen: Sequence[Piece]) -> str:
    return "".join((p.sep if i else "") + p.text for i, p in enumerate(chosen)).strip()


def scores(question: frozenset[str], found: Sequence[frozenset[str]]) -> list[float]:
    """Each piece's share of the question's terms, a term weighing log(N / pieces having
    it): a term every piece has weighs nothing, a term only one piece has weighs most."""
    n = len(found)
    df = {term: sum(term in terms for terms in found) for term in question}
    weight = {term: math.log(n / k) for term, k in df.items() if k}
    return [sum(weight.get(term, 0.0) for term in question & terms) for terms in found]


def best_piece(question: frozenset[str], parts: Sequence[Piece], terms: Terms) -> int | None:
    """The piece after the first that answers the question best (the first on ties), if any
    matches. An
    item of a list is read with the line introducing it ("Ses 12 compétences :" is said of
    each). The first sentence, always shown, names the topic: the words of the question it
    holds ("CCP 1", "VAE") say which answer, not which part of it, and are left out."""
    own = [frozenset() if LINK in p.text else terms(p.text) for p in parts]
    # Numbers are left out of what a heading or the first sentence lends: "three ways" counts
    # the items, "the third" picks one.
    words = [frozenset(term for term in found if not term.isdigit()) for found in own]
    found = [own[i] | words[h] if (h := _heading(parts, i)) is not None else own[i]
             for i in range(len(parts))]  # fmt: skip
    marks = scores(question - words[0], found)
    best = max(range(1, len(parts)), key=lambda i: (marks[i], -i), default=None)
    return best if best is not None and marks[best] > 0 else None


def focused(text: str, room: int, question: frozenset[str], terms: Terms, plain: Cut) -> Cut:
    """`plain` (the cut made without the question) unless it hides the piece that answers
    the question best; then the visible part chosen around that piece, within `room` (the
    first sentence first when both fit, else the answering piece alone)."""
    kept, rest = plain
    parts = pieces(text)
    if not rest or not question or len(parts) < 2:
        return plain
    best = best_piece(question, parts, terms)
    if best is None or parts[best].text in kept:
        return plain
    def fits(indexes: set[int]) -> bool:
        return len(join([parts[i] for i in sorted(indexes)])) <= room

    chosen = {0, *_group(parts, best)}
    if not fits(chosen):  # no room for the opening as well (a rule in force above it)
        chosen = set(_group(parts, best))
    if not fits(chosen):
        return plain  # the answering piece alone does not fit: leave the plain cut
    for group in (_items(parts, best), range(1, len(parts))):  # its list, then reading order
        for i in group:
            if i in chosen or LINK in parts[i].text:
                continue
            if not fits({*chosen, i}):
                break  # the first that does not fit ends the group: no holes further on
            chosen.add(i)
    shown = [p for i, p in enumerate(parts) if i in chosen]
    hidden = [p for i, p in enumerate(parts) if i not in chosen]
    return join(shown), join(hidden)


def _heading(parts: Sequence[Piece], index: int) -> int | None:
    """The line introducing a list item ("… les éléments suivants :"), if it has one."""
    if not parts[index].item:
        return None
    for i in range(index - 1, -1, -1):
        if parts[i].opens_list:
            return i
        if not parts[i].item:
            return None
    return None


def _group(parts: Sequence[Piece], best: int) -> list[int]:
    """The best piece, with the line introducing it when it is an item of a list."""
    heading = _heading(parts, best)
    return [best] if heading is None else [heading, best]


def _items(parts: Sequence[Piece], best: int) -> list[int]:
    """The items a piece introduces ("… les éléments suivants :" then "- …")."""
    if not parts[best].opens_list:
        return []
    found = []
    for i in range(best + 1, len(parts)):
        if not parts[i].item:
            break
        found.append(i)
    return found
