"""No fact of the référentiel is left unreachable.

The source text (kept beside the YAML) is cut into its sentences and lines; each one that
states a fact must be mapped in tests/coverage.yaml to a question, and the engine must answer
that question with the expected topic and show the fact. A sentence added to the source and
mapped by nothing fails `test_every_sentence_of_the_source_is_mapped`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from knowledge.loader import default_titre_path, load_titre

SOURCE = default_titre_path().parent / "referentiel-tsgri.txt"
MAPPING = Path(__file__).parent / "coverage.yaml"
TODAY = date(2026, 11, 29)


@dataclass(frozen=True)
class Fact:
    match: str
    question: str
    topic: str
    expect: str


def fold(text: str) -> str:
    """Compare without case, accents, bold markers, footnote marks or spacing differences."""
    text = text.replace("’", "'").replace("**", "").replace("¹", "").replace("²", "")
    text = text.replace("^{er}", "er")
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.split())


def sentences(raw: str) -> list[str]:
    """Lines of the source, a paragraph cut by a page break joined again, then sentences."""
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    joined: list[str] = []
    for line in lines:
        prev = joined[-1] if joined else ""
        if prev and not prev.startswith("- ") and not re.search(r"[.;:,)]$", prev) \
                and line[:1].islower():
            joined[-1] = f"{prev} {line}"
        else:
            joined.append(line)
    return [s for line in joined for s in re.split(r"(?<=[.])\s+(?=[A-ZÀ-Ý])", line)]


def load_mapping() -> tuple[list[Fact], list[str]]:
    data: dict[str, Any] = yaml.safe_load(MAPPING.read_text(encoding="utf-8"))
    facts = [Fact(**entry) for entry in data["facts"]]
    ignored = [entry["match"] for entry in data.get("ignore", [])]
    return facts, ignored


FACTS, IGNORED = load_mapping()
SENTENCES = sentences(SOURCE.read_text(encoding="utf-8"))


def test_source_is_cut_into_its_sentences() -> None:
    # a guard on the cutting itself: the 24 competence lines and the paragraph split by a page
    assert len([s for s in SENTENCES if s.startswith("- ") and "- o " not in s]) == 24 + 5
    assert any(s.startswith("Sa mission est") and "systèmes d'exploitation" in s for s in SENTENCES)
    assert len(SENTENCES) > 70


def test_every_sentence_of_the_source_is_mapped() -> None:
    keys = [fold(f.match) for f in FACTS] + [fold(m) for m in IGNORED]
    unmapped = [s for s in SENTENCES if not any(k in fold(s) for k in keys)]
    assert unmapped == [], "sentences of the référentiel mapped to no question:\n" + "\n".join(
        unmapped
    )


def test_every_mapping_still_points_at_the_source() -> None:
    folded = [fold(s) for s in SENTENCES]
    stale = [f.match for f in FACTS if not any(fold(f.match) in s for s in folded)]
    stale += [m for m in IGNORED if not any(fold(m) in s for s in folded)]
    assert stale == []


def test_expected_topics_exist() -> None:
    titre = load_titre(default_titre_path())
    assert sorted({f.topic for f in FACTS} - {t.id for t in titre.topics}) == []


@pytest.fixture(scope="module")
def engine() -> Any:
    # Imported here so that the mapping tests above run even while the engine is being
    # written; a missing or broken engine makes every question below fail (never skip).
    from knowledge.engine import Engine

    return Engine(load_titre(default_titre_path()))


@pytest.mark.parametrize("fact", FACTS, ids=[f"{f.topic}:{f.question}" for f in FACTS])
def test_the_question_reaches_the_fact(engine: Any, fact: Fact) -> None:
    answer = engine.ask(fact.question, today=TODAY)
    assert (answer.status, answer.topic) == ("answer", fact.topic), answer.text
    # on screen, or one tap away behind "Détails" when the answer was cut to fit a phone
    assert fold(fact.expect) in fold(answer.text + "\n" + answer.details), answer.text
