"""A cut answer never hides the fact that was asked (issue 11): the cut knows the question.

Pure tests of `knowledge.focus` (sentences scored against the question, the visible part
chosen around the best one), then real questions whose fact sits late in a long answer,
through the `ask --json` object and through the Application: the fact is on the screen
without pressing a button, the answer's first sentence stays first, the rest is one tap away.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from knowledge.answer import BRIEF_CHARS, brief
from knowledge.engine import Engine
from knowledge.focus import focused, pieces
from tests.conv_support import Conv, buttons_of, text_of

TODAY = date(2026, 12, 5)
LONG = (
    "The fruit stall sells many things. Its list:\n"
    "1. apples from the orchard and the valley\n"
    "2. pears that are ripe in the autumn season\n"
    "3. plums picked by hand each summer morning\n"
    "4. cherries that come in June only\n"
    "Source: https://example.org/stall"
)


def words(text: str) -> frozenset[str]:
    """A plain stand-in for the engine's stems: lowercase words."""
    return frozenset(re.findall(r"[a-z0-9]+", text.lower()))


def cut(question: str, room: int = 150) -> tuple[str, str]:
    return focused(LONG, room, words(question), words, brief(LONG, room))


def test_pieces_are_sentences_and_lines_that_join_back() -> None:
    found = pieces("One. Two? Three\n1. item one\n\nLast line")
    assert [p.text for p in found] == ["One.", "Two?", "Three", "1. item one", "Last line"]
    assert [p.sep for p in found] == ["", " ", " ", "\n", "\n\n"]
    assert found[3].item and not found[2].item


def test_the_plain_cut_stays_when_it_shows_the_answer_or_nothing_matches() -> None:
    plain = brief(LONG, 150)
    assert cut("do they sell apples?") == plain  # item 1 is already on screen
    assert cut("opening hours?") == plain  # no sentence shares a word with the question
    assert cut("") == plain


def test_the_best_sentence_is_brought_on_screen_first_sentence_first() -> None:
    shown, hidden = cut("any cherries in June?")
    assert shown.startswith("The fruit stall sells many things. Its list:")  # with its heading
    assert "4. cherries that come in June only" in shown
    assert len(shown) <= 150
    # everything else is behind "Détails", in reading order; the link never on screen
    assert "https://" not in shown and "https://" in hidden
    for line in LONG.splitlines():
        assert line in shown or line in hidden
    assert hidden.index("2. pears") < hidden.index("3. plums")


def test_a_number_written_in_words_picks_the_item_of_that_number() -> None:
    shown, _ = focused(LONG, 150, words("the 4th") | {"4"}, words, brief(LONG, 150))
    assert "4. cherries" in shown


def test_words_every_sentence_shares_count_for_nothing() -> None:
    text = "Fruit here.\nfruit one apples\nfruit two pears\nfruit three plums"
    shown, _ = focused(text, 35, words("fruit plums"), words, brief(text, 35))
    assert "plums" in shown and shown.startswith("Fruit here.")


@pytest.mark.parametrize(
    ("question", "topic", "fact"),
    [
        ("le ccp1 comprend-il la sécurité physique des ressources ?", "ccp1",
         "9. Gérer la sécurité physique des ressources informatiques"),
        ("le ccp1 a-t-il une compétence sur les télécommunications ?", "ccp1",
         "11. Exploiter les infrastructures de télécommunications"),
        ("ccp1 indicateurs de suivi de la qualité", "ccp1",
         "10. Renseigner et exploiter les indicateurs de suivi de la qualité"),
        ("ccp 3 : rechercher les changements dans l'entreprise", "ccp3",
         "6. Rechercher et analyser les informations sur les changements dans l'entreprise"),
        ("ccp3 évolutions technologiques c'est dedans ?", "ccp3",
         "7. Rechercher et analyser les informations sur les évolutions technologiques"),
        ("quel est le troisième parcours pour obtenir le titre ?", "parcours",
         "3. après un parcours discontinu de formation"),
        ("what is the third way to get the titre?", "parcours",
         "3. after a discontinuous training path"),
        ("vae : lors de la session, sur quoi on est évalué ?", "vae",
         "Lors de cette session, le candidat est évalué par un jury de professionnels"),
    ],
)
def test_a_late_fact_is_on_screen(engine: Engine, question: str, topic: str, fact: str) -> None:
    plain = engine.topic_answer(topic, today=TODAY, lang=engine.detect_lang(question))
    assert fact not in plain.text  # the cut without the question hides it
    row = engine.ask(question, today=TODAY).to_json()
    assert row["topic"] == topic and fact in row["text"]
    assert row["text"].startswith(plain.text.split("\n", 1)[0])  # the first sentence first
    assert len(row["text"]) <= BRIEF_CHARS
    assert set(row) == {"question", "status", "topic", "confidence", "text", "suggestions",
                        "source"}  # the ask --json contract, unchanged


def test_an_answer_without_a_question_is_cut_as_before(engine: Engine) -> None:
    answer = engine.topic_answer("ccp1", today=TODAY, lang="fr")
    assert "7. Suivre et optimiser" in answer.text and "9. Gérer" not in answer.text
    assert not answer.focused


def test_a_computed_deadline_keeps_its_order(engine: Engine) -> None:
    answer = engine.ask("premier ccp en mars 2020, est-ce trop tard pour finir ?", today=TODAY)
    assert answer.deadline is not None and "Règle qui s'applique à vous" in answer.text


async def test_in_the_chat_the_fact_is_shown_and_details_give_the_whole_list(conv: Conv) -> None:
    [answer] = await conv.send("le ccp1 comprend-il la sécurité physique des ressources ?")
    body = text_of(answer)
    assert "9. Gérer la sécurité physique des ressources informatiques" in body
    assert "… la suite : bouton « Détails »." in body
    [details] = await conv.press(answer, "➕ Détails")
    shown = text_of(details)
    # the whole list, in order: what the short answer skipped is there too
    assert shown.index("7. Suivre et optimiser") < shown.index("8. Administrer") \
        < shown.index("9. Gérer la sécurité physique") < shown.index("12. Utiliser l'anglais")
    again = await conv.press_again(answer, "➕ Détails")
    assert text_of(again[0]) == shown  # pressed twice: the same, kindly


async def test_in_english_too(conv: Conv) -> None:
    [answer] = await conv.send("what is the third way to get the titre?", language_code="en")
    assert "3. after a discontinuous training path" in text_of(answer)
    assert "➕ Details" in buttons_of(answer)
