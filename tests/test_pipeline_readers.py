"""Stage 3: the readers — dates for the deadline, the CCP structure (another subject named:
`test_pipeline_veto.py`)."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.engine import Engine

TODAY = date(2026, 12, 5)


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("Premier CCP obtenu le 29 février 2020. C'est quoi ma date limite ?", date(2020, 2, 29)),
        ("first CCP: 2023-11-30. deadline?", date(2023, 11, 30)),
        ("I got CCP2 on 20 January 2015, when is my deadline?", date(2015, 1, 20)),
        ("CCP2 le 18/04/2018 puis CCP1 le 05/02/2019, j'ai jusqu'à quand ?", date(2018, 4, 18)),
        ("I got my first CCP on May 3, 2021. How long do I have left?", date(2021, 5, 3)),
        ("mon premier ccp date du 1er avril 2019, c'est valable jusqu'à quand ?", date(2019, 4, 1)),
    ],
)
def test_a_date_anywhere_in_the_message_gives_the_deadline(
    engine: Engine, question: str, first: date
) -> None:
    answer = engine.ask(question, today=TODAY)
    assert answer.topic == "delai" and answer.deadline is not None, answer.text
    assert answer.deadline.first_ccp == first


def test_two_dates_the_earliest_starts_the_window_and_it_is_said(engine: Engine) -> None:
    answer = engine.ask("CCP2 le 18/04/2018 puis CCP1 le 05/02/2019, j'ai jusqu'à quand ?",
                        today=TODAY)  # fmt: skip
    assert "plus ancienne" in answer.text
    assert answer.typed_dates == (date(2018, 4, 18), date(2019, 2, 5))


def test_a_relative_date_is_read_prudently_and_said(engine: Engine) -> None:
    answer = engine.ask("j'ai eu mon premier CCP il y a deux ans, j'ai jusqu'à quand ?",
                        today=TODAY)  # fmt: skip
    # "two years ago" is anything up to the day before three years: the earliest of it
    assert answer.deadline is not None and answer.deadline.first_ccp == date(2023, 12, 6)
    assert "il y a deux ans" in answer.text and "prudente" in answer.text


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("mon ccp1 date de l'année dernière, jusqu'à quand ?", "« l'année dernière »"),
        ("premier CCP l’an dernier, date limite ?", "« l’an dernier »"),
        ("J'ai eu mon premier CCP il y a 2 ans, jusqu'à quand ?", "« il y a 2 ans »"),
    ],
)
def test_a_relative_date_is_quoted_as_the_user_wrote_it(
    engine: Engine, question: str, quoted: str
) -> None:
    answer = engine.ask(question, today=TODAY)
    assert answer.deadline is not None
    # the answer first, then how the date was read, quoted as written (not "le annee derniere")
    first, reading = answer.text.splitlines()[:2]
    assert first.startswith("Date à viser : le "), answer.text
    assert reading.startswith(quoted), answer.text


@pytest.mark.parametrize(
    ("question", "start"),
    [
        ("J'ai eu mon CCP 1 le 3 mai, jusqu'à quand ?",
         "« le 3 mai » : il manque l'année. Donnez-moi la date complète de votre premier CCP "
         "(par exemple 3 mai 2026)"),
        ("I got CCP 2 on May 3, what's my deadline?",
         '"on May 3": the year is missing. Give me the full date of your first CCP '
         "(for example 3 May 2026)"),
    ],
)
def test_a_day_without_its_year_is_asked_for_its_year(
    engine: Engine, question: str, start: str
) -> None:
    answer = engine.ask(question, today=TODAY)
    assert answer.topic == "delai" and answer.deadline is None
    assert answer.text.startswith(start), answer.text


@pytest.mark.parametrize("question", ["2019", "2021", "2023 ?"])
def test_a_year_alone_offers_the_deadline_without_asserting_it(
    engine: Engine, question: str
) -> None:
    """A bare number may be anything: the ranker's reading of it is chance, so the deadline is
    offered as a choice, not answered."""
    answer = engine.ask(question, today=TODAY)
    assert answer.status == "clarify"
    assert [s.topic for s in answer.suggestions] == ["delai"]


@pytest.mark.parametrize(
    ("question", "topic", "dated"),
    [
        ("Bonjour, mon livret indique un CCP acquis le 22.11.2012. Qui délivre ce livret ?",
         "livret", date(2012, 11, 22)),
        ("I got CCP 2 on 14 March 2019. What does CCP 3 cover?", "ccp3", date(2019, 3, 14)),
        # one sentence: the question after the comma asks, the day goes beside
        ("I got CCP 2 on 14 March 2019, what does CCP 3 cover?", "ccp3", date(2019, 3, 14)),
        ("Got CCP1 in June 2021, how much does the training cost?", "cout", None),
        ("Que contient le CCP 2 ?", "ccp2", None),
        ("Mon examen du CCP 2 a lieu le 12/06/2027. Que contient le CCP 2 ?", "ccp2", None),
        ("Le 12/03/2021 j'ai commencé ma formation, c'est quoi la VAE ?", "vae", None),  # no CCP
        ("J'ai passé l'épreuve du CCP 1 hier, quand aurai-je les résultats ?", "resultats", None),
    ],
)
def test_a_ccp_day_given_beside_another_question_is_kept_for_its_deadline(
    engine: Engine, question: str, topic: str, dated: date | None
) -> None:
    answer = engine.ask(question, today=TODAY)
    assert (answer.topic, answer.deadline, answer.dated) == (topic, None, dated)
    assert "dated" not in answer.to_json()  # `ask --json` keeps its keys


def test_a_day_stated_then_asking_if_it_is_too_late_is_answered_with_the_deadline(
    engine: Engine,
) -> None:
    answer = engine.ask("Bonjour, mon livret indique un CCP acquis le 14.03.2019. Est-il trop tard "
                        "pour finir ?", today=TODAY)  # fmt: skip
    assert answer.topic == "delai" and answer.deadline is not None
    assert answer.deadline.first_ccp == date(2019, 3, 14)


@pytest.mark.parametrize(
    "question",
    [
        "j'ai eu le ccp 2 le 14/03/2019, il me reste combien de temps ?",
        "CCP 1 obtenu le 12/03/2020, je peux encore finir ?",
        "CCP2 obtenu le 3 mai 2021, je le perds quand ?",
    ],
)
def test_a_day_stated_then_a_deadline_question_after_a_comma_gets_the_deadline(
    engine: Engine, question: str
) -> None:
    answer = engine.ask(question, today=TODAY)
    assert answer.topic == "delai" and answer.deadline is not None


def test_a_question_after_a_comma_that_needs_what_came_before_is_read_whole(
    engine: Engine,
) -> None:
    """« elle est toujours valable ? » alone reads as the law's changes: « elle » is the
    recevabilité named before the comma."""
    answer = engine.ask("ma recevabilité VAE date de juin 2022, elle est toujours valable ?",
                        today=TODAY)  # fmt: skip
    assert answer.topic == "recevabilite_duree"


def test_the_day_kept_is_the_earliest_written_to_the_day(engine: Engine) -> None:
    text = engine.normalizer.prepare(
        "CCP 3 en mars 2019, CCP 1 le 02/02/2022 et CCP 2 le 12/03/2021, hier le livret"
    )
    assert engine.deadlines.stated(text, TODAY) == date(2021, 3, 12)  # "mars 2019": no day


def test_a_deadline_answer_carries_no_day_beside_it(engine: Engine) -> None:
    answer = engine.ask("J'ai eu le CCP 1 le 12/03/2021, jusqu'à quand ?", today=TODAY)
    assert answer.deadline is not None and answer.dated is None


def test_a_day_of_another_titre_s_ccp_is_not_kept(engine: Engine) -> None:
    answer = engine.ask("J'ai eu le CCP 1 du BTS SIO le 12/03/2021, c'est quoi la VAE ?",
                        today=TODAY)  # fmt: skip
    assert answer.status == "fallback" and answer.dated is None


def test_saved_ccps_answer_a_deadline_question_without_a_date(engine: Engine) -> None:
    answer = engine.ask("c quand ma date limite", today=TODAY, saved=[(1, date(2022, 3, 12))])
    assert answer.deadline is not None and answer.deadline.first_ccp == date(2022, 3, 12)
    assert engine.ask("c quand ma date limite", today=TODAY).deadline is None


def test_a_future_date_beside_saved_ccps_is_set_aside_and_said(engine: Engine) -> None:
    """« 15/01/2027 » (a typo for 2017) from someone who saved 2019: not "here is the deadline
    this date would give" followed by the saved CCPs' deadline."""
    answer = engine.ask("15/01/2027", today=TODAY, saved=((1, date(2019, 3, 22)),))
    assert answer.deadline is not None and answer.deadline.first_ccp == date(2019, 3, 22)
    assert answer.text.startswith("Le 15 janvier 2027 est dans le futur : ce ne peut pas être")
    assert "voici le délai qu'elle donnerait" not in answer.text
    alone = engine.ask("15/01/2027", today=TODAY)  # nothing saved: what it would give
    assert "voici le délai qu'elle donnerait" in alone.text


