"""/delai: the date the capitalisation window closes, from the date of the first CCP.

`/delai 12/03/2022` answers in one line; `/delai` alone answers from the user's saved CCPs
when there are any (the date is not asked again), else asks for the date. A persistent
ConversationHandler keeps "waiting for a date" across a restart. Nothing is stored here: to
keep the date and get reminders, /declarer records it.
"""

from __future__ import annotations

import re
import warnings
from datetime import date
from types import MappingProxyType
from typing import Any, Final

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from conversations import ask, browse, deeplinks, language, leaving, my_ccps, pathway, render, start
from conversations.common import ack, callback, keyboard, reply, user_id, user_lang
from conversations.i18n import Raw
from conversations.services import Context
from conversations.timeline import ccp_marks
from knowledge.answer import BRIEF_CHARS, brief
from knowledge.dates import find_dates, fold, month_number
from knowledge.deadline import Deadline, compute_deadline, explain_for, format_date
from knowledge.declared_dates import DateRefused, parse_declared_date
from knowledge.model import Lang

NAME: Final = "delai"  # ConversationHandler name: the key of its states in the persistence
PREFIX: Final = deeplinks.DEADLINE
START: Final = "start"  # delai:start (menu, answers about the deadline)
OTHER: Final = "other"  # delai:start:other — compute with another date than the saved ones
FROM: Final = deeplinks.DEADLINE_FROM  # delai:from:<yyyymmdd> — a day the user wrote in a question
CANCEL: Final = "cancel"  # delai:cancel
COMMAND: Final = "delai"
CANCEL_COMMANDS: Final = ("annuler", "cancel", "stop")
TYPING_DATE: Final = "delai.date"
END: Final = ConversationHandler.END
NEW_ONLY: Final = filters.UpdateType.MESSAGE  # edits of earlier messages are ignored

_DEEP_LINK: Final = re.compile(rf"^/start(@\w+)?\s+{deeplinks.DELAI}\s*$")
_WORDS: Final = re.compile(r"[^\W\d_]+")
# Words that may sit in a date someone types ("le 12 du 3", "1er mars", "March 3rd, 2022").
_DATE_WORDS: Final = frozenset(
    {"le", "du", "de", "en", "er", "the", "of", "on", "st", "nd", "rd", "th", "aujourd", "hui",
     "today", "hier", "yesterday", "avant", "ier"}
)


def looks_like_a_date(text: str) -> bool:
    """A (perhaps mistyped) date rather than a question: "31/02", "le 12 du 3", "mars 2022"."""
    words = [fold(w) for w in _WORDS.findall(text)]
    months = [w for w in words if month_number(w) is not None]
    has_digit = any(ch.isdigit() for ch in text)
    if not has_digit and not months:
        return False
    return all(w in _DATE_WORDS or w in months or len(w) <= 2 for w in words)


def _cancel_markup(context: Context, lang: Lang) -> Any:
    t = context.services.catalogue.t
    return keyboard([[(t("deadline_calc.cancel_button", lang), callback(PREFIX, CANCEL))]])


async def _prompt(update: Update, context: Context) -> str:
    lang = await user_lang(update, context)
    await reply(update, context, context.services.catalogue.t("deadline_calc.prompt", lang),
                _cancel_markup(context, lang))
    return TYPING_DATE


async def _answer(update: Update, context: Context, text: str) -> str | int:
    """The deadline for `text`, or the reason it is refused and a new try."""
    services = context.services
    lang = await user_lang(update, context)
    t = services.catalogue.t
    today = services.today()
    try:
        first = parse_declared_date(text, today=today, earliest=services.titre.identity.created)
    except DateRefused as refused:
        if refused.reason == "format" and not looks_like_a_date(text):
            await ask.answer_question(update, context, text)  # a question, not a date
            if find_dates(text):  # "j'ai eu mon premier CCP le …": that answer was the deadline
                return END
            # ... answered; the calculator is offered again (a button or /annuler leaves it)
            await reply(update, context, t("deadline_calc.back_to_date", lang),
                        _cancel_markup(context, lang))
            return TYPING_DATE
        values: dict[str, Any] = {"text": text.strip()[:60]}
        if refused.reason == "too_early":
            values["earliest"] = format_date(services.titre.identity.created, lang)
        if refused.reason == "future":
            values["date"] = format_date(refused.parsed, lang) if refused.parsed else values["text"]
        await reply(update, context, t(f"deadline_calc.refused.{refused.reason}", lang, **values),
                    _cancel_markup(context, lang))
        return TYPING_DATE
    await _computed(update, context, lang, first)
    return END


