"""The deadline: a date given in the message, or the user's saved CCPs, read into the computed
closing date with its rule (the arithmetic and the wording of the rule are `knowledge.deadline`).

Dates anywhere in the message count (the sentence before the question too), in every form
`knowledge.dates` reads, plus relative ones ("il y a deux ans"), read on the prudent side and said
so, and "hier" in a clause that names a CCP; with several dates, the earliest starts the window.
A day without its year ("le 3 mai") is answered by asking for the year. No clock here: `today`
is a parameter.

Each date written next to a CCP number in the same clause is paired with it, in either order
("CCP2 le 18/04/2018 puis CCP1 le 05/02/2019", "05/02/2019 pour le ccp1", "CCP2 on 18 April
2018"): `DeadlineFinding.pairs`, carried to `Answer.typed_pairs` so that the dialogue can offer
to save exactly those (the `ask --json` object does not change). Only a date written to the day
is offered: a month, a year or a relative date is no day the user gave.

A message that names a CCP and writes a day but asks something else ("mon livret indique un CCP
acquis le 22.11.2012 …") keeps that day (`stated`, `Answer.dated`): its deadline is offered
beside the answer, never in its place.
"""

from __future__ import annotations

import itertools
import re
from calendar import monthrange
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from knowledge.dates import (
    PartialDate,
    Yearless,
    find_dates,
    find_named_days,
    find_yearless,
)
from knowledge.deadline import (
    Deadline,
    compute_deadline,
    explain_for,
    format_date,
)
from knowledge.model import Lang, Titre
from knowledge.phrases import Phrases
from knowledge.readers.relative import RelativeDays
from knowledge.text import Normalizer, Prepared

SavedCcp = tuple[int, date]  # (CCP number, date obtained), as the dialogue passes them in
_CLAUSE_END: Final = re.compile(r"[,;!?\n]|\.(?=\s|$)")  # outside dates: ends a clause


class TypedDates(tuple[date, ...]):
    """The dates read from a message (a plain tuple of dates), carrying the (CCP, date) pairs
    written in it: `Answer` takes them from its `typed_dates` (`Answer.typed_pairs`)."""

    pairs: tuple[SavedCcp, ...]

    def __new__(cls, dates: Sequence[date] = (), pairs: Sequence[SavedCcp] = ()) -> TypedDates:
        made = super().__new__(cls, dates)
        made.pairs = tuple(pairs)
        return made


@dataclass(frozen=True, slots=True)
class DeadlineFinding:
    text: str
    deadline: Deadline | None
    typed: tuple[date, ...]  # dates read from the message (for "Enregistrer ce CCP ?")
    pairs: tuple[SavedCcp, ...] = ()  # each date with the CCP written next to it


