"""Reading dates in questions and in CCP declarations (knowledge/dates.py)."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.dates import (
    PartialDate,
    date_alone,
    find_dates,
    find_named_days,
    find_yearless,
)
from knowledge.declared_dates import DateRefused, parse_declared_date

TODAY = date(2026, 11, 29)
TITRE_CREATED = date(2003, 12, 9)


# --- find_dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("mon premier CCP date du 4 octobre 2021, j'ai jusqu'à quand ?", PartialDate(2021, 10, 4)),
        ("premier CCP en avril 2020", PartialDate(2020, 4)),
        ("CCP2 en 2018, c'est encore bon ?", PartialDate(2018)),
        ("My first CCP was on 22/06/2022", PartialDate(2022, 6, 22)),
    ],
)
def test_the_questions_of_the_issue(question: str, expected: PartialDate) -> None:
    assert find_dates(question) == [expected]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("4 octobre 2021", PartialDate(2021, 10, 4)),
        ("le 1er mars 2020", PartialDate(2020, 3, 1)),
        ("04/10/2021", PartialDate(2021, 10, 4)),
        ("4-10-21", PartialDate(2021, 10, 4)),
        ("04.10.2021", PartialDate(2021, 10, 4)),
        ("22/06/2022", PartialDate(2022, 6, 22)),
        ("2022-06-22", PartialDate(2022, 6, 22)),
        ("avril 2020", PartialDate(2020, 4)),
        ("en 2018", PartialDate(2018)),
        ("April 2020", PartialDate(2020, 4)),
        ("June 22, 2022", PartialDate(2022, 6, 22)),
        ("June 22nd 2022", PartialDate(2022, 6, 22)),
        ("22 June 2022", PartialDate(2022, 6, 22)),
        ("the 1st of March, 2020", PartialDate(2020, 3, 1)),
        ("03/2019", PartialDate(2019, 3)),
        ("le 12 Février 2020", PartialDate(2020, 2, 12)),
        ("12 fevrier 2020", PartialDate(2020, 2, 12)),
        ("12 fevier 2020", PartialDate(2020, 2, 12)),
        ("15 aout 2019", PartialDate(2019, 8, 15)),
        ("15 août 2019", PartialDate(2019, 8, 15)),
        ("decembre 2018", PartialDate(2018, 12)),
        ("sept 2017", PartialDate(2017, 9)),
        ("3 sept. 2017", PartialDate(2017, 9, 3)),
        ("janv. 2016", PartialDate(2016, 1)),
        ("setembre 2019", PartialDate(2019, 9)),
        ("febuary 2021", PartialDate(2021, 2)),
        ("JUILLET 2019", PartialDate(2019, 7)),
    ],
)
def test_each_written_form(written: str, expected: PartialDate) -> None:
    found = find_dates(f"mon CCP : {written} ?")
    assert found == [expected]
    assert found[0].valid


@pytest.mark.parametrize(
    "question",
    [
        "CCP2",
        "j'ai 3 ans d'expérience",
        "5 years of experience",
        "le code TP 00495",
        "NSF 326 u",
        "ROME 32311",
        "décret n° 2019-14",
        "décret 2002-1029",
        "la fiche n° 2018",
        "code TP 2003",
        "ça coûte 2000 euros",
        "2000 heures de formation",
        "appelez le 06.12.34.56.78",
        "le 12 mars",  # no year: nothing to compute from
        "combien de CCP ?",
    ],
)
def test_what_is_not_a_date(question: str) -> None:
    assert find_dates(question) == []


def test_short_words_are_not_fuzzy_months() -> None:
    assert find_dates("mais 2018 ?") == [PartialDate(2018)]  # not March 2018
    assert find_dates("depuis 2019") == [PartialDate(2019)]


def test_impossible_day_is_reported_not_ignored() -> None:
    (found,) = find_dates("premier CCP le 31/02/2023")
    assert (found.year, found.month, found.day) == (2023, 2, 31)
    assert not found.valid
    assert found.text == "31/02/2023"
    with pytest.raises(ValueError):
        found.earliest()


@pytest.mark.parametrize(
    ("written", "valid"),
    [
        ("29/02/2024", True),
        ("29 février 2020", True),
        ("29/02/2000", True),  # divisible by 400
        ("29/02/2023", False),
        ("29 février 2021", False),
        ("29/02/2100", False),  # divisible by 100 only
        ("30/02/2024", False),
        ("31/04/2022", False),
        ("32 mars 2020", False),
        ("13/13/2021", False),
    ],
)
def test_leap_days_and_month_lengths(written: str, valid: bool) -> None:
    (found,) = find_dates(written)
    assert found.valid is valid


def test_precision_and_range() -> None:
    day, month, year, february = (
        find_dates("4 octobre 2021")[0],
        find_dates("avril 2020")[0],
        find_dates("en 2018")[0],
        find_dates("février 2024")[0],
    )
    assert (day.precision, month.precision, year.precision) == ("day", "month", "year")
    assert day.earliest() == day.latest() == date(2021, 10, 4)
    assert (month.earliest(), month.latest()) == (date(2020, 4, 1), date(2020, 4, 30))
    assert (year.earliest(), year.latest()) == (date(2018, 1, 1), date(2018, 12, 31))
    assert february.latest() == date(2024, 2, 29)
    assert find_dates("décembre 2019")[0].latest() == date(2019, 12, 31)


def test_several_dates_in_order_with_their_place() -> None:
    question = "CCP1 le 4 octobre 2021 et CCP2 en mars 2023, puis 2024"
    found = find_dates(question)
    assert found == [PartialDate(2021, 10, 4), PartialDate(2023, 3), PartialDate(2024)]
    assert [question[s:e] for s, e in (p.span for p in found)] == [
        "4 octobre 2021",
        "mars 2023",
        "2024",
    ]


def test_us_order_only_when_it_is_the_only_reading() -> None:
    assert find_dates("06/22/2022") == [PartialDate(2022, 6, 22)]
    assert find_dates("06/05/2022") == [PartialDate(2022, 5, 6)]  # French order first


def test_two_digit_years() -> None:
    assert find_dates("le 4-10-21") == [PartialDate(2021, 10, 4)]
    assert find_dates("le 01/02/98") == [PartialDate(1998, 2, 1)]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("J'ai eu le CCP 2 hier", [PartialDate(2026, 11, 28)]),
        ("Avant-hier, j'ai validé mon CCP", [PartialDate(2026, 11, 27)]),
        ("avant hier", [PartialDate(2026, 11, 27)]),  # not "hier" inside it
        ("I passed CCP 1 yesterday", [PartialDate(2026, 11, 28)]),
        ("Le titre existe-t-il encore aujourd'hui ?", []),  # "nowadays", not a day
        ("Je passe le CCP 3 demain", []),  # not obtained yet
        ("Je me suis fait chier à réviser", []),  # inside another word
    ],
)
def test_a_past_day_named_in_words(question: str, expected: list[PartialDate]) -> None:
    found = find_named_days(question, TODAY)
    assert found == expected
    assert all(question[d.span[0]:d.span[1]] == d.text for d in found)


@pytest.mark.parametrize(
    ("question", "written", "month", "day"),
    [
        ("J'ai eu mon CCP 1 le 3 mai, jusqu'à quand ?", "le 3 mai", 5, 3),
        ("I got it on May 3, deadline?", "on May 3", 5, 3),
        ("on the 3rd of May", "the 3rd of May", 5, 3),
        ("depuis le 12 janvier", "le 12 janvier", 1, 12),
    ],
)
def test_a_day_without_its_year(question: str, written: str, month: int, day: int) -> None:
    [found] = find_yearless(question)
    assert (found.text, found.month, found.day) == (written, month, day)


@pytest.mark.parametrize(
    "question", ["le 3 mai 2021", "on May 3, 2021", "CCP 2 may be hard", "le 15/03", "3 mai"]
)
def test_what_is_no_day_without_its_year(question: str) -> None:
    assert find_yearless(question) == []  # a full date, a verb, digits, no opener


def test_the_example_for_a_day_without_its_year_is_its_latest_past_date() -> None:
    [may] = find_yearless("le 3 mai")
    assert may.last_before(TODAY) == date(2026, 5, 3)
    [leap] = find_yearless("le 29 février")
    assert leap.last_before(TODAY) == date(2024, 2, 29)


def test_question_without_digits_is_fast_path() -> None:
    assert find_dates("quand se termine mon délai de capitalisation ?") == []


# --- parse_declared_date --------------------------------------------------------------------


def declared(text: str, today: date = TODAY) -> date:
    return parse_declared_date(text, today=today, earliest=TITRE_CREATED)


@pytest.mark.parametrize(
    "text",
    [
        "15/03/2024",
        "15-03-2024",
        "15.03.2024",
        "15 mars 2024",
        "15 Mars 2024",
        "le 15 mars 2024",
        "15/03/24",
        "2024-03-15",
        "2024/03/15",
        "15 mars 24",
        "March 15, 2024",
        "15 march 2024",
        " 15/03/2024. ",
        "vendredi 15 mars 2024",
    ],
)
def test_declared_forms(text: str) -> None:
    assert declared(text) == date(2024, 3, 15)


def test_declared_first_of_month_and_relative_words() -> None:
    assert declared("1er mars 2024") == date(2024, 3, 1)
    assert declared("aujourd'hui") == TODAY
    assert declared("Aujourd’hui") == TODAY
    assert declared("today") == TODAY
    assert declared("hier") == date(2026, 11, 28)
    assert declared("yesterday") == date(2026, 11, 28)


def test_declared_month_without_accent_or_with_a_typo() -> None:
    assert declared("15 fevrier 2024") == date(2024, 2, 15)
    assert declared("15 fevier 2024") == date(2024, 2, 15)
    assert declared("3 aout 2023") == date(2023, 8, 3)


def test_declared_leap_days() -> None:
    assert declared("29/02/2024") == date(2024, 2, 29)
    assert declared("29 février 2020") == date(2020, 2, 29)
    with pytest.raises(DateRefused) as refused:
        declared("29/02/2023")
    assert refused.value.reason == "impossible"


@pytest.mark.parametrize("text", ["31/02/2023", "31/04/2024", "00/03/2024", "15/13/2024"])
def test_declared_impossible(text: str) -> None:
    with pytest.raises(DateRefused) as refused:
        declared(text)
    assert refused.value.reason == "impossible"
    assert refused.value.parsed is None


@pytest.mark.parametrize("text", ["", "15 mars", "CCP2", "15/03"])
def test_declared_not_a_date(text: str) -> None:
    with pytest.raises(DateRefused) as refused:
        declared(text)
    assert refused.value.reason == "format"


@pytest.mark.parametrize("text", ["je l'ai raté le 12/06/2025", "failed it on 12/06/2025"])
def test_declared_date_of_a_failure_says_so(text: str) -> None:
    with pytest.raises(DateRefused) as refused:
        declared(text)
    assert refused.value.reason == "failed"


@pytest.mark.parametrize(
    ("text", "alone"),
    [("15/01/2027", "day"), ("le 3 mars 2019", "day"), ("on May 3, 2021", "day"),
     ("2019-03-22 ?", "day"), ("mars 2019", "month"), ("2021", "year"),
     ("le CCP 2 le 15/01/2027", None), ("rdv le 15/01/2027", None), ("bonjour", None)],
)
def test_a_date_alone_is_told_from_a_date_in_a_sentence(text: str, alone: str | None) -> None:
    assert date_alone(text) == alone


@pytest.mark.parametrize("text", ["mars 2024", "2024"])
def test_declared_without_its_day_says_so(text: str) -> None:
    with pytest.raises(DateRefused) as refused:
        declared(text)
    assert refused.value.reason == "imprecise"


def test_declared_future_is_refused_with_the_date() -> None:
    with pytest.raises(DateRefused) as refused:
        declared("15/03/2099")
    assert (refused.value.reason, refused.value.parsed) == ("future", date(2099, 3, 15))
    # A two-digit year is 20xx: "99" is 2099 (refused), never moved back to 1999.
    with pytest.raises(DateRefused) as refused:
        declared("15/03/99")
    assert (refused.value.reason, refused.value.parsed) == ("future", date(2099, 3, 15))
    with pytest.raises(DateRefused) as refused:
        declared("30/11/2026")  # tomorrow
    assert refused.value.reason == "future"
    assert declared("29/11/2026") == TODAY


def test_declared_before_the_titre_existed() -> None:
    with pytest.raises(DateRefused) as refused:
        declared("08/12/2003")
    assert (refused.value.reason, refused.value.parsed) == ("too_early", date(2003, 12, 8))
    assert declared("09/12/2003") == TITRE_CREATED