def test_a_decree_date_is_not_a_ccp_date(engine: Engine) -> None:
    answer = engine.ask("que dit le décret du 2 août 2002 ?", today=TODAY)
    assert answer.deadline is None


def test_which_ccp_holds_a_task_described_in_everyday_words(engine: Engine) -> None:
    answer = engine.ask("Les collecticiels, c'est dans quel CCP ?", today=TODAY)
    assert (answer.status, answer.topic) == ("answer", "ccp1")
    assert "collecticiels" in answer.text


def test_a_ccp_that_does_not_exist(engine: Engine) -> None:
    answer = engine.ask("le CCP 4 c'est quoi ?", today=TODAY)
    assert answer.topic == "activites" and "pas de CCP 4" in answer.text


def test_a_ccp_named_by_number_rules_out_the_others(engine: Engine) -> None:
    answer = engine.ask("programme du CCP 2", today=TODAY)
    assert answer.status != "answer" or answer.topic == "ccp2"


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("Quels sont les trois CCP du titre ?", []),
        ("j'ai deux CCP sur trois, il me manque lequel ?", []),
        ("What are the three CCPs about?", []),
        ("le troisième CCP porte sur quoi ?", [3]),
        ("le CCP trois porte sur quoi ?", [3]),
        ("What is the second CCP about?", [2]),
    ],
)
def test_a_number_before_ccp_counts_them_unless_it_ranks(
    engine: Engine, question: str, named: list[int]
) -> None:
    assert engine.ccps.numbers(engine.normalizer.prepare(question)) == named


