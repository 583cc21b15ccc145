"""Consent to share one's progress with an advisor (issue 14), the candidate's side.

A candidate who arrives through an advisor's link (`/start ref-<code>`, `<topic>-ref-<code>`) or
types the advisor's code (`/conseiller <code>`) is asked once, plainly, whether that advisor may
see their progress: which CCPs, their dates, the date that applies and the days left, nothing
else. Nothing is shared before a yes. `/conseiller` (and a button under `/confidentialite` and
`/mesccp`) shows each advisor with a button to start or stop sharing; `/pseudo <name>` changes
the name shown; `/oublier` ends it all (bot.storage). Buttons: `cons:yes:<code>`,
`cons:no:<code>`, `cons:list`: plain strings that still work after a restart.
"""

from __future__ import annotations

from typing import Any, Final

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from conversations import stale
from conversations.common import ack, callback, keyboard, reply, show, user_id, user_lang
from conversations.deeplinks import is_private, parse_payload, private_only
from conversations.i18n import Raw
from conversations.limits import shorten
from conversations.services import Consent, Context
from knowledge.model import Lang

PREFIX: Final = "cons"
YES: Final = "yes"
NO: Final = "no"
LIST: Final = "list"
CB_LIST: Final = f"{PREFIX}:{LIST}"  # the button /confidentialite and /mesccp show
COMMANDS: Final = ("conseiller", "advisor")
NAME_COMMANDS: Final = ("pseudo", "nickname")
LABEL_UNITS: Final = 28  # an advisor's label inside a button stays on one phone line


def t(context: Context, key: str, lang: Lang, **values: Any) -> str:
    return context.services.catalogue.t(f"consent.{key}", lang, **values)


def default_name(update: Update) -> str:
    """What a yes shows by default: the first name the person gave Telegram."""
    user = update.effective_user
    return user.first_name if user is not None and user.first_name else "?"


async def name_to_show(update: Update, context: Context) -> str:
    """The name a yes would show: the one chosen with /pseudo, else Telegram's first name."""
    user = update.effective_user
    chosen = await context.services.store.chosen_name(user.id) if user is not None else None
    return chosen or default_name(update)


def question(context: Context, lang: Lang, code: str, label: str, name: str) -> tuple[
    str, InlineKeyboardMarkup
]:
    markup = keyboard(
        [
            [(t(context, "button_yes", lang), callback(PREFIX, YES, code))],
            [(t(context, "button_no", lang), callback(PREFIX, NO, code))],
        ]
    )
    return t(context, "question", lang, advisor=label, name=name), markup


async def offer(update: Update, context: Context, code: str) -> bool:
    """Ask, the first time only, whether to share with the advisor of `code`."""
    user = update.effective_user
    if user is None or not is_private(update):
        return False
    services = context.services
    label = await services.store.offer_consent(user.id, code, now=services.now())
    if label is None:
        return False
    lang = await user_lang(update, context)
    text, markup = question(context, lang, code, label, await name_to_show(update, context))
    await reply(update, context, text, markup)
    return True


def status_lines(context: Context, lang: Lang, consents: list[Consent]) -> str:
    lines = []
    for consent in consents:
        key = "status_yes" if consent.status == "yes" else "status_no"
        lines.append(t(context, key, lang, advisor=consent.label, name=consent.shown_name or ""))
    return "\n".join(lines)


async def overview(
    context: Context, lang: Lang, uid: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Every advisor the user came to, what each sees, and a button to change it."""
    consents = await context.services.store.consents(uid)
    if not consents:
        return t(context, "none", lang), None
    rows = []
    for consent in consents:
        label = shorten(consent.label, LABEL_UNITS)
        if consent.status == "yes":
            rows.append([(t(context, "button_stop", lang, advisor=label),
                          callback(PREFIX, NO, consent.code))])  # fmt: skip
        else:
            rows.append([(t(context, "button_start", lang, advisor=label),
                          callback(PREFIX, YES, consent.code))])  # fmt: skip
    text = t(context, "overview", lang, lines=Raw(status_lines(context, lang, consents)))
    return text, keyboard(rows)


async def on_command(update: Update, context: Context) -> None:
    """`/conseiller` shows who sees what; `/conseiller <code>` asks about that advisor."""
    if not await private_only(update, context):
        return
    lang = await user_lang(update, context)
    uid = user_id(update)
    if context.args:
        code = parse_payload(context.args[0]).referral or context.args[0]
        if await offer(update, context, code):
            return
        if code.removeprefix("ref-") == await context.services.store.advisor_code(uid):
            await reply(update, context, t(context, "own_code", lang))
            return
        known = {c.code for c in await context.services.store.consents(uid)}
        if code not in known:
            await reply(update, context, t(context, "unknown_code", lang))
            return
    text, markup = await overview(context, lang, uid)
    await reply(update, context, text, markup)


async def on_list(update: Update, context: Context) -> None:
    if not await private_only(update, context):
        return
    lang = await user_lang(update, context)
    await ack(update.callback_query)
    text, markup = await overview(context, lang, user_id(update))
    await reply(update, context, text, markup)


async def on_answer(update: Update, context: Context) -> None:
    """cons:yes:<code> / cons:no:<code>: record it, say plainly what the advisor now sees."""
    if not await private_only(update, context):
        return
    query = update.callback_query
    parts = (query.data or "").split(":") if query is not None else []
    if len(parts) != 3 or parts[1] not in (YES, NO):
        await stale.stale_button(update, context)
        return
    services = context.services
    lang = await user_lang(update, context)
    uid = user_id(update)
    share = parts[1] == YES
    code = parts[2]
    if not await services.store.set_consent(uid, code, share, shown_name=default_name(update),
                                      now=services.now()):  # fmt: skip
        await show(update, context, t(context, "advisor_gone", lang), None)
        return
    consents = await services.store.consents(uid)
    consent = next((c for c in consents if c.code == code), None)
    label = consent.label if consent is not None else "?"
    if share:
        name = consent.shown_name if consent is not None and consent.shown_name else "?"
        text = t(context, "shared", lang, advisor=label, name=name)
    else:
        text = t(context, "not_shared", lang, advisor=label)
    await show(update, context, text, None)


async def on_name(update: Update, context: Context) -> None:
    """`/pseudo Camille`: the name every advisor the user shares with sees."""
    if not await private_only(update, context):
        return
    lang = await user_lang(update, context)
    name = " ".join(context.args or []).strip()
    if not name:
        await reply(update, context, t(context, "name_how", lang))
        return
    services = context.services
    shown, seen_by = await services.store.set_shown_name(user_id(update), name, now=services.now())
    text = t(context, "name_set" if seen_by else "name_later", lang, name=shown)
    if len(shown) < len(" ".join(name.split())):  # too long: say it was cut, and to what
        text += "\n" + t(context, "name_cut", lang, n=len(shown))
    await reply(update, context, text)


def handlers() -> list[BaseHandler[Update, Context, Any]]:
    return [
        CommandHandler(list(COMMANDS), on_command),
        CommandHandler(list(NAME_COMMANDS), on_name),
        CallbackQueryHandler(on_list, pattern=rf"^{PREFIX}:{LIST}$"),
        CallbackQueryHandler(on_answer, pattern=rf"^{PREFIX}:"),
    ]
