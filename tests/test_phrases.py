"""The knowledge core's phrase catalogue: complete in both languages, checked when loaded, used."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from knowledge.check import check_files
from knowledge.deadline import in_force_text
from knowledge.engine import Engine
from knowledge.loader import KnowledgeError, default_titre_path, load_titre
from knowledge.model import Evolution, Text
from knowledge.phrases import (
    KEYS,
    Phrases,
    default_phrases,
    default_phrases_path,
    load_phrases,
    placeholders,
    read_phrases,
)

SHIPPED = default_phrases_path()
TODAY = date(2026, 11, 29)


def variant(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    """The shipped file with one change, written to a temporary file."""
    text = SHIPPED.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    text = text.replace(old, new)
    path = tmp_path / "phrases.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def messages(path: Path) -> list[str]:
    return [str(p) for p in read_phrases(path)[1]]


# --- the shipped catalogue ------------------------------------------------------------------


def test_every_phrase_has_fr_and_en_with_the_same_placeholders() -> None:
    phrases = default_phrases()
    assert set(phrases.texts) == KEYS
    for key in sorted(KEYS):
        fr, en = phrases.texts[key]
        assert fr.strip() and en.strip(), key
        fr_fields, en_fields = placeholders(phrases, key)
        assert fr_fields == en_fields, key


def test_every_phrase_is_used_by_the_code() -> None:
    """A phrase nobody says is dead text a translator would still maintain."""
    code = "\n".join(
        p.read_text(encoding="utf-8") for p in (SHIPPED.parent.parent).glob("**/*.py")
        if p.name != "phrases.py"
    )  # fmt: skip
    quoted = set(re.findall(r"[\"']([a-z_]+(?:\.[a-z_]+)?)[\"']", code))
    assert sorted(KEYS - quoted) == []


def test_the_shipped_file_passes_check() -> None:
    assert check_files([SHIPPED]) == []


def test_default_phrases_are_read_once() -> None:
    assert default_phrases() is default_phrases()


def test_get_fills_the_placeholders_in_the_asked_language() -> None:
    phrases = default_phrases()
    assert phrases.get("deadline.first_ccp", "fr", first="1er mars 2022") == (
        "Premier CCP : 1er mars 2022."
    )
    assert phrases.get("deadline.first_ccp", "en", first="1 March 2022") == (
        "First CCP: 1 March 2022."
    )


# --- what the loader refuses, with file:line -------------------------------------------------


def test_unknown_key(tmp_path: Path) -> None:
    path, text = variant(tmp_path, "faq.silent:", "faq.silence:")
    line = line_of(text, "faq.silence:")
    first = line_of(text, "when.day:")  # a missing phrase is reported where the phrases begin
    assert messages(path) == [
        f"{path}:{first}: missing phrase 'faq.silent'",
        f"{path}:{line}: unknown phrase key 'faq.silence'",
    ]
    with pytest.raises(KnowledgeError):
        load_phrases(path)


def test_missing_english(tmp_path: Path) -> None:
    path, text = variant(
        tmp_path,
        'faq.asked: {fr: "Questions posées :", en: "Asked as:"}',
        'faq.asked: {fr: "Questions posées :"}',
    )
    line = line_of(text, "faq.asked:")
    assert messages(path) == [f"{path}:{line}: phrase 'faq.asked': missing the en text"]


def test_empty_text_and_unknown_language(tmp_path: Path) -> None:
    path, text = variant(
        tmp_path,
        'faq.asked: {fr: "Questions posées :", en: "Asked as:"}',
        'faq.asked: {fr: "Questions posées :", en: , de: "Gefragt:"}',
    )
    line = line_of(text, "faq.asked:")
    assert messages(path) == [
        f"{path}:{line}: phrase 'faq.asked', en: no text",
        f"{path}:{line}: phrase 'faq.asked': 'de' is not fr or en",
    ]


def test_placeholders_that_differ(tmp_path: Path) -> None:
    path, text = variant(tmp_path, 'en: "First CCP: {first}."', 'en: "First CCP: {date}."')
    line = line_of(text, "deadline.first_ccp:")
    assert messages(path) == [
        f"{path}:{line}: phrase 'deadline.first_ccp': fr and en differ in placeholders "
        "(only in fr: first; only in en: date)"
    ]


def test_a_broken_placeholder(tmp_path: Path) -> None:
    path, text = variant(tmp_path, 'en: "First CCP: {first}."', 'en: "First CCP: {first."')
    line = line_of(text, 'en: "First CCP: {first."')
    assert messages(path)[0].startswith(f"{path}:{line}: phrase 'deadline.first_ccp', en: ")


OTHER_CLOSED_NEXT = (
    '    fr: "Le centre de formation ou la DREETS peut dire ce qui reste possible."'
)


def test_an_other_form_with_other_placeholders(tmp_path: Path) -> None:
    path, text = variant(tmp_path, "possible.\"\n    en: \"The training centre or the DREETS "
                         "can tell what is still possible.\"",
                         "possible ({n}).\"\n    en: \"The DREETS can tell ({n}).\"")  # fmt: skip
    line = line_of(text, "possible ({n})")
    assert messages(path) == [f"{path}:{line}: phrase 'deadline.closed_next': its other "
                              "form has other placeholders than the phrase"]  # fmt: skip


def test_an_other_form_missing_a_language(tmp_path: Path) -> None:
    path, text = variant(tmp_path, OTHER_CLOSED_NEXT + "\n", "")
    line = line_of(text, '    en: "The training centre or the DREETS can tell what')
    assert messages(path) == [
        f"{path}:{line}: phrase 'deadline.closed_next.other': missing the fr text"
    ]


def test_other_forms_are_said_of_someone_else() -> None:
    shipped = default_phrases()
    assert shipped.others, "the deadline's phrases have forms said of a candidate"
    theirs = shipped.about_another()
    for key, (fr, en) in shipped.others.items():
        assert theirs.texts[key] == (fr, en)
        assert placeholders(theirs, key) == placeholders(shipped, key), key
        assert not re.search(r"\b(votre|vos|vous)\b", fr.replace("donnez-moi", "")), key
        assert not re.search(r"\b(your|you)\b", en), key
    assert shipped.texts["deadline.open"][0].startswith("Votre fenêtre")  # own answers keep it


def test_not_yaml(tmp_path: Path) -> None:
    path = tmp_path / "phrases.yaml"
    path.write_text("clarify: {fr: [\n", encoding="utf-8")
    assert messages(path)[0].startswith(f"{path}:")
    assert "not valid YAML" in messages(path)[0]


# --- the engine says what the catalogue holds ----------------------------------------------


def test_engine_uses_the_phrases_it_is_given() -> None:
    shipped = default_phrases()
    texts = dict(shipped.texts)
    texts["fallback"] = ("Hors sujet ({short}, {n} CCP). {name}", "Off topic ({short}). {name}{n}")
    engine = Engine(load_titre(default_titre_path()), phrases=Phrases(texts))
    answer = engine.ask("Quelle est la capitale du Pérou ?", today=TODAY)
    assert answer.status == "fallback"
    assert answer.text.startswith("Hors sujet (TSGRI, 3 CCP).")


# --- a change's date as precise as its source (item: no invented day) -----------------------

E12 = Evolution(
    id="E12",
    title=Text("Le CCP, bloc de compétences", "The CCP as a bloc de compétences"),
    referentiel_says=Text("—"),
    later_rule=Text("Un CCP est un bloc.", "A CCP is a bloc."),
    in_force=date(2014, 1, 1),
    in_force_label="2014 / 2018",
    status="V",
    sources=("ash.tm.fr",),
)


@pytest.mark.parametrize(
    ("label", "fr", "en"),
    [
        ("2019-01-09", "le 9 janvier 2019", "9 January 2019"),
        ("2014 / 2018", "2014, puis 2018", "2014, then 2018"),
        ("2017-01-01 / 2022-12-23", "le 1er janvier 2017, puis le 23 décembre 2022",
         "1 January 2017, then 23 December 2022"),
        ("2014-03", "mars 2014", "March 2014"),
        ("début 2014", "début 2014", "début 2014"),  # not a date list: as written
        ("2014-13", "2014-13", "2014-13"),  # not a real month: as written, never guessed
        ("", "le 1er janvier 2014", "1 January 2014"),  # no label: the recorded date
    ],
)  # fmt: skip
def test_in_force_text(label: str, fr: str, en: str) -> None:
    evolution = replace(E12, in_force_label=label)
    assert in_force_text(evolution, "fr", default_phrases()) == fr
    assert in_force_text(evolution, "en", default_phrases()) == en
