"""An engine `Answer` as the HTML a person reads, with the buttons that make sense after it.

Everything that comes from the engine or the YAML is escaped here, once; templates come from
the catalogue. Also holds the shared menu and the edit-or-send helper used by button dialogues.
"""

from __future__ import annotations

import html
import logging

from telegram import InlineKeyboardMarkup, Update

from conversations import deeplinks
from conversations.common import callback, keyboard, reply, short_date
from conversations.i18n import Catalogue
from conversations.services import Context
from knowledge.answer import Answer, Suggestion
from knowledge.model import Lang, Titre

log = logging.getLogger(__name__)

MAX_LABEL_CHARS = 40
MORE = "more"  # more.py: more:changes:<topic>, more:details:<topic>[:all], more:details:last
CHANGES = "changes"
DETAILS = "details"
ALL = "all"  # more:details:<topic>:all — the whole text (an answer cut around its question)
LAST = "last"  # the details of the last dated answer in this chat (kept in chat_data)
LAST_DETAILS = "more.last_details"
CCP_TOPICS = frozenset({deeplinks.CCP1, deeplinks.CCP2, deeplinks.CCP3})
Rows = list[list[tuple[str, str]]]


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def topic_title(titre: Titre, topic_id: str | None, lang: Lang) -> str | None:
    topic = titre.topic(topic_id) if topic_id else None
    return topic.title.get(lang) if topic is not None else None


def answer_html(answer: Answer, catalogue: Catalogue, titre: Titre) -> str:
    """Title in bold (for a real answer), the escaped text, then its source in italics."""
    lang = answer.lang
    parts: list[str] = []
    topic = titre.topic(answer.topic) if answer.topic and answer.status == "answer" else None
    title = topic.title.get(lang) if topic is not None and topic.kind != "smalltalk" else None
    text = answer.text.strip()
    if title and not text.startswith(title):
        parts.append(f"<b>{escape(title)}</b>")
    paragraphs = text.split("\n\n")
    # What changed since (the last paragraph when there are changes) in italics: a later fact
    # beside the référentiel, not the référentiel itself.
    changed = len(paragraphs) - 1 if answer.changes and len(paragraphs) > 1 else -1
    parts.extend(f"<i>{escape(p)}</i>" if i == changed else escape(p)
                 for i, p in enumerate(paragraphs))  # fmt: skip
    if answer.status == "answer" and answer.source:
        parts.append(catalogue.t("render.source", lang, source=answer.source))
    return "\n\n".join(p for p in parts if p)


def more_row(answer: Answer, catalogue: Catalogue) -> list[tuple[str, str]]:
    """"Ce qui a changé" and "Détails" side by side, when the answer has them."""
    topic = answer.topic
    if topic is None or answer.status != "answer":
        return []
    row = []
    if answer.changes:
        row.append((catalogue.t("render.changes", answer.lang), callback(MORE, CHANGES, topic)))
    if answer.details:
        which = LAST if answer.deadline is not None else topic  # a dated answer's own details
        # cut around its question, the answer skipped a few lines: the whole text, in order
        extra = (ALL,) if answer.focused and answer.deadline is None else ()
        row.append((catalogue.t("render.details", answer.lang),
                    callback(MORE, DETAILS, which, *extra)))  # fmt: skip
    return row


def label(catalogue: Catalogue, lang: Lang, topic_id: str, title: str) -> str:
    """Short button labels: "Voir le CCP 3", "Quel délai ?", else the topic title, shortened."""
    if topic_id in CCP_TOPICS:
        return catalogue.t("render.see_ccp", lang, number=topic_id[-1])
    if topic_id == deeplinks.DELAI:
        return catalogue.t("render.which_deadline", lang)
    return shorten_words(title, MAX_LABEL_CHARS)


