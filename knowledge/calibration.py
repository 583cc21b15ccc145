"""`calibrate`: choose the regularisation, train the shipped models and fit their decision policy.

Both models (meaning and surface, `ranker.Ranker`) are trained on all the phrasings
(`training.samples`) at each regularisation strength; the strength, the weights of the surface
view and of the nearest phrasings' vote, and the thresholds are chosen together on the
calibration sets beside the titre (`<titre>.calibration.yaml`: questions written like real
traffic; `<titre>.*.calibration.yaml`: more parts, such as phrasings by writers kept out of the
training data), as the engine ranks them, keeping confident wrong answers under `MAX_WRONG` on
each part (or the part's own `max_wrong:`, such as the real-world bar for long messages) with
room for its size (`policy.within`). `python -m bot calibrate` writes the models and the policy
beside the titre. Sits above the engine (it ranks through it), which sits above `training`.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from dataclasses import replace
from pathlib import Path

from knowledge.engine import Engine
from knowledge.evaluation import load_set
from knowledge.model import Titre
from knowledge.policy import (
    MAX_WRONG,
    Policy,
    dump,
    evaluate,
    fit,
    fit_learned,
    policy_path,
    within,
)
from knowledge.ranker import OUT_OF_SCOPE, C, Ranked, Ranker, train
from knowledge.text import Normalizer
from knowledge.training import model_path, phrasings, samples, train_ranker

__all__ = ["calibrate", "calibration_paths", "cross_validated", "write"]

FOLDS = 5
# regularisation strengths tried by `calibrate`. One: on the calibration parts, 8, 32 and 96
# answered within two questions of 3,274 of each other (noise chose), while leaving each group
# of training writers out in turn, 32 made the fewest errors (568, against 609 and 583; measured
# with the phrasings of writers A to S, on the learned likelihood)
C_GRID = (32.0,)
SURFACE_GRID = (0.0, 0.35, 0.5, 0.65)  # weights of the surface view tried by `calibrate`
NEIGHBOURS_GRID = (0.0, 0.2, 0.35)  # ... and of the nearest phrasings' vote, with each


def cross_validated(
    data: list[tuple[Counter[str], str]],
    held: set[int] | None = None,
    folds: int = FOLDS,
    seed: int = 7,
    c: float = C,
) -> list[tuple[Ranked, str]]:
    """Each phrasing (the indices in `held`, all by default) ranked by a model that never saw
    it; the other samples (titles, keywords, competences) are always learnt."""
    order = sorted(held) if held is not None else list(range(len(data)))
    random.Random(seed).shuffle(order)
    out: list[tuple[Ranked, str]] = []
    for k in range(folds):
        test = set(order[k::folds])
        model = train([d for i, d in enumerate(data) if i not in test], c)
        out += [(model.rank(data[i][0]), data[i][1]) for i in sorted(test)]
    return out


def calibration_paths(titre_path: str | Path) -> list[Path]:
    """The titre's calibration sets: `<titre>.calibration.yaml` first, then the other parts."""
    p = Path(titre_path)
    first = p.with_name(f"{p.stem}.calibration.yaml")
    more = sorted(p.parent.glob(f"{p.stem}.*.calibration.yaml"))
    return [path for path in [first, *more] if path.exists()]


