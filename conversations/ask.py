"""Any text → the engine's answer; topic buttons; "none of these answers".

In a group the bot speaks only when it is mentioned or replied to, so that it never floods a
conversation between people. In a private chat the user's saved CCPs go to the engine (which
never reads storage): "c quand ma date limite" is answered with their own date, and the CCP
dates typed in a message that are not among the saved ones are offered for saving, each with
the CCP written next to it (conversations/save_offer.py).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Final

from telegram import Message, MessageEntity, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from conversations import deeplinks, render, save_offer, stale, start
from conversations.common import ack, question_lang, reply, user_lang
from conversations.services import Context
from knowledge.answer import Answer
from knowledge.model import Lang
from knowledge.text import sentences

TOPIC: Final = deeplinks.TOPIC
ASK: Final = deeplinks.ASK
NONE: Final = "none"
# Up to this length the engine reads the whole message, sentence by sentence (a story, then
# the question: about 4 ms at 1,200 characters); beyond, only its first sentence is tried.
MAX_QUESTION_CHARS: Final = 1500
FIRST_PART_CHARS: Final = 300
# Of a longer message, the engine reads the end (a story ends with its question), this long
LAST_PART_CHARS: Final = 1200
LOGGED_CHARS: Final = 500

_FIRST_SENTENCE = re.compile(r"^(.+?[?!.])(?:\s|$)", re.DOTALL)
_WORD = re.compile(r"\w")  # a letter or a digit, in any script


def log_answer(context: Context, answer: Answer, question: str, author: int | None) -> None:
    """Only clarify/fallback keep the text (to improve the YAML), linked to its author so that
    /oublier erases it; an answered question is only counted."""
    keep = answer.status in ("clarify", "fallback")
    context.services.store.log_question(  # queued: no reply waits for it
        topic=answer.topic,
        status=answer.status,
        text=question[:LOGGED_CHARS] if keep else None,
        now=context.services.now(),
        user_id=author if keep else None,
    )


def author_of(update: Update) -> int | None:
    user = update.effective_user
    return user.id if user is not None else None


def count_text(n: int, lang: Lang) -> str:
    """5 144 in French (narrow no-break space), 5,144 in English."""
    grouped = f"{n:,}"
    return grouped if lang == "en" else grouped.replace(",", "\u202f")


def first_part(question: str) -> str | None:
    """The first sentence or line of a long message, if it is short enough to be a question."""
    head = question.strip().split("\n", 1)[0].strip()
    match = _FIRST_SENTENCE.match(head)
    if match:
        head = match.group(1)
    return head if 0 < len(head) <= FIRST_PART_CHARS else None


async def answer_question(update: Update, context: Context, question: str) -> None:
    """Ask the engine, log, and send the rendered answer with its follow-up buttons."""
    services = context.services
    question = question.strip()
    if not _WORD.search(question):  # "", "?", ".", "🤔🤔🤔": nothing to answer, offer the menu
        lang = await user_lang(update, context)
        await reply(update, context, services.catalogue.t("ask.empty", lang),
                    render.menu_markup(services.catalogue, lang))
        return
    if len(question) > MAX_QUESTION_CHARS:
        await _answer_long(update, context, question)
        return
    lang = await question_lang(update, context, question)
    saved = await saved_ccps(update, context)
    answer = services.engine.ask(question, today=services.today(), lang=lang, saved=saved)
    log_answer(context, answer, question, author_of(update))
    topic = services.titre.topic(answer.topic or "") if answer.status == "answer" else None
    if topic is not None and topic.role == "help":  # "help" typed: the same as /aide
        await start.send_help(update, context)
        return
    if answer.deadline is not None and not deeplinks.is_private(update):
        await deeplinks.send_to_private(update, context, deeplinks.DELAI)  # a personal date
        return
    await render.send_answer(update, context, answer)
    await save_offer.offer_to_save(update, context, answer, saved)


async def saved_ccps(update: Update, context: Context) -> tuple[tuple[int, date], ...]:
    """(number, date) of the CCPs the user saved, in a private chat only (personal data)."""
    user = update.effective_user
    if user is None or not deeplinks.is_private(update):
        return ()
    return tuple(sorted((await context.services.store.declarations(user.id)).items()))


def last_part(question: str) -> str | None:
    """The end of a long message up to its last question, within `LAST_PART_CHARS`: a story
    told first ends with what it asks (what-candidates-ask.md)."""
    parts = sentences(question)
    asked = [i for i, part in enumerate(parts) if "?" in part]
    if not asked:
        return None
    kept: list[str] = []
    size = 0
    for part in reversed(parts[: asked[-1] + 1]):
        size += len(part) + 1
        if size > LAST_PART_CHARS + 1:
            break
        kept.insert(0, part)
    return " ".join(kept) or None


async def _answer_long(update: Update, context: Context, question: str) -> None:
    """5,000 characters are not one question: answer the question that ends it, or else the
    first one, if it is clear; else offer the topics the ending question may mean; otherwise
    ask for one."""
    services = context.services
    head, tail = first_part(question), last_part(question)
    lang = await question_lang(update, context, tail or head or question[:FIRST_PART_CHARS])
    unsure: tuple[str, Answer] | None = None
    for part, key in ((tail, "ask.long_last_part"), (head, "ask.long_first_part")):
        if part is None:
            continue
        answer = services.engine.ask(part, today=services.today(), lang=lang)
        topic = services.titre.topic(answer.topic) if answer.topic else None
        # « Bonjour ! » opening a story is no question of it: greeted back, the story is lost
        if answer.status == "answer" and (topic is None or topic.kind != "smalltalk"):
            await _send_part(update, context, len(question), part, answer, key)
            return
        if answer.status == "clarify" and answer.suggestions and unsure is None:
            unsure = (part, answer)
    if unsure is not None:  # the topics it may mean say more than the menu
        await _send_part(update, context, len(question), *unsure, "ask.long_unsure")
        return
    services.store.log_question(
        topic=None, status="fallback", text=question[:LOGGED_CHARS], now=services.now(),
        user_id=author_of(update),
    )
    text = services.catalogue.t("ask.too_long", lang, count=count_text(len(question), lang))
    await reply(update, context, text, render.menu_markup(services.catalogue, lang))


async def _send_part(
    update: Update, context: Context, size: int, part: str, answer: Answer, key: str
) -> None:
    """The reply to one part of a long message, prefaced by what was read of it."""
    log_answer(context, answer, part, author_of(update))
    count = count_text(size, answer.lang)
    preface = context.services.catalogue.t(key, answer.lang, count=count)
    await render.send_answer(update, context, answer, preface=preface)


def addressed_text(message: Message, context: Context) -> str | None:
    """In a group: the text without the @mention if the bot is mentioned or replied to."""
    bot = context.bot
    text = message.text or ""
    mentioned = False
    for entity, value in message.parse_entities(
        [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
    ).items():
        if entity.type == MessageEntity.MENTION and value.lower() == f"@{bot.username}".lower():
            mentioned = True
            text = text.replace(value, " ")
        elif entity.user is not None and entity.user.id == bot.id:
            mentioned = True
    replied = message.reply_to_message
    author = replied.from_user if replied is not None else None
    to_bot = author is not None and author.id == bot.id
    return " ".join(text.split()) if mentioned or to_bot else None


async def on_text(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None or message.text is None:
        return
    if message.via_bot is not None and message.via_bot.id == context.bot.id:
        return  # one of our own inline answers, posted by the user: not a question
    if deeplinks.is_private(update):
        await answer_question(update, context, message.text)
        return
    text = addressed_text(message, context)
    if text is not None:
        await answer_question(update, context, text)


async def on_topic(update: Update, context: Context) -> None:
    """topic:<id> → that topic's answer, as a new message (the old one stays readable)."""
    query = update.callback_query
    if query is None:
        return
    services = context.services
    topic_id = (query.data or "").split(":", 1)[-1]
    if services.titre.topic(topic_id) is None:
        await stale.stale_button(update, context)
        return
    await ack(query)
    answer = services.engine.topic_answer(
        topic_id, today=services.today(), lang=await user_lang(update, context)
    )
    await render.send_answer(update, context, answer)


async def on_none(update: Update, context: Context) -> None:
    """"Aucune de ces réponses": counted for the operators, and a kind way on."""
    query = update.callback_query
    if query is None:
        return
    if (query.data or "") != f"{ASK}:{NONE}":
        await stale.stale_button(update, context)
        return
    services = context.services
    await ack(query)
    services.store.log_question(topic=None, status="none", text=None, now=services.now())
    lang = await user_lang(update, context)
    await reply(update, context, services.catalogue.t("ask.none", lang),
                render.menu_markup(services.catalogue, lang))


def handlers() -> list[BaseHandler[Update, Context, Any]]:
    return [
        *save_offer.handlers(),
        MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, on_text),
        CallbackQueryHandler(on_topic, pattern=rf"^{TOPIC}:"),
        CallbackQueryHandler(on_none, pattern=rf"^{ASK}:"),
    ]