def shorten_words(text: str, limit: int) -> str:
    """`text` in at most `limit` characters, cut between words (never inside one), "…" at the
    end: "Le parcours discontinu : capitaliser…", not "… capitaliser le…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" :;,.-–—(") + "…"


def topic_row(catalogue: Catalogue, lang: Lang, suggestion: Suggestion) -> list[tuple[str, str]]:
    return [
        (
            label(catalogue, lang, suggestion.topic, suggestion.title),
            callback(deeplinks.TOPIC, suggestion.topic),
        )
    ]


def menu_rows(catalogue: Catalogue, lang: Lang) -> Rows:
    """The main menu: the CCPs, the ways to get the titre, my deadline, ask a question."""
    t = catalogue.t
    return [
        [(t("render.menu.ccps", lang), callback(deeplinks.BROWSE, "list"))],
        [(t("render.menu.ways", lang), callback(deeplinks.TOPIC, deeplinks.PARCOURS))],
        [(t("render.menu.pathway", lang), callback(deeplinks.PATHWAY, "q"))],
        [(t("render.menu.deadline", lang), callback(deeplinks.DEADLINE, "start"))],
        [(t("render.menu.ask", lang), callback(deeplinks.MENU, "ask"))],
    ]


def menu_markup(catalogue: Catalogue, lang: Lang) -> InlineKeyboardMarkup:
    return keyboard(menu_rows(catalogue, lang))


def menu_button(catalogue: Catalogue, lang: Lang) -> tuple[str, str]:
    return (catalogue.t("render.menu.back", lang), callback(deeplinks.MENU, "show"))


def answer_rows(answer: Answer, catalogue: Catalogue) -> Rows:
    """Follow-ups: related topics (answer), suggestions + "none of these" (clarify), menu."""
    lang = answer.lang
    rows: Rows = []
    dated = dated_rows(answer, catalogue)
    if answer.status == "clarify":
        rows.extend(topic_row(catalogue, lang, s) for s in answer.suggestions)
        rows.append([(catalogue.t("render.none_of_these", lang), callback(deeplinks.ASK, "none"))])
        return [*rows, *dated]
    if answer.status == "fallback":  # the close topic, if any, above the menu
        return [*(topic_row(catalogue, lang, s) for s in answer.suggestions), *dated,
                *menu_rows(catalogue, lang)]  # fmt: skip
    related = [s for s in answer.related if s.topic != answer.topic]
    is_ccp = answer.topic in CCP_TOPICS
    if is_ccp and all(s.topic != deeplinks.DELAI for s in related):
        # After a CCP, the next thing people ask is how long they have to get the others.
        related.append(Suggestion(deeplinks.DELAI, catalogue.t("render.which_deadline", lang)))
    ccps = [s for s in related if s.topic in CCP_TOPICS]
    if ccps:  # "Voir le CCP 1" | "Voir le CCP 3" side by side
        rows.append([topic_row(catalogue, lang, s)[0] for s in ccps])
    rows.extend(topic_row(catalogue, lang, s) for s in related if s.topic not in CCP_TOPICS)
    more = more_row(answer, catalogue)  # after the follow-ups: "Ce qui a changé", "Détails"
    if more:
        rows.append(more)
    if dated:
        rows.extend(dated)
    elif answer.topic in (deeplinks.DELAI, deeplinks.CAPITALISATION) or answer.deadline is not None:
        rows.append([(catalogue.t("render.compute_deadline", lang),
                      callback(deeplinks.DEADLINE, "start"))])
    if is_ccp and answer.topic is not None:
        rows.append([(catalogue.t("render.competences", lang),
                      callback(deeplinks.BROWSE, "open", answer.topic[-1]))])
    rows.append([menu_button(catalogue, lang)])
    return rows


def dated_rows(answer: Answer, catalogue: Catalogue) -> Rows:
    """"📅 Délai (CCP du 22/11/2012)" when the message gave a CCP's day and the answer is
    about something else: the button carries the day (deadline_calc.py computes it)."""
    if answer.dated is None or answer.deadline is not None:
        return []
    text = catalogue.t("render.deadline_from", answer.lang,
                       date=short_date(answer.dated, answer.lang))  # fmt: skip
    return [[(text, callback(deeplinks.DEADLINE, deeplinks.DEADLINE_FROM,
                             f"{answer.dated:%Y%m%d}"))]]  # fmt: skip


def answer_markup(answer: Answer, catalogue: Catalogue) -> InlineKeyboardMarkup:
    return keyboard(answer_rows(answer, catalogue))


async def send_answer(
    update: Update, context: Context, answer: Answer, *, preface: str | None = None
) -> None:
    services = context.services
    body = answer_html(answer, services.catalogue, services.titre)
    if answer.deadline is not None and answer.details and context.chat_data is not None:
        context.chat_data[LAST_DETAILS] = answer.details  # for its "Détails" button
    if preface:
        body = f"{preface}\n\n{body}"
    await reply(update, context, body, answer_markup(answer, services.catalogue))


