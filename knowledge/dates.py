"""Reading dates inside a free-text question (`find_dates`), generously: any date-like piece,
partial dates, misspelled months, US order when only it makes sense. A declared CCP date is read
strictly, the whole input one full date: `knowledge.declared_dates`, on the same words.

No clock here: `today` is a parameter. Everything runs on a lower-case, accent-free copy of the
text of the same length, so spans point into the original text. Month and weekday names, words
for today/yesterday/tomorrow, and the words that make a number a quantity or a reference are
language data (`data/lang/*.yaml`), read once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from types import MappingProxyType
from typing import Final, Literal

from knowledge.spelling import distance

Precision = Literal["day", "month", "year"]

# One character in, one character out: spans found in the folded text fit the original.
_FOLD: Final = MappingProxyType(
    str.maketrans(
        "àâäáãåçéèêëíìîïñóòôöõúùûüýÿ’‘`\u00a0\u202f",
        "aaaaaaceeeeiiiinooooouuuuyy'''  ",
    )
)

_WORD: Final = r"(?P<m>[a-z]{3,10})\.?"
_START: Final = r"(?<![\w.,/-])"  # not glued to a word, a number or a separator
_END: Final = r"(?!\w|[/.,-]\d)"  # "2019-14" (a decree number) is not a date
_YEAR4: Final = r"(?P<y>\d{4})"

# Ordered: a longer, more precise form claims its text before a shorter one sees it.
_ISO: Final = re.compile(
    rf"{_START}{_YEAR4}(?P<s>[-/.])(?P<b>\d{{1,2}})(?P=s)(?P<a>\d{{1,2}}){_END}"
)
_NUM_DMY: Final = re.compile(
    rf"{_START}(?P<a>\d{{1,2}})(?P<s>[-/.])(?P<b>\d{{1,2}})(?P=s)(?P<y>\d{{4}}|\d{{2}}){_END}"
)
_NUM_MY: Final = re.compile(rf"{_START}(?P<m>\d{{1,2}})[-/.]{_YEAR4}{_END}")
_YEAR_SHAPE: Final = rf"{_START}(?P<y>19[5-9]\d|20\d\d){_END}"


@dataclass(frozen=True, slots=True)
class _Words:
    """The language data dates are read with (`data/lang/*.yaml`), once."""

    months: Mapping[str, int]
    fuzzy_names: tuple[tuple[str, int], ...]  # long names only: "mais"/"mars" never confused
    days_ago: Mapping[str, int]
    year: re.Pattern[str]  # a year alone, not a quantity ("2000 heures")
    reference_before: re.Pattern[str]  # "TP 2003", "n° 2018": a reference, not a year
    declared_prefix: re.Pattern[str]  # "le", "on", a weekday before a declared date
    day_month_year: re.Pattern[str]  # "1er mars 2020", "3rd of May 2021"
    month_day_year: re.Pattern[str]  # "May 3, 2021"
    month_year: re.Pattern[str]  # "mars 2020", "March of 2020"
    declared_dmy: re.Pattern[str]  # the same shapes, typed alone when declaring
    declared_mdy: re.Pattern[str]
    relative: tuple[tuple[str, ...], ...]  # "le mois dernier", "il y a {n} ans"
    past_day: re.Pattern[str]  # "hier", "avant-hier", "yesterday": a past day named in words
    yearless: tuple[re.Pattern[str], ...]  # "le 3 mai", "on May 3": a day without its year
    failed: frozenset[str]  # "raté", "failed": the day a CCP was failed is not one it was obtained
    openers: frozenset[str]  # "le", "depuis", "on": words a date may come with


@cache
def date_words() -> _Words:
    from knowledge.language import load_vocabulary

    v = load_vocabulary()
    units = "|".join(re.escape(u) + r"\b" for u in sorted(v.quantity_words, key=len, reverse=True))
    refs = "|".join(r"\b" + re.escape(r) for r in sorted(v.reference_words, key=len, reverse=True))
    days = "|".join(sorted(v.weekdays, key=len, reverse=True))
    openers = "|".join(sorted(v.date_openers, key=len, reverse=True))
    joiner = "".join(rf"{re.escape(j)}\s+|" for j in sorted(v.month_joiners))
    ordinal = "|".join(sorted(v.ordinal_suffixes, key=len, reverse=True))
    day = rf"(?P<d>\d{{1,2}})(?:{ordinal})?"
    return _Words(
        months=v.months,
        fuzzy_names=tuple((w, m) for w, m in v.months.items() if len(w) >= 6),
        days_ago=v.days_ago,
        year=re.compile(rf"{_YEAR_SHAPE}(?!\s*(?:€|\$|%|{units}))"),
        reference_before=re.compile(rf"(?:n°|n\.|\bart\.|\bp\.|{refs})\s*$"),
        declared_prefix=re.compile(rf"^(?:(?:{openers})\s+)?(?:(?:{days}),?\s+)?"),
        day_month_year=re.compile(rf"{_START}{day}\s+(?:{joiner})?{_WORD},?\s+{_YEAR4}{_END}"),
        month_day_year=re.compile(rf"(?<![\w]){_WORD}\s+{day}(?:,\s*|\s+){_YEAR4}{_END}"),
        month_year=re.compile(rf"(?<![\w]){_WORD},?\s+(?:{joiner})?{_YEAR4}{_END}"),
        declared_dmy=re.compile(rf"{day}\s+(?:{joiner})?{_WORD},?\s+(?P<y>\d{{4}}|\d{{2}})"),
        declared_mdy=re.compile(rf"{_WORD}\s+{day}(?:,\s*|\s+)(?P<y>\d{{4}}|\d{{2}})"),
        relative=tuple(pattern for pattern, _ in v.relative),
        past_day=_any_word(w for w, back in v.days_ago.items() if back > 0),
        failed=v.failed,
        openers=frozenset(re.findall(r"[a-z]+", " ".join(v.date_openers))),
        yearless=(  # after an opener only: "CCP 2 may be" is no date
            re.compile(rf"(?<![\w])(?:{openers})\s+{day}\s+(?:{joiner})?{_WORD}(?![\w])(?!,?\s*\d)"),
            re.compile(rf"(?<![\w])(?:{openers})\s+{_WORD}\s+{day}(?![\w])(?![/.,-]?\s*\d)"),
        ),
    )


_HAS_DIGIT: Final = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date as precise as the user wrote it: a year, a month of a year, or a day.

    It may be impossible (31/02/2023): `valid` is then False and the caller should say so
    rather than ignore it. `text`/`span` locate it in the question (not part of equality).
    """

    year: int
    month: int | None = None
    day: int | None = None
    text: str = field(default="", compare=False)
    span: tuple[int, int] = field(default=(0, 0), compare=False)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def valid(self) -> bool:
        if self.day is not None and self.month is None:
            return False
        return real_date(self.year, self.month or 1, self.day or 1) is not None

    def earliest(self) -> date:
        """First day it can mean ("avril 2020" → 1 April 2020). ValueError when not valid."""
        if not self.valid:
            raise ValueError(f"not a real date: {self}")
        return date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> date:
        """Last day it can mean ("avril 2020" → 30 April 2020). ValueError when not valid."""
        if not self.valid:
            raise ValueError(f"not a real date: {self}")
        if self.day is not None and self.month is not None:
            return date(self.year, self.month, self.day)
        if self.month is None:
            return date(self.year, 12, 31)
        return _month_end(self.year, self.month)