class DeadlineReader:
    def __init__(self, titre: Titre, normalizer: Normalizer, phrases: Phrases) -> None:
        self.titre = titre
        self.normalizer = normalizer
        self.phrases = phrases
        self._of_another = phrases.about_another()  # said of a candidate's CCPs
        self._relative = RelativeDays(normalizer)
        # "CCP 2", "ccp2", "CCP n°2", "CCP no 2", "CCP #2" (the numbering words are data)
        numbering = "|".join(sorted(normalizer.vocabulary.numbering, key=len, reverse=True))
        units = "|".join(sorted(normalizer.vocabulary.units, key=len, reverse=True))
        self.ccp_number = re.compile(
            rf"(?<![a-z])(?:{units})\s*(?:(?:{numbering})\.?\s*°?\s*|n\s*°\s*|#\s*)?(\d{{1,2}})(?!\d)",
            re.IGNORECASE,
        )

    def _no_year(self, found: Yearless, today: date, lang: Lang) -> str:
        """"« le 3 mai » : il manque l'année", with that day's latest date as the example."""
        latest = found.last_before(today)
        example = format_date(latest, lang) if latest is not None else "15/03/2021"
        return self.phrases.get("dated.no_year", lang, text=found.text, example=example)

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
        dates = sorted([*find_dates(text.text), *self.named_days(text.text, today)],
                       key=lambda d: d.span)  # fmt: skip
        dates = [d for d in dates if not self._failed(text.text, d)]
        relative = self._relative.read(text, today) if not dates else []
        if not (dates or relative) and asked and (yearless := find_yearless(text.text)):
            return DeadlineFinding(self._no_year(yearless[0], today, lang), None, ())
        if not (dates or relative):
            # "c quand ma date limite": the user's own CCPs answer it, not a candidate's question
            if own and saved and not self.for_another(text):
                intro = [self.phrases.get("dated.from_saved", lang)]
                return self._explain(min(d for _, d in saved), intro, today, lang, typed=())
            return None
        if not asked:
            return None
        return self._dated(text, dates, relative, named=named, today=today, lang=lang,
                           saved=saved)  # fmt: skip

    def _dated(
        self,
        text: Prepared,
        dates: Sequence[PartialDate],
        relative: Sequence[PartialDate],
        *,
        named: Sequence[int],
        today: date,
        lang: Lang,
        saved: Sequence[SavedCcp],
    ) -> DeadlineFinding | None:
        """The deadline of the dates a message gives (the earliest opens the window), with
        how they were read."""
        another = self.for_another(text)  # a candidate's CCP: said of them, not "votre"
        p = self._of_another if another else self.phrases
        # one impossible date among others ("CCP1 le 30/02/2019, CCP2 le 12/06/2022") may be
        # the first CCP's, mistyped: the window cannot be read from the others alone
        impossible = [d for d in dates if not d.valid]
        if impossible:
            return DeadlineFinding(_impossible_text(impossible[0], lang, p), None, ())
        valid = [d for d in (*dates, *relative) if d.valid]
        if not valid:
            return None
        first = min(valid, key=lambda d: d.earliest())
        day = first.earliest()
        if first.latest() < self.titre.identity.created:
            return DeadlineFinding(self._before_creation(first.text, lang), None, ())
        # the answer comes first; what was read of the dates follows it, except the lines that
        # frame it ("Cette date est dans le futur : voici…", "D'après les CCP enregistrés :")
        lead: list[str] = []
        notes: list[str] = []
        if first in relative:
            notes.append(p.get("dated.relative", lang, text=first.text,
                               date=format_date(day, lang)))  # fmt: skip
        else:
            notes.extend(_precision_notes(first, day, lang, p))
        if len({d.earliest() for d in valid}) > 1:
            notes.append(p.get("dated.earliest", lang, date=format_date(day, lang)))
        if day > today:
            lead.append(p.get("dated.future", lang))
        typed, saved = self._typed(dates, saved, another=another, text=text.text)
        # "mon ccp1 en 2022" from a user who saved 14/03/2022: the saved day is the precise one
        within = [d for _, d in saved if first.precision != "day" and first not in relative
                  and first.earliest() <= d <= first.latest()]  # fmt: skip
        if within and min(within) == min(d for _, d in saved):  # other dates are later ones
            lead, notes, day = [p.get("dated.from_saved", lang)], [], min(within)
        earliest_saved = min((d for _, d in saved), default=None)
        if earliest_saved is not None and earliest_saved < day:
            if day > today:  # not "here is what it would give", then another date's answer
                lead = [p.get("dated.future_set_aside", lang, date=format_date(day, lang))]
            lead.append(p.get("dated.from_saved", lang))  # the window opened with that one
            day = earliest_saved
        elif named and 1 not in named and len(valid) == 1:
            notes.append(p.get("dated.from_first", lang))  # "CCP 2 le …": was it the first?
        return self._explain(day, lead, today, lang, typed, p, notes)

    def _explain(
        self,
        day: date,
        lead: list[str],
        today: date,
        lang: Lang,
        typed: tuple[date, ...],
        phrases: Phrases | None = None,
        notes: Sequence[str] = (),
    ) -> DeadlineFinding:
        """The deadline's answer: `lead` lines, its first line (the date and the days left),
        then `notes` on how the dates were read, then the rest of the explanation."""
        deadline = compute_deadline(self.titre.capitalisation, day)
        said = phrases or self.phrases
        answer, _, rest = explain_for(self.titre, deadline, lang, today, said).partition("\n")
        text = "\n".join([*lead, answer, *notes, *([rest] if rest else [])])
        pairs = typed.pairs if isinstance(typed, TypedDates) else ()
        return DeadlineFinding(text, deadline, typed, pairs)

    def failures(self, text: Prepared, today: date) -> list[PartialDate]:
        """The real, past dates written in a clause that tells of a failure."""
        return [d for d in find_dates(text.text) if d.valid and d.earliest() <= today
                and self._failed(text.text, d)]  # fmt: skip

    def _failed(self, text: str, found: PartialDate) -> bool:
        """« j'ai raté le CCP 3 le 10/12/2021 » : a date in a clause telling of a failure is
        no day a CCP was obtained (language data `failed_words`)."""
        start, end = _clause(text, found.span)
        v = self.normalizer.vocabulary
        before = self.normalizer.words(text[start : found.span[0]])
        after = self.normalizer.words(text[found.span[1] : end])
        # the event the date belongs to: from the last joining word before it to the next one
        cut = max((i + 1 for i, w in enumerate(before) if w in v.joining), default=0)
        stop = next((i for i, w in enumerate(after) if w in v.joining), len(after))
        return not v.failed.isdisjoint([*before[cut:], *after[:stop]])

    def named_days(self, text: str, today: date) -> list[PartialDate]:
        """"Hier" in a clause that names a CCP ("j'ai eu le CCP 2 hier"): that day. In another
        clause ("j'ai appelé mon centre hier") it dates something else, and is not read."""
        units = self.normalizer.vocabulary.units
        found = []
        for day in find_named_days(text, today):
            start, end = _clause(text, day.span)
            if not units.isdisjoint(self.normalizer.words(text[start:end])):
                found.append(day)
        return found

    def pairs(self, text: str, dates: Sequence[PartialDate]) -> tuple[SavedCcp, ...]:
        """(CCP, date) for each date written next to a CCP number in the same clause, in
        either order. A clause pairs only when CCP numbers and dates alternate, one each
        ("CCP 1 et CCP 2 le 05/02/2019" says nothing sure); numbers in words ("mon premier
        CCP": the first obtained, whichever) and CCPs the titre has not are not paired."""
        tokens: list[tuple[int, int, int | PartialDate]] = [
            (d.span[0], d.span[1], d) for d in dates if d.valid
        ]
        tokens += [(m.start(), m.end(), int(m.group(1))) for m in self.ccp_number.finditer(text)]
        if not tokens:
            return ()
        taken = [d.span for d in dates]
        ends = [m.start() for m in _CLAUSE_END.finditer(text)
                if not any(s <= m.start() < e for s, e in taken)]  # fmt: skip
        clauses: dict[int, list[int | PartialDate]] = {}
        for start, _end, value in sorted(tokens, key=lambda t: t[0]):
            clauses.setdefault(sum(e < start for e in ends), []).append(value)
        found: list[SavedCcp] = []
        for values in clauses.values():
            kinds = [isinstance(v, PartialDate) for v in values]
            if len(values) % 2 or any(a == b for a, b in itertools.pairwise(kinds)):
                continue  # not "CCP, date, CCP, date" (or the other way round): unsure
            for first, second in zip(values[::2], values[1::2], strict=True):
                number, obtained = (second, first) if isinstance(first, PartialDate) \
                    else (first, second)
                if isinstance(number, int) and isinstance(obtained, PartialDate) \
                        and obtained.precision == "day" and self.titre.ccp(number) is not None:
                    found.append((number, obtained.earliest()))
        return tuple(found)

    def stated(self, text: Prepared, today: date) -> date | None:
        """The earliest day the message gives in a message that names a CCP ("mon livret
        indique un CCP acquis le 22.11.2012"), when the question is about something else: the
        dialogue offers that day's deadline beside the answer. Only a date written in full
        (not "hier": "j'ai passé le CCP 3 hier, les résultats c'est quand ?" was no success),
        not in the future, not before the titre existed."""
        if not self.mentions_ccp(text):
            return None
        created = self.titre.identity.created
        told = [d for d in find_dates(text.text) if not self._failed(text.text, d)]
        usable = [d for d in _days(told) if created <= d <= today]
        return min(usable, default=None)

    def _typed(
        self, dates: Sequence[PartialDate], saved: Sequence[SavedCcp], *, another: bool, text: str
    ) -> tuple[TypedDates, Sequence[SavedCcp]]:
        """The dates the user may save, and the saved CCPs that count with them. Only a day
        written can be saved as a CCP's date: "juin 2022" and "il y a deux ans" count for the
        deadline (their prudent reading), never as a date they gave. Someone else's CCP (a
        candidate's, a sister's) is not the user's to save, nor in the user's own window."""
        if another:
            return TypedDates(), ()
        return TypedDates(sorted(set(_days(dates))), self.pairs(text, dates)), saved

    def for_another(self, text: Prepared) -> bool:
        """"Une stagiaire a obtenu son premier CCP le …", "he got CCP 1 on …": the message
        tells of someone else's CCP (an advisor, a relative asking), and nothing of the user's
        own. Read from a possessive before the unit ("son 1er CCP") or a subject before an
        auxiliary ("il a obtenu", not "il a été validé": the CCP itself), the language files'
        `own_words`, `others_words`, `auxiliaries`, `passive_words`."""
        v = self.normalizer.vocabulary
        words = text.words
        between = v.ordinals | v.numbers.keys() | v.ordinal_suffixes  # "son 1er CCP"
        said: set[str] = set()
        for i, word in enumerate(words):
            if word in v.units:
                j = i - 1
                while j > 0 and i - j < 3 and (words[j].isdigit() or words[j] in between):
                    j -= 1
                if j >= 0:
                    said |= self._whose(words[j])
            after = words[i + 1 : i + 3]
            # "il a obtenu" tells who obtained it; "le CCP 1, il a été validé" tells of the CCP
            if after and after[0] in v.auxiliaries and v.passive.isdisjoint(after[1:]):
                said |= self._whose(word)
        return said == {"another"}

    def _whose(self, word: str) -> set[str]:
        v = self.normalizer.vocabulary
        return {"own"} if word in v.own else {"another"} if word in v.others else set()

    def mentions_ccp(self, text: Prepared) -> bool:
        return not self.normalizer.vocabulary.units.isdisjoint(text.words)

    def _before_creation(self, written: str, lang: Lang) -> str:
        ident = self.titre.identity
        created = ident.created_label if lang == "fr" else format_date(ident.created, lang)
        return self.phrases.get("dated.before_creation", lang, written=written,
                                short=ident.short_name, created=created)  # fmt: skip


def _clause(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """Where the clause holding `span` starts and ends in `text`."""
    ends = [0, *(m.end() for m in _CLAUSE_END.finditer(text)), len(text)]
    return max(e for e in ends if e <= span[0]), min(e for e in ends if e >= span[1])


def _days(dates: Sequence[PartialDate]) -> list[date]:
    """The dates written to the day: the only ones a user gave as a CCP's date."""
    return [d.earliest() for d in dates if d.valid and d.precision == "day"]


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
