"""The capitalisation deadline: which rule applies, the closing date, and how to say it.

The one deadline service of the bot: every place that states a date (free text, /delai,
/mesccp, /parcours, reminders, the calendar file, the picture) goes through `compute_deadline`
(or `deadline_from` with the user's saved CCPs) and `Deadline.explain`. Rules, by the date of
the first CCP (E2 in evolutions.md):
- before 1 June 2016: the référentiel's five years, stated as THE rule (it can close);
- from that day, the rule in force: the CCPs count while the titre is valid, and one year after
  its end. With the end of validity recorded (`titre_valid_until`), the date comes from it.
  Without it, the five-year date is a prudent *target* while it is ahead; once it has passed,
  the bot never says "closed": the CCPs may still count, and the centre or the DREETS confirms.
No clock here: `today` is always a parameter. No internal evolution id reaches the text.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Final, Literal

from knowledge.links import full_sources
from knowledge.model import CapitalisationRule, Evolution, Lang, Titre
from knowledge.phrases import PhraseKey, Phrases, default_phrases

Rule = Literal["referentiel_5_ans", "validite_titre"]
# open / last_day / closed: by a rule that applies for sure; target_*: the prudent five-year
# date of the rule in force while the titre's end of validity is unknown (never "closed").
Standing = Literal["open", "last_day", "closed", "target_open", "target_last_day", "target_passed"]

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
    midnight of its last day). When `provisional`, it is only the prudent five-year target of
    the rule in force (the titre's end of validity is unknown): passing it closes nothing.
    """

    first_ccp: date
    closes_on: date
    rule: Rule
    provisional: bool  # rule in force, titre's validity unknown: five-year date as a target
    evolution: str | None  # id of the evolution behind the rule in force, None before it
    source: str  # where the référentiel states the 5-year rule
    years: int = 5
    rule_change: date | None = None
    titre_valid_until: date | None = None
    grace_years: int = 1

    def days_left(self, today: date) -> int:
        """Days from `today` to the closing day: 0 on the last day, negative once passed."""
        return (self.closes_on - today).days

    def passed(self, today: date) -> bool:
        """The date is behind `today` (for a provisional date: the target is passed)."""
        return today > self.closes_on

    def expired(self, today: date) -> bool:
        """Closed for sure by the rule that applies; never for a provisional date."""
        return self.passed(today) and not self.provisional

    def late(self, obtained: date) -> bool:
        """A CCP obtained on `obtained` came after the date that applies."""
        return obtained > self.closes_on

    def standing(self, today: date) -> Standing:
        left = self.days_left(today)
        if self.provisional:
            return "target_open" if left > 0 else "target_last_day" if left == 0 else (
                "target_passed")
        return "open" if left > 0 else "last_day" if left == 0 else "closed"

    def status(self, lang: Lang, today: date, phrases: Phrases | None = None) -> str:
        """The date and where it stands, in one sentence ("Date à viser : le …, cinq ans
        après votre premier CCP : il reste 103 jours."): the first line of `explain`."""
        return _status(self, lang, today, phrases or default_phrases())

    def explain(
        self,
        lang: Lang,
        today: date,
        evolution: Evolution | None = None,
        phrases: Phrases | None = None,
        *,
        sources: bool = True,
    ) -> str:
        """Plain text: the date (or why there is none to fear), the first CCP, the rule that
        applies in plain words, who confirms, and the sources of the rule in force as links
        (left out with `sources=False`: a reminder points to /mesccp for them).

        `evolution` is the change the rule in force comes from (its date and sources are
        quoted); without it the date of the change is still stated. `phrases` defaults to the
        shipped ones.
        """
        p = phrases or default_phrases()
        lines = [_status(self, lang, today, p),
                 p.get("deadline.first_ccp", lang, first=format_date(self.first_ccp, lang))]
        lines += _rule_lines(self, lang, today, evolution, p, sources=sources)
        return "\n".join(lines)


def compute_deadline(rule: CapitalisationRule, first_ccp: date) -> Deadline:
    """The deadline for a first CCP obtained on `first_ccp`, with the rule that applies.

    Before `rule.rule_change`: the référentiel's 5 years. From that day: end of the titre's
    validity + the grace years when recorded, else the 5-year date as a provisional target.
    """
    five_years = add_years(first_ccp, rule.years)
    if rule.rule_change is None or first_ccp < rule.rule_change:
        return _deadline(rule, first_ccp, five_years, "referentiel_5_ans", provisional=False)
    if rule.titre_valid_until is not None:
        closes_on = add_years(rule.titre_valid_until, rule.grace_years_after_validity)
        return _deadline(rule, first_ccp, closes_on, "validite_titre", provisional=False)
    return _deadline(rule, first_ccp, five_years, "referentiel_5_ans", provisional=True)


