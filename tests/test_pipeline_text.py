"""Stage 1: normalisation and stems, from the language data."""

from __future__ import annotations

import pytest

from knowledge.language import load_vocabulary
from knowledge.loader import default_titre_path, load_titre
from knowledge.text import Normalizer, fold, sanitize, sentences


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    return Normalizer(load_vocabulary(), load_titre(default_titre_path()).synonyms)


def test_sms_accents_acronyms_and_elisions_meet(normalizer: Normalizer) -> None:
    a = normalizer.prepare("C koi la V.A.E ?")
    b = normalizer.prepare("c'est quoi la vae")
    assert a.stems == b.stems and a.asks


def test_a_synonym_becomes_its_canonical_word(normalizer: Normalizer) -> None:
    assert normalizer.prepare("validation des acquis de l'expérience").words == ("vae",)
    assert normalizer.prepare("DREETS").words == ("ddtefp",)
    # before synonyms, the words as written (the veto reads "livret A" there)
    assert normalizer.prepare("un livret A").plain == ("un", "livret", "a")


def test_english_reaches_french_stems(normalizer: Normalizer) -> None:
    en = normalizer.prepare("What is the deadline?")
    fr = normalizer.prepare("le délai")
    assert en.lang == "en" and fr.lang == "fr"
    assert set(fr.stems) <= set(en.stems)


@pytest.mark.parametrize(
    ("text", "told"),
    [
        ("Combien de CCP ?", "fr"),
        ("How many CCPs are there?", "en"),
        ("CCP3 détails ?", "fr"),  # no marker word: an accented letter tells French
        ("CCP 2 ?", None),  # nothing tells: the caller keeps what it knows
    ],
)
def test_the_language_a_text_tells(normalizer: Normalizer, text: str, told: str | None) -> None:
    assert normalizer.lang_told(text) == told


def test_stemmer_keeps_false_friends_apart(normalizer: Normalizer) -> None:
    assert normalizer.prepare("licenciement").stems != normalizer.prepare("licence").stems
    assert normalizer.prepare("comptable").stems != normalizer.prepare("comptes").stems


def test_function_words_alone_are_still_read(normalizer: Normalizer) -> None:
    assert normalizer.prepare("à plus").stems


def test_lone_surrogates_never_reach_a_reader() -> None:
    clean = sanitize("VAE \ud83d x")
    clean.encode("utf-8")  # would raise on a lone surrogate
    assert clean.startswith("VAE")


def test_sentences() -> None:
    assert sentences("Bonjour. J'ai eu le CCP 1 ! Et après ?\nMerci") == [
        "Bonjour.", "J'ai eu le CCP 1 !", "Et après ?", "Merci"]  # fmt: skip


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("Œuvre l’été, c`est ÇA ! Straße", "oeuvre l'ete, c'est ca ! strasse"),
        ("PLAIN ascii, it's", "plain ascii, it's"),
        ("İ Привет ﬁ 😀", "i привет fi 😀"),  # other scripts and signs stay, marks go
    ],
)
def test_folding_drops_case_accents_and_ligatures_only(written: str, folded: str) -> None:
    assert fold(written) == folded