async def _computed(update: Update, context: Context, lang: Lang, first: date) -> None:
    t = context.services.catalogue.t
    marks = {t("deadline_calc.first_ccp_mark", lang): first}
    deadline = compute_deadline(context.services.titre.capitalisation, first)
    passed = deadline.passed(context.services.today())
    key = "deadline_calc.result_passed" if passed else "deadline_calc.result"
    await _result(update, context, lang, deadline, marks, t(key, lang, body=Raw("{body}")))


async def _result(
    update: Update,
    context: Context,
    lang: Lang,
    deadline: Deadline,
    marks: dict[str, date],
    frame: str,
) -> None:
    """The deadline said as everywhere else (`explain_for`), cut to a screen as an answer is
    (the links behind "➕ Détails"), its buttons, and the picture."""
    services = context.services
    t = services.catalogue.t
    explanation = explain_for(services.titre, deadline, lang, services.today())
    shown, details = brief(explanation, BRIEF_CHARS)
    body = "\n\n".join(render.escape(line) for line in shown.splitlines() if line.strip())
    more: list[list[tuple[str, str]]] = []
    if details and context.chat_data is not None:
        context.chat_data[render.LAST_DETAILS] = details  # `more:details:last` shows them
        more.append([(t("render.details", lang),
                      callback(render.MORE, render.DETAILS, render.LAST))])  # fmt: skip
    rows = [
        *more,
        [(t("deadline_calc.again", lang), callback(PREFIX, START, OTHER))],
        [(t("deadline_calc.about_rule", lang),
          callback(deeplinks.TOPIC, deeplinks.CAPITALISATION))],
        [render.menu_button(services.catalogue, lang)],
    ]
    await reply(update, context, frame.replace("{body}", body), keyboard(rows))
    await my_ccps.send_window_picture(update, context, lang, marks, deadline)


async def _saved_or_prompt(update: Update, context: Context) -> str | int:
    """The user's own deadline when they saved CCPs (no question back), else the prompt."""
    services = context.services
    declared = await services.store.declarations(user_id(update))
    deadline = my_ccps.deadline_for(services, declared)
    if deadline is None:
        return await _prompt(update, context)
    lang = await user_lang(update, context)
    frame = services.catalogue.t("deadline_calc.saved_result", lang, body=Raw("{body}"))
    await _result(update, context, lang, deadline, ccp_marks(declared), frame)
    return END


async def on_command(update: Update, context: Context) -> str | int:
    """/delai [date]: in a group, this is personal → private chat."""
    if not deeplinks.is_private(update):
        await deeplinks.send_to_private(update, context, deeplinks.DELAI)
        return END
    if context.args:
        return await _answer(update, context, " ".join(context.args))
    return await _saved_or_prompt(update, context)


async def on_deep_link(update: Update, context: Context) -> str | int:
    """`t.me/<bot>?start=delai` opens the calculator directly."""
    if not deeplinks.is_private(update):
        await deeplinks.send_to_private(update, context, deeplinks.DELAI)
        return END
    return await _saved_or_prompt(update, context)


async def _pressed(update: Update, context: Context) -> str | None:
    """A calculator button's data, the press answered; None in a group (a personal date: the
    user is sent to the private chat)."""
    query = update.callback_query
    if not deeplinks.is_private(update):
        await deeplinks.send_to_private(update, context, deeplinks.DELAI)
        return None
    await ack(query)
    return query.data if query is not None and isinstance(query.data, str) else ""


async def on_start_button(update: Update, context: Context) -> str | int:
    data = await _pressed(update, context)
    if data is None:
        return END
    if data.endswith(f":{OTHER}"):  # "another date": the calculator, even with saved CCPs
        return await _prompt(update, context)
    return await _saved_or_prompt(update, context)


