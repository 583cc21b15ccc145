"""Relative days ("il y a deux ans", "le mois dernier", "last year"): the earliest day each can
mean, the prudent reading for a deadline (as "en 2022" is read from 1 January), quoted as the user
wrote it. The patterns are language data (`relative:` in the language files)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from knowledge.dates import PartialDate, fold
from knowledge.deadline import add_months, add_years
from knowledge.text import Normalizer, Prepared


class RelativeDays:
    def __init__(self, normalizer: Normalizer) -> None:
        self.vocabulary = normalizer.vocabulary
        # "le" as written: "le" or "l'" (the elisions, read backwards), to quote the user
        self._written_as: dict[str, list[str]] = {}
        for short, full in normalizer.vocabulary.elisions.items():
            self._written_as.setdefault(full, []).append(re.escape(short) + "'")

    def read(self, text: Prepared, today: date) -> list[PartialDate]:
        """"il y a deux ans", "le mois dernier": the earliest day they can mean."""
        v = self.vocabulary
        words = text.words
        found: list[PartialDate] = []
        present = set(words)
        for pattern, unit in v.relative:
            if any(want != "{n}" and want not in present for want in pattern):
                continue  # a word of it is nowhere in the text
            n = len(pattern)
            for i in range(len(words) - n + 1):
                part = words[i : i + n]
                count = 1
                ok = True
                for want, got in zip(pattern, part, strict=True):
                    if want == "{n}":
                        value = int(got) if got.isdigit() else v.numbers.get(got)
                        if value is None or not 0 < value < 50:
                            ok = False
                            break
                        count = value
                    elif want != got:
                        ok = False
                        break
                if not ok:
                    continue
                # "il y a 2 ans" is anything from two years ago to the day before three: the
                # earliest of it is the prudent reading (as "en 2022" is read from 1 January)
                day = {
                    "years": lambda c: add_years(today, -c - 1) + timedelta(days=1),
                    "months": lambda c: add_months(today, -c - 1) + timedelta(days=1),
                    "last_year": lambda c: date(today.year - 1, 1, 1),
                    "last_month": lambda c: add_months(today, -1).replace(day=1),
                }[unit](count)
                written, span = self._as_written(text.text, part)
                found.append(PartialDate(day.year, day.month, day.day, written, span))
        return found

    def _as_written(self, text: str, words: Sequence[str]) -> tuple[str, tuple[int, int]]:
        """Where the words a pattern matched stand in the message, as the user wrote them
        ("l'année dernière", not "le annee derniere"); the words themselves if not found."""
        forms = ["(?:" + "|".join([re.escape(w), *self._written_as.get(w, [])]) + ")"
                 for w in words]  # fmt: skip
        pattern = r"(?<![a-z0-9])" + r"[\s'-]*".join(forms) + r"(?![a-z0-9])"
        found = re.search(pattern, fold(text))
        if found is None:
            return " ".join(words), (0, 0)
        return text[found.start() : found.end()], found.span()
