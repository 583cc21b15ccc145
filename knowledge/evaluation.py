"""Scoring a question set (`tests/devset.yaml`, `tests/heldout.yaml`): right, refused, wrong.

Right: an in-scope question answered with its topic, or an out-of-scope one refused (clarify or
fallback). Confidently wrong: any other answer. Everything else was refused. Shared by the tests
and `make bench`, so both count the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# (question) -> (status, topic)
Answerer = Callable[[str], tuple[str, str | None]]


@dataclass(frozen=True, slots=True)
class QuestionSet:
    in_scope: Mapping[str, Sequence[str]]
    out_of_scope: Sequence[str]
    # a calibration part's own cap on confident wrong answers (`policy.fit`), when its
    # questions are held to another bar than the plain one (long real-world messages)
    max_wrong: float | None = None

    def items(self) -> Iterator[tuple[str, str | None]]:
        """(question, expected topic or None when out of scope)."""
        for topic, questions in self.in_scope.items():
            for q in questions:
                yield q, topic
        for q in self.out_of_scope:
            yield q, None

    def __len__(self) -> int:
        return sum(len(v) for v in self.in_scope.values()) + len(self.out_of_scope)


def load_set(path: str | Path) -> QuestionSet:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    cap = data.get("max_wrong")
    return QuestionSet(data["in_scope"], data["out_of_scope"],
                       None if cap is None else float(cap))  # fmt: skip


@dataclass(slots=True)
class Score:
    right: int = 0
    refused: int = 0
    wrong: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return self.right + self.refused + self.wrong

    def share(self, count: int) -> float:
        return count / self.n if self.n else 0.0

    def line(self) -> str:
        return (f"{self.share(self.right):6.1%} right  {self.share(self.refused):6.1%} refused  "
                f"{self.share(self.wrong):6.1%} confidently wrong  (n={self.n})")  # fmt: skip


def is_right(expected: str | None, status: str, topic: str | None) -> bool:
    """The expected topic answered, or an out-of-scope question not answered."""
    return (status == "answer" and topic == expected) or (status != "answer" and expected is None)


def score(questions: QuestionSet, answer: Answerer) -> Score:
    s = Score()
    for question, expected in questions.items():
        status, topic = answer(question)
        if is_right(expected, status, topic):
            s.right += 1
        elif status == "answer":
            s.wrong += 1
            s.misses.append(f"  wrong   {expected or 'out of scope'} <- {topic} | {question}")
        else:
            s.refused += 1
            s.misses.append(f"  refused {expected} <- {status} | {question}")
    return s