def test_the_three_ccps_are_all_of_them(engine: Engine) -> None:
    # "trois" once named CCP 3, which ruled out the list of all three
    answer = engine.ask("Quels sont les trois CCP du titre ?", today=TODAY)
    assert answer.topic == "activites" and "CCP 2" in answer.text


def test_counting_is_answered_from_the_structure(engine: Engine) -> None:
    answer = engine.ask("combien de CCP et de compétences ?", today=TODAY)
    assert answer.topic == "activites" and "24 compétences" in answer.text


@pytest.mark.parametrize(
    "question",
    [
        "Someone mentioned CCP 6 on a forum. What is it about?",
        "Un ami m'a parlé du CCP 5. Il contient quoi ?",
    ],
)
def test_a_ccp_named_before_the_question_that_does_not_exist(engine: Engine, question: str) -> None:
    # the question alone ("What is it about?") names no CCP: the sentence before it does, and
    # the structure reads it there, as the veto does (it was read from the question alone)
    answer = engine.ask(question, today=TODAY)
    assert answer.topic == "activites"
    assert "no CCP 6" in answer.text or "pas de CCP 5" in answer.text


def test_a_topic_that_asks_about_a_missing_ccp_keeps_its_question(engine: Engine) -> None:
    # the CCS topic's own phrasings compare it with "un quatrième CCP": the number is part of
    # its question, not a CCP 4 asked about; the other CCPs' topics never name one
    assert engine.ccps.names_missing("ccp_ccs")
    assert not engine.ccps.names_missing("ccp1")
    answer = engine.ask("Un CCS compte-t-il comme un quatrième CCP ?", today=TODAY)
    assert answer.topic == "ccp_ccs" and "pas de CCP 4" not in answer.text
    # a CCP 4 asked about alone is still none of ours, whatever the ranker reads
    missing = engine.ask("A colleague told me CCP 4 is about cybersecurity. What does it cover?",
                         today=TODAY)  # fmt: skip
    assert missing.topic == "activites" and "no CCP 4" in missing.text


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("CCP1 le 30/02/2019, CCP2 le 12/06/2022. Mon délai?", "« 30/02/2019 »"),
        ("I got my CCP 1 on 31/02/2020 and CCP 2 on 2021-05-05, deadline?", '"31/02/2020"'),
    ],
)
def test_an_impossible_date_beside_a_real_one_is_not_dropped(
    engine: Engine, question: str, quoted: str
) -> None:
    # the mistyped day may be the first CCP's: no deadline is read from the other date alone
    answer = engine.ask(question, today=TODAY)
    assert answer.topic == "delai" and answer.deadline is None and answer.typed_dates == ()
    assert quoted in answer.text.splitlines()[0]


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("jai rate le ccp 3 le 10/12/2021 et jai eu le ccp1 le 14/03/2022, c quoi ma date limite ?",
         date(2022, 3, 14)),
        ("I failed CCP 2 on 3 May 2021 but passed CCP 1 on 12/01/2022, deadline?",
         date(2022, 1, 12)),
    ],
)
def test_the_day_of_a_failed_ccp_opens_no_window(
    engine: Engine, question: str, first: date
) -> None:
    # a failure's date is no day a CCP was obtained: not the window's start, not offered
    answer = engine.ask(question, today=TODAY)
    assert answer.deadline is not None and answer.deadline.first_ccp == first
    assert answer.typed_dates == (first,)


