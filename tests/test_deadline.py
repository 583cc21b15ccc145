"""The capitalisation deadline: arithmetic, rule choice (E2) and what the user reads."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from knowledge.deadline import add_months, add_years, compute_deadline, deadline_from, format_date
from knowledge.model import CapitalisationRule, Evolution, Text
from knowledge.phrases import Phrases, default_phrases

SOURCE = "Référentiel, parcours par capitalisation"
RULE = CapitalisationRule(
    years=5,
    source=SOURCE,
    rule_change=date(2016, 6, 1),
    evolution="E2",
    titre_valid_until=None,
)
E2 = Evolution(
    id="E2",
    title=Text("Délai de capitalisation", "Capitalisation deadline"),
    referentiel_says=Text("5 ans à partir du premier CCP", "5 years from the first CCP"),
    later_rule=Text(
        "les CCP manquants peuvent être passés tant que le titre est valide ; "
        "1 an après la fin de sa validité.",
        "the missing CCPs can be taken while the titre is valid; 1 year after its end.",
    ),
    in_force=date(2016, 6, 1),
    in_force_label="2016-06-01",
    status="V",
    sources=("mmi-deco.com/aide/passage-de-lexamen/", "atlantique-ibs.net"),
)


# --- arithmetic -----------------------------------------------------------------------------


def test_add_years_on_29_february() -> None:
    assert add_years(date(2024, 2, 29), 5) == date(2029, 2, 28)  # never 1 March: no overrun
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2024, 2, 29), -1) == date(2023, 2, 28)
    assert add_years(date(2023, 2, 28), 1) == date(2024, 2, 28)  # not moved to the 29th
    assert add_years(date(2022, 3, 12), 5) == date(2027, 3, 12)


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)
    assert add_months(date(2023, 3, 31), -1) == date(2023, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 5, 31), 1) == date(2024, 6, 30)
    assert add_months(date(2024, 1, 15), -13) == date(2022, 12, 15)
    assert add_months(date(2024, 12, 15), 1) == date(2025, 1, 15)


def test_format_date() -> None:
    assert format_date(date(2027, 3, 12), "fr") == "12 mars 2027"
    assert format_date(date(2027, 3, 1), "fr") == "1er mars 2027"
    assert format_date(date(2027, 8, 15), "fr") == "15 août 2027"
    assert format_date(date(2027, 3, 1), "en") == "1 March 2027"


# --- which rule -----------------------------------------------------------------------------


def test_before_the_change_the_referentiel_rule_applies() -> None:
    deadline = compute_deadline(RULE, date(2016, 5, 31))
    assert deadline.closes_on == date(2021, 5, 31)
    assert (deadline.rule, deadline.provisional, deadline.evolution) == (
        "referentiel_5_ans",
        False,
        None,
    )
    assert deadline.source == SOURCE


def test_on_the_day_of_the_change_the_5_year_date_is_provisional() -> None:
    deadline = compute_deadline(RULE, date(2016, 6, 1))
    assert deadline.closes_on == date(2021, 6, 1)
    assert (deadline.rule, deadline.provisional, deadline.evolution) == (
        "referentiel_5_ans",
        True,
        "E2",
    )


def test_known_validity_gives_the_validity_rule() -> None:
    rule = replace(RULE, titre_valid_until=date(2028, 12, 31))
    deadline = compute_deadline(rule, date(2022, 3, 12))
    assert deadline.closes_on == date(2029, 12, 31)  # one year after the end of validity
    assert (deadline.rule, deadline.provisional) == ("validite_titre", False)
    # Validity known but the first CCP is older: the référentiel still decides.
    old = compute_deadline(rule, date(2015, 1, 10))
    assert (old.rule, old.closes_on) == ("referentiel_5_ans", date(2020, 1, 10))


def test_a_titre_without_rule_change_keeps_its_years() -> None:
    rule = CapitalisationRule(
        years=4, source="x", rule_change=None, evolution=None, titre_valid_until=None
    )
    deadline = compute_deadline(rule, date(2020, 2, 29))
    assert (deadline.closes_on, deadline.provisional) == (date(2024, 2, 29), False)


def test_first_ccp_on_29_february() -> None:
    deadline = compute_deadline(RULE, date(2024, 2, 29))
    assert deadline.closes_on == date(2029, 2, 28)
    assert "28 février 2029" in deadline.explain("fr", date(2029, 2, 1), E2)


def test_days_left_and_expired_around_the_closing_day() -> None:
    deadline = compute_deadline(RULE, date(2016, 3, 12))  # before the change: a firm date
    assert deadline.closes_on == date(2021, 3, 12)
    assert deadline.days_left(date(2021, 3, 11)) == 1
    assert deadline.days_left(date(2021, 3, 12)) == 0
    assert not deadline.expired(date(2021, 3, 12))  # still open on its last day
    assert deadline.expired(date(2021, 3, 13))
    assert deadline.days_left(date(2021, 3, 15)) == -3


def test_a_prudent_target_passed_never_expires() -> None:
    deadline = compute_deadline(RULE, date(2021, 2, 1))
    assert deadline.provisional and deadline.passed(date(2026, 11, 29))
    assert not deadline.expired(date(2026, 11, 29))
    assert deadline.standing(date(2026, 11, 29)) == "target_passed"
    assert deadline.late(date(2026, 2, 2)) and not deadline.late(date(2026, 2, 1))


def test_the_service_takes_the_earliest_saved_date() -> None:
    assert deadline_from(RULE, []) is None
    found = deadline_from(RULE, [date(2024, 5, 5), date(2021, 12, 10)])
    assert found is not None and found.first_ccp == date(2021, 12, 10)


# --- what the user reads --------------------------------------------------------------------


def test_rule_in_force_with_the_target_ahead_in_french() -> None:
    text = compute_deadline(RULE, date(2022, 3, 12)).explain("fr", date(2026, 11, 29), E2)
    assert "Date à viser : le 12 mars 2027, cinq ans après votre premier CCP : il reste 103 jours" \
        in text
    assert "Premier CCP : 12 mars 2022." in text
    assert "Règle qui s'applique à vous : celle en vigueur depuis le 1er juin 2016" in text
    assert "tant que le titre est valide, et un an après la fin de sa validité" in text
    assert "par prudence, visez la date des cinq ans du référentiel" in text
    assert "Votre centre ou la DREETS peut vous confirmer" in text
    assert "https://mmi-deco.com/aide/passage-de-lexamen/ ; https://atlantique-ibs.net/" in text
    assert "E2" not in text and "ferm" not in text


def test_rule_in_force_with_the_target_ahead_in_english() -> None:
    text = compute_deadline(RULE, date(2022, 3, 12)).explain("en", date(2027, 3, 11), E2)
    assert "Date to aim for: 12 March 2027, five years after your first CCP: 1 day left" in text
    assert "Rule that applies to you: the one in force since 1 June 2016" in text
    assert "to be safe, aim for the date five years after your first CCP" in text
    assert "Sources: https://mmi-deco.com/aide/passage-de-lexamen/; https://atlantique-ibs.net/." \
        in text


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_target_passed_is_never_said_closed(lang: str) -> None:
    deadline = compute_deadline(RULE, date(2021, 2, 1))
    for today in (date(2026, 2, 2), date(2026, 11, 29), date(2030, 1, 1)):
        text = deadline.explain("fr" if lang == "fr" else "en", today, E2)
        assert "ferm" not in text and "closed" not in text
        assert "DREETS" in text and "E2" not in text
    fr = deadline.explain("fr", date(2026, 11, 29), E2)
    assert "La date prudente, cinq ans après votre premier CCP (le 1er février 2026), est passée" \
        in fr
    assert "vos CCP peuvent encore compter" in fr
    assert "demandez à votre centre ou à la DREETS si le titre est toujours valide" in fr


def test_without_the_evolution_object_the_date_of_the_change_is_still_said() -> None:
    text = compute_deadline(RULE, date(2022, 3, 12)).explain("fr", date(2026, 11, 29))
    assert "celle en vigueur depuis le 1er juin 2016" in text
    assert "DREETS" in text


def test_referentiel_rule_closed_and_last_day() -> None:
    deadline = compute_deadline(RULE, date(2016, 1, 10))
    closed = deadline.explain("fr", date(2021, 1, 15), E2)
    assert "s'est fermée le 10 janvier 2021 au soir (il y a 5 jours)" in closed
    assert "celle du référentiel, car votre premier CCP date d'avant le 1er juin 2016" in closed
    assert "Votre centre ou la DREETS peut vous dire ce qui reste possible" in closed
    assert "closed on 10 January 2021 (1 day ago)" in deadline.explain("en", date(2021, 1, 11))
    last_day = deadline.explain("fr", date(2021, 1, 10))
    assert "c'est le dernier jour" in last_day and "DREETS" not in last_day


@pytest.mark.parametrize(
    ("today", "fr", "en"),
    [
        (date(2022, 1, 9), "(il y a 364 jours)", "(364 days ago)"),  # the eve of a year
        (date(2022, 1, 10), "(il y a 1 an)", "(1 year ago)"),
        (date(2026, 12, 5), "(il y a 5 ans)", "(5 years ago)"),  # not "(il y a 2155 jours)"
    ],
)
def test_a_window_closed_long_ago_says_how_long_in_years(today: date, fr: str, en: str) -> None:
    deadline = compute_deadline(RULE, date(2016, 1, 10))  # closed on 10 January 2021
    assert fr in deadline.explain("fr", today)
    assert en in deadline.explain("en", today)


def test_31_may_and_1_june_2016_on_each_side_of_the_change() -> None:
    before = compute_deadline(RULE, date(2016, 5, 31)).explain("fr", date(2019, 1, 1), E2)
    after = compute_deadline(RULE, date(2016, 6, 1)).explain("fr", date(2019, 1, 1), E2)
    assert "Votre fenêtre de capitalisation se ferme le 31 mai 2021" in before
    assert "celle du référentiel" in before and "Date à viser" not in before
    assert "Date à viser : le 1er juin 2021" in after and "celle en vigueur" in after


def test_validity_rule_explanation() -> None:
    rule = replace(RULE, titre_valid_until=date(2028, 12, 31))
    text = compute_deadline(rule, date(2022, 3, 12)).explain("fr", date(2026, 11, 29), E2)
    assert "se ferme le 31 décembre 2029" in text
    assert "Date à viser" not in text and "prudence" not in text
    assert "Le titre est valide jusqu'au 31 décembre 2028" in text
    assert "un an après la fin de sa validité" in text
    assert "Sources : https://mmi-deco.com" in text
    closed = compute_deadline(rule, date(2022, 3, 12)).explain("fr", date(2030, 1, 2), E2)
    assert "s'est fermée le 31 décembre 2029" in closed and "DREETS" in closed


@pytest.mark.parametrize("status", ["P", "U", "V / U"])
def test_unconfirmed_evolution_is_flagged(status: str) -> None:
    evolution = replace(E2, status=status)
    text = compute_deadline(RULE, date(2022, 3, 12)).explain("fr", date(2026, 11, 29), evolution)
    assert "depuis le 1er juin 2016 (à vérifier)" in text


def test_explain_says_the_phrases_it_is_given() -> None:
    shipped = default_phrases()
    texts = dict(shipped.texts)
    texts["deadline.first_ccp"] = ("CCP n° 1 obtenu le {first}.", "CCP no. 1 on {first}.")
    text = compute_deadline(RULE, date(2022, 3, 12)).explain(
        "fr", date(2026, 11, 29), E2, phrases=Phrases(texts)
    )
    assert "CCP n° 1 obtenu le 12 mars 2022." in text
    assert "Premier CCP" not in text
