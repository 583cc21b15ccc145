"""The capitalisation deadline: which rule applies, the closing date, and how to say it.

The référentiel gives "cinq ans, à partir de la date d'obtention du premier CCP". A later change
(E2 in evolutions.md, from 1 June 2016) ties the window to the titre's validity instead; when an
operator has not recorded that validity, the 5-year date is still used (to be safe) and the
deadline is marked provisional. Whatever is said names its rule and its source. No clock here.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Final, Literal

from knowledge.model import CapitalisationRule, Evolution, Lang

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


def _years_words(n: int, lang: Lang) -> str:
    words = _NUMBERS_EN if lang == "en" else _NUMBERS_FR
    number = words[n] if 0 <= n < len(words) else str(n)
    if lang == "en":
        return f"{number} year" + ("" if n == 1 else "s")
    return f"{number} an" + ("" if n == 1 else "s")


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

    def explain(self, lang: Lang, today: date, evolution: Evolution | None = None) -> str:
        """Plain text: the closing date, the days left, the rule used and its source.

        `evolution` is the Evolution named by `self.evolution` (its date, text and sources
        are quoted); without it the id and the date of the change are still stated.
        """
        return "\n".join(
            _status(self, lang, today)
            + _rule_lines(self, lang)
            + _evolution_lines(self, lang, evolution)
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


# Sentences of `Deadline.explain`, French then English; filled with str.format.
_T: Final = MappingProxyType(
    {
        "closed": (
            "Votre fenêtre de capitalisation est fermée depuis le {closes} au soir "
            "(il y a {n} jour{s}){mark}.",
            "Your capitalisation window closed on {closes} ({n} day{s} ago){mark}.",
        ),
        "last_day": (
            "Votre fenêtre de capitalisation se ferme aujourd'hui, {closes} : "
            "c'est le dernier jour{mark}.",
            "Your capitalisation window closes today, {closes}: this is the last day{mark}.",
        ),
        "open": (
            "Votre fenêtre de capitalisation se ferme le {closes} : il reste {n} jour{s}{mark}.",
            "Your capitalisation window closes on {closes}: {n} day{s} left{mark}.",
        ),
        "provisional_mark": (" (date provisoire)", " (provisional date)"),
        "first_ccp": ("Premier CCP : {first}.", "First CCP: {first}."),
        "rule_referentiel": (
            "Règle appliquée : le référentiel ({source}) : « Le candidat dispose ensuite de "
            "{years}, à partir de la date d'obtention du premier CCP, pour capitaliser tous "
            "les CCP. »",
            "Rule used: the référentiel ({source}): the candidate then has {years}, from the "
            "date the first CCP was obtained, to gather all the CCPs.",
        ),
        "rule_validity": (
            "Règle appliquée : la validité du titre (évolution {ev}, qui remplace les {years} "
            "du référentiel). Le titre est valide jusqu'au {valid} ; les titulaires de CCP "
            "gardent {grace} après la fin de sa validité.",
            "Rule used: the titre's validity (evolution {ev}, replacing the référentiel's "
            "{years}). The titre is valid until {valid}; CCP holders keep {grace} after the "
            "end of its validity.",
        ),
        "not_applicable": (
            "La règle a changé le {since} ({ev}), mais seulement pour un premier CCP obtenu à "
            "partir de cette date : le vôtre est antérieur, la règle du référentiel s'applique.",
            "The rule changed on {since} ({ev}), but only for a first CCP obtained from that "
            "date: yours is earlier, so the référentiel's rule applies.",
        ),
        "since": (
            "Depuis le {since} ({ev}{check}) : {later}",
            "Since {since} ({ev}{check}): {later}",
        ),
        "later_default": (
            "le délai dépend de la validité du titre, avec un délai de grâce après sa fin.",
            "the deadline depends on the titre's validity, with a grace period after its end.",
        ),
        "to_check": (" (à vérifier)", " (not confirmed: to be checked)"),
        "safe": (
            "La date de fin de validité du titre n'est pas connue ici : par prudence, la date "
            "des {years} du référentiel est utilisée. Confirmez-la auprès de votre centre ou de "
            "la DREETS.",
            "The end of the titre's validity is not known here: to be safe, the référentiel's "
            "date ({years} after the first CCP) is used. Please confirm it with your training "
            "centre or the DREETS.",
        ),
        "sources": ("Sources : {sources}.", "Sources: {sources}."),
    }
)


def _t(key: str, lang: Lang, **values: object) -> str:
    return _T[key][1 if lang == "en" else 0].format(**values)


def _status(d: Deadline, lang: Lang, today: date) -> list[str]:
    closes = format_date(d.closes_on, lang)
    left = d.days_left(today)
    mark = _t("provisional_mark", lang) if d.provisional else ""
    if left < 0:
        line = _t("closed", lang, closes=closes, n=-left, s=_s(-left), mark=mark)
    elif left == 0:
        line = _t("last_day", lang, closes=closes, mark=mark)
    else:
        line = _t("open", lang, closes=closes, n=left, s=_s(left), mark=mark)
    return [line, _t("first_ccp", lang, first=format_date(d.first_ccp, lang))]


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _rule_lines(d: Deadline, lang: Lang) -> list[str]:
    years = _years_words(d.years, lang)
    if d.rule == "validite_titre":
        valid = format_date(d.titre_valid_until, lang) if d.titre_valid_until else "?"
        grace = _years_words(d.grace_years, lang)
        return [_t("rule_validity", lang, ev=d.evolution, years=years, valid=valid, grace=grace)]
    return [_t("rule_referentiel", lang, source=d.source, years=years)]


def _evolution_lines(d: Deadline, lang: Lang, evolution: Evolution | None) -> list[str]:
    """The later change: why it does or does not apply, its date and sources."""
    in_force = evolution.in_force if evolution else d.rule_change
    if in_force is None:
        return []
    since = format_date(in_force, lang)
    ev = evolution.id if evolution else (d.evolution or "")
    if d.rule == "referentiel_5_ans" and not d.provisional:
        return [_t("not_applicable", lang, since=since, ev=ev)] if evolution else []
    later = evolution.later_rule.get(lang) if evolution else _t("later_default", lang)
    check = _t("to_check", lang) if evolution and not evolution.confirmed else ""
    lines = [_t("since", lang, since=since, ev=ev, check=check, later=later)]
    if d.provisional:
        lines.append(_t("safe", lang, years=_years_words(d.years, lang)))
    if evolution and evolution.sources:
        lines.append(
            _t("sources", lang, sources=(" ; " if lang == "fr" else "; ").join(evolution.sources))
        )
    return lines
