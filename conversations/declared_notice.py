"""What a CCP just declared means for the deadline, said under its confirmation (by /declarer
and by the save offer under an answer) when it matters."""

from __future__ import annotations

from datetime import date
from typing import Final

from conversations.services import Context
from knowledge.deadline import add_months, deadline_from
from knowledge.deadline import format_date as fmt
from knowledge.model import Lang

SOON_MONTHS: Final = 3  # a declaration leaving less than this says so in its confirmation


def t(context: Context, key: str, lang: Lang, **values: object) -> str:
    return context.services.catalogue.t(f"declare.{key}", lang, **values)


def deadline_notice(context: Context, lang: Lang, declared: dict[int, date], number: int) -> str:
    """What the new declaration means for the deadline, when it matters: a CCP obtained after
    the date that applies (kindly, with who to ask), a date already passed (a prudent one:
    the CCPs may still count), or less than three months left."""
    services = context.services
    deadline = deadline_from(services.titre.capitalisation, declared.values())
    if deadline is None:
        return ""
    closes = fmt(deadline.closes_on, lang)
    if deadline.late(declared[number]):
        key = "late_target" if deadline.provisional else "late_firm"
        return t(context, key, lang, number=number, closes=closes)
    today = services.today()
    complete = len(declared) >= len(services.titre.ccps)
    if complete:
        return ""
    if deadline.passed(today):  # said once here; /mesccp says what to check and with whom
        key_passed = "target_passed" if deadline.provisional else "closed"
        return t(context, key_passed, lang, closes=closes)
    if deadline.closes_on >= add_months(today, SOON_MONTHS):
        return ""
    key = "soon_target" if deadline.provisional else "soon"
    left = deadline.days_left(today)
    return t(context, key, lang, n=left, s="" if left == 1 else "s", closes=closes)
