"""Nothing in the engine is TSGRI's: an invented titre from another trade (a cook, its own YAML,
20 topics, phrasings and a dev set written by another writer) is answered with no code change."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from knowledge.engine import Engine
from knowledge.evaluation import load_set, score
from knowledge.loader import load_titre

pytestmark = pytest.mark.slow  # trains a ranker (seconds)

OTHER = Path(__file__).parent / "fixtures" / "other"
TODAY = date(2026, 12, 5)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_titre(OTHER / "cuisine.yaml"))  # trained at start: no model shipped


def test_it_has_twenty_topics_and_its_roles(engine: Engine) -> None:
    assert len(engine.titre.topics) == 20
    assert engine.titre.by_role("deadline") is not None


def test_its_dev_set_is_answered(engine: Engine) -> None:
    def ask(question: str) -> tuple[str, str | None]:
        got = engine.ask(question, today=TODAY)
        return got.status, got.topic

    result = score(load_set(OTHER / "cuisine.devset.yaml"), ask)
    print(f"\ncuisine dev set: {result.line()}")
    print("\n".join(result.misses) or "  no miss")
    assert result.share(result.right) >= 0.90
    assert result.share(result.wrong) <= 0.05


def test_its_deadline_uses_its_own_rule(engine: Engine) -> None:
    answer = engine.ask("j'ai eu mon premier CCP le 14/06/2023, j'ai jusqu'à quand ?", today=TODAY)
    assert answer.deadline is not None and answer.deadline.closes_on == date(2027, 6, 14)