def day_of(data: str) -> date | None:
    """The day a `delai:from:<yyyymmdd>` button carries, or None when it is not one."""
    parts = data.split(":")
    if len(parts) != 3 or parts[:2] != [PREFIX, FROM] or not re.fullmatch(r"\d{8}", parts[2]):
        return None
    try:
        return date(int(parts[2][:4]), int(parts[2][4:6]), int(parts[2][6:]))
    except ValueError:
        return None


async def on_from_button(update: Update, context: Context) -> str | int:
    """"📅 Délai (CCP du 22/11/2012)" under an answer: that day's deadline, pressed twice
    or after a restart alike (the day is in the button). A day no longer usable asks for one."""
    data = await _pressed(update, context)
    if data is None:
        return END
    first = day_of(data)
    services = context.services
    if first is None or not services.titre.identity.created <= first <= services.today():
        return await _prompt(update, context)
    await _computed(update, context, await user_lang(update, context), first)
    return END


async def on_date(update: Update, context: Context) -> str | int:
    message = update.effective_message
    if message is None or message.text is None:
        return TYPING_DATE
    if leaving.left(context, NAME):  # back after a while, or moved on: a new question
        await ask.answer_question(update, context, message.text)
        return END
    return await _answer(update, context, message.text)


async def on_cancel(update: Update, context: Context) -> int:
    query = update.callback_query
    await ack(query)
    lang = await user_lang(update, context)
    catalogue = context.services.catalogue
    await reply(update, context, catalogue.t("deadline_calc.cancelled", lang),
                render.menu_markup(catalogue, lang))
    return END


def conversation() -> ConversationHandler[Context]:
    start_button: CallbackQueryHandler[Context, object] = CallbackQueryHandler(
        leaving.timed(NAME, on_start_button), pattern=rf"^{PREFIX}:{START}(:{OTHER})?$"
    )
    cancel_button: CallbackQueryHandler[Context, object] = CallbackQueryHandler(
        on_cancel, pattern=rf"^{PREFIX}:{CANCEL}$"
    )
    from_button: CallbackQueryHandler[Context, object] = CallbackQueryHandler(
        leaving.timed(NAME, on_from_button), pattern=rf"^{PREFIX}:{FROM}:\d{{8}}$"
    )
    with warnings.catch_warnings():
        # per_message=False: the state is the user's, not one message's; that is the intent.
        warnings.filterwarnings("ignore", message=".*per_message.*", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=[
                CommandHandler(COMMAND, leaving.timed(NAME, on_command), filters=NEW_ONLY),
                CommandHandler("start", leaving.timed(NAME, on_deep_link),
                               filters=NEW_ONLY & filters.Regex(_DEEP_LINK)),
                start_button,
                from_button,
            ],
            states={
                TYPING_DATE: [
                    MessageHandler(NEW_ONLY & filters.TEXT & ~filters.COMMAND,
                                   leaving.timed(NAME, on_date)),
                ],
            },
            fallbacks=[
                CommandHandler(list(CANCEL_COMMANDS), on_cancel, filters=NEW_ONLY),
                CommandHandler(list(LEAVING_COMMANDS), on_other_command, filters=NEW_ONLY),
                cancel_button,
                start_button,
                from_button,
            ],
            name=NAME,
            persistent=True,
            allow_reentry=True,
            per_message=False,
        )


async def on_other_command(update: Update, context: Context) -> int:
    """/start, /ccp, /parcours… while a date is awaited: the person moved on; so do we."""
    message = update.effective_message
    command = (message.text or "").split()[0].lstrip("/").split("@")[0] if message else ""
    await LEAVING_COMMANDS.get(command.lower(), start.start)(update, context)
    return END


LEAVING_COMMANDS: Final = MappingProxyType({
    "start": start.start,
    "aide": start.help_command,
    "help": start.help_command,
    "menu": start.menu_command,
    "ccp": browse.ccp_command,
    "parcours": pathway.pathway_command,
    "path": pathway.pathway_command,
    "langue": language.language_command,
    "language": language.language_command,
    "lang": language.language_command,
})


async def on_old_cancel(update: Update, context: Context) -> None:
    """A "Cancel" pressed when nothing is waiting: say so kindly (nothing to cancel)."""
    await on_cancel(update, context)


def handlers() -> list[BaseHandler[Update, Context, Any]]:
    return [
        conversation(),
        CallbackQueryHandler(on_old_cancel, pattern=rf"^{PREFIX}:{CANCEL}$"),
    ]