def deadline_from(rule: CapitalisationRule, obtained: Iterable[date]) -> Deadline | None:
    """The deadline from a user's saved CCP dates (the earliest opens the window), or None."""
    dates = list(obtained)
    return compute_deadline(rule, min(dates)) if dates else None


def rule_evolution(titre: Titre) -> Evolution | None:
    """The later change behind the rule in force (quoted by `Deadline.explain`)."""
    ev = titre.capitalisation.evolution
    return titre.evolution(ev) if ev else None


def explain_for(titre: Titre, deadline: Deadline, lang: Lang, today: date,
                phrases: Phrases | None = None, *, sources: bool = True) -> str:
    """`Deadline.explain` with the titre's own change of rule: what every dialogue says."""
    return deadline.explain(lang, today, rule_evolution(titre), phrases, sources=sources)


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


def _status(d: Deadline, lang: Lang, today: date, p: Phrases) -> str:
    closes = format_date(d.closes_on, lang)
    n = abs(d.days_left(today))
    years = _years_words(d.years, lang, p)
    standing = d.standing(today)
    if standing == "target_passed":
        return p.get("deadline.target_passed", lang, closes=closes, years=years)
    ago = _ago(d.closes_on, today, lang, p) if standing == "closed" else ""
    return p.get(_STATUS_KEYS[standing], lang, closes=closes, n=n, s=plural_s(n), years=years,
                 ago=ago)  # fmt: skip


def _ago(closed: date, today: date, lang: Lang, p: Phrases) -> str:
    """"il y a 12 jours", and beyond a year "il y a 10 ans" (whole years), not "3826 jours"."""
    whole = today.year - closed.year - ((today.month, today.day) < (closed.month, closed.day))
    if whole >= 1:
        return p.get("deadline.ago_years", lang, n=whole, s=plural_s(whole))
    n = (today - closed).days
    return p.get("deadline.ago_days", lang, n=n, s=plural_s(n))


_STATUS_KEYS: Final[Mapping[Standing, PhraseKey]] = MappingProxyType({
    "open": "deadline.open",
    "last_day": "deadline.last_day",
    "closed": "deadline.closed",
    "target_open": "deadline.target_open",
    "target_last_day": "deadline.target_last_day",
})


def plural_s(n: int) -> str:
    """The "s" of a count written in words ("1 jour", "2 jours"; "1 day", "2 days")."""
    return "" if n == 1 else "s"


def _rule_lines(
    d: Deadline,
    lang: Lang,
    today: date,
    evolution: Evolution | None,
    p: Phrases,
    *,
    sources: bool = True,
) -> list[str]:
    years = _years_words(d.years, lang, p)
    in_force = evolution.in_force if evolution else d.rule_change
    since = format_date(in_force, lang) if in_force else ""
    if d.evolution is None:  # the référentiel's rule is the one that applies
        key: PhraseKey = (
            "deadline.rule_referentiel_before" if in_force else "deadline.rule_referentiel"
        )
        lines = [p.get(key, lang, source=d.source, years=years, since=since)]
        if d.expired(today):
            lines.append(p.get("deadline.closed_next", lang))
        return lines
    grace = _years_words(d.grace_years, lang, p)
    check = "" if evolution is None or evolution.confirmed else p.get("deadline.to_check", lang)
    lines = [p.get("deadline.rule_in_force", lang, since=since, grace=grace, check=check)]
    if d.rule == "validite_titre":
        valid = format_date(d.titre_valid_until, lang) if d.titre_valid_until else "?"
        lines.append(p.get("deadline.validity_known", lang, valid=valid, grace=grace))
        if d.expired(today):
            lines.append(p.get("deadline.closed_next", lang))
    elif d.passed(today):
        lines.append(p.get("deadline.unknown_passed", lang))
    else:
        lines.append(p.get("deadline.unknown_ahead", lang, years=years))
    if sources and evolution is not None and evolution.sources:
        sep = p.get("sources.separator", lang)
        lines.append(p.get("deadline.sources", lang,
                           sources=sep.join(full_sources(evolution.sources))))  # fmt: skip
    return lines
