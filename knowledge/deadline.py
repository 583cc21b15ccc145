"""The capitalisation deadline: which rule applies, the closing date, and how to say it.

The référentiel gives "cinq ans, à partir de la date d'obtention du premier CCP". A later change
(E2 in evolutions.md, from 1 June 2016) ties the window to the titre's validity instead; when an
operator has not recorded that validity, the 5-year date is still used (to be safe) and the
deadline is marked provisional. Whatever is said names its rule and its source. No clock here.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

from knowledge.model import CapitalisationRule, Evolution, Lang
from knowledge.phrases import Phrases, default_phrases

Rule = Literal["referentiel_5_ans", "validite_titre"]

_MONTHS_FR: Final = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
_MONTHS_EN: Final = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_NUMBERS_FR: Final = ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit",
                      "neuf", "dix")  # fmt: skip
_NUMBERS_EN: Final = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                      "nine", "ten")  # fmt: skip


def add_months(d: date, n: int) -> date:
    """`d` moved by `n` calendar months (n may be negative), clamped to the month's last day.

    31 March - 1 month is 28/29 February, never 2/3 March: a step or a window computed this
    way never lands past the month it names.
    """
    index = d.year * 12 + (d.month - 1) + n
    year, month0 = divmod(index, 12)
    last = _days_in_month(year, month0 + 1)
    return date(year, month0 + 1, min(d.day, last))


def add_years(d: date, n: int) -> date:
    """`d` moved by `n` years; 29 February lands on 28 February in a common year.

    Why 28 and not 1 March: the window must not overrun. Five years from 29 Feb 2024 end on
    28 Feb 2029, the last day of that month, as French law counts a délai in years when the
    same day does not exist (Code de procédure civile, art. 641).
    """
    return add_months(d, 12 * n)


def _days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def format_date(d: date, lang: Lang) -> str:
    """Long date for people: "1er mars 2027", "12 mars 2027"; "12 March 2027"."""
    if lang == "en":
        return f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}"
    day = "1er" if d.day == 1 else str(d.day)
    return f"{day} {_MONTHS_FR[d.month - 1]} {d.year}"


def _years_words(n: int, lang: Lang, phrases: Phrases) -> str:
    """"cinq ans", "one year": small numbers in words (they read better in a sentence)."""
    words = _NUMBERS_EN if lang == "en" else _NUMBERS_FR
    number = words[n] if 0 <= n < len(words) else str(n)
    return phrases.get("years.one" if n == 1 else "years.many", lang, number=number)


_LABEL_PART = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def in_force_text(evolution: Evolution, lang: Lang, phrases: Phrases) -> str:
    """When a change applies, as precise as its source: "le 9 janvier 2019"; "2014, puis 2018"
    for "2014 / 2018" (years only: no day is invented); "le 1er janvier 2017, puis le 23
    décembre 2022" for two dates. A label that is no such list is shown as written."""
    label = evolution.in_force_label.strip()
    if not label:
        return phrases.get("when.day", lang, date=format_date(evolution.in_force, lang))
    parts = [_label_part(p.strip(), lang, phrases) for p in label.split("/")]
    if any(p is None for p in parts):
        return label
    shown = [p for p in parts if p is not None]
    text = shown[0]
    for later in shown[1:]:
        text = phrases.get("when.then", lang, first=text, then=later)
    return text


def _label_part(part: str, lang: Lang, phrases: Phrases) -> str | None:
    """"2019-01-09" -> "le 9 janvier 2019"; "2014-03" -> "mars 2014"; "2014" -> "2014"."""
    found = _LABEL_PART.match(part)
    if found is None:
        return None
    year, month, day = (int(g) if g else None for g in found.groups())
    assert year is not None  # the pattern requires it
    try:
        if day is not None and month is not None:
            return phrases.get("when.day", lang, date=format_date(date(year, month, day), lang))
        if month is not None:
            return format_date(date(year, month, 1), lang).split(" ", 1)[1]
    except ValueError:  # "2014-13": not a date, shown as written
        return None
    return str(year)


