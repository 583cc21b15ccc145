"""/declarer: record a CCP the user obtained, guided with buttons or in one line.

Guided: pick the CCP → type the date → confirm. One line: `/declarer 2 15/03/2024`.
The dialogue is a persistent ConversationHandler (its state and `user_data` live in the
SQLite persistence), so a user in the middle of it continues after a restart. Every button
carries what it needs (`decl:save:2:2024-03-15`), so a button pressed twice or after a
restart is answered from its own data; nothing is stored before the date passed every check.
"""

from __future__ import annotations

import functools
import logging
import re
import warnings
from datetime import date
from typing import Any, Final

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from conversations import aside, declared_notice, leaving
from conversations.common import callback, keyboard, reply, scratch, show, user_id, user_lang
from conversations.deeplinks import private_only
from conversations.i18n import Raw
from conversations.limits import excerpt
from conversations.services import Context
from knowledge.deadline import format_date as fmt
from knowledge.declared_dates import DateRefused, RefusalReason, parse_declared_date
from knowledge.model import Lang

log = logging.getLogger(__name__)

NAME: Final = "declare"  # ConversationHandler name: the key of its states in the persistence
PREFIX: Final = "decl"
COMMANDS: Final = ("declarer", "declare")
CANCEL_COMMANDS: Final = ("annuler", "cancel", "stop")

# Callback actions ("decl:<action>[:args]").
START: Final = "start"  # decl:start (also sent by the reminders' "J'ai obtenu un CCP")
PICK: Final = "ccp"  # decl:ccp:<n> — choose (or change the date of) CCP n
SAVE: Final = "save"  # decl:save:<n>:<yyyy-mm-dd> — confirmed, store it
REDO: Final = "redo"  # decl:redo:<n> — type another date for CCP n
CANCEL: Final = "cancel"  # decl:cancel
KEEP: Final = "keep"  # decl:keep:<n> — keep the date already saved for CCP n
CB_START: Final = f"{PREFIX}:{START}"
CB_MY_CCPS: Final = "mine:show"  # answered by conversations.my_ccps (which imports this module)

# Conversation states (strings: they are stored as they are in the persistence).
CHOOSING_CCP: Final = "declare.ccp"
TYPING_DATE: Final = "declare.date"
CONFIRMING: Final = "declare.confirm"
END: Final = ConversationHandler.END

PENDING: Final = "declare"  # scratch(context)[PENDING] = {"ccp": n} or {"date": iso}

