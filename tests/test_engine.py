"""The answering engine as a user meets it: which topic, which outcome, what the text says."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from knowledge.engine import Answer, Engine
from knowledge.loader import default_titre_path, load_titre

TODAY = date(2026, 11, 29)
MINI = Path(__file__).parent / "fixtures" / "mini-titre.yaml"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_titre(default_titre_path()))


def ask(engine: Engine, question: str, today: date = TODAY) -> Answer:
    return engine.ask(question, today=today)


# ---- a few strong words decide ------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("vae", "vae"),
        ("dspp ?", "dspp"),
        ("ccp 2", "ccp2"),
        ("délai", "delai"),
        ("c koi le ccs", "ccs"),
        ("parchemin", "parchemin"),
        ("DREETS", "ddtefp"),
        ("dossier de synthese", "dspp"),
        ("validation des acquis", "vae"),
    ],
)
def test_strong_words_decide(engine: Engine, question: str, topic: str) -> None:
    answer = ask(engine, question)
    assert (answer.status, answer.topic) == ("answer", topic)


# ---- structured answers -------------------------------------------------------------------
def test_ccp_content_is_numbered_from_the_data(engine: Engine) -> None:
    answer = ask(engine, "Que contient le CCP 2 ?")
    assert answer.topic == "ccp2"
    assert "Ses 5 compétences" in answer.text
    assert "1. Rétablir la production dans les conditions habituelles" in answer.text
    assert "5. Utiliser l'anglais dans son activité professionnelle" in answer.text


def test_which_ccp_holds_a_competence(engine: Engine) -> None:
    answer = ask(engine, "l'assistance aux utilisateurs, c'est dans quel CCP ?")
    assert (answer.status, answer.topic) == ("answer", "ccp2")
    assert "« Assister et conseiller les utilisateurs" in answer.text
    assert "CCP 2" in answer.text


def test_a_competence_in_two_ccps_names_both(engine: Engine) -> None:
    answer = ask(engine, "l'anglais c'est dans quel CCP ?")
    assert answer.topic == "anglais"
    assert "CCP 1" in answer.text and "CCP 2" in answer.text


def test_budgets_are_in_ccp3(engine: Engine) -> None:
    answer = ask(engine, "les budgets du service informatique, quel ccp ?")
    assert answer.topic == "ccp3"
    assert "Participer à l'élaboration des budgets" in answer.text


def test_how_many_ccps(engine: Engine) -> None:
    answer = ask(engine, "combien de CCP faut-il ?")
    assert answer.topic == "activites"
    assert "3 CCP" in answer.text and "24 compétences" in answer.text


def test_how_many_competences_in_one_ccp(engine: Engine) -> None:
    answer = ask(engine, "combien de compétences dans le CCP 1 ?")
    assert answer.topic == "ccp1"
    assert "12 compétences" in answer.text


def test_counting_time_is_not_counting_ccps(engine: Engine) -> None:
    answer = ask(engine, "combien de temps pour avoir tous les CCP ?")
    assert answer.topic == "delai"


# ---- languages ----------------------------------------------------------------------------
def test_english_question_gets_english_text(engine: Engine) -> None:
    answer = ask(engine, "What is the DSPP?")
    assert (answer.topic, answer.lang) == ("dspp", "en")
    assert "describes" in answer.text


def test_english_ccp_content(engine: Engine) -> None:
    answer = ask(engine, "What is in CCP 3?")
    assert answer.topic == "ccp3" and "Its 7 competences" in answer.text


def test_lang_parameter_wins(engine: Engine) -> None:
    answer = engine.ask("c'est quoi la vae", today=TODAY, lang="en")
    assert answer.topic == "vae" and answer.lang == "en" and "VAE candidate" in answer.text


# ---- evolutions ---------------------------------------------------------------------------
def test_evolutions_are_appended_with_date_and_source(engine: Engine) -> None:
    answer = ask(engine, "combien d'années d'expérience pour la VAE ?")
    assert answer.topic == "vae_experience"
    assert "trois ans" in answer.text
    # E8 is dated "2017-01-01 / 2022-12-23" in the source: both dates are said
    assert (
        "Depuis le 1er janvier 2017, puis le 23 décembre 2022 (VAE : expérience exigée) :"
        in answer.text
    )
    assert "source : maformation.fr" in answer.text


@pytest.mark.parametrize(
    ("question", "shown", "invented"),
    [
        # E12 is dated "2014 / 2018" and E11 "2013 / 2023": years only, no day is made up
        ("quels sont les blocs de compétences", "Depuis 2014, puis 2018 (Le CCP, bloc de ",
         "1er janvier 2014"),
        ("What are the units of the qualification?", "Since 2014, then 2018 (The CCP as a ",
         "1 January 2014"),
        ("code rome du metier", "Depuis 2013, puis 2023 (Le titre lui-même, à vérifier) :",
         "Depuis le 19 février 2013"),
        # a single full date keeps its day (E7: "2019-01-09")
        ("le titre se situe à quel niveau ?", "Depuis le 9 janvier 2019 (Niveau du titre) :",
         "Depuis 2019"),
    ],
)  # fmt: skip
def test_evolution_date_is_shown_as_precise_as_its_source(
    engine: Engine, question: str, shown: str, invented: str
) -> None:
    answer = ask(engine, question)
    assert answer.status == "answer"
    assert shown in answer.text
    assert invented not in answer.text


def test_unconfirmed_evolution_is_flagged(engine: Engine) -> None:
    answer = ask(engine, "c'est quoi le DSPP ?")
    line = next(x for x in answer.text.splitlines() if "DP (dossier professionnel)" in x)
    assert "à vérifier" in line


# ---- what the bot cannot answer -----------------------------------------------------------
@pytest.mark.parametrize(
    "question",
    [
        "Qui a écrit Les Misérables ?",
        "Comment réinitialiser mon mot de passe Gmail ?",
        "quel temps fera-t-il demain à Lyon ?",
        "qui a gagné le match du PSG hier soir",
        "recette du gâteau au chocolat",
        "quelles sont les matières du BTS SIO ?",
        "combien coûte un iPhone 15",
        "What time is it?",
        "qui est le premier ministre ?",  # "ministre" is a word, not a typo of "ministère"
        "combien de CCP dans le BTS SIO ?",  # another diploma
        "c'est quoi le jury du bac ?",
        "c'est quoi un livret A ?",  # an everyday compound, not the livret de certification
        "c'est quoi le code de la route ?",
        "2021",
    ],
)
def test_out_of_scope_never_gets_a_confident_answer(engine: Engine, question: str) -> None:
    assert ask(engine, question).status != "answer"


def test_fallback_says_what_it_can_do(engine: Engine) -> None:
    answer = ask(engine, "Qui a écrit Les Misérables ?")
    assert answer.status == "fallback" and answer.topic is None
    assert "je ne sais pas répondre" in answer.text
    assert "3 CCP" in answer.text and "VAE" in answer.text


def test_clarify_offers_at_most_three_titled_suggestions(engine: Engine) -> None:
    # "évaluation" alone: of a CCP, during the training, or of new resources (CCP 3)?
    answer = ask(engine, "évaluation")
    assert answer.status == "clarify"
    assert 1 <= len(answer.suggestions) <= 3
    assert "Vouliez-vous dire" in answer.text
    assert all(s.title in answer.text for s in answer.suggestions)


def test_silent_topic_says_the_referentiel_does_not_say(engine: Engine) -> None:
    answer = ask(engine, "combien coûte la formation ?")
    assert (answer.status, answer.topic) == ("answer", "cout")
    assert "ne dit rien" in answer.text and "centre de formation" in answer.text


@pytest.mark.parametrize(
    ("question", "topic"),
    [("bonjour", "bonjour"), ("merci !", "merci"), ("à plus", "aurevoir"),
     ("qui es-tu ?", "qui_es_tu"), ("aide", "aide")],
)
def test_small_talk(engine: Engine, question: str, topic: str) -> None:
    assert ask(engine, question).topic == topic


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("c'est quoi le formaton continue ?", "formation"),
        ("recevabilitée de la vae", "vae_recevabilite"),
        ("What is the TSGRI qualificstion?", "titre"),
        ("le titre se situe à quel nveau ?", "niveau"),
        ("combein de CCP ?", "activites"),
        ("c koi le parchmin", "parchemin"),
    ],
)
def test_misspellings_are_mended(engine: Engine, question: str, topic: str) -> None:
    answer = ask(engine, question)
    assert (answer.status, answer.topic) == ("answer", topic)


def test_a_ccp_that_does_not_exist(engine: Engine) -> None:
    answer = ask(engine, "que contient le CCP 7 ?")
    assert answer.topic == "activites"
    assert answer.text.startswith("Il n'y a pas de CCP 7 : le titre TSGRI compte 3 CCP.")


def test_greeting_with_a_question_answers_the_question(engine: Engine) -> None:
    assert ask(engine, "Bonjour, c'est quoi la VAE svp ?").topic == "vae"


# ---- another subject sharing the titre's words ----------------------------------------------
@pytest.mark.parametrize(
    "question",
    [
        "quel langage de programmation apprendre pour le web ?",  # not the English of the CCPs
        "Which programming language pays best?",
        "comment s'inscrire comme demandeur d'emploi ?",  # not the VAE "inscription"
        "le titre pro de technicien d'assistance informatique a combien de CCP ?",
        "le titre de secrétaire assistante c'est quel niveau ?",
        "comment réussir un entretien d'embauche ?",  # not the jury's interview
        "mon permis est valable combien de temps ?",  # not the CCPs' 5 years
        "combien gagne un comptable ?",  # "comptable" is not the users' "comptes"
        "que faire après un licenciement ?",  # not a "licence"
        "combien de kilomètres entre Paris et Lyon ?",  # no clause of it read alone
    ],
)
def test_another_subject_is_never_answered(engine: Engine, question: str) -> None:
    answer = ask(engine, question)
    assert answer.status != "answer", (answer.topic, question)


def test_another_titre_gets_the_fallback(engine: Engine) -> None:
    answer = ask(engine, "le titre de technicien de maintenance a combien de CCP ?")
    assert answer.status == "fallback"
    assert "je ne sais pas répondre" in answer.text


def test_the_bots_name_is_small_talk(engine: Engine) -> None:
    assert ask(engine, "tu t'appelles comment ?").topic == "qui_es_tu"


def test_bac_plus_two_is_the_level(engine: Engine) -> None:
    answer = ask(engine, "c'est l'équivalent d'un bac+2 le TSGRI ?")
    assert (answer.status, answer.topic) == ("answer", "niveau")


# ---- long messages ------------------------------------------------------------------------
def test_question_first_then_the_story(engine: Engine) -> None:
    answer = ask(
        engine,
        "Quels sont les CCP du titre ? Je demande parce que ma conseillère France Travail "
        "m'a parlé de ce titre hier.",
    )
    assert (answer.status, answer.topic) == ("answer", "activites")
    assert "CCP 1" in answer.text


def test_what_it_is_asked_after_naming_it(engine: Engine) -> None:
    answer = ask(engine, "Bonjour, on m'a parlé du TSGRI, c'est quoi au juste ?")
    assert (answer.status, answer.topic) == ("answer", "titre")


def test_english_pronoun_refers_to_the_sentence_before(engine: Engine) -> None:
    answer = ask(engine, "A friend told me about the TSGRI. What is it?")
    assert (answer.status, answer.topic, answer.lang) == ("answer", "titre", "en")


def test_the_most_telling_clause_wins(engine: Engine) -> None:
    answer = ask(engine, "Dans mon poste je prépare surtout les budgets : c'est dans quel CCP ?")
    assert answer.topic == "ccp3"


# ---- dates in questions -------------------------------------------------------------------
def test_day_month_year_gives_the_deadline_and_its_rule(engine: Engine) -> None:
    answer = ask(engine, "mon premier CCP date du 4 octobre 2021, j'ai jusqu'à quand ?",
                 today=date(2024, 1, 1))
    assert (answer.status, answer.topic) == ("answer", "delai")
    assert answer.deadline is not None and answer.deadline.closes_on == date(2026, 10, 4)
    assert "4 octobre 2026" in answer.text and "Règle appliquée" in answer.text


def test_month_year_uses_the_first_day_and_says_so(engine: Engine) -> None:
    answer = ask(engine, "premier CCP en avril 2020")
    assert answer.deadline is not None and answer.deadline.first_ccp == date(2020, 4, 1)
    assert "je prends le 1er avril 2020" in answer.text


def test_year_alone_uses_the_first_of_january(engine: Engine) -> None:
    answer = ask(engine, "CCP2 en 2018, c'est encore bon ?")
    assert answer.deadline is not None and answer.deadline.first_ccp == date(2018, 1, 1)
    assert "une année" in answer.text and "PREMIER CCP" in answer.text


def test_english_date_question(engine: Engine) -> None:
    answer = ask(engine, "My first CCP was on 22/06/2022")
    assert answer.lang == "en" and answer.deadline is not None
    assert "22 June 2027" in answer.text


def test_leap_day_first_ccp(engine: Engine) -> None:
    answer = ask(engine, "premier ccp le 29/02/2024, jusqu'à quand ?")
    assert answer.deadline is not None and answer.deadline.closes_on == date(2029, 2, 28)


def test_impossible_date_gets_a_kind_reason(engine: Engine) -> None:
    answer = ask(engine, "j'ai eu mon premier ccp le 31/02/2023")
    assert answer.topic == "delai" and answer.deadline is None
    assert "février 2023 n'a que 28 jours" in answer.text


def test_a_date_before_the_titre_existed(engine: Engine) -> None:
    answer = ask(engine, "mon premier CCP date de 1999")
    assert answer.deadline is None
    assert "« 1999 » est antérieur au titre TSGRI" in answer.text


def test_a_future_date_is_computed_and_flagged(engine: Engine) -> None:
    answer = ask(engine, "si j'ai mon premier CCP le 15/06/2027, jusqu'à quand ?")
    assert answer.deadline is not None and answer.deadline.closes_on == date(2032, 6, 15)
    assert "dans le futur" in answer.text


def test_a_date_in_another_question_is_not_a_deadline(engine: Engine) -> None:
    answer = ask(engine, "que dit le décret du 2 août 2002 ?")
    assert answer.topic == "textes" and answer.deadline is None


# ---- the other entry points ---------------------------------------------------------------
def test_to_json_is_the_cli_contract(engine: Engine) -> None:
    payload = ask(engine, "les ccp").to_json()
    assert list(payload) == [
        "question", "status", "topic", "confidence", "text", "suggestions", "source",
    ]
    assert all(set(s) == {"topic", "title"} for s in payload["suggestions"])
    json.dumps(payload)
    assert 0.0 <= payload["confidence"] <= 1.0


def test_topic_answer_and_unknown_topic(engine: Engine) -> None:
    answer = engine.topic_answer("jury", today=TODAY, lang="fr")
    assert (answer.status, answer.topic) == ("answer", "jury") and "jury" in answer.text
    assert answer.related and all(s.title for s in answer.related)
    assert engine.topic_answer("nope", today=TODAY, lang="fr").status == "fallback"


def test_search_for_inline_mode(engine: Engine) -> None:
    found = engine.search("vae", today=TODAY, lang="fr", limit=3)
    assert 1 <= len(found) <= 3 and found[0].topic == "vae"
    assert engine.search("", today=TODAY, lang="fr", limit=2)[0].status == "answer"
    assert engine.search("recette de crêpes", today=TODAY, lang="fr") == []


# ---- close pairs read by what is really asked --------------------------------------------
@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("les 3 CCP du titre c'est quoi", "activites"),  # listing, not "once all held"
        ("j'ai eu mes trois CCP, et après ?", "entretien_final"),  # as many as there are
        ("I have all my CCPs now", "entretien_final"),
        ("combien de temps dure l'entretien avec le jury", "entretien"),  # not the training's
        ("le TSGRI c'est quel type de diplôme", "titre"),
        ("où faire le tsgri", "centres"),
    ],
)
def test_close_pairs(engine: Engine, question: str, topic: str) -> None:
    answer = ask(engine, question)
    assert (answer.status, answer.topic) == ("answer", topic), answer


@pytest.mark.parametrize(
    "question",
    ["quel est le meilleur serveur de messagerie", "Parcoursup ouvre quand",
     "le code ROME du métier de plombier", "comment devenir infirmier", "c'est quoi le devops"],
)
def test_what_the_facts_cannot_settle(engine: Engine, question: str) -> None:
    assert ask(engine, question).status != "answer"


# ---- nothing specific to TSGRI ------------------------------------------------------------
def test_engine_works_on_another_titre() -> None:
    mini = Engine(load_titre(MINI))
    assert mini.ask("combien gagne-t-on ?", today=TODAY).topic == "salaire"
    content = mini.topic_answer("titre", today=TODAY, lang="fr")
    assert content.text.startswith("Le titre RCV")
    dated = mini.ask("premier CCP le 10/05/2021, jusqu'à quand ?", today=TODAY)
    assert dated.deadline is not None and dated.deadline.closes_on == date(2025, 5, 10)
    assert mini.ask("Qui a écrit Les Misérables ?", today=TODAY).status != "answer"
