"""Inline mode: `@bot vae` in any chat offers up to five answers to share as articles.

What lands in someone else's chat is as short as a chat message (the title and the answer's
first lines, at most `SHARED_CHARS`), with a button that opens the bot on the topic for the rest.
"""

from __future__ import annotations

from typing import Any, Final

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, InlineQueryHandler

from conversations import deeplinks, render
from conversations.common import question_lang, split_message, user_lang
from conversations.limits import cut, shorten
from conversations.services import Context
from knowledge.answer import Answer, brief
from knowledge.model import Lang
from knowledge.phrases import default_phrases

MAX_RESULTS: Final = 5
MAX_QUERY_CHARS: Final = 200
DESCRIPTION_CHARS: Final = 100
SHARED_CHARS: Final = 400  # the shared answer: a chat message, not a page
CACHE_SECONDS: Final = 60
EMPTY_QUERY_TOPICS: Final = deeplinks.MAIN_TOPICS[:MAX_RESULTS]


def _article(context: Context, answer: Answer, index: int) -> InlineQueryResultArticle:
    services = context.services
    catalogue = services.catalogue
    lang = answer.lang
    short = shared_text(answer)
    shown = Answer(question=answer.question, status=answer.status, topic=answer.topic,
                   confidence=answer.confidence, text=short, lang=lang)  # fmt: skip
    body = split_message(render.answer_html(shown, catalogue, services.titre))[0]
    title = render.topic_title(services.titre, answer.topic, lang) or cut(answer.text, 60)
    description = shorten(" ".join(short.split()), DESCRIPTION_CHARS)
    markup = None
    username = context.bot.username
    if username:
        url = deeplinks.link(username, answer.topic) if answer.topic else deeplinks.link(username)
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(catalogue.t("inline.open_bot", lang), url=url)]]
        )
    return InlineQueryResultArticle(
        id=f"{index}-{answer.topic or 'none'}"[:64],
        title=title,
        description=description,
        input_message_content=InputTextMessageContent(body, parse_mode=ParseMode.HTML),
        reply_markup=markup,
    )


def shared_text(answer: Answer) -> str:
    """The answer's first lines, within `SHARED_CHARS`: no line about what changed and no
    mention of buttons that the chat it is shared into does not have."""
    phrases = default_phrases()
    note = phrases.get("more.details", answer.lang)
    blocks = answer.text.split("\n\n")
    first, lead = blocks[0], ""
    original = phrases.get("evolution.original", answer.lang)
    if len(blocks) > 1 and blocks[1].startswith(original):  # the rule in force, then the text
        first, lead = blocks[1], f"{blocks[0]}\n\n"
    lines = [line for line in first.split("\n") if line != note]
    kept, rest = brief("\n".join(lines), SHARED_CHARS)
    return lead + (kept + " …" if rest else kept)


def _answers(context: Context, query: str, lang: Lang) -> list[Answer]:
    services = context.services
    today = services.today()
    if not query:
        return [services.engine.topic_answer(t, today=today, lang=lang) for t in EMPTY_QUERY_TOPICS
                if services.titre.topic(t) is not None]
    found = services.engine.search(query, today=today, lang=lang, limit=MAX_RESULTS)
    return [a for a in found if a.status == "answer"][:MAX_RESULTS]


async def on_inline_query(update: Update, context: Context) -> None:
    inline_query = update.inline_query
    if inline_query is None:
        return
    query = cut(" ".join(inline_query.query.split()), MAX_QUERY_CHARS)
    if query:
        lang = await question_lang(update, context, query)
    else:
        lang = await user_lang(update, context)
    answers = _answers(context, query, lang)
    results = [_article(context, answer, i) for i, answer in enumerate(answers)]
    button = InlineQueryResultsButton(
        text=context.services.catalogue.t("inline.ask_bot", lang), start_parameter=deeplinks.AIDE
    )
    await inline_query.answer(results, cache_time=CACHE_SECONDS, is_personal=True, button=button)


def handlers() -> list[BaseHandler[Update, Context, Any]]:
    return [InlineQueryHandler(on_inline_query)]
