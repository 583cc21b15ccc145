"""Nothing in the engine is TSGRI's: an invented titre from another trade (a cook, its own YAML,
20 topics, phrasings and a dev set written by another writer) is answered with no code change."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from knowledge.calibration import C_GRID, calibrate
from knowledge.engine import Engine
from knowledge.evaluation import load_set, score
from knowledge.language import load_vocabulary
from knowledge.loader import load_titre
from knowledge.text import Normalizer

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


def test_calibrate_chooses_on_every_part_beside_the_titre(tmp_path: Path) -> None:
    # the other titre's dev set stands in for a calibration part here: what matters is that
    # every part is read, fitted on and reported, and that the strength tried is one of the grid
    for name in ("cuisine.yaml", "cuisine.questions.yaml"):
        (tmp_path / name).write_text((OTHER / name).read_text(encoding="utf-8"), encoding="utf-8")
    devset = (OTHER / "cuisine.devset.yaml").read_text(encoding="utf-8")
    (tmp_path / "cuisine.calibration.yaml").write_text(devset, encoding="utf-8")
    (tmp_path / "cuisine.more.calibration.yaml").write_text(devset, encoding="utf-8")
    titre = load_titre(tmp_path / "cuisine.yaml")
    _, policy, text = calibrate(titre, Normalizer(load_vocabulary(), titre.synonyms))
    assert policy.c in C_GRID
    assert "# cuisine.calibration.yaml (" in text and "# cuisine.more.calibration.yaml (" in text
    assert "cross-validation" not in text
