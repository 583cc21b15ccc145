"""Accuracy on the development set (tests/devset.yaml): every miss is printed.

In scope: the expected topic answered ("answer" status) for at least 88% of the phrasings.
Out of scope: at least 95% refused (fallback or clarify, never a confident "answer").
The dev set was written by the authors of the first engine and tuned against by it; the engine
now learns from independent writers' phrasings and never from this set, and some of its
questions now have a closer, newer topic (the DSPP's plan, the English level): 88% is what it
holds. The held-out test (test_heldout.py) is the measure of generalisation.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from knowledge.engine import Engine

DEVSET = Path(__file__).parent / "devset.yaml"
TODAY = date(2026, 11, 29)


@pytest.fixture(scope="module")
def devset() -> dict[str, object]:
    data: dict[str, object] = yaml.safe_load(DEVSET.read_text(encoding="utf-8"))
    return data


def test_the_set_is_big_and_varied(devset: dict[str, object], engine: Engine) -> None:
    in_scope = devset["in_scope"]
    assert isinstance(in_scope, dict)
    assert sum(len(v) for v in in_scope.values()) + len(devset["out_of_scope"]) >= 300  # type: ignore[arg-type]
    assert len(devset["out_of_scope"]) >= 60  # type: ignore[arg-type]
    assert all(engine.titre.topic(t) is not None for t in in_scope), "unknown topic id"


def test_in_scope_accuracy(devset: dict[str, object], engine: Engine) -> None:
    in_scope = devset["in_scope"]
    assert isinstance(in_scope, dict)
    total, misses = 0, []
    for topic, questions in in_scope.items():
        for question in questions:
            total += 1
            got = engine.ask(question, today=TODAY)
            if got.status != "answer" or got.topic != topic:
                misses.append(f"  {topic:22} <- {got.status:8} {got.topic} | {question}")
    print(f"\nin scope: {total - len(misses)}/{total} right; misses:")
    print("\n".join(misses) or "  none")
    assert (total - len(misses)) / total >= 0.88


def test_out_of_scope_is_refused(devset: dict[str, object], engine: Engine) -> None:
    questions = devset["out_of_scope"]
    assert isinstance(questions, list)
    answered = []
    for question in questions:
        got = engine.ask(question, today=TODAY)
        if got.status == "answer":
            answered.append(f"  answered {got.topic} ({got.confidence:.2f}) | {question}")
    print(f"\nout of scope: {len(questions) - len(answered)}/{len(questions)} refused; answered:")
    print("\n".join(answered) or "  none")
    assert (len(questions) - len(answered)) / len(questions) >= 0.95
