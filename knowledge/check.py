"""`check_files`: every knowledge file checked as what its name says, for `python -m bot check`.

It prints `check_files(...)` one problem a line. Each file is read by its own reader (the
référentiel by the loader, which runs `consistency.cross_check`; the phrases, the language data,
the policy), so the bot refuses to start with exactly the messages `check` shows; beyond the
readers, a calibration set must name known topics and the shipped model must match its data.
The top of the knowledge core: it imports the readers, nothing imports it but the CLI.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml

from knowledge.evaluation import load_set
from knowledge.language import load_vocabulary, read_language
from knowledge.loader import default_titre_path, read_titre
from knowledge.model import Titre
from knowledge.phrases import read_phrases
from knowledge.policy import read_policy
from knowledge.problems import Problem
from knowledge.ranker import Ranker
from knowledge.text import Normalizer
from knowledge.training import data_fingerprint, model_path

__all__ = ["PHRASES_FILE", "check_files"]

PHRASES_FILE = "phrases.yaml"  # beside the référentiels: the knowledge core's own sentences


def check_files(paths: Sequence[str | Path] = ()) -> list[Problem]:
    """Every problem in the given files (the shipped files when none is given), each read as
    what its name says: `phrases.yaml` the phrase catalogue, `lang/*.yaml` language data,
    `*.policy.yaml` a decision policy, `*.questions.yaml` (with the titre beside it) phrasings,
    any other a référentiel — whose trained model must match its data."""
    if not paths:
        folder = default_titre_path().parent
        paths = sorted([*folder.glob("*.yaml"), *folder.glob("lang/*.yaml")])
    problems: list[Problem] = []
    for path in paths:
        problems.extend(_check_one(Path(path)))
    return problems


def _check_one(path: Path) -> list[Problem]:
    name = path.name
    if name == PHRASES_FILE:
        return read_phrases(path)[1]
    if path.parent.name == "lang":
        return read_language(path)[1]
    if name.endswith(".policy.yaml"):
        return read_policy(path)[1]
    if name.endswith(".calibration.yaml"):
        return _check_calibration(path)
    if name.endswith(".questions.yaml"):
        titre = path.with_name(name.removesuffix(".questions.yaml") + ".yaml")
        return read_titre(titre)[1] if titre.exists() else []
    titre_found, problems = read_titre(path)
    if titre_found is not None and not problems:
        problems = _check_model(titre_found)
    return problems


def _check_calibration(path: Path) -> list[Problem]:
    """A calibration set names topics the titre beside it has (`tsgri.calibration.yaml`,
    `tsgri.<part>.calibration.yaml`: `tsgri.yaml`), and its own cap, if any, is a share."""
    titre, problems = read_titre(path.with_name(path.name.split(".")[0] + ".yaml"))
    if titre is None:
        return problems
    known = {t.id for t in titre.topics}
    try:
        questions = load_set(path)
    except (KeyError, TypeError, ValueError, OSError, yaml.YAMLError) as exc:
        return [Problem(str(path), 1, f"not a question set (in_scope, out_of_scope): {exc}")]
    out = [Problem(str(path), 1, f"unknown topic id {t!r}") for t in questions.in_scope
           if t not in known]  # fmt: skip
    if questions.max_wrong is not None and not 0.0 < questions.max_wrong < 1.0:
        at = next((i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                   if line.startswith("max_wrong:")), 1)  # fmt: skip
        out.append(Problem(str(path), at, f"max_wrong: {questions.max_wrong} is not a share "
                                          "between 0 and 1 (0.03: 3%)"))  # fmt: skip
    return out


def _check_model(titre: Titre) -> list[Problem]:
    """The shipped ranker must have learnt from the data as it is now, and the titre must
    declare the topics the engine looks for by role."""
    out = [
        Problem(titre.path, 1, f"no topic has role {role!r} (the engine needs one)")
        for role in ("deadline", "ccp_list")
        if titre.by_role(role) is None
    ]
    path = model_path(titre.path)
    if path.exists():
        expected = data_fingerprint(titre, Normalizer(load_vocabulary(), titre.synonyms))
        if Ranker.stored_fingerprint(path) != expected:
            out.append(Problem(str(path), 1, "the model was trained on other data: run "
                                             "`python -m bot calibrate`"))  # fmt: skip
    return out