_CCP_AND_REST: Final = re.compile(
    r"^\s*(?:c\.?\s*c\.?\s*p\.?)?\s*(?:n\s*°|n°|no\.?|#)?\s*(\d{1,3})(?=\s|$)\s*(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_ONLY_CCP_WORD: Final = re.compile(r"^\s*c\.?\s*c\.?\s*p\.?\s*(\S+)", re.IGNORECASE)


def cb_pick(number: int) -> str:
    return callback(PREFIX, PICK, number)


def cb_save(number: int, obtained: date) -> str:
    return callback(PREFIX, SAVE, number, obtained.isoformat())


def t(context: Context, key: str, lang: Lang, **values: Any) -> str:
    return context.services.catalogue.t(f"declare.{key}", lang, **values)


def ccp_keyboard(context: Context, lang: Lang) -> InlineKeyboardMarkup:
    ccps = context.services.titre.ccps
    rows = [[(t(context, "ccp_button", lang, number=c.number), cb_pick(c.number))] for c in ccps]
    rows.append([(t(context, "button_cancel", lang), callback(PREFIX, CANCEL))])
    return keyboard(rows)


def ccp_list(context: Context, lang: Lang) -> str:
    return "\n".join(
        t(context, "ccp_item", lang, number=c.number, title=c.title.get(lang))
        for c in context.services.titre.ccps
    )


async def ask_ccp(update: Update, context: Context, lang: Lang, intro: str | None = None) -> str:
    """Show the CCP buttons (with their titles in the text) and wait for a choice."""
    body = t(context, "ask_ccp", lang, ccps=Raw(ccp_list(context, lang)))
    text = f"{intro}\n\n{body}" if intro else body
    await show(update, context, text, ccp_keyboard(context, lang))
    return CHOOSING_CCP


async def ask_date(
    update: Update, context: Context, lang: Lang, number: int, intro: str | None = None
) -> str:
    """Remember the chosen CCP and ask for its date (saying when it is already declared)."""
    services = context.services
    ccp = services.titre.ccp(number)
    assert ccp is not None
    scratch(context)[PENDING] = {"ccp": number}
    held = (await services.store.declarations(user_id(update))).get(number)
    key = "ask_date_again" if held else "ask_date"
    text = t(context, key, lang, number=number, title=ccp.title.get(lang),
             held=fmt(held, lang) if held else "")
    markup = keyboard([[(t(context, "button_cancel", lang), callback(PREFIX, CANCEL))]])
    await show(update, context, f"{intro}\n\n{text}" if intro else text, markup)
    return TYPING_DATE


async def ask_confirm(
    update: Update, context: Context, lang: Lang, number: int, obtained: date
) -> int | str:
    """Ask to confirm (or to replace an earlier date); the same date again ends at once."""
    services = context.services
    ccp = services.titre.ccp(number)
    assert ccp is not None
    held = (await services.store.declarations(user_id(update))).get(number)
    scratch(context)[PENDING] = {"ccp": number, "date": obtained.isoformat()}
    values = {"number": number, "title": ccp.title.get(lang), "date": fmt(obtained, lang)}
    if held == obtained:
        return await save(update, context, lang, number, obtained)  # says it is already there
    if held is not None:
        text = t(context, "confirm_replace", lang, held=fmt(held, lang), **values)
        rows = [
            [(t(context, "button_replace", lang), cb_save(number, obtained))],
            [(t(context, "button_keep", lang, held=fmt(held, lang)),
              callback(PREFIX, KEEP, number))],
        ]
    else:
        text = t(context, "confirm", lang, **values)
        rows = [
            [(t(context, "button_save", lang), cb_save(number, obtained))],
            [(t(context, "button_other_date", lang), callback(PREFIX, REDO, number))],
            [(t(context, "button_cancel", lang), callback(PREFIX, CANCEL))],
        ]
    await show(update, context, text, keyboard(rows))
    return CONFIRMING


def refusal(context: Context, lang: Lang, error: DateRefused) -> str:
    """The reason a date is refused, in words."""
    titre = context.services.titre
    return t(context, f"refused_{error.reason}", lang, text=excerpt(error.text),
             created=fmt(titre.identity.created, lang), today=fmt(context.services.today(), lang))


def read_date(context: Context, text: str) -> date:
    services = context.services
    return parse_declared_date(text, today=services.today(),
                               earliest=services.titre.identity.created)


async def unknown_ccp(update: Update, context: Context, lang: Lang, given: str) -> str:
    numbers = ", ".join(str(c.number) for c in context.services.titre.ccps)
    intro = t(context, "unknown_ccp", lang, given=excerpt(given), numbers=numbers)
    return await ask_ccp(update, context, lang, intro)


async def parse_line(
    update: Update, context: Context, lang: Lang, text: str, *, typed: bool = False
) -> int | str:
    """`2 15/03/2024`, `ccp2 15 mars 2024`, `CCP 2`, `15/03/2024` (asks which CCP), or junk;
    `typed` at the CCP choice, a question instead ("c quoi la vae") is answered, then the
    choice is offered again."""
    services = context.services
    match = _CCP_AND_REST.match(text)
    if match is None:
        word = _ONLY_CCP_WORD.match(text)
        if word is not None:
            return await unknown_ccp(update, context, lang, f"CCP {word.group(1)}")
        try:
            obtained = read_date(context, text)
        except DateRefused as error:
            if error.reason == "format" and typed and await aside.answered(update, context, text):
                return await ask_ccp(update, context, lang, t(context, "back_to_ccp", lang))
            if error.reason == "format":
                return await ask_ccp(update, context, lang, t(context, "not_understood", lang))
            return await ask_ccp(update, context, lang, refusal(context, lang, error))
        scratch(context)[PENDING] = {"date": obtained.isoformat()}
        intro = t(context, "which_ccp_for", lang, date=fmt(obtained, lang))
        return await ask_ccp(update, context, lang, intro)
    number, rest = int(match.group(1)), match.group(2).strip()
    if services.titre.ccp(number) is None:
        return await unknown_ccp(update, context, lang, f"CCP {number}")
    if not rest:
        return await chosen(update, context, lang, number)
    try:
        obtained = read_date(context, rest)
    except DateRefused as error:
        return await ask_date(update, context, lang, number, refusal(context, lang, error))
    held = (await services.store.declarations(user_id(update))).get(number)
    if held is None:  # the one-line form stores at once: the command was the confirmation
        return await save(update, context, lang, number, obtained)
    return await ask_confirm(update, context, lang, number, obtained)


async def chosen(update: Update, context: Context, lang: Lang, number: int) -> int | str:
    """A CCP was chosen: confirm with the date typed first (`/declarer 15/03/2024`), or ask it."""
    pending = scratch(context).get(PENDING)
    if isinstance(pending, dict) and isinstance(pending.get("date"), str) and "ccp" not in pending:
        return await ask_confirm(update, context, lang, number, date.fromisoformat(pending["date"]))
    return await ask_date(update, context, lang, number)


async def save(update: Update, context: Context, lang: Lang, number: int, obtained: date) -> int:
    services = context.services
    uid = user_id(update)
    scratch(context).pop(PENDING, None)
    ccp = services.titre.ccp(number)
    assert ccp is not None
    values = {"number": number, "title": ccp.title.get(lang), "date": fmt(obtained, lang)}
    # The store decides whether anything changed, in its transaction: handled twice (after
    # a restart), the same declaration is one row and is not announced again as new.
    if not await services.store.declare(uid, number, obtained, now=services.now()):
        await show(update, context, t(context, "already_same", lang, **values), None)
        return END
    declared = await services.store.declarations(uid)
    total = len(services.titre.ccps)
    text = t(context, "saved", lang, held=len(declared), total=total, **values)
    notice = declared_notice.deadline_notice(context, lang, declared, number)
    if notice:
        text = f"{text}\n\n{notice}"
    rows = [[(t(context, "button_my_ccps", lang), CB_MY_CCPS)]]
    if len(declared) < total:
        rows.append([(t(context, "button_another", lang), CB_START)])
    await show(update, context, text, keyboard(rows))
    return END


# --- handlers --------------------------------------------------------------------------------


async def on_command(update: Update, context: Context) -> object:
    """/declarer [line], or the `decl:start` button (no arguments: the guided form)."""
    lang = await user_lang(update, context)
    if not await private_only(update, context):
        return END
    scratch(context).pop(PENDING, None)
    text = " ".join(context.args or []).strip()
    if text:
        return await parse_line(update, context, lang, text)
    return await ask_ccp(update, context, lang)


def _text(update: Update) -> str:
    return update.message.text if update.message and update.message.text else ""


def _args(update: Update) -> list[str]:
    query = update.callback_query
    return (query.data if query is not None and isinstance(query.data, str) else "").split(":")[2:]


async def on_pick(update: Update, context: Context) -> object:
    """A CCP button (from the picker, /mesccp "change the date", or an old message)."""
    lang = await user_lang(update, context)
    if not await private_only(update, context):
        return END
    args = _args(update)
    number = int(args[0]) if args and args[0].isdigit() else -1
    if context.services.titre.ccp(number) is None:
        return await unknown_ccp(update, context, lang, f"CCP {args[0] if args else '?'}")
    return await chosen(update, context, lang, number)


async def on_save(update: Update, context: Context) -> object:
    """The confirmation button: everything is in its data, checked again before storing."""
    lang = await user_lang(update, context)
    if not await private_only(update, context):
        return END
    args = _args(update)
    try:
        number, obtained = int(args[0]), date.fromisoformat(args[1])
    except (IndexError, ValueError):
        return await on_stale(update, context)
    services = context.services
    if services.titre.ccp(number) is None:
        return await unknown_ccp(update, context, lang, f"CCP {number}")
    if obtained > services.today() or obtained < services.titre.identity.created:
        reason: RefusalReason = "future" if obtained > services.today() else "too_early"
        error = DateRefused(reason, fmt(obtained, lang), obtained)
        return await ask_date(update, context, lang, number, refusal(context, lang, error))
    return await save(update, context, lang, number, obtained)


async def on_cancel(update: Update, context: Context) -> object:
    """"Annuler" at any step (a CCP may not be chosen yet); pressed again, or on an old
    message with no dialogue open, it says there is nothing to stop. "Garder le …"
    (decl:keep:<n>) says the saved date stays, not that something stopped."""
    lang = await user_lang(update, context)
    had = scratch(context).pop(PENDING, None)
    open_ = had is not None or update.message is not None or not leaving.left(context, NAME)
    leaving.forget(context, NAME)
    text = t(context, "cancelled" if open_ else "nothing_pending", lang)
    number = (update.callback_query.data or "").split(":")[-1] if update.callback_query else ""
    if number.isdigit() and (kept := (await context.services.store.declarations(
            user_id(update))).get(int(number))):  # fmt: skip
        text = t(context, "kept", lang, number=number, held=fmt(kept, lang))
    await show(update, context, text, None)
    return END


async def on_stale(update: Update, context: Context) -> object:
    lang = await user_lang(update, context)
    markup = keyboard([[(t(context, "button_restart", lang), CB_START)]])
    await show(update, context, t(context, "stale", lang), markup)
    return END


async def on_ccp_text(update: Update, context: Context) -> object:
    """Typed while the CCP buttons are shown: `2`, `ccp 2` or even `2 15/03/2024`; a question
    instead ("c quoi la vae") is answered, then the choice is offered again."""
    lang, text = await user_lang(update, context), _text(update)
    if await _left(update, context, text):
        return END
    return await parse_line(update, context, lang, text, typed=True)


async def _left(update: Update, context: Context, text: str) -> bool:
    """Back after a while (`leaving.LEFT_AFTER`): the message is a new question, answered
    as one; the declaration waiting is dropped (nothing was recorded). (Another command ends
    the dialogue itself: `leaving.end_dialogues`.)"""
    if not leaving.left(context, NAME):
        return False
    scratch(context).pop(PENDING, None)
    await aside.answer(update, context, text)
    return True


async def on_date_text(update: Update, context: Context) -> object:
    lang, text = await user_lang(update, context), _text(update)
    if await _left(update, context, text):
        return END
    pending = scratch(context).get(PENDING)
    number = pending.get("ccp") if isinstance(pending, dict) else None
    if not isinstance(number, int) or context.services.titre.ccp(number) is None:
        return await parse_line(update, context, lang, text)  # state without its data: start over
    try:
        obtained = read_date(context, text)
    except DateRefused as error:
        markup = keyboard([[(t(context, "button_cancel", lang), callback(PREFIX, CANCEL))]])
        # "attends c quoi le ccp3 deja": answered, then on where it was (a date kept, shown)
        answered = error.reason == "format" and await aside.answered(update, context, text)
        if answered and isinstance(typed := dict(pending or {}).get("date"), str):
            return await ask_confirm(update, context, lang, number, date.fromisoformat(typed))
        said = t(context, "back_to_date", lang, number=number) if answered else (
            refusal(context, lang, error) + "\n\n" + t(context, "retry", lang))
        await reply(update, context, said, markup)
        return TYPING_DATE
    return await ask_confirm(update, context, lang, number, obtained)


def conversation() -> ConversationHandler[Context]:
    text = filters.TEXT & ~filters.COMMAND
    timed = functools.partial(leaving.timed, NAME)  # every prompt notes when it asked
    pick = CallbackQueryHandler(timed(on_pick), pattern=rf"^{PREFIX}:{PICK}:")
    save_button = CallbackQueryHandler(timed(on_save), pattern=rf"^{PREFIX}:{SAVE}:")
    redo = CallbackQueryHandler(timed(on_pick), pattern=rf"^{PREFIX}:{REDO}:")
    cancel = CallbackQueryHandler(on_cancel, pattern=rf"^{PREFIX}:{CANCEL}$")
    keep = CallbackQueryHandler(on_cancel, pattern=rf"^{PREFIX}:{KEEP}:\d+$")
    start = CallbackQueryHandler(timed(on_command), pattern=rf"^{PREFIX}:{START}$")
    stale = CallbackQueryHandler(on_stale, pattern=rf"^{PREFIX}:")
    # Every button of this dialogue works in any state, and also starts it: old buttons work.
    buttons = [start, pick, save_button, redo, cancel, keep, stale]
    with warnings.catch_warnings():
        # PTB warns that with per_message=False a button is tracked per chat, not per message:
        # that is what we want (the state is the user's, buttons carry their own data).
        warnings.filterwarnings("ignore", message=".*per_message.*", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=[CommandHandler(list(COMMANDS), timed(on_command)), *buttons],
            states={
                CHOOSING_CCP: [pick, MessageHandler(text, timed(on_ccp_text))],
                TYPING_DATE: [MessageHandler(text, timed(on_date_text)), pick],
                CONFIRMING: [save_button, redo, MessageHandler(text, timed(on_date_text))],
            },
            fallbacks=[CommandHandler(list(CANCEL_COMMANDS), on_cancel), *buttons],
            name=NAME,
            persistent=True,
            allow_reentry=True,
            per_message=False,
        )


def handlers() -> list[BaseHandler[Update, Context, Any]]:
    return [conversation()]
