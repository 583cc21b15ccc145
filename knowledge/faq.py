"""The knowledge base as one document (`python -m bot faq --format md|json`).

Built through the engine so that the FAQ shows exactly what the bot would answer: CCP
contents built from the data, later changes of the law appended.
"""

from __future__ import annotations

import json
from typing import Literal

from knowledge.answer import full_answer
from knowledge.engine import Engine
from knowledge.model import Lang, Titre, Topic
from knowledge.phrases import Phrases
from knowledge.training import examples

Format = Literal["md", "json"]


def faq(titre: Titre, fmt: Format, lang: Lang = "fr", phrases: Phrases | None = None) -> str:
    """Markdown (headings per topic) or JSON (list of {topic, title, questions, answer})."""
    engine = Engine(titre, phrases)
    p = engine.phrases
    # JSON holds every topic the engine learns (outside checks train baselines on it);
    # the document leaves small talk out.
    topics = [t for t in titre.topics if fmt == "json" or t.kind != "smalltalk"]
    answers = [full_answer(engine.topic_text(t, lang), titre, t, lang, p) for t in topics]
    if fmt == "json":
        entries = [
            {"topic": t.id, "title": t.title.get(lang), "questions": examples(titre, t),
             "answer": answer}
            for t, answer in zip(topics, answers, strict=True)
        ]
        return json.dumps(entries, ensure_ascii=False, indent=2)
    if fmt != "md":
        raise ValueError(f"unknown format {fmt!r}: md or json")
    return _markdown(titre, topics, answers, lang, p)


def _markdown(
    titre: Titre, topics: list[Topic], answers: list[str], lang: Lang, p: Phrases
) -> str:
    ident = titre.identity
    out = [f"# {ident.short_name} — {ident.name}", "", p.get("faq.intro", lang, code=ident.code)]
    out.append("")
    asked = f"*{p.get('faq.asked', lang)}*"
    silent = p.get("faq.silent", lang)
    for topic, answer in zip(topics, answers, strict=True):
        out += [f"## {topic.title.get(lang)}", ""]
        if topic.questions:
            quoted = (p.get("faq.quoted", lang, question=q) for q in topic.questions[:4])
            out += [f"{asked} {' · '.join(quoted)}", ""]
        out += [answer, ""]
        if topic.kind == "silent":
            out += [f"_{silent}_", ""]
        elif topic.source:
            out += [f"_{p.get('faq.source', lang, source=topic.source)}_", ""]
    return "\n".join(out).rstrip() + "\n"
