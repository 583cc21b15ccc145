"""Small helpers every dialogue uses: the user's language, safe replies, callback data."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from datetime import date
from typing import Any, Final

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, NetworkError

from conversations.commands import ENGLISH
from conversations.limits import CALLBACK_ANSWER_UNITS, MESSAGE_UNITS, fits, shorten
from conversations.limits import split_message as split_message  # re-exported
from conversations.services import Context
from knowledge.model import Lang

log = logging.getLogger(__name__)

MAX_CALLBACK_BYTES = 64
MAX_MESSAGE_CHARS = MESSAGE_UNITS  # 4096 UTF-16 units after entities: see conversations.limits


def callback(prefix: str, *parts: object) -> str:
    """Build callback data; Telegram refuses more than 64 bytes, so fail loudly here."""
    data = ":".join([prefix, *(str(p) for p in parts)])
    if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
    return data


WORDS_TO_DETECT: Final = 3  # shorter questions ("vae") say nothing about their language
COMMAND_LANG: Final = "lang.command"  # scratch: English, told by the last command typed
# An English command (/myccps) tells English; a French one (/mesccp) hands back to the
# Telegram language ("help" is typed by everyone, whatever their language).
_ENGLISH_COMMANDS: Final = frozenset(en for fr, en in ENGLISH.items() if fr != en) - {"help"}
_FRENCH_COMMANDS: Final = frozenset(fr for fr, en in ENGLISH.items() if fr != en)


def short_date(d: date, lang: Lang) -> str:
    """A button's date: "18/04/2018" in French, "2018-04-18" (unambiguous) in English."""
    return d.strftime("%d/%m/%Y") if lang == "fr" else d.isoformat()


def lang_from_code(language_code: str | None) -> Lang:
    return "en" if language_code and language_code.lower().startswith("en") else "fr"


async def user_lang(update: Update | None, context: Context) -> Lang:
    """The language a user chose with /langue, else that of the last command they typed
    (/myccps: English, until they type a French one), else their Telegram language."""
    user = update.effective_user if update else None
    if user is None:
        return "fr"
    chosen = await context.services.store.user_lang(user.id)
    return chosen if chosen is not None else _unchosen_lang(update, context)


def _unchosen_lang(update: Update | None, context: Context) -> Lang:
    """A tester typing /myccps with a French Telegram got French replies: an English command
    tells English, the dialogue it starts goes on in it, a French command hands back."""
    message = update.effective_message if update else None
    text = message.text if message is not None and message.text else ""
    name = text[1:].split(maxsplit=1)[0].split("@")[0].lower() if text[1:2].strip() else ""
    data = scratch(context)
    if text.startswith("/") and name in _ENGLISH_COMMANDS:
        data[COMMAND_LANG] = "en"
    elif text.startswith("/") and name in _FRENCH_COMMANDS:
        data.pop(COMMAND_LANG, None)
    if data.get(COMMAND_LANG) == "en":
        return "en"
    user = update.effective_user if update else None
    return lang_from_code(user.language_code if user is not None else None)


async def question_lang(update: Update, context: Context, question: str) -> Lang:
    """The chosen language, else the question's own (when it tells), else as `user_lang`."""
    user = update.effective_user
    chosen = await context.services.store.user_lang(user.id) if user is not None else None
    if chosen is not None:
        return chosen
    default = _unchosen_lang(update, context)
    if len(question.split()) < WORDS_TO_DETECT:
        return default
    return context.services.engine.lang_told(question) or default


def keyboard(rows: Sequence[Sequence[tuple[str, str]]]) -> InlineKeyboardMarkup:
    """Rows of (label, callback data) pairs."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


async def reply(
    update: Update,
    context: Context,
    html_text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> Message | None:
    """Send HTML to the chat of `update`, split to Telegram's limit; buttons go on the last part.

    Splitting happens on paragraph boundaries of the *rendered* HTML: templates keep each tag
    inside one paragraph, so no part opens a tag it does not close.
    """
    chat = update.effective_chat
    if chat is None:
        return None
    parts = split_message(html_text)
    last: Message | None = None
    for index, part in enumerate(parts):
        last = await context.bot.send_message(
            chat.id,
            part,
            reply_markup=markup if index == len(parts) - 1 else None,
        )
    return last


def user_id(update: Update) -> int:
    user = update.effective_user
    if user is None:  # handlers that call this only get updates that come from a person
        raise RuntimeError("update without a user")
    return user.id


def scratch(context: Context) -> dict[Any, Any]:
    """The user's persisted data (an unsaved dict only for updates without a user)."""
    data = context.user_data
    return data if data is not None else {}


async def ack(query: CallbackQuery | None, text: str | None = None) -> None:
    """Stop the button's spinner. A query already answered or too old (Telegram gives about
    15 s, and none survive a restart) cannot be answered: that must not stop the reply."""
    if query is None:
        return
    # NetworkError: Telegram kept failing (the retries are in bot.sending.replies); the
    # spinner stops by itself, and the reply that follows matters more.
    with contextlib.suppress(BadRequest, NetworkError):
        await query.answer(shorten(text, CALLBACK_ANSWER_UNITS) if text else text)


async def show(
    update: Update, context: Context, html_text: str, markup: InlineKeyboardMarkup | None
) -> None:
    """Edit the message of the pressed button, or send a new one; never fail on a stale button."""
    query = update.callback_query
    if query is not None:
        await ack(query)
        if query.message is not None and fits(html_text):
            try:
                await query.edit_message_text(html_text, reply_markup=markup)
                return
            except BadRequest as error:
                if "not modified" in str(error).lower():  # pressed twice: already shown
                    return
                log.info("could not edit a message, sending a new one: %s", error)
    await reply(update, context, html_text, markup)