def _any_word(words: Iterable[str]) -> re.Pattern[str]:
    """One of these words or phrases, whole, the longest first; never matches when none."""
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![a-z])(?:{alternatives})(?![a-z])" if alternatives else r"(?!)")


@dataclass(frozen=True, slots=True)
class Yearless:
    """A day written without its year ("le 3 mai"), as written."""

    text: str
    month: int
    day: int

    def last_before(self, today: date) -> date | None:
        """The latest such day on or before `today` (a 29 February within eight years)."""
        for year in range(today.year, today.year - 9, -1):
            found = real_date(year, self.month, self.day)
            if found is not None and found <= today:
                return found
        return None


def find_yearless(text: str) -> list[Yearless]:
    """Days written without their year after a date opener ("le 3 mai", "on May 3"): a
    question that gives one gives a date the reader cannot complete alone."""
    low = fold(text)
    found: list[tuple[int, Yearless]] = []
    for pattern in date_words().yearless:
        for match in pattern.finditer(low):
            month = month_number(match.group("m"))
            if month is not None:
                written = text[match.start() : match.end()]
                found.append((match.start(), Yearless(written, month, int(match.group("d")))))
    return [day for _, day in sorted(found, key=lambda f: f[0])]


def find_named_days(text: str, today: date) -> list[PartialDate]:
    """The past days a question names in words ("hier", "avant-hier", "yesterday"), read to the
    day against `today`. "Aujourd'hui" is not one: in a question it mostly means "nowadays"."""
    words = date_words()
    found: list[PartialDate] = []
    for match in words.past_day.finditer(fold(text)):
        day = today - timedelta(days=words.days_ago[match.group()])
        found.append(PartialDate(day.year, day.month, day.day, text[match.start():match.end()],
                                 match.span()))  # fmt: skip
    return found


