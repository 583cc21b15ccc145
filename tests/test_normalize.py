"""French normalisation: what a person types and what the index holds must meet."""

from __future__ import annotations

import pytest

from knowledge.normalize import detect_lang, normalize, strip_accents


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("C'EST QUOI LA VAE ?", "ce est quoi la vae"),
        ("c’est quoi la V.A.E.", "ce est quoi la vae"),  # typographic apostrophe, dotted acronym
        ("Qu'est-ce que le DSPP ?", "que est ce que le dspp"),
        ("L'épreuve de synthèse", "le epreuve de synthese"),
        ("j'ai jusqu'à quand", "je ai jusque a quand"),
        ("Délai   de\tcapitalisation !!!", "delai de capitalisation"),
        ("Œuvre, cœur", "oeuvre coeur"),
    ],
)
def test_case_accents_elisions_punctuation(typed: str, expected: str) -> None:
    assert normalize(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("c koi la vae", "ce est quoi la vae"),
        ("cest koi le ccp2", "ce est quoi le ccp 2"),
        ("cb de tps pr tt valider", "combien de temps pour tout valider"),
        ("jpeux passer le ccp3", "je peux passer le ccp 3"),
        ("jsuis perdu svp", "je suis perdu s il vous plait"),
        ("qd je passe le ccp", "quand je passe le ccp"),
        ("bcp de questions ds ma tete", "beaucoup de questions dans ma tete"),
        ("slt pk pq", "salut pourquoi pourquoi"),
        ("mon 1er CCP", "mon premier ccp"),
    ],
)
def test_sms_spellings_are_written_out(typed: str, expected: str) -> None:
    assert normalize(typed) == expected


def test_english_contractions() -> None:
    assert normalize("What's the deadline? I don't know, it's CCP2") == (
        "what is the deadline i do not know it is ccp 2"
    )


def test_digits_split_from_letters_but_not_inside_numbers() -> None:
    assert normalize("CCP1 TP 00495 et ccp 2") == "ccp 1 tp 00495 et ccp 2"


def test_strip_accents_keeps_letters() -> None:
    assert strip_accents("éèêëàâçîïôûùü") == "eeeeaaciiouuu"


@pytest.mark.parametrize(
    "question",
    [
        "C'est quoi la VAE ?",
        "combien de temps pour avoir tous les CCP",
        "c koi le dspp",
        "Bonjour",
        "délai",
    ],
)
def test_french_questions_are_french(question: str) -> None:
    assert detect_lang(question) == "fr"


@pytest.mark.parametrize(
    "question",
    [
        "What is the VAE?",
        "How long do I have to get all the CCPs?",
        "Do I need to speak English?",
        "My first CCP was on 22/06/2022",
        "Hello, who are you?",
    ],
)
def test_english_questions_are_english(question: str) -> None:
    assert detect_lang(question) == "en"
