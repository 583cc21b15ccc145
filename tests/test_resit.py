"""A failure's date beside the re-sit rule (knowledge/readers/resit.py): the period counted from
that day, said as an "if" because the sources do not say which day it runs from."""

from __future__ import annotations

import dataclasses
from datetime import date

from knowledge.engine import Engine

TODAY = date(2026, 12, 6)


def test_a_failure_a_year_ago_says_the_period_has_ended_and_whom_to_ask(engine: Engine) -> None:
    """A tester gave his failure's date three times and got the general rule each time."""
    answer = engine.ask("i failed ccp3 on 15/10/2023, until when can i resit?", today=TODAY)
    assert answer.topic == "repasser"
    first = answer.text.split("\n\n")[0]
    assert first.startswith("Your failure: 15 October 2023. If the 12-month period")
    assert "it ended on 15 October 2024" in first and "DREETS" in first
    assert "The sources do not say which day it runs from" in first
    assert "⚠️ Today (re-sitting after a failure" in answer.text  # the rule itself follows


def test_a_recent_failure_gets_the_days_left(engine: Engine) -> None:
    answer = engine.ask("j'ai raté le CCP 2 le 10 octobre 2026, je peux le repasser quand ?",
                        today=TODAY)  # fmt: skip
    assert answer.text.startswith("Votre échec : 10 octobre 2026. Si le délai de 12 mois")
    assert "il court jusqu'au 10 octobre 2027 : il reste 308 jours" in answer.text
    assert answer.deadline is None and answer.typed_dates == ()  # no CCP obtained that day


def test_a_month_counts_from_its_first_day_and_a_failure_before_the_rule_says_so(
    engine: Engine,
) -> None:
    month = engine.ask("recalé au ccp1 en novembre 2026, je peux repasser ?", today=TODAY)
    assert "Votre échec : novembre 2026." in month.text
    assert "jusqu'au 1er novembre 2027" in month.text  # the earliest end: the prudent one
    old = engine.ask("recalé au ccp1 en mars 2015, je peux repasser ?", today=TODAY)
    assert old.text.startswith("Votre échec : mars 2015, avant le 1er juin 2016.")
    assert "ne s'appliquait pas encore" in old.text and "jusqu'au" not in old.text


def test_for_a_candidate_it_is_said_of_them(engine: Engine) -> None:
    answer = engine.ask("mon candidat a échoué au CCP 3 le 02/06/2026, il peut le repasser "
                        "jusqu'à quand ?", today=TODAY)  # fmt: skip
    assert answer.text.startswith("L'échec : 2 juin 2026.")
    assert "vous représenter" not in answer.text.split("\n\n")[0]


def test_no_date_no_rule_no_figure(engine: Engine) -> None:
    plain = engine.ask("je peux repasser un ccp après un échec ?", today=TODAY)
    assert plain.topic == "repasser" and plain.text.startswith("⚠️ Aujourd'hui")
    without = Engine(dataclasses.replace(engine.titre, resit=None))  # a titre with no such rule
    assert without.resits.read(engine.normalizer.prepare("raté le 15/10/2023"), TODAY,
                               "fr") is None  # fmt: skip
