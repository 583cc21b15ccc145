"""Later changes of the law beside every answer that states the old rule, said as people can
use them: no internal id, status in words, date order, each once, sources as full links."""

from __future__ import annotations

import re
from datetime import date

import pytest

from knowledge.answer import evolution_lines
from knowledge.engine import Engine
from knowledge.model import Titre

TODAY = date(2026, 11, 29)

# For each evolution: the topics whose answer states the old rule (as evolutions.md lists the
# rule the référentiel gives), and how to recognise that rule in a French answer, so that a
# new answer stating it is caught too. E3, E11 and E12 change nothing the référentiel states.
OLD_RULE: dict[str, tuple[str, tuple[str, ...]]] = {
    "E1": (r"9 [Mm]ars 2006|2006/13", ("textes",)),
    "E2": (r"cinq ans|5 ans", ("delai", "attribution_partielle")),
    "E4": (r"binôme", ("parcours", "capitalisation", "evaluation_ccp")),
    "E5": (r"DSPP|[Dd]ossier de [Ss]ynthèse",
           ("parcours", "formation", "vae", "capitalisation", "evaluation_ccp", "dspp",
            "entretien", "evaluations_formation")),
    "E6": (r"DDTEFP|Direction Départementale",
           ("parcours", "vae", "vae_recevabilite", "parchemin", "livret", "ddtefp")),
    "E7": (r"niveau III", ("titre", "niveau")),
    "E8": (r"trois ans|3 ans", ("vae", "vae_experience")),
    "E9": (r"notification de recevabilité", ("parcours", "vae", "vae_recevabilite", "ddtefp")),
    "E10": (r"titulaire du [Tt]itre", ("ccs", "ccs_conditions")),
}
_ID = re.compile(r"\bE\d{1,2}\b")
_BARE_HOST = re.compile(r"(?<![/\w.-])[a-z0-9-]+\.(?:fr|com|net|org)\b")


@pytest.mark.parametrize("evolution_id", sorted(OLD_RULE))
def test_every_topic_stating_the_old_rule_shows_the_change(
    titre: Titre, evolution_id: str
) -> None:
    pattern, listed = OLD_RULE[evolution_id]
    assert titre.evolution(evolution_id) is not None
    stating = {
        t.id for t in titre.topics
        if t.kind == "fact" and re.search(pattern, t.answer.fr) and t.id != "evolutions"
    }
    assert set(listed) <= stating, (
        f"{evolution_id}: listed topics no longer state the old rule: {set(listed) - stating}"
    )
    lacking = sorted(t for t in stating | set(listed)
                     if evolution_id not in (titre.topic(t) or titre.topics[0]).evolutions)
    assert lacking == [], f"{evolution_id} is missing beside: {lacking}"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_answers_hold_no_internal_id_and_only_full_links(titre: Titre, lang: str) -> None:
    engine = Engine(titre)
    for topic in titre.topics:
        text = engine.topic_answer(topic.id, today=TODAY, lang="fr" if lang == "fr" else "en").text
        assert not _ID.search(text), f"{topic.id}: {_ID.search(text)}"
        assert not _BARE_HOST.search(text), f"{topic.id}: {_BARE_HOST.search(text)}"


def test_changes_in_date_order_each_once_status_in_words(titre: Titre) -> None:
    engine = Engine(titre)
    e2, e5, e11 = (titre.evolution(i) for i in ("E2", "E5", "E11"))
    assert e2 is not None and e5 is not None and e11 is not None
    lines = evolution_lines([e5, e2, e11, e2], "fr", engine.phrases)
    assert len(lines) == 3  # E2 given twice, said once
    assert lines[0].startswith("Depuis 2013, puis 2023 (Le titre lui-même, à vérifier)")
    assert "Délai de capitalisation" in lines[1] or "Délai de capitalisation" in lines[2]
    assert "https://mmi-deco.com/aide/passage-de-lexamen/" in "\n".join(lines)
    by_subject = {ev.id: next(line for line in lines if ev.title.fr in line)
                  for ev in (e2, e5, e11)}
    assert "à vérifier" in by_subject["E11"] and "à vérifier" in by_subject["E5"]  # U, P
    assert "à vérifier" not in by_subject["E2"]  # V: stated by its sources
    answer = "\n".join(engine.topic_answer("evolutions", today=TODAY, lang="fr").changes)
    years = [int(m) for m in re.findall(r"^Depuis (?:le \S+ \S+ )?(\d{4})", answer, re.M)]
    assert years == sorted(years) and len(years) == len(titre.evolutions)


def test_resitting_after_a_failure_shows_its_own_change(titre: Titre) -> None:
    engine = Engine(titre)
    answer = engine.topic_answer("attribution_partielle", today=TODAY, lang="fr")
    assert answer.text.startswith("⚠️ Aujourd'hui (délai de capitalisation des CCP")  # E2 first
    assert "se représenter après un échec (2016)" in answer.text  # named on screen
    text = "\n".join(answer.changes)  # in full behind "Ce qui a changé"
    assert "1 an pour se représenter" in text  # E3, beside the partial award
    assert "tant que le titre est valide" in text  # E2, beside "cinq ans"