def test_a_failure_with_its_date_asks_about_resitting(engine: Engine) -> None:
    answer = engine.ask("jai rate le ccp3 le 20/06/2026, jai jusqua quand pour le repasser sans "
                        "refaire la formation ?", today=date(2026, 12, 6))  # fmt: skip
    assert answer.topic == "repasser" and answer.deadline is None and answer.dated is None
    first, rule = answer.text.split("\n\n")[:2]
    assert first.startswith("Votre échec : 20 juin 2026.")  # its period first (readers/resit)
    assert "au plus 3 présentations" in rule


def test_a_year_told_again_reads_the_day_saved_in_it(engine: Engine) -> None:
    # « en 2022 » from a user who saved CCP 1 on 14/03/2022: the saved day, not 1 January
    saved = ((1, date(2022, 3, 14)),)
    answer = engine.ask("jai eu mon ccp1 en 2022, c quoi ma date limite ?", today=TODAY,
                        saved=saved)  # fmt: skip
    assert answer.deadline is not None and answer.deadline.first_ccp == date(2022, 3, 14)
    assert answer.text.startswith("D'après les CCP que vous avez enregistrés :")
    # a year before the saved day still opens the window earlier (the prudent reading)
    earlier = engine.ask("premier ccp en 2021, date limite ?", today=TODAY, saved=saved)
    assert earlier.deadline is not None and earlier.deadline.first_ccp == date(2021, 1, 1)
    # with later dates beside it (« en mai 2024 et le ccp2 en novembre 2024 »), the same
    two = engine.ask("jai eu le ccp1 en mai 2024 et le ccp2 en novembre 2024, jusqu'à quand ?",
                     today=TODAY, saved=((1, date(2024, 5, 14)), (2, date(2024, 11, 20))))
    assert two.deadline is not None and two.deadline.first_ccp == date(2024, 5, 14)
