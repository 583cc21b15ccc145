"""Generalisation: questions written by people who never saw the engine (tests/heldout.yaml).

Written before any tuning by independent writers given personas and the référentiel, never
tuned on. Right: the expected topic answered, or an out-of-scope question refused. Confidently
wrong: any other answer. Every miss is printed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from knowledge.engine import Engine
from knowledge.evaluation import QuestionSet, Score, load_set, score
from knowledge.loader import default_titre_path, load_titre

HELDOUT = Path(__file__).parent / "heldout.yaml"
TODAY = date(2026, 12, 5)


@pytest.fixture(scope="module")
def questions() -> QuestionSet:
    return load_set(HELDOUT)


@pytest.fixture(scope="module")
def result(questions: QuestionSet) -> Score:
    engine = Engine(load_titre(default_titre_path()))

    def ask(question: str) -> tuple[str, str | None]:
        got = engine.ask(question, today=TODAY)
        return got.status, got.topic

    found = score(questions, ask)
    print(f"\nheld-out: {found.line()}")
    print("\n".join(found.misses) or "  no miss")
    return found


def test_the_set_is_big_and_varied(questions: QuestionSet) -> None:
    assert len(questions) >= 300
    assert len(questions.out_of_scope) >= 60
    long = [q for q, _ in questions.items() if len(q) >= 200]
    assert len(long) >= 40
    assert len(questions.in_scope["delai"]) >= 20


def test_at_least_92_percent_right(result: Score) -> None:
    assert result.share(result.right) >= 0.92


def test_at_most_2_percent_confidently_wrong(result: Score) -> None:
    assert result.share(result.wrong) <= 0.02
