"""`calibrate`: choose the regularisation, train the shipped model and fit its decision policy.

Cross-validated predictions on the phrasings (`training.samples`) choose the regularisation;
the final model is trained on all of them; the thresholds are fitted on the calibration set
beside the titre as the engine ranks it. `python -m bot calibrate` writes the model and the
policy beside the titre. Sits above the engine (it ranks through it), which sits above
`training`.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from knowledge.engine import Engine
from knowledge.evaluation import load_set
from knowledge.model import Titre
from knowledge.policy import MAX_WRONG, Policy, dump, fit, policy_path
from knowledge.ranker import OUT_OF_SCOPE, C, LinearModel, Ranked, train
from knowledge.text import Normalizer
from knowledge.training import data_fingerprint, known_words, model_path, phrasings, samples

__all__ = ["calibrate", "calibration_path", "cross_validated", "write"]

FOLDS = 5
C_GRID = (8.0, 32.0)  # regularisation strengths tried by `calibrate`


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


def calibration_path(titre_path: str | Path) -> Path:
    p = Path(titre_path)
    return p.with_name(f"{p.stem}.calibration.yaml")


def calibrate(titre: Titre, normalizer: Normalizer) -> tuple[LinearModel, Policy, str]:
    """The model trained on everything, its policy, and the policy file's text.

    The regularisation is chosen by cross-validation on the phrasings. The thresholds are then
    fitted on the calibration set beside the titre (questions written like real traffic, never
    learnt) as the engine ranks them; without one, on the cross-validated phrasings."""
    data = samples(titre, normalizer)
    asked = {q for t in titre.topics for q in t.questions} | set(titre.out_of_scope)
    held = {i for i, (q, _) in enumerate(phrasings(titre)) if q in asked}
    fits = [fit(cross_validated(data, held, c=c), c=c) for c in C_GRID]
    policy, stats = max(fits, key=lambda found: found[1]["score"])
    model = train(data, policy.c, known_words(titre, normalizer),
                  data_fingerprint(titre, normalizer))  # fmt: skip
    source = f"cross-validation on {len(held)} phrasings"
    path = calibration_path(titre.path) if titre.path else None
    if path is not None and path.exists():
        engine = Engine(titre, vocabulary=normalizer.vocabulary, policy=policy, model=model)
        questions = load_set(path)
        ranked = [(engine.ranking(q), truth or OUT_OF_SCOPE) for q, truth in questions.items()]
        policy, stats = fit(ranked, c=policy.c, max_wrong=MAX_WRONG)
        source = f"the calibration set ({len(questions)} questions)"
    return model, policy, dump(policy, stats, source)


def write(titre: Titre, normalizer: Normalizer) -> tuple[Path, Path, str]:
    model, _, text = calibrate(titre, normalizer)
    mpath, ppath = model_path(titre.path), policy_path(titre.path)
    model.save(mpath)
    ppath.write_text(text, encoding="utf-8")
    return mpath, ppath, text
