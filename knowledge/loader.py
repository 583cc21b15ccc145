"""Read a référentiel YAML file into the frozen objects of `model.py`, validating it once.

The file is read by `knowledge.yamlfile` (led by the model's type hints, every problem with its
line); here the titre's own rules: the phrasings file beside it (read from a JSON cache when the
cache matches its bytes: `read_questions`), then the checks that need the whole référentiel at
once (`consistency.cross_check`, run at every load). Nothing here knows about one titre.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path

from knowledge import yamlfile
from knowledge.consistency import cross_check
from knowledge.model import Titre
from knowledge.problems import KnowledgeError, Problem
from knowledge.yamlfile import TOP, Builder, build_file, compose_file

__all__ = [
    "KnowledgeError", "cache_path", "default_titre_path", "load_titre", "questions_path",
    "read_questions", "read_titre",
]

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
    found, problems = read_questions(path)
    if found is None:
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


def read_questions(path: Path) -> tuple[QuestionsFile | None, list[Problem]]:
    """The questions file, read from its cache when the cache was written from the same bytes
    by the same reader: parsing 2.4 MB of YAML took 0.1–0.2 s of a 1 s start-up, reading the
    cache 0.03–0.07 s (measured here). A file read without a problem is cached beside it
    (`cache_path`) when the folder can be written; a file with problems is read, and reported,
    every time."""
    cache = cache_path(path)
    try:
        key = _cache_key(path)
    except OSError:
        key = ""  # `build_file` says why the file cannot be read
    cached = _from_cache(cache, key) if key else None
    if cached is not None:
        return cached, []
    found, problems = build_file(QuestionsFile, path)
    if key and isinstance(found, QuestionsFile) and not problems:
        _to_cache(cache, key, found)
    return (found if isinstance(found, QuestionsFile) else None), problems


def cache_path(questions: Path) -> Path:
    """`tsgri.questions.yaml` -> `tsgri.questions.cache.json`, beside it (never committed)."""
    return questions.with_name(questions.name.removesuffix(".yaml") + ".cache.json")


def _cache_key(path: Path) -> str:
    """The file's bytes and the code that reads them: an edit of either makes the cache stale."""
    digest = hashlib.sha256(path.read_bytes())
    for reader in (__file__, yamlfile.__file__):
        digest.update(Path(reader).read_bytes())
    return digest.hexdigest()


def _from_cache(cache: Path, key: str) -> QuestionsFile | None:
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    topics, out = data.get("topics"), data.get("out_of_scope")
    if not (isinstance(topics, dict) and isinstance(out, list) and _texts(out)
            and all(isinstance(q, list) and _texts(q) for q in topics.values())):  # fmt: skip
        return None  # not written by `_to_cache`: read the file itself
    return QuestionsFile({k: tuple(q) for k, q in topics.items()}, tuple(out))


def _texts(items: list[object]) -> bool:
    return all(isinstance(item, str) for item in items)


def _to_cache(cache: Path, key: str, found: QuestionsFile) -> None:
    """Written whole or not at all (another process may be reading it, or writing it too)."""
    data = {"key": key, "topics": found.topics, "out_of_scope": found.out_of_scope}
    part = cache.with_name(f"{cache.name}.{os.getpid()}.part")
    try:
        part.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(part, cache)
    except OSError:  # a folder that cannot be written: the file is parsed at each start
        part.unlink(missing_ok=True)
