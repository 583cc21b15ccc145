"""/parcours: "où en êtes-vous ?", one question with buttons, leading to the path that fits.

Stateless on purpose: each button carries its choice, so the questionnaire survives a
restart and a button pressed twice shows the same screen. "J'ai déjà un ou plusieurs CCP"
from someone who saved CCPs shows their own deadline (the one deadline service), not the
generic text.
"""

from __future__ import annotations

from typing import Any, Final

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from conversations import deeplinks, my_ccps, render, stale
from conversations.common import callback, keyboard, show, user_lang
from conversations.services import Context
from knowledge.answer import Suggestion
from knowledge.deadline import explain_for
from knowledge.model import Lang, Titre

PREFIX: Final = deeplinks.PATHWAY
QUESTION: Final = "q"
ANSWER: Final = "a"

# choice → the topic that answers it, in the order the buttons are shown.
CHOICES: Final = (
    ("formation", deeplinks.FORMATION),
    ("experience", deeplinks.VAE),
    ("ccp", deeplinks.CAPITALISATION),
    ("titulaire", deeplinks.CCS),
    ("unsure", deeplinks.PARCOURS),
)


def _question_screen(context: Context, lang: Lang) -> tuple[str, render.Rows]:
    catalogue = context.services.catalogue
    rows: render.Rows = [
        [(catalogue.t(f"pathway.choice.{choice}", lang), callback(PREFIX, ANSWER, choice))]
        for choice, _ in CHOICES
    ]
    rows.append([render.menu_button(catalogue, lang)])
    return catalogue.t("pathway.question", lang), rows


async def _answer_screen(
    context: Context, lang: Lang, choice: str, topic_id: str, uid: int | None
) -> tuple[str, render.Rows]:
    services = context.services
    catalogue = services.catalogue
    answer = services.engine.topic_answer(topic_id, today=services.today(), lang=lang)
    intro = catalogue.t(f"pathway.result.{choice}", lang)
    declared = await services.store.declarations(uid) if choice == "ccp" and uid is not None else {}
    deadline = my_ccps.deadline_for(services, declared)
    if deadline is not None:
        explain = explain_for(services.titre, deadline, lang, services.today())
        text = f"{intro}\n\n" + catalogue.t("pathway.your_deadline", lang, explain=explain)
        rows: render.Rows = [
            [(catalogue.t("pathway.my_ccps", lang), callback(my_ccps.PREFIX, my_ccps.SHOW))],
            render.topic_row(catalogue, lang, suggestion_for(services.titre, topic_id, lang)),
        ]
    else:
        text = f"{intro}\n\n{render.answer_html(answer, catalogue, services.titre)}"
        rows = [
            render.topic_row(catalogue, lang, s) for s in answer.related if s.topic != topic_id
        ][:4]
        if choice == "ccp":
            rows.append([(catalogue.t("render.compute_deadline", lang),
                          callback(deeplinks.DEADLINE, "start"))])
        if more := render.more_row(answer, catalogue):  # the buttons the text announces
            rows.append(more)
    rows.append([(catalogue.t("pathway.back", lang), callback(PREFIX, QUESTION)),
                 render.menu_button(catalogue, lang)])
    return text, rows


def suggestion_for(titre: Titre, topic_id: str, lang: Lang) -> Suggestion:
    topic = titre.topic(topic_id)
    return Suggestion(topic_id, topic.title.get(lang) if topic is not None else topic_id)


async def send_question(update: Update, context: Context) -> None:
    text, rows = _question_screen(context, await user_lang(update, context))
    await show(update, context, text, keyboard(rows))


async def pathway_command(update: Update, context: Context) -> None:
    await send_question(update, context)


async def on_button(update: Update, context: Context) -> None:
    """path:q (the question again), path:a:<choice>; anything else → stale."""
    query = update.callback_query
    if query is None:
        return
    lang = await user_lang(update, context)
    parts = (query.data or "").split(":")[1:]
    if parts == [QUESTION]:
        await send_question(update, context)
        return
    topics = dict(CHOICES)
    if len(parts) == 2 and parts[0] == ANSWER and parts[1] in topics:
        user = update.effective_user
        uid = user.id if user is not None and deeplinks.is_private(update) else None
        text, rows = await _answer_screen(context, lang, parts[1], topics[parts[1]], uid)
        await show(update, context, text, keyboard(rows))
        return
    await stale.stale_button(update, context)


def handlers() -> list[BaseHandler[Update, Context, Any]]:
    return [
        CommandHandler("parcours", pathway_command, filters=filters.UpdateType.MESSAGE),
        CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:"),
    ]
