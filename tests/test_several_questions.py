"""A message that asks several things (engine._also): answered on its surest question, each
other question the policy would answer alone named under it, its topic the first button."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.engine import Engine
from knowledge.loader import default_titre_path, load_titre

TODAY = date(2026, 12, 6)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_titre(default_titre_path()))


def test_the_other_questions_are_named_and_offered_first(engine: Engine) -> None:
    """A tester's message asked three things and got one answer, with none of the others
    among its buttons."""
    answer = engine.ask(
        "Jai eu le CCP1 le 22/03/2019 et le CCP2 en octobre 2023. Mon centre dit que le titre va "
        "fermer. Combien de temps il me reste exactement ? Et je peux repasser le CCP3 sans "
        "refaire la formation ?", today=TODAY)  # fmt: skip
    assert answer.topic == "delai" and answer.deadline is not None
    assert answer.text.endswith("Vous demandez aussi : « Repasser après un échec » — boutons "
                                "ci-dessous.")  # fmt: skip
    assert answer.related[0].topic == "repasser"


def test_one_question_or_one_topic_adds_nothing(engine: Engine) -> None:
    single = engine.ask("C'est quoi la VAE ?", today=TODAY)
    assert "Vous demandez aussi" not in single.text
    same = engine.ask("C'est quoi la VAE ? Comment ça marche la VAE ?", today=TODAY)
    assert same.topic == "vae" and "Vous demandez aussi" not in same.text


def test_in_english_too(engine: Engine) -> None:
    answer = engine.ask("What is the VAE? And how much does it cost?", today=TODAY)
    assert "You also ask about:" in answer.text
    assert {answer.topic, answer.related[0].topic} == {"vae", "cout"}
