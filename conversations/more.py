"""The buttons under a short answer: "📜 Ce qui a changé" (every later change in full, with
its date and sources) and "➕ Détails" (what the short answer left out: the rest of the
référentiel's text, the links). Each sends a new message; the short answer stays readable.

Callback data: `more:changes:<topic>`, `more:details:<topic>`; `more:details:<topic>:all` is
the topic's whole text, in order (under an answer cut around its question, which skipped lines
to show the one asked about); `more:details:last` is the details of the last dated answer in
this chat (a deadline computed from a date the user typed), kept in chat_data, else those of
the deadline topic.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from conversations import render, stale
from conversations.common import ack, keyboard, reply, user_lang
from conversations.services import Context


async def on_more(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None:
        return
    services = context.services
    parts = (query.data or "").split(":")
    whole = len(parts) == 4 and parts[1] == render.DETAILS and parts[3] == render.ALL
    if not (len(parts) == 3 or whole) or parts[1] not in (render.CHANGES, render.DETAILS):
        await stale.stale_button(update, context)
        return
    kind, which = parts[1], parts[2]
    titre = services.titre
    topic = titre.by_role("deadline") if which == render.LAST else titre.topic(which)
    if topic is None:
        await stale.stale_button(update, context)
        return
    await ack(query)
    lang = await user_lang(update, context)
    answer = services.engine.topic_answer(topic.id, today=services.today(), lang=lang)
    title = render.escape(topic.title.get(lang))
    if kind == render.CHANGES:
        heading = services.catalogue.t("render.changes_title", lang, title=title)
        body = "\n\n".join(render.escape(line) for line in answer.changes)
    else:
        heading = services.catalogue.t("render.details_title", lang, title=title)
        saved = context.chat_data.get(render.LAST_DETAILS) if context.chat_data else None
        details = saved if which == render.LAST and isinstance(saved, str) else answer.details
        if whole:
            details = services.engine.topic_text(topic, lang)
        body = render.escape(details)
    if not body:
        await stale.stale_button(update, context)
        return
    await reply(update, context, f"{heading}\n\n{body}",
                keyboard([[render.menu_button(services.catalogue, lang)]]))  # fmt: skip


def handlers() -> list[BaseHandler[Update, Context, Any]]:
    return [CallbackQueryHandler(on_more, pattern=rf"^{render.MORE}:")]
