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
    answers = [with_evolutions(engine.topic_text(t, lang), titre, t, lang) for t in topics]
    if fmt == "json":
        entries = [
            {"topic": t.id, "title": t.title.get(lang), "questions": list(t.questions),
             "answer": answer}
            for t, answer in zip(topics, answers, strict=True)
        ]
        return json.dumps(entries, ensure_ascii=False, indent=2)
    if fmt != "md":
        raise ValueError(f"unknown format {fmt!r}: md or json")
    return _markdown(titre, topics, answers, lang)


def _markdown(titre: Titre, topics: list[Topic], answers: list[str], lang: Lang) -> str:
    ident = titre.identity
    fr = lang == "fr"
    head = "Questions fréquentes" if fr else "Frequently asked questions"
    out = [f"# {ident.short_name} — {ident.name}", "", f"{head} ({ident.code}).", ""]
    asked = "*Questions posées :*" if fr else "*Asked as:*"
    silent = "Le référentiel ne le dit pas." if fr else "The référentiel does not say."
    for topic, answer in zip(topics, answers, strict=True):
        out += [f"## {topic.title.get(lang)}", ""]
        if topic.questions:
            quoted = (f"« {q} »" if fr else f'"{q}"' for q in topic.questions[:4])
            out += [f"{asked} {' · '.join(quoted)}", ""]
        out += [answer, ""]
        if topic.kind == "silent":
            out += [f"_{silent}_", ""]
        elif topic.source:
            out += [f"_Source{' :' if fr else ':'} {topic.source}_", ""]
    return "\n".join(out).rstrip() + "\n"
