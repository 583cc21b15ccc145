"""Generalisation: questions written by people who never saw the engine.

`tests/heldout.yaml` (round 1, 550 questions) and `tests/heldout-round2.yaml` to
`heldout-round54.yaml` (rounds 2-54, 177 to 564 each; 18,625 in all), each written apart by
writers given personas and the référentiel, committed before it was first measured, never tuned
on. Right: the expected topic answered, or an out-of-scope question refused. Confidently wrong:
any other answer. Every miss is printed.

Pooled over every round, the bar of issue 9: at least 92% right, at most 2% confidently wrong.
Plain questions (`tests/plain-round5.yaml` to `plain-round54.yaml`: one clear question a message,
one hundred and thirty-six more writers), pooled: at least 96% right, at most 2% confidently
wrong.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from knowledge.engine import Engine
from knowledge.evaluation import Score, load_set, score

HERE = Path(__file__).parent
SETS = {"round 1": HERE / "heldout.yaml"} | {
    f"round {n}": HERE / f"heldout-round{n}.yaml" for n in range(2, 55)
}
PLAIN = {f"plain {n}": HERE / f"plain-round{n}.yaml" for n in range(5, 55)}
TODAY = date(2026, 12, 5)
# Pooled over every round (18,625 questions): the figures issue 9 names for fresh sets.
RIGHT_AT_LEAST = 0.92
WRONG_AT_MOST = 0.02
# One round alone is smaller (round 2: 204 questions, one question = 0.5%): the issue's own bar
# for a fresh set, 90% right and at most 3% confidently wrong. (It was 2.5% until round 7, which
# measured 2.7% on its first run: 11 of 406; the bar follows the issue, the miss is reported.)
ROUND_RIGHT_AT_LEAST = 0.90
ROUND_WRONG_AT_MOST = 0.03
PLAIN_RIGHT_AT_LEAST = 0.96
PLAIN_WRONG_AT_MOST = 0.02


@pytest.fixture(scope="module")
def results(engine: Engine) -> dict[str, Score]:
    def ask(question: str) -> tuple[str, str | None]:
        got = engine.ask(question, today=TODAY)
        return got.status, got.topic

    out = {}
    for name, path in (SETS | PLAIN).items():
        out[name] = score(load_set(path), ask)
        print(f"\nheld-out {name}: {out[name].line()}")
        print("\n".join(out[name].misses) or "  no miss")
    return out


def test_the_first_set_is_big_and_varied() -> None:
    questions = load_set(SETS["round 1"])
    assert len(questions) >= 300
    assert len(questions.out_of_scope) >= 60
    assert len([q for q, _ in questions.items() if len(q) >= 200]) >= 40
    assert len(questions.in_scope["delai"]) >= 20


def pooled(results: dict[str, Score], names: dict[str, Path]) -> tuple[float, float]:
    """(share right, share confidently wrong) over several sets taken as one."""
    scores = [results[name] for name in names]
    n = sum(r.n for r in scores)
    return sum(r.right for r in scores) / n, sum(r.wrong for r in scores) / n


@pytest.mark.slow
def test_pooled_over_every_round(results: dict[str, Score]) -> None:
    right, wrong = pooled(results, SETS)
    assert right >= RIGHT_AT_LEAST and wrong <= WRONG_AT_MOST


@pytest.mark.slow
def test_plain_questions_pooled(results: dict[str, Score]) -> None:
    right, wrong = pooled(results, PLAIN)
    assert right >= PLAIN_RIGHT_AT_LEAST and wrong <= PLAIN_WRONG_AT_MOST


# Rounds that missed a bar on their first measurement: reported, not tuned away. Strict: when an
# engine meets the bar on one of them, this says so and the entry goes.
MISSED = {
    "round 42": "3.3% confidently wrong (11 of 335) on its first run, at b1de5d5; within the bar "
                "from 289c299; 3.9% (13 of 335) with the nearest phrasings' vote",
}


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=MISSED[name]))
     if name in MISSED else name for name in sorted(SETS)],
)  # fmt: skip
def test_each_round(results: dict[str, Score], name: str) -> None:
    assert results[name].share(results[name].right) >= ROUND_RIGHT_AT_LEAST
    assert results[name].share(results[name].wrong) <= ROUND_WRONG_AT_MOST
