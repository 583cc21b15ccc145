"""After a deadline answer, the CCP dates the user typed are offered for saving — nothing is
stored without their yes.

Each date written next to its CCP ("CCP2 le 18/04/2018 puis CCP1 le 05/02/2019") is read by
the deadline reader (`Answer.typed_pairs`): one pair is offered with the declare dialogue's
own button (`decl:save:<n>:<date>`), several in one tap ("💾 Enregistrer CCP 2 : 18/04/2018 et
CCP 1 : 05/02/2019", `save:all:2-20180418.1-20190205`). A CCP already saved with another date
is never overwritten silently: the offer asks, with a button that says it replaces. Only a
date without a CCP asks which CCP it was. Only a date written to the day is offered: "juin 2022"
or "il y a deux ans" gives its prudent deadline, never a day to store as if the user had said
it. The buttons carry their pairs, so one pressed twice or after a restart is answered from
its own data, against what is stored then.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any, Final

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from conversations import declare, declared_notice, deeplinks, stale
from conversations.common import (
    callback,
    keyboard,
    reply,
    short_date,
    show,
    user_id,
    user_lang,
)
from conversations.services import Context
from knowledge.answer import Answer
from knowledge.deadline import format_date
from knowledge.model import Lang

PREFIX: Final = "save"
ALL: Final = "all"  # save:all:<n>-<yyyymmdd>.<n>-<yyyymmdd>… — save these pairs, confirmed
PAIR_SEP: Final = "."
Pair = tuple[int, date]
Rows = list[list[tuple[str, str]]]

_CCP_NUMBER = re.compile(r"\bc\.?c\.?p\.?\s*(?:n\s*°|n°|no\.?|#)?\s*(\d{1,2})\b", re.IGNORECASE)
_PAIR: Final = re.compile(r"^(\d{1,2})-(\d{8})$")


def cb_save_all(pairs: Sequence[Pair]) -> str:
    return callback(PREFIX, ALL, PAIR_SEP.join(f"{n}-{d:%Y%m%d}" for n, d in pairs))


def read_pairs(data: str) -> list[Pair] | None:
    """The pairs of a `save:all:` button, or None when its data is not ours."""
    parts = data.split(":")
    if len(parts) != 3 or parts[:2] != [PREFIX, ALL]:
        return None
    pairs: list[Pair] = []
    for piece in parts[2].split(PAIR_SEP):
        match = _PAIR.match(piece)
        if match is None:
            return None
        try:
            day = date(int(match[2][:4]), int(match[2][4:6]), int(match[2][6:]))
        except ValueError:
            return None
        pairs.append((int(match[1]), day))
    return pairs or None


def t(context: Context, key: str, lang: Lang, **values: Any) -> str:
    return context.services.catalogue.t(key, lang, **values)


def listed(context: Context, lang: Lang, items: Sequence[str]) -> str:
    """"a", "a et b", "a, b et c"."""
    if len(items) == 1:
        return items[0]
    return t(context, "save.list", lang, items=", ".join(items[:-1]), last=items[-1])


def said(context: Context, lang: Lang, pairs: Sequence[Pair]) -> str:
    """"CCP 2 obtenu le 18 avril 2018 et CCP 1 obtenu le 5 février 2019"."""
    items = [t(context, "save.item", lang, number=n, date=format_date(d, lang)) for n, d in pairs]
    return listed(context, lang, items)


def ccp_named(question: str, numbers: set[int]) -> int | None:
    """The CCP a message names ("mon ccp 3", "CCP n°2"), if exactly one known CCP."""
    found = {int(n) for n in _CCP_NUMBER.findall(question)} & numbers
    return found.pop() if len(found) == 1 else None


def offered(answer: Answer, numbers: set[int], saved: dict[int, date],
            today: date, created: date) -> tuple[list[Pair], list[Pair], list[date]]:  # fmt: skip
    """(pairs to save, pairs that would replace a saved date, dates with no CCP)."""
    usable = [(n, d) for n, d in answer.typed_pairs if created <= d <= today and n in numbers]
    paired = {d for _, d in answer.typed_pairs}
    loose = [d for d in answer.typed_dates
             if created <= d <= today and d not in paired and d not in saved.values()]  # fmt: skip
    if not usable and len(loose) == 1:  # "CCP 3, je l'ai eu le 5 mai 2024": one of each
        number = ccp_named(answer.question, numbers)
        if number is not None:
            usable, loose = [(number, loose[0])], []
    new = [(n, d) for n, d in usable if n not in saved]
    replacing = [(n, d) for n, d in usable if n in saved and saved[n] != d]
    return new, replacing, loose


async def offer_to_save(
    update: Update, context: Context, answer: Answer, saved: tuple[tuple[int, date], ...]
) -> None:
    """The CCP dates typed in the message that are not saved yet: "Enregistrer … ?"."""
    services = context.services
    if answer.deadline is None or not deeplinks.is_private(update):
        return
    lang, held = answer.lang, dict(saved)
    numbers = {c.number for c in services.titre.ccps}
    new, replacing, loose = offered(answer, numbers, held, services.today(),
                                    services.titre.identity.created)  # fmt: skip
    parts: list[str] = []
    rows: Rows = []
    if len(new) == 1:
        (number, obtained), when = new[0], format_date(new[0][1], lang)
        parts.append(t(context, "ask.offer_save", lang, number=number, date=when))
        rows.append([(t(context, "ask.save_button", lang, number=number, date=when),
                      declare.cb_save(number, obtained))])  # fmt: skip
    elif new:
        buttons = [t(context, "save.button_item", lang, number=n, date=short_date(d, lang))
                   for n, d in new]  # fmt: skip
        parts.append(t(context, "save.offer_many", lang, items=said(context, lang, new)))
        rows.append([(t(context, "save.button_many", lang, items=listed(context, lang, buttons)),
                      cb_save_all(new))])  # fmt: skip
    for number, obtained in replacing:
        values = {"number": number, "date": format_date(obtained, lang),
                  "held": format_date(held[number], lang)}  # fmt: skip
        parts.append(t(context, "save.offer_replace", lang, **values))
        rows.append([(t(context, "save.button_replace", lang, **values),
                      declare.cb_save(number, obtained))])  # fmt: skip
    free = sorted(numbers - set(held) - {n for n, _ in new})
    if loose and free:
        when = format_date(loose[0], lang)
        parts.append(t(context, "ask.offer_save_which", lang, date=when))
        rows.extend([(t(context, "ask.save_which_button", lang, number=n),
                      declare.cb_save(n, loose[0]))] for n in free)  # fmt: skip
    if rows:
        await reply(update, context, "\n\n".join(parts), keyboard(rows))


async def on_save_all(update: Update, context: Context) -> None:
    """"💾 Enregistrer CCP 2 : … et CCP 1 : …": checked again, then stored; a CCP saved with
    another date since the offer is left as it is (said, with a button to replace it)."""
    query = update.callback_query
    services = context.services
    pairs = read_pairs(query.data or "") if query is not None else None
    today, created = services.today(), services.titre.identity.created
    if pairs is None or any(services.titre.ccp(n) is None or not created <= d <= today
                            for n, d in pairs):  # fmt: skip
        await stale.stale_button(update, context)
        return
    lang = await user_lang(update, context)
    if not await deeplinks.private_only(update, context):
        return
    uid = user_id(update)
    store = services.store
    before = await store.declarations(uid)
    stored = [(n, d) for n, d in pairs if n not in before]
    for number, obtained in stored:
        await store.declare(uid, number, obtained, now=services.now())
    declared = await store.declarations(uid)
    parts, rows = [], [[(t(context, "declare.button_my_ccps", lang), declare.CB_MY_CCPS)]]
    if stored:
        parts.append(t(context, "save.saved_many", lang, items=said(context, lang, stored),
                       held=len(declared), total=len(services.titre.ccps)))  # fmt: skip
        notices = dict.fromkeys(declared_notice.deadline_notice(context, lang, declared, n)
                                for n, _ in stored)  # fmt: skip
        parts.extend(notice for notice in notices if notice)
    same = [(n, d) for n, d in pairs if before.get(n) == d]
    if same and not stored:  # pressed twice: already there
        parts.append(t(context, "save.already_many", lang, items=said(context, lang, same)))
    for number, obtained in pairs:
        if number in before and before[number] != obtained:
            values = {"number": number, "date": format_date(obtained, lang),
                      "held": format_date(before[number], lang)}  # fmt: skip
            parts.append(t(context, "save.kept", lang, **values))
            rows.insert(0, [(t(context, "save.button_replace", lang, **values),
                             declare.cb_save(number, obtained))])  # fmt: skip
    await show(update, context, "\n\n".join(parts), keyboard(rows))


def handlers() -> list[BaseHandler[Update, Context, Any]]:
    return [CallbackQueryHandler(on_save_all, pattern=rf"^{PREFIX}:")]
