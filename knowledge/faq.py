"""The knowledge base as one document (`python -m bot faq --format md|json`).

Built through the engine so that the FAQ shows exactly what the bot would answer: CCP
contents built from the data, later changes of the law appended. Small talk is left out.
"""

from __future__ import annotations

import json
from typing import Literal

from knowledge.answer import with_evolutions
from knowledge.engine import Engine
from knowledge.model import Lang, Titre, Topic

Format = Literal["md", "json"]


def faq(titre: Titre, fmt: Format, lang: Lang = "fr") -> str:
    """Markdown (headings per topic) or JSON (list of {topic, title, questions, answer})."""
    engine = Engine(titre)
    topics = [t for t in titre.topics if t.kind != "smalltalk"]
    entries = [
        {
            "topic": t.id,
            "title": t.title.get(lang),
            "questions": list(t.questions),
            "answer": with_evolutions(engine.topic_text(t, lang), titre, t, lang),
        }
        for t in topics
    ]
    if fmt == "json":
        return json.dumps(entries, ensure_ascii=False, indent=2)
    if fmt != "md":
        raise ValueError(f"unknown format {fmt!r}: md or json")
    return _markdown(titre, topics, entries, lang)


def _markdown(
    titre: Titre, topics: list[Topic], entries: list[dict[str, object]], lang: Lang
) -> str:
    ident = titre.identity
    head = "Questions fréquentes" if lang == "fr" else "Frequently asked questions"
    out = [f"# {ident.short_name} — {ident.name}", "", f"{head} ({ident.code}).", ""]
    asked = "Questions posées" if lang == "fr" else "Asked as"
    source = "Source" if lang == "fr" else "Source"
    silent = (
        "Le référentiel ne le dit pas." if lang == "fr" else "The référentiel does not say."
    )
    for topic, entry in zip(topics, entries, strict=True):
        out += [f"## {entry['title']}", ""]
        if topic.questions:
            shown = " · ".join(f"« {q} »" if lang == "fr" else f'"{q}"' for q in topic.questions[:4])
            out += [f"*{asked} :* {shown}" if lang == "fr" else f"*{asked}:* {shown}", ""]
        out += [str(entry["answer"]), ""]
        if topic.kind == "silent":
            out += [f"_{silent}_", ""]
        elif topic.source:
            sep = " :" if lang == "fr" else ":"
            out += [f"_{source}{sep} {topic.source}_", ""]
    return "\n".join(out).rstrip() + "\n"
