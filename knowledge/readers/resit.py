"""A failure's date beside the re-sit rule: « j'ai raté le CCP 3 le 15/10/2023, je peux le
repasser jusqu'à quand ? » gets the rule's period counted from that day, said as an "if": the
sources give the period (`Titre.resit`, from its change) but not the day it runs from.

The failure's date is one written in a clause that tells of a failure (language data
`failed_words`, read by `DeadlineReader.failures`); with several, the latest counts (the last
attempt). A month or a year is counted from its first day: the earliest end, the prudent one.
A failure before the rule came into force gets no period, and says why.
"""

from __future__ import annotations

from datetime import date

from knowledge.deadline import add_months, format_date, plural_s
from knowledge.model import Lang, Titre
from knowledge.phrases import Phrases
from knowledge.readers.deadline import DeadlineReader
from knowledge.text import Prepared


class ResitReader:
    def __init__(self, titre: Titre, deadlines: DeadlineReader, phrases: Phrases) -> None:
        self.titre = titre
        self.deadlines = deadlines
        self.phrases = phrases
        self._of_another = phrases.about_another()

    def read(self, text: Prepared, today: date, lang: Lang) -> str | None:
        """The re-sit period of the failure the message dates, or None (no rule, no date)."""
        rule = self.titre.resit
        change = self.titre.evolution(rule.evolution) if rule is not None else None
        failed = self.deadlines.failures(text, today)
        if rule is None or change is None or not failed:
            return None
        last = max(failed, key=lambda d: d.earliest())
        day = last.earliest()
        said = format_date(day, lang) if last.precision == "day" else last.text.strip()
        p = self._of_another if self.deadlines.for_another(text) else self.phrases
        if day < change.in_force:
            return p.get("resit.before_rule", lang, failed=said, months=rule.months,
                         since=format_date(change.in_force, lang))  # fmt: skip
        until = add_months(day, rule.months)
        if until < today:
            return p.get("resit.passed", lang, failed=said, months=rule.months,
                         until=format_date(until, lang))  # fmt: skip
        n = (until - today).days
        return p.get("resit.open", lang, failed=said, months=rule.months,
                     until=format_date(until, lang), n=n, s=plural_s(n))  # fmt: skip