def calibrate(titre: Titre, normalizer: Normalizer) -> tuple[Ranker, Policy, str]:
    """The models trained on everything, their policy, and the policy file's text.

    With calibration sets beside the titre, both models are trained at each regularisation
    strength, and the strength, the surface weight and the thresholds are chosen together on
    those sets as the engine ranks them: questions by writers the models never learnt from,
    which is what a new user is. Without one, the strength and the thresholds come from
    cross-validation on the phrasings, meaning view alone."""
    paths = calibration_paths(titre.path) if titre.path else []
    if not paths:
        data = samples(titre, normalizer)
        asked = {q for t in titre.topics for q in t.questions} | set(titre.out_of_scope)
        held = {i for i, (q, _) in enumerate(phrasings(titre)) if q in asked}
        fits = [fit(cross_validated(data, held, c=c), c=c) for c in C_GRID]
        policy, stats = max(fits, key=lambda found: found[1]["score"])
        ranker = train_ranker(titre, normalizer, policy.c)
        return ranker, policy, dump(policy, [(f"cross-validation on {len(held)} phrasings",
                                              stats)])  # fmt: skip
    sets = [load_set(path) for path in paths]
    parts = [list(found.items()) for found in sets]
    caps = [found.max_wrong if found.max_wrong is not None else MAX_WRONG for found in sets]
    best: tuple[tuple[bool, float], Ranker, Policy, list[tuple[str, dict[str, float]]]] | None
    best = None
    for c in C_GRID:  # the lighter regularisation only when it answers more
        ranker = train_ranker(titre, normalizer, c)
        key, policy, fitted = _fit_on_questions(titre, normalizer, ranker, c, paths, parts, caps)
        if best is None or key > best[0]:
            best = (key, ranker, policy, fitted)
    assert best is not None  # C_GRID is not empty
    _, ranker, policy, fitted = best
    return ranker, policy, dump(policy, fitted)


Part = list[tuple[str, str | None]]


def _fit_on_questions(
    titre: Titre, normalizer: Normalizer, ranker: Ranker, c: float, paths: list[Path],
    parts: list[Part], caps: list[float],
) -> tuple[tuple[bool, float], Policy, list[tuple[str, dict[str, float]]]]:  # fmt: skip
    """For each surface weight, the thresholds with the most right answers within its cap
    on every part (`MAX_WRONG`, or the part's own; its upper bound, `within`), on the
    ranker's probability and on a likelihood learnt from the same rankings (`confidence`);
    then the weight and the kind with the most (the lighter weight, the plain probability on
    a tie; the fewest wrong answers when none keeps within the cap).
    Returns how good the choice is (whether it keeps within the cap, then its right answers)."""
    best: tuple[tuple[bool, float], Policy, list[dict[str, float]]] | None = None
    for weight, near in itertools.product(SURFACE_GRID, NEIGHBOURS_GRID):
        engine = Engine(titre, vocabulary=normalizer.vocabulary,
                        policy=Policy(c=c, surface=weight, neighbours=near),
                        model=ranker)  # fmt: skip
        ranked = [[(engine.ranking(q), truth or OUT_OF_SCOPE) for q, truth in part]
                  for part in parts]  # fmt: skip
        every = [r for part in ranked for r in part]
        sizes = [len(part) for part in ranked]
        for fitter in (fit, fit_learned):  # the learned likelihood only when it answers more
            policy, stats = fitter(every, c=c, max_wrong=MAX_WRONG, surface=weight, parts=sizes,
                                   caps=caps)  # fmt: skip
            policy = replace(policy, neighbours=near)
            on_parts = [evaluate(part, policy) for part in ranked]
            kept = all(within(s["wrong"], n, cap)
                       for s, n, cap in zip(on_parts, sizes, caps, strict=True))  # fmt: skip
            key = (kept, stats["right"] if kept else -max(s["wrong"] for s in on_parts))
            if best is None or key > best[0]:
                best = (key, policy, on_parts)
    assert best is not None  # SURFACE_GRID is not empty
    key, chosen, on_parts = best
    named = zip(paths, parts, on_parts, strict=True)
    return key, chosen, [(f"{path.name} ({len(part)} questions)", found)
                         for path, part, found in named]  # fmt: skip


def write(titre: Titre, normalizer: Normalizer) -> tuple[Path, Path, str]:
    ranker, _, text = calibrate(titre, normalizer)
    mpath, ppath = model_path(titre.path), policy_path(titre.path)
    ranker.save(mpath)
    ppath.write_text(text, encoding="utf-8")
    return mpath, ppath, text