def fold(text: str) -> str:
    """Lower case without accents, same length as `text` (positions stay valid)."""
    if text.isascii():  # the backquote is the only ASCII character folded
        return text.lower().replace("`", "'")
    folded = text.lower().translate(_FOLD)
    return folded if len(folded) == len(text) else text.translate(_FOLD).lower()


def month_number(word: str) -> int | None:
    """The month a (folded) word names, tolerating one typo in long names ("fevier")."""
    word = word.rstrip(".")
    words = date_words()
    found = words.months.get(word)
    if found is not None or len(word) < 5:
        return found
    limit = 2 if len(word) >= 8 else 1
    for name, month in words.fuzzy_names:
        if abs(len(name) - len(word)) <= limit and distance(word, name, limit) <= limit:
            return month
    return None


def date_alone(text: str) -> Precision | None:
    """How precise a message is that is a date and nothing else: "day" for « 15/01/2027 » or
    « le 3 mars 2019 » (the date a user gives for their first CCP, whatever the ranker makes of
    bare digits), "year" for « 2021 » (which may be anything); None when it says more."""
    found = find_dates(text)
    rest = fold(text)
    for d in sorted(found, key=lambda d: d.span, reverse=True):
        rest = rest[: d.span[0]] + " " + rest[d.span[1] :]
    if not found or not set(re.findall(r"[a-z]+", rest)) <= date_words().openers:
        return None
    if all(d.day for d in found):
        return "day"
    return "month" if all(d.month for d in found) else "year"


def find_dates(text: str) -> list[PartialDate]:
    """Every date written in a question, in order of appearance, impossible ones included."""
    if not _HAS_DIGIT.search(text):
        return []
    low = fold(text)
    taken: list[tuple[int, int]] = []
    found: list[PartialDate] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    w = date_words()
    alone = w.year
    for pattern in (_ISO, _NUM_DMY, w.day_month_year, w.month_day_year, w.month_year, _NUM_MY,
                    alone):  # fmt: skip
        pos = 0
        while (match := pattern.search(low, pos)) is not None:
            start, end = match.span()
            pos = start + 1  # overlapping search: a failed candidate must not hide the next one
            if not free(start, end):
                continue
            parts = _read(pattern, match, low)
            if parts is None:
                continue
            year, month, day = parts
            found.append(PartialDate(year, month, day, text[start:end], (start, end)))
            taken.append((start, end))
            pos = end
    found.sort(key=lambda p: p.span)
    return found


def _read(
    pattern: re.Pattern[str], match: re.Match[str], low: str
) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) of a candidate, or None when it is not a date after all."""
    groups = match.groupdict()
    if pattern is _ISO:
        return int(groups["y"]), int(groups["b"]), int(groups["a"])
    if pattern is _NUM_DMY:
        day, month, year = int(groups["a"]), int(groups["b"]), _two_digit_year(groups["y"])
        # "06/22/2022": only the US order makes sense, so read it that way.
        if month > 12 and 1 <= day <= 12 and real_date(year, day, month) is not None:
            day, month = month, day
        return year, month, day
    if pattern is _NUM_MY:
        month = int(groups["m"])
        return (int(groups["y"]), month, None) if 1 <= month <= 12 else None
    if pattern is date_words().year:
        if date_words().reference_before.search(low, max(0, match.start() - 10), match.start()):
            return None
        return int(groups["y"]), None, None
    month_or_none = month_number(groups["m"])
    if month_or_none is None:
        return None
    day_text = groups.get("d")
    return int(groups["y"]), month_or_none, int(day_text) if day_text else None


def _two_digit_year(text: str) -> int:
    """'21' → 2021, '98' → 1998 (the usual pivot at 69); four digits are kept."""
    value = int(text)
    if len(text) == 4:
        return value
    return 2000 + value if value < 70 else 1900 + value


def real_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_end(year: int, month: int) -> date:
    first_next = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return first_next - timedelta(days=1)
