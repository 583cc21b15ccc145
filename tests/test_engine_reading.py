"""The engine reading whole messages: another subject, long messages, dates, close pairs,
courtesy and everyday paraphrases of what is asked, and the other entry points."""

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
    assert "4 octobre 2026" in answer.text and "Règle qui s'applique" in answer.text


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


# ---- courtesy: thanks or a greeting that asks nothing is small talk ------------------------
@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("merci infiniment pour ton aide", "merci"),  # thanks, not a call for help
        ("thank you so much for your help", "merci"),
        ("merci bien pour les explications sur le jury", "merci"),  # thanks for a fact
        ("hello le robot", "bonjour"),  # a greeting addressed to the bot
        ("bonjour, j'ai besoin d'aide", "aide"),  # asks for help
        ("merci, et le jury est composé de qui ?", "jury"),  # a question keeps its answer
    ],
)
def test_courtesy_wins_when_nothing_is_asked(engine: Engine, question: str, topic: str) -> None:
    answer = ask(engine, question)
    assert (answer.status, answer.topic) == ("answer", topic), answer


# ---- everyday paraphrases of what is asked -------------------------------------------------
@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("le titre se situe où dans le cadre national des certifications", "niveau"),
        ("il existe plusieurs façons de décrocher ce titre ?", "parcours"),
        ("which ways are there to obtain the titre", "parcours"),
        ("le technicien, il fait quoi de sa journée type ?", "mission"),
        ("le référentiel a été remis à jour depuis ?", "evolutions"),
        ("il faut quel niveau en anglais ?", "anglais"),  # the level in English, not the titre's
        ("le deuxième certificat contient quoi", "ccp2"),
        ("quelles compétences contient le premier CCP ?", "ccp1"),  # its content: CCP 1
        ("mon premier CCP date de mars 2024, jusqu'à quand ?", "delai"),  # its date: deadline
        ("j'ai échoué, je garde tout de même quelque chose ?", "attribution_partielle"),
    ],
)
def test_paraphrases_reach_the_topic(engine: Engine, question: str, topic: str) -> None:
    answer = ask(engine, question)
    assert (answer.status, answer.topic) == ("answer", topic), answer


@pytest.mark.parametrize(
    "question",
    [
        "il me faut une attestation employeur",
        "quel est mon niveau B1 ou B2 en anglais",
        "un certificat médical pour le sport",
    ],
)
def test_everyday_paperwork_is_another_subject(engine: Engine, question: str) -> None:
    assert ask(engine, question).status != "answer"


# ---- ties broken by what a topic is called, orders among one's CCPs, English words -----------
@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("qui délivre le parchemin du TSGRI", "parchemin"),  # parchemin and DDTEFP close
        ("l'anglais c'est exigé au TSGRI ?", "anglais"),  # not CCP 1 or 2, which hold English
        ("quels CCP composent le titre", "activites"),  # the titre overview gives way
        ("les blocs qui constituent le tsgri", "activites"),
        ("after I get every unit, is there one more interview?", "entretien_final"),
        ("le dernier CCP doit être passé avant quand ?", "delai"),
        ("mon dernier CCP je l'ai eu, on fait quoi après ?", "entretien_final"),
        ("que contient mon premier CCP", "ccp1"),  # asked what it holds: CCP 1
        ("c'est un bac+3 ce titre ?", "niveau"),
        ("is it a bachelor level qualification?", "niveau"),
        ("what hardware does the technician look after?", "ressources"),
        ("can I retake a unit I failed?", "attribution_partielle"),
        ("de quelle manière on décroche la certification ?", "parcours"),  # not its livret
        ("will I receive a paper diploma?", "parchemin"),
    ],
)
def test_close_pairs_and_paraphrases_are_read(engine: Engine, question: str, topic: str) -> None:
    answer = ask(engine, question)
    assert (answer.status, answer.topic) == ("answer", topic)


@pytest.mark.parametrize(
    "question",
    [
        "évaluation",  # one word naming two topics alike stays a question
        "the last CCP is about what",  # CCP 3 or the interview after the last one obtained
    ],
)
def test_ties_not_settled_by_titles_stay_questions(engine: Engine, question: str) -> None:
    assert ask(engine, question).status == "clarify"


@pytest.mark.parametrize(
    "question",
    [
        "c'est quoi le niveau bac+5",  # far from the titre's level
        "l'été commence quel jour ?",  # the season, not "a été créé"
        "comment obtenir la certification cisco",  # another certification
    ],
)
def test_look_alikes_of_new_readings_are_refused(engine: Engine, question: str) -> None:
    assert ask(engine, question).status != "answer"
