"""The FAQ document: every topic a person can ask about, with what the bot answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge.faq import faq
from knowledge.loader import default_titre_path, load_titre
from knowledge.model import Titre
from knowledge.training import phrasings

MINI = Path(__file__).parent / "fixtures" / "mini-titre.yaml"


@pytest.fixture(scope="module")
def titre() -> Titre:
    return load_titre(default_titre_path())


def test_json_lists_every_topic_with_everything_the_engine_learns(titre: Titre) -> None:
    entries = json.loads(faq(titre, "json"))
    assert all(set(e) == {"topic", "title", "questions", "answer"} for e in entries)
    ids = [e["topic"] for e in entries]
    assert ids == [t.id for t in titre.topics] and "bonjour" in ids
    by_id = {e["topic"]: e for e in entries}
    vae = titre.topic("vae")
    assert vae is not None
    assert set(vae.questions) <= set(by_id["vae"]["questions"])  # phrasings, title, keywords
    learnt = {q for e in entries for q in e["questions"]}
    assert learnt | set(titre.out_of_scope) == {q for q, _ in phrasings(titre)}
    assert "trois ans" in by_id["vae"]["answer"]
    assert "1. Suivre et optimiser les performances des serveurs" in by_id["ccp1"]["answer"]
    assert "Depuis le 1er janvier 2017, puis le 23 décembre 2022" in by_id["vae_experience"][
        "answer"
    ]


def test_markdown_has_a_heading_per_topic(titre: Titre) -> None:
    text = faq(titre, "md")
    assert text.startswith("# TSGRI")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert len(headings) == sum(1 for t in titre.topics if t.kind != "smalltalk")
    assert "## Le DSPP (dossier de synthèse de pratique professionnelle)" in text
    assert "_Source : Modalités d'obtention, § 2 (VAE)_" in text
    assert "Le référentiel ne le dit pas." in text  # silent topics say so


def test_english_faq(titre: Titre) -> None:
    entries = json.loads(faq(titre, "json", lang="en"))
    assert next(e for e in entries if e["topic"] == "ccp3")["answer"].startswith("CCP 3 —")
    assert "Its 7 competences" in next(e for e in entries if e["topic"] == "ccp3")["answer"]
    assert "Since 2014, then 2018 (The CCP as a bloc de compétences)" in next(
        e for e in entries if e["topic"] == "activites"
    )["answer"]
    text = faq(titre, "md", lang="en")
    assert "Frequently asked questions (TP 00495)." in text
    assert '*Asked as:* "' in text and "_Source: " in text


def test_another_titre_and_a_bad_format() -> None:
    mini = load_titre(MINI)
    assert "## Le délai" in faq(mini, "md")
    with pytest.raises(ValueError, match="md or json"):
        faq(mini, "pdf")  # type: ignore[arg-type]
