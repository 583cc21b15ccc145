"""A date typed to declare a CCP: one exact day, or `DateRefused` with why (in words the
conversation turns into a kind sentence). Questions' dates are `knowledge.dates`' business.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Final, Literal

from knowledge.dates import date_words, find_dates, fold, month_number, real_date

RefusalReason = Literal["format", "imprecise", "impossible", "future", "too_early", "failed"]


class DateRefused(ValueError):
    """A declared date we will not store; `reason` is a code the UI turns into a kind sentence.

    `parsed` holds the date when it was read but refused (future, too early).
    """

    def __init__(self, reason: RefusalReason, text: str, parsed: date | None = None) -> None:
        super().__init__(f"{reason}: {text!r}")
        self.reason: RefusalReason = reason
        self.text = text
        self.parsed = parsed


_DECLARED_NUM: Final = re.compile(
    r"(?P<a>\d{1,2})\s*(?P<s>[-/.]|\s)\s*(?P<b>\d{1,2})\s*(?P=s)\s*(?P<y>\d{4}|\d{2})"
)
_DECLARED_ISO: Final = re.compile(r"(?P<y>\d{4})(?P<s>[-/.])(?P<b>\d{1,2})(?P=s)(?P<a>\d{1,2})")


def parse_declared_date(text: str, *, today: date, earliest: date) -> date:
    """The date a user typed when declaring a CCP, or `DateRefused` with why.

    Accepts 15/03/2024, 15-03-2024, 15.03.2024, 2024-03-15, 15 mars 2024, 1er mars 2024,
    March 15, 2024, "aujourd'hui"/"today", "hier"/"yesterday". Two-digit years mean 20xx; a
    result in the future is refused, never moved back a century.
    """
    words = date_words()
    cleaned = words.declared_prefix.sub("", fold(text).strip().rstrip(".!?").strip())
    if cleaned in words.days_ago:
        relative = today - timedelta(days=words.days_ago[cleaned])
        if relative > today:
            raise DateRefused("future", text, relative)
        return relative
    parts = _declared_parts(cleaned)
    if parts is None:
        if words.failed.intersection(re.findall(r"[a-z]+", fold(text))):  # "je l'ai raté le …"
            raise DateRefused("failed", text)
        if _imprecise(fold(text)):  # "mars 2022", "le mois dernier": a month is not a day
            raise DateRefused("imprecise", text)
        raise DateRefused("format", text)
    year, month, day = parts
    parsed = real_date(year, month, day)
    if parsed is None:
        raise DateRefused("impossible", text)
    if parsed > today:
        raise DateRefused("future", text, parsed)
    if parsed < earliest:
        raise DateRefused("too_early", text, parsed)
    return parsed


def _imprecise(folded: str) -> bool:
    """A month or a year alone, or a relative one ("le mois dernier", "il y a 2 ans")."""
    if any(found.precision != "day" for found in find_dates(folded)):
        return True
    words = re.sub(r"[^a-z0-9]+", " ", folded.replace("l'", "le ")).split()
    return any(_relative_match(pattern, words) for pattern in date_words().relative)


def _relative_match(pattern: tuple[str, ...], words: list[str]) -> bool:
    n = len(pattern)
    return any(
        all(p == "{n}" or p == w for p, w in zip(pattern, words[i : i + n], strict=True))
        for i in range(len(words) - n + 1)
    )


def _declared_parts(cleaned: str) -> tuple[int, int, int] | None:
    if match := _DECLARED_ISO.fullmatch(cleaned):
        return int(match["y"]), int(match["b"]), int(match["a"])
    if match := _DECLARED_NUM.fullmatch(cleaned):
        return _declared_year(match["y"]), int(match["b"]), int(match["a"])
    words = date_words()
    match = words.declared_dmy.fullmatch(cleaned) or words.declared_mdy.fullmatch(cleaned)
    if match is None:
        return None
    month = month_number(match["m"])
    if month is None:
        return None
    return _declared_year(match["y"]), month, int(match["d"])


def _declared_year(text: str) -> int:
    return int(text) if len(text) == 4 else 2000 + int(text)
