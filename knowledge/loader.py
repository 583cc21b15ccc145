"""Read a référentiel YAML file into the frozen objects of `model.py`, validating it once.

The file is read by `knowledge.yamlfile` (led by the model's type hints, every problem with its
line); here the titre's own rules: the phrasings file beside it, then the checks that need the
whole référentiel at once (`consistency.cross_check`). Nothing here knows about one titre.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from knowledge.consistency import cross_check
from knowledge.model import Titre
from knowledge.problems import KnowledgeError, Problem
from knowledge.yamlfile import TOP, Builder, build_file, compose_file

__all__ = ["KnowledgeError", "default_titre_path", "load_titre", "questions_path", "read_titre"]

# Set by the loader, never read from the titre file: its path, and the near misses of the
# questions file beside it.
_FILLED = frozenset({"path", "out_of_scope"})


def default_titre_path() -> Path:
    """The référentiel shipped with the bot."""
    return Path(__file__).resolve().parent / "data" / "tsgri.yaml"


def load_titre(path: str | Path) -> Titre:
    """Load and validate one référentiel file; raise `KnowledgeError` listing all problems."""
    titre, problems = read_titre(path)
    if problems or titre is None:
        raise KnowledgeError(problems)
    return titre


def read_titre(path: str | Path) -> tuple[Titre | None, list[Problem]]:
    """Like `load_titre`, but return the problems instead of raising (used by `check`).

    The example phrasings of `<name>.questions.yaml` beside the file, when there is one, are
    added to its topics (and its near misses to `out_of_scope`): the titre's facts and the
    many ways people ask about them are kept apart, both checked here.
    """
    name = str(path)
    root, problems = compose_file(path)
    if root is None:
        return None, problems
    builder = Builder(name, _FILLED)
    value = builder.build(Titre, root, TOP)
    titre = None
    extra: list[Problem] = []
    if isinstance(value, Titre):
        titre = dataclasses.replace(value, path=name)
        # `replace` builds a new object: carry the recorded lines over to it
        builder.alias(value, titre)
        titre, extra = _with_questions(titre, questions_path(path), builder)
        builder.problems.extend(cross_check(titre, builder))
    problems = sorted(builder.problems, key=lambda p: p.line) + extra
    return (titre if not problems else None), problems


def questions_path(titre_path: str | Path) -> Path:
    """`tsgri.yaml` -> `tsgri.questions.yaml`, beside it."""
    p = Path(titre_path)
    return p.with_name(f"{p.stem}.questions.yaml")


@dataclasses.dataclass(frozen=True, slots=True)
class QuestionsFile:
    """`<titre>.questions.yaml`: more phrasings per topic id, and near misses to refuse."""

    topics: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    out_of_scope: tuple[str, ...] = ()


def _with_questions(
    titre: Titre, path: Path, where: Builder
) -> tuple[Titre, list[Problem]]:
    if not path.exists():
        return titre, []
    found, problems = build_file(QuestionsFile, path)
    if not isinstance(found, QuestionsFile):
        return titre, problems
    known = {t.id for t in titre.topics}
    for topic_id in found.topics:
        if topic_id not in known:
            problems.append(Problem(str(path), 1, f"unknown topic id {topic_id!r}"))
    topics = []
    for topic in titre.topics:
        more = [q for q in found.topics.get(topic.id, ()) if q not in topic.questions]
        new = dataclasses.replace(topic, questions=(*topic.questions, *dict.fromkeys(more)))
        where.alias(topic, new)
        topics.append(new)
    merged = dataclasses.replace(
        titre, topics=tuple(topics), out_of_scope=tuple(dict.fromkeys(found.out_of_scope)),
        _topic_index={},
    )
    where.alias(titre, merged)
    return merged, problems
