"""The capitalisation deadline: arithmetic, rule choice (E2) and what the user reads."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from knowledge.deadline import add_months, add_years, compute_deadline, format_date
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
    deadline = compute_deadline(RULE, date(2022, 3, 12))  # issue 4: closes in March 2027
    assert deadline.closes_on == date(2027, 3, 12)
    assert deadline.days_left(date(2027, 3, 11)) == 1
    assert deadline.days_left(date(2027, 3, 12)) == 0
    assert not deadline.expired(date(2027, 3, 12))  # still open on its last day
    assert deadline.expired(date(2027, 3, 13))
    assert deadline.days_left(date(2027, 3, 15)) == -3


# --- what the user reads --------------------------------------------------------------------


def test_provisional_explanation_in_french() -> None:
    text = compute_deadline(RULE, date(2022, 3, 12)).explain("fr", date(2026, 11, 29), E2)
    assert "se ferme le 12 mars 2027 : il reste 103 jours (date provisoire)" in text
    assert "Premier CCP : 12 mars 2022." in text
    assert SOURCE in text
    assert "cinq ans, à partir de la date d'obtention du premier CCP" in text
    assert "Depuis le 1er juin 2016 (E2) : les CCP manquants" in text
    assert "par prudence, la date des cinq ans du référentiel est utilisée" in text
    assert "votre centre ou de la DREETS" in text
    assert "mmi-deco.com/aide/passage-de-lexamen/ ; atlantique-ibs.net" in text


def test_provisional_explanation_in_english() -> None:
    text = compute_deadline(RULE, date(2022, 3, 12)).explain("en", date(2027, 3, 11), E2)
    assert "closes on 12 March 2027: 1 day left (provisional date)" in text
    assert "Since 1 June 2016 (E2): the missing CCPs can be taken" in text
    assert "to be safe, the référentiel's date (five years after the first CCP) is used" in text
    assert "DREETS" in text and SOURCE in text
    assert "Sources: mmi-deco.com/aide/passage-de-lexamen/; atlantique-ibs.net." in text


def test_provisional_explanation_without_the_evolution_object() -> None:
    text = compute_deadline(RULE, date(2022, 3, 12)).explain("fr", date(2026, 11, 29))
    assert "Depuis le 1er juin 2016 (E2) : le délai dépend de la validité du titre" in text
    assert "DREETS" in text


def test_closed_window_and_last_day() -> None:
    deadline = compute_deadline(RULE, date(2016, 1, 10))
    closed = deadline.explain("fr", date(2021, 1, 15), E2)
    assert "fermée depuis le 10 janvier 2021 au soir (il y a 5 jours)" in closed
    assert "le vôtre est antérieur, la règle du référentiel s'applique" in closed
    assert "DREETS" not in closed  # nothing provisional about a pre-2016 first CCP
    assert "closed on 10 January 2021 (1 day ago)" in deadline.explain("en", date(2021, 1, 11))
    assert "c'est le dernier jour" in deadline.explain("fr", date(2021, 1, 10))


def test_validity_rule_explanation() -> None:
    rule = replace(RULE, titre_valid_until=date(2028, 12, 31))
    text = compute_deadline(rule, date(2022, 3, 12)).explain("fr", date(2026, 11, 29), E2)
    assert "se ferme le 31 décembre 2029" in text
    assert "provisoire" not in text
    assert "la validité du titre (évolution E2" in text
    assert "valide jusqu'au 31 décembre 2028" in text
    assert "gardent un an après la fin de sa validité" in text
    assert "Sources : mmi-deco.com" in text


@pytest.mark.parametrize("status", ["P", "U", "V / U"])
def test_unconfirmed_evolution_is_flagged(status: str) -> None:
    evolution = replace(E2, status=status)
    text = compute_deadline(RULE, date(2022, 3, 12)).explain("fr", date(2026, 11, 29), evolution)
    assert "(E2 (à vérifier))" in text


def test_a_change_known_by_its_years_gets_no_invented_day() -> None:
    evolution = replace(E2, in_force_label="2016 / 2018")
    deadline = compute_deadline(RULE, date(2022, 3, 12))
    text = deadline.explain("fr", date(2026, 11, 29), evolution)
    assert "Depuis 2016, puis 2018 (E2) : les CCP manquants" in text
    assert "1er juin 2016" not in text
    english = deadline.explain("en", date(2026, 11, 29), evolution)
    assert "Since 2016, then 2018 (E2): the missing CCPs" in english


def test_explain_says_the_phrases_it_is_given() -> None:
    shipped = default_phrases()
    texts = dict(shipped.texts)
    texts["deadline.first_ccp"] = ("CCP n° 1 obtenu le {first}.", "CCP no. 1 on {first}.")
    text = compute_deadline(RULE, date(2022, 3, 12)).explain(
        "fr", date(2026, 11, 29), E2, phrases=Phrases(texts)
    )
    assert "CCP n° 1 obtenu le 12 mars 2022." in text
    assert "Premier CCP" not in text
