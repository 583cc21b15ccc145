"""The deadline: a date given in the message, or the user's saved CCPs, read into the computed
closing date with its rule (the arithmetic and the wording of the rule are `knowledge.deadline`).

Dates anywhere in the message count (the sentence before the question too), in every form
`knowledge.dates` reads, plus relative ones ("il y a deux ans"), read on the prudent side and said
so; with several dates, the earliest starts the window. No clock here: `today` is a parameter.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from knowledge.dates import PartialDate, find_dates
from knowledge.deadline import (
    Deadline,
    add_months,
    add_years,
    compute_deadline,
    explain_for,
    format_date,
)
from knowledge.model import Lang, Titre
from knowledge.phrases import Phrases
from knowledge.readers.ccp import UNIT
from knowledge.text import Normalizer, Prepared

SavedCcp = tuple[int, date]  # (CCP number, date obtained), as the dialogue passes them in


@dataclass(frozen=True, slots=True)
class DeadlineFinding:
    text: str
    deadline: Deadline | None
    typed: tuple[date, ...]  # dates read from the message (for "Enregistrer ce CCP ?")


class DeadlineReader:
    def __init__(self, titre: Titre, normalizer: Normalizer, phrases: Phrases) -> None:
        self.titre = titre
        self.normalizer = normalizer
        self.phrases = phrases

    def relative(self, text: Prepared, today: date) -> list[PartialDate]:
        """"il y a deux ans", "le mois dernier": the earliest day they can mean."""
        v = self.normalizer.vocabulary
        words = text.words
        found: list[PartialDate] = []
        for pattern, unit in v.relative:
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
                day = {
                    "years": lambda c: add_years(today, -c),
                    "months": lambda c: add_months(today, -c),
                    "last_year": lambda c: date(today.year - 1, 1, 1),
                    "last_month": lambda c: add_months(today, -1).replace(day=1),
                }[unit](count)
                found.append(PartialDate(day.year, day.month, day.day, " ".join(part), (0, 0)))
        return found

    def read(
        self,
        text: Prepared,
        *,
        asked: bool,
        own: bool = False,
        named: Sequence[int] = (),
        today: date,
        lang: Lang,
        saved: Sequence[SavedCcp] = (),
    ) -> DeadlineFinding | None:
        """The deadline answer when the message gives a date of a CCP (`asked`: the ranker
        leans to the deadline) or asks the deadline (`own`: its best topic) of a user who
        saved CCPs."""
        dates = find_dates(text.text)
        relative = self.relative(text, today) if not dates else []
        if not (dates or relative):
            if own and saved:  # "c quand ma date limite": the user's own CCPs answer it
                notes = [self.phrases.get("dated.from_saved", lang)]
                return self._explain(min(d for _, d in saved), notes, today, lang, typed=())
            return None
        if not asked:
            return None
        p = self.phrases
        valid = [d for d in (*dates, *relative) if d.valid]
        if not valid:
            return DeadlineFinding(_impossible_text(dates[0], lang, p), None, ())
        first = min(valid, key=lambda d: d.earliest())
        day = first.earliest()
        if first.latest() < self.titre.identity.created:
            return DeadlineFinding(self._before_creation(first.text, lang), None, ())
        notes = []
        if first in relative:
            notes.append(p.get("dated.relative", lang, text=first.text,
                               date=format_date(day, lang)))  # fmt: skip
        else:
            notes.extend(_precision_notes(first, day, lang, p))
        if len({d.earliest() for d in valid}) > 1:
            notes.append(p.get("dated.earliest", lang, date=format_date(day, lang)))
        if day > today:
            notes.append(p.get("dated.future", lang))
        typed = tuple(sorted({d.earliest() for d in valid}))
        earliest_saved = min((d for _, d in saved), default=None)
        if earliest_saved is not None and earliest_saved < day:
            notes.append(p.get("dated.from_saved", lang))  # the window opened with that one
            day = earliest_saved
        elif named and 1 not in named and len(valid) == 1:
            notes.append(p.get("dated.from_first", lang))  # "CCP 2 le …": was it the first?
        return self._explain(day, notes, today, lang, typed)

    def _explain(
        self, day: date, notes: list[str], today: date, lang: Lang, typed: tuple[date, ...]
    ) -> DeadlineFinding:
        deadline = compute_deadline(self.titre.capitalisation, day)
        text = "\n".join([*notes, explain_for(self.titre, deadline, lang, today, self.phrases)])
        return DeadlineFinding(text, deadline, typed)

    def mentions_ccp(self, text: Prepared) -> bool:
        return UNIT in text.words

    def _before_creation(self, written: str, lang: Lang) -> str:
        ident = self.titre.identity
        created = ident.created_label if lang == "fr" else format_date(ident.created, lang)
        return self.phrases.get("dated.before_creation", lang, written=written,
                                short=ident.short_name, created=created)  # fmt: skip


def _precision_notes(found: PartialDate, day: date, lang: Lang, p: Phrases) -> list[str]:
    """Say which day a month or a year alone was taken to mean, and why (the safe side)."""
    if found.precision == "day":
        return []
    what = p.get("dated.a_month" if found.precision == "month" else "dated.a_year", lang)
    return [p.get("dated.not_a_day", lang, what=what, date=format_date(day, lang))]


def _impossible_text(found: PartialDate, lang: Lang, p: Phrases) -> str:
    """A kind sentence saying why the date cannot be read as a real day."""
    why = p.get("dated.no_such_date", lang)
    if found.month is not None and not 1 <= found.month <= 12:
        why = p.get("dated.twelve_months", lang)
    elif found.month is not None and found.day is not None:
        days = monthrange(found.year, found.month)[1]
        month = format_date(date(found.year, found.month, 1), lang).split(" ", 1)[1]
        why = p.get("dated.month_days", lang, month=month, days=days)
    return p.get("dated.impossible", lang, text=found.text, why=why)
