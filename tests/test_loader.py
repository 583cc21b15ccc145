"""The loader reads any référentiel into the model, and says exactly where a file is wrong."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from knowledge.loader import (
    KnowledgeError,
    cache_path,
    default_titre_path,
    load_titre,
    questions_path,
)
from knowledge.model import Text, Titre

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini-titre.yaml"
SOURCE = default_titre_path().parent / "referentiel-tsgri.txt"

# docs/ARCHITECTURE.md, "Topic ids": deep links, buttons and the dev set rely on these.
FACT_IDS = [
    "titre", "identite", "niveau", "creation", "rome", "metier", "mission", "ressources",
    "activites", "ccp1", "ccp2", "ccp3", "anglais", "parcours", "formation", "vae",
    "vae_experience", "vae_recevabilite", "capitalisation", "evaluation_ccp", "jury", "dspp",
    "epreuve_synthese", "entretien", "evaluations_formation", "attribution_partielle", "delai",
    "entretien_final", "ccs", "ccs_conditions", "parchemin", "livret", "ddtefp", "textes",
    "evolutions", "repasser", "titre_actuel", "reconnaissance", "fermeture_titre",
    "jury_parcours", "dspp_plan", "documents", "ccp_ccs",
]
SILENT_IDS = [
    "cout", "duree_formation", "centres", "sessions", "salaire", "prerequis", "equivalences",
    "financement", "resultats", "jour_examen", "recevabilite_duree", "niveau_anglais", "contester",
    "etranger",
]
SMALLTALK_IDS = ["bonjour", "merci", "aurevoir", "qui_es_tu", "aide"]
ENGLISH = re.compile(r"^(what|how|who|which|where|when|is|do|does|can|will|are|tell)\b", re.I)


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


@pytest.fixture(scope="module")
def tsgri() -> Titre:
    return load_titre(default_titre_path())


# ------------------------------------------------------------------ the shipped référentiel
def test_topic_ids_are_exactly_the_documented_ones(tsgri: Titre) -> None:
    kinds = {t.id: t.kind for t in tsgri.topics}
    assert kinds == (
        dict.fromkeys(FACT_IDS, "fact")
        | dict.fromkeys(SILENT_IDS, "silent")
        | dict.fromkeys(SMALLTALK_IDS, "smalltalk")
    )


def test_identity_and_rule(tsgri: Titre) -> None:
    ident = tsgri.identity
    assert (ident.code, ident.level, ident.nsf) == ("TP 00495", "III", "326 u")
    assert (ident.rome_code, ident.rome_label) == ("32311", "Informaticien d'exploitation")
    assert (ident.created, ident.published) == (date(2003, 12, 9), date(2003, 12, 18))
    assert ident.short_name == "TSGRI"
    rule = tsgri.capitalisation
    assert (rule.years, rule.rule_change, rule.evolution) == (5, date(2016, 6, 1), "E2")
    assert rule.titre_valid_until is None


def test_ccps_hold_the_competences_word_for_word(tsgri: Titre) -> None:
    source = fold(SOURCE.read_text(encoding="utf-8"))
    assert [(c.number, len(c.competences)) for c in tsgri.ccps] == [(1, 12), (2, 5), (3, 7)]
    for ccp in tsgri.ccps:
        assert f"ccp - {fold(ccp.title.fr)}" in source, ccp.title.fr
        assert ccp.title.en
        for comp in ccp.competences:
            assert f"- {fold(comp.text.fr)}\n" in source + "\n" or fold(comp.text.fr) in source
            assert comp.text.en, comp.id
    english = [c.number for c in tsgri.ccps if any("anglais" in k.text.fr for k in c.competences)]
    assert english == [1, 2]


def test_competence_lines_of_the_source_are_all_in_the_yaml(tsgri: Titre) -> None:
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    bullets = [fold(x[2:]) for x in lines if x.startswith("- ") and not x.startswith("- o ")]
    bullets = [b for b in bullets if not re.match(r"(decret|arrete|circulaire)", b)]
    ours = [fold(k.text.fr) for c in tsgri.ccps for k in c.competences]
    assert ours == bullets


def test_evolutions_are_dated_sourced_and_attached(tsgri: Titre) -> None:
    ids = [e.id for e in tsgri.evolutions]
    assert ids == [f"E{i}" for i in range(1, 13)]
    e2 = tsgri.evolution("E2")
    assert e2 is not None and e2.in_force == date(2016, 6, 1) and e2.confirmed
    e8 = tsgri.evolution("E8")
    assert e8 is not None and e8.in_force_label == "2017-01-01 / 2022-12-23"
    e5 = tsgri.evolution("E5")
    assert e5 is not None and e5.status == "P" and not e5.confirmed  # shown as "à vérifier"
    for evo in tsgri.evolutions:
        assert evo.sources and evo.later_rule.en
        assert any(evo.id in t.evolutions for t in tsgri.topics if t.id != "evolutions"), evo.id
    delai = tsgri.topic("delai")
    assert delai is not None and "E2" in delai.evolutions


def test_every_topic_is_complete(tsgri: Titre) -> None:
    for t in tsgri.topics:
        assert t.title.en and t.answer.en, t.id
        # many writers, every register (the phrasings file adds to the topic's own)
        assert len(t.questions) >= (25 if t.kind == "smalltalk" else 40), (t.id, len(t.questions))
        if t.kind != "smalltalk":
            assert any(q.isascii() and ENGLISH.search(q) for q in t.questions), t.id
        if t.kind == "fact":
            assert t.source, t.id
        if t.kind == "silent":
            assert "référentiel ne" in t.answer.fr, t.id
        for evo in tsgri.evolutions:  # answers quote the référentiel, the engine adds changes
            assert evo.later_rule.fr not in t.answer.fr


def test_legal_texts_and_synonyms(tsgri: Titre) -> None:
    dates = [(t.signed, t.published) for t in tsgri.legal_texts]
    assert (date(2002, 8, 2), date(2002, 8, 6)) in dates
    assert (date(2006, 6, 6), None) in dates
    assert len(dates) == 6
    groups = {g[0]: g for g in tsgri.synonyms}
    assert "bloc de competences" in groups["ccp"]
    assert "dreets" in groups["ddtefp"]
    assert "dossier de synthese" in groups["dspp"]


# ------------------------------------------------------------------ any titre
def test_a_second_titre_loads_into_the_same_model() -> None:
    mini = load_titre(MINI)
    assert mini.path == str(MINI)
    assert mini.identity.created == date(2012, 2, 29)
    assert mini.identity.published is None
    assert [c.id for c in mini.ccps] == ["atelier", "boutique"]
    first = mini.ccp(1)
    assert first is not None and first.title == Text("Entretenir un vélo")
    assert mini.capitalisation.years == 4
    assert mini.capitalisation.titre_valid_until == date(2030, 12, 31)
    delai, salaire = mini.topic("delai"), mini.topic("salaire")
    assert delai is not None and delai.evolutions == ("X1",) and delai.kind == "fact"
    assert salaire is not None and salaire.kind == "silent"
    assert mini.synonyms == (("velo", "bicyclette", "bike"),)


def write_variant(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    text = MINI.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    bad = tmp_path / "bad.yaml"
    text = text.replace(old, new)
    bad.write_text(text, encoding="utf-8")
    return bad, text


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def problems_of(path: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as info:
        load_titre(path)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    ("old", "new", "at", "message"),
    [
        ("    keywords: [délai]\n", "    keywords: [délai]\n    anwser: x\n", "anwser",
         "topic 'delai': unknown key 'anwser' (expected one of: id, title, answer, questions, "
         "keywords, source, evolutions, now, related, kind, ccps, role)"),
        ('    answer: "Quatre ans à partir du premier CCP."\n', "", "- id: delai",
         "topic 'delai': missing field 'answer'"),
        ("years: 4", "years: quatre", "quatre",
         "capitalisation, years: expected a whole number, got 'quatre'"),
        ('questions: ["Combien gagne-t-on ?"]', 'questions: "Combien gagne-t-on ?"',
         'questions: "Combien', "topic 'salaire', questions: expected a list, got "
         "'Combien gagne-t-on ?'"),
        ('questions: ["Combien gagne-t-on ?"]', 'questions: ["Combien gagne-t-on ?", ~]',
         'questions: ["Combien gagne-t-on ?", ~]',
         "topic 'salaire', questions: expected some text, got nothing"),
        ("in_force: 2020-01-01", "in_force: 2019-02-29", "2019-02-29",
         "evolution 'X1', in_force: '2019-02-29' is not a real date"),
        ("signed: 2012-02-29", "signed: 29/02/2012", "29/02/2012",
         "legal text 'arrete-2012', signed: expected a date written YYYY-MM-DD, got '29/02/2012'"),
        ("related: [delai]", "related: [delais]", "related: [delais]",
         "topic 'titre': related topic 'delais' is not defined"),
        ("evolutions: [X1]", "evolutions: [X2]", "[X2]",
         "topic 'delai': evolution 'X2' is not defined"),
        ("ccps: [1, 2]", "ccps: [1, 3]", "ccps: [1, 3]", "topic 'titre': CCP 3 is not defined"),
        ("evolution: null", "evolution: X9", "evolution: X9",
         "capitalisation: evolution 'X9' is not defined"),
        ("    kind: silent", "    kind: quiet", "kind: quiet",
         "topic 'salaire', kind: 'quiet' is not one of: fact, silent, smalltalk"),
        ("      - id: boutique.devis", "      - id: atelier.roues",
         "id: atelier.roues\n        text: \"Établir",
         "duplicate competence id 'atelier.roues' (first defined at line 32)"),
        ("  - id: bonjour", "  - id: delai", "- id: delai\n    kind: smalltalk",
         "duplicate topic 'delai' (first defined at line 71)"),
        ("    title: \"Le salaire\"", "    title: \"Le salaire\"\n    title: \"Salaire\"",
         'title: "Salaire"', "topic 'salaire': key 'title' given twice"),
        ("  rome_code: I1607\n", "", "id: rcv", "identity 'rcv': missing field 'rome_code'"),
        ("    evolutions: [X1]\n", "    evolutions: [X1]\n    now: X2\n", "now: X2",
         "topic 'delai': now 'X2' is not one of its evolutions"),
        ("ccps:\n  - number: 1", "ccpz:\n  - number: 1", "ccpz:",
         "top level: unknown key 'ccpz' (expected one of: identity, ccps, capitalisation, "
         "topics, evolutions, legal_texts, synonyms, neighbours, resit)"),
        ("    kind: silent\n", "    kind: silent\n    role: resit\n", "role: resit",
         "topic 'salaire': role 'resit' needs a `resit:` rule in the file"),
    ],
)
def test_a_bad_file_names_the_line_and_the_fault(
    tmp_path: Path, old: str, new: str, at: str, message: str
) -> None:
    bad, text = write_variant(tmp_path, old, new)
    assert f"{bad}:{line_of(text, at)}: {message}" in problems_of(bad)


def test_duplicate_ccp_number_is_reported_with_its_references(tmp_path: Path) -> None:
    bad, text = write_variant(tmp_path, "  - number: 2", "  - number: 1")
    first = line_of(text, "  - number: 1")
    second = line_of(text, "id: boutique") - 1
    assert problems_of(bad) == [
        f"{bad}:{second}: duplicate CCP number 1 (first defined at line {first})",
        f"{bad}:{line_of(text, 'ccps: [1, 2]')}: topic 'titre': CCP 2 is not defined",
    ]


def test_every_problem_is_listed_in_file_order(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8")
    text = text.replace("years: 4", "years: -1").replace("related: [delai]", "related: [x]")
    text = text.replace("status: P", "status: maybe")
    text = text.replace("in_force: 2020-01-01", "in_force: soon")
    bad = tmp_path / "many.yaml"
    bad.write_text(text, encoding="utf-8")
    found = problems_of(bad)
    assert [p.split(": ", 1)[1] for p in found] == [
        "capitalisation: years must be at least 1",
        "evolution 'X1', in_force: expected a date written YYYY-MM-DD, got 'soon'",
        "topic 'titre': related topic 'x' is not defined",
    ]
    lines = [int(p.split(":")[1]) for p in found]
    assert lines == sorted(lines)
    with pytest.raises(KnowledgeError, match=r"many\.yaml:\d+: capitalisation"):
        load_titre(bad)


def test_yaml_syntax_error_gives_its_line(tmp_path: Path) -> None:
    bad, _ = write_variant(tmp_path, "  short_name: RCV", "  short_name: [RCV")
    found = problems_of(bad)
    assert len(found) == 1 and found[0].startswith(f"{bad}:")
    assert "not valid YAML" in found[0]


def test_missing_or_empty_file(tmp_path: Path) -> None:
    missing = tmp_path / "none.yaml"
    assert problems_of(missing)[0].startswith(f"{missing}:1: cannot read the file")
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing\n", encoding="utf-8")
    assert problems_of(empty) == [f"{empty}:1: the file is empty"]


@pytest.fixture
def cuisine(tmp_path: Path) -> Path:
    """A copy of the invented titre and its questions file, in a folder the test may write."""
    for name in ("cuisine.yaml", "cuisine.questions.yaml"):
        (tmp_path / name).write_bytes((FIXTURES / "other" / name).read_bytes())
    return tmp_path / "cuisine.yaml"


def test_the_questions_file_is_read_from_its_cache_once_cached(cuisine: Path) -> None:
    first = load_titre(cuisine)
    cache = cache_path(questions_path(cuisine))
    assert cache.exists()
    data = json.loads(cache.read_text(encoding="utf-8"))
    assert load_titre(cuisine) == first  # the same titre from the cache
    data["topics"]["titre"].append("Une phrase que seul le cache connaît ?")
    cache.write_text(json.dumps(data), encoding="utf-8")
    again = load_titre(cuisine)  # read from the cache, not the YAML
    assert "Une phrase que seul le cache connaît ?" in _questions(again, "titre")


def test_an_edited_questions_file_is_read_again(cuisine: Path) -> None:
    load_titre(cuisine)
    questions = questions_path(cuisine)
    text = questions.read_text(encoding="utf-8")
    added = "  titre:\n    - \"Et ce titre, c'est quoi ?\"\n"
    questions.write_text(text.replace("  titre:\n", added), encoding="utf-8")
    assert "Et ce titre, c'est quoi ?" in _questions(load_titre(cuisine), "titre")


@pytest.mark.parametrize("damage", ["{not json", '{"key": "x"}', "[]", None])
def test_a_damaged_or_unwritable_cache_is_left_aside(cuisine: Path, damage: str | None) -> None:
    expected = load_titre(cuisine)
    cache = cache_path(questions_path(cuisine))
    cache.unlink()
    if damage is None:
        cache.mkdir()  # a path that can be neither read nor replaced
    else:
        cache.write_text(damage, encoding="utf-8")
    assert load_titre(cuisine) == expected
    assert cache.is_dir() or json.loads(cache.read_text(encoding="utf-8"))["topics"]
    assert not list(cuisine.parent.glob("*.part"))


def test_a_questions_file_with_a_problem_is_reported_at_every_load(cuisine: Path) -> None:
    questions = questions_path(cuisine)
    text = questions.read_text(encoding="utf-8").replace("out_of_scope:", "out_of_scope: {}\nx:")
    questions.write_text(text, encoding="utf-8")
    for _ in range(2):
        with pytest.raises(KnowledgeError) as error:
            load_titre(cuisine)
        assert f"{questions}:" in str(error.value)
    assert not cache_path(questions).exists()


def _questions(titre: Titre, topic_id: str) -> tuple[str, ...]:
    topic = titre.topic(topic_id)
    assert topic is not None
    return topic.questions