@dataclass(frozen=True, slots=True)
class Deadline:
    """When a candidate's capitalisation window closes, and by which rule.

    `closes_on` is the last day of the window: it is still open on that day (a délai ends at
    midnight of its last day) and closed from the next one.
    """

    first_ccp: date
    closes_on: date
    rule: Rule
    provisional: bool  # E2 applies but the titre's validity is unknown: 5-year date, to confirm
    evolution: str | None  # id of the evolution behind the rule choice ("E2"), None before it
    source: str  # where the référentiel states the 5-year rule
    years: int = 5
    rule_change: date | None = None
    titre_valid_until: date | None = None
    grace_years: int = 1

    def days_left(self, today: date) -> int:
        """Days from `today` to the closing day: 0 on the last day, negative once closed."""
        return (self.closes_on - today).days

    def expired(self, today: date) -> bool:
        return today > self.closes_on

    def explain(
        self,
        lang: Lang,
        today: date,
        evolution: Evolution | None = None,
        phrases: Phrases | None = None,
    ) -> str:
        """Plain text: the closing date, the days left, the rule used and its source.

        `evolution` is the Evolution named by `self.evolution` (its date, text and sources
        are quoted); without it the id and the date of the change are still stated.
        `phrases` defaults to the shipped ones.
        """
        p = phrases or default_phrases()
        return "\n".join(
            _status(self, lang, today, p)
            + _rule_lines(self, lang, p)
            + _evolution_lines(self, lang, evolution, p)
        )


def compute_deadline(rule: CapitalisationRule, first_ccp: date) -> Deadline:
    """The deadline for a first CCP obtained on `first_ccp`, with the rule that applies.

    Before `rule.rule_change`: the référentiel's 5 years. From that day (E2): end of the titre's
    validity + the grace years when recorded, else the 5-year date marked provisional.
    """
    five_years = add_years(first_ccp, rule.years)
    if rule.rule_change is None or first_ccp < rule.rule_change:
        return _deadline(rule, first_ccp, five_years, "referentiel_5_ans", provisional=False)
    if rule.titre_valid_until is not None:
        closes_on = add_years(rule.titre_valid_until, rule.grace_years_after_validity)
        return _deadline(rule, first_ccp, closes_on, "validite_titre", provisional=False)
    return _deadline(rule, first_ccp, five_years, "referentiel_5_ans", provisional=True)


def _deadline(
    rule: CapitalisationRule, first_ccp: date, closes_on: date, kind: Rule, *, provisional: bool
) -> Deadline:
    applies = rule.rule_change is not None and first_ccp >= rule.rule_change
    return Deadline(
        first_ccp=first_ccp,
        closes_on=closes_on,
        rule=kind,
        provisional=provisional,
        evolution=rule.evolution if applies else None,
        source=rule.source,
        years=rule.years,
        rule_change=rule.rule_change,
        titre_valid_until=rule.titre_valid_until,
        grace_years=rule.grace_years_after_validity,
    )


def _status(d: Deadline, lang: Lang, today: date, p: Phrases) -> list[str]:
    closes = format_date(d.closes_on, lang)
    left = d.days_left(today)
    mark = p.get("deadline.provisional_mark", lang) if d.provisional else ""
    if left < 0:
        line = p.get("deadline.closed", lang, closes=closes, n=-left, s=_s(-left), mark=mark)
    elif left == 0:
        line = p.get("deadline.last_day", lang, closes=closes, mark=mark)
    else:
        line = p.get("deadline.open", lang, closes=closes, n=left, s=_s(left), mark=mark)
    return [line, p.get("deadline.first_ccp", lang, first=format_date(d.first_ccp, lang))]


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _rule_lines(d: Deadline, lang: Lang, p: Phrases) -> list[str]:
    years = _years_words(d.years, lang, p)
    if d.rule == "validite_titre":
        valid = format_date(d.titre_valid_until, lang) if d.titre_valid_until else "?"
        grace = _years_words(d.grace_years, lang, p)
        return [
            p.get("deadline.rule_validity", lang, ev=d.evolution, years=years, valid=valid,
                  grace=grace)
        ]  # fmt: skip
    return [p.get("deadline.rule_referentiel", lang, source=d.source, years=years)]


def _evolution_lines(
    d: Deadline, lang: Lang, evolution: Evolution | None, p: Phrases
) -> list[str]:
    """The later change: why it does or does not apply, its date and sources."""
    in_force = evolution.in_force if evolution else d.rule_change
    if in_force is None:
        return []
    since = format_date(in_force, lang)
    ev = evolution.id if evolution else (d.evolution or "")
    if d.rule == "referentiel_5_ans" and not d.provisional:
        return [p.get("deadline.not_applicable", lang, since=since, ev=ev)] if evolution else []
    if evolution is not None:
        when = in_force_text(evolution, lang, p)
        later = evolution.later_rule.get(lang)
        check = "" if evolution.confirmed else p.get("deadline.to_check", lang)
    else:
        when = p.get("when.day", lang, date=since)
        later = p.get("deadline.later_default", lang)
        check = ""
    lines = [p.get("deadline.since", lang, when=when, ev=ev, check=check, later=later)]
    if d.provisional:
        lines.append(p.get("deadline.safe", lang, years=_years_words(d.years, lang, p)))
    if evolution and evolution.sources:
        sep = p.get("sources.separator", lang)
        lines.append(p.get("deadline.sources", lang, sources=sep.join(evolution.sources)))
    return lines
