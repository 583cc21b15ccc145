"""Answers fit a phone screen (issue 11): the answer first, short; the rest behind buttons.

200 varied questions (the dev set and both held-out sets, every topic and register, drawn
with a fixed seed) through the `ask --json` object: at least 95% of texts within 700
characters, none over 1,500 unless a full list was asked (the topic listing every change).
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest
import yaml

from knowledge.answer import BRIEF_CHARS
from knowledge.engine import Engine
from knowledge.model import Titre

TODAY = date(2026, 12, 5)
TESTS = Path(__file__).parent


SETS = ("devset.yaml", "heldout.yaml", "heldout-round2.yaml")
FULL_LISTS = frozenset({"evolutions"})  # "what changed since": every change, one line each


def varied_questions(n: int = 200) -> list[str]:
    pool: list[str] = []
    for name in SETS:
        data = yaml.safe_load((TESTS / name).read_text(encoding="utf-8"))
        for phrasings in data["in_scope"].values():
            pool.extend(phrasings)
        pool.extend(data["out_of_scope"])
    return random.Random(11).sample(sorted(set(pool)), n)


def test_answers_fit_a_screen(engine: Engine) -> None:
    rows = [engine.ask(q, today=TODAY).to_json() for q in varied_questions()]
    lengths = [len(r["text"]) for r in rows]
    within = sum(n <= BRIEF_CHARS for n in lengths)
    assert within >= 0.95 * len(rows), sorted(lengths)[-10:]
    too_long = [r["question"] for r in rows
                if len(r["text"]) > 1500 and r["topic"] not in FULL_LISTS]  # fmt: skip
    assert too_long == []


def test_the_answer_first_then_one_compact_line_of_changes(engine: Engine) -> None:
    answer = engine.ask("la vae se passe comment", today=TODAY)
    assert answer.topic == "vae"
    # the rule in force first where the référentiel's is out of date (VAE: no minimum since
    # 2022), then the référentiel's own text
    now, original = answer.text.split("\n\n")[:2]
    assert now.startswith("⚠️ Aujourd'hui (VAE : expérience exigée, depuis le 1er janvier 2017, "
                          "puis le 23 décembre 2022)")
    assert "il n'y a plus de durée minimale" in now
    assert original.startswith("Le référentiel :\nLe candidat à la VAE constitue")
    last = answer.text.split("\n\n")[-1]
    assert last == ("Autres changements : dossier écrit du candidat (2016), administration "
                    "qui délivre (2021), VAE : procédure (2024) — sources : bouton « Ce qui a "
                    "changé ».")
    # the full lines, in date order, and the part of the référentiel cut from the screen
    assert len(answer.changes) == 4 and answer.changes[-1].startswith("Depuis le 1er janvier 2024")
    assert "un entretien avec le jury" in answer.details
    assert "un entretien avec le jury" not in answer.text
    assert "« Détails »" in answer.text


def test_a_deadline_keeps_its_date_and_rule_on_screen_and_links_go_to_details(
    engine: Engine,
) -> None:
    answer = engine.ask("premier ccp le 2023-11-30, date limite ?", today=TODAY)
    assert answer.text.startswith("Date à viser : le 30 novembre 2028")
    assert "Règle qui s'applique à vous" in answer.text
    assert "https://" not in answer.text and "https://" in answer.details
    assert len(answer.text) <= BRIEF_CHARS


def test_a_short_answer_is_left_whole(engine: Engine, titre: Titre) -> None:
    answer = engine.ask("le titre est de quel niveau ?", lang="fr", today=TODAY)
    topic = titre.topic("niveau")
    assert topic is not None and answer.topic == "niveau"
    assert topic.answer.fr in answer.text and answer.details == ""
    assert "Détails" not in answer.text
    # the level of today first (niveau 5, since 2019), the référentiel's "niveau III" after
    assert answer.text.index("Niveau 5") < answer.text.index(topic.answer.fr)
    assert answer.text.endswith("La source de ce changement : bouton « Ce qui a changé ».")


@pytest.mark.parametrize(
    ("question", "lang", "today_says"),
    [
        ("Combien d'années d'expérience faut-il pour une VAE ?", "fr", "plus de durée minimale"),
        ("How many years of experience do I need for a VAE?", "en", "no minimum length"),
        ("on peut repasser un ccp combien de fois ?", "fr", "au plus 3 présentations"),
        ("Qui évalue un CCP ?", "fr", "Uniquement des professionnels"),
    ],
)
def test_the_rule_in_force_is_read_first(
    engine: Engine, question: str, lang: str, today_says: str
) -> None:
    answer = engine.ask(question, today=TODAY)
    first = answer.text.split("\n\n")[0]
    assert first.startswith("⚠️ ") and today_says in first, answer.text
    assert answer.lang == lang and len(answer.text) <= BRIEF_CHARS


def test_the_full_list_of_changes_is_one_short_line_each(engine: Engine, titre: Titre) -> None:
    answer = engine.topic_answer("evolutions", today=TODAY, lang="en")
    bullets = [line for line in answer.text.splitlines() if line.startswith("• ")]
    assert len(bullets) == len(titre.evolutions) == len(answer.changes)
    assert "• 2024: VAE: procedure" in bullets and len(answer.text) <= 1500
