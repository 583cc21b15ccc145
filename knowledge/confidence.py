"""How likely the best topic of a ranking is the right one: a small learned model.

The ranker's probability alone overstates its certainty where its views (meaning, surface
and the nearest phrasings' vote) disagree, where one sentence of a long message was read
instead of the whole, or where the words are few or unknown. A logistic regression over a few
numbers read from the ranking (`FEATURES`) learns how often the best topic was right on
questions the ranker never learnt from (the calibration sets); `calibrate` fits it and writes
its weights into the policy file, and the policy answers from a threshold on it. Answering
needs no library: a dot product.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from knowledge.ranker import OUT_OF_SCOPE, Ranked

BIAS = "bias"
FEATURES = (
    "best",  # probability of the best topic
    "gap",  # ... minus the runner-up's
    "runner_up",  # the runner-up's (the best topic other than "out of scope")
    "log_ratio",  # how many times likelier the best is than the runner-up (log)
    "out_of_scope",  # probability that the message is not about the titre
    "known",  # share of its content words the model has learnt
    "meaning_agrees",  # the meaning model alone would choose the same topic
    "surface_agrees",  # the surface model alone would
    "meaning_best",  # the meaning model's own best probability
    "surface_best",  # the surface model's
    "whole_meaning_agrees",  # on the whole message, when one sentence of it was ranked
    "whole_surface_agrees",
    "focused",  # one sentence of a longer message was ranked
    "log_words",  # length of the message (log)
    "near_agrees",  # the nearest phrasings' vote goes to the same topic (`neighbours.py`)
    "near_best",  # the share of that vote its own best topic has
)
REGULARISATION = 1.0


def evidence(ranked: Ranked) -> tuple[float, ...]:
    """The numbers the model weighs, in the order of `FEATURES`."""
    best, p1 = ranked.labels[0], ranked.probs[0]
    p2 = next((p for label, p in ranked.top(4)[1:] if label != OUT_OF_SCOPE), 0.0)
    whole = ranked.whole or ranked
    return (
        p1,
        p1 - p2,
        p2,
        math.log(p1 + 1e-6) - math.log(p2 + 1e-6),
        ranked.prob(OUT_OF_SCOPE),
        ranked.known,
        *_agreement(ranked, best),
        *_agreement(whole, best)[:2],
        float(ranked.whole is not None),
        math.log1p(whole.words),
        *_vote(ranked, best),
    )


def _agreement(ranked: Ranked, best: str) -> tuple[float, float, float, float]:
    meaning, surface = (*ranked.views, ("", 0.0), ("", 0.0))[:2]
    return (float(meaning[0] == best), float(surface[0] == best), meaning[1], surface[1])


def _vote(ranked: Ranked, best: str) -> tuple[float, float]:
    near = (*ranked.views, ("", 0.0), ("", 0.0), ("", 0.0))[2]
    return (float(near[0] == best), near[1])


def likelihood(weights: Mapping[str, float], ranked: Ranked) -> float:
    """The model's probability that the ranking's best topic is right."""
    z = weights.get(BIAS, 0.0) + sum(
        weights.get(name, 0.0) * x for name, x in zip(FEATURES, evidence(ranked), strict=True)
    )
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def learn(
    predictions: Sequence[tuple[Ranked, str]], c: float = REGULARISATION
) -> dict[str, float]:
    """The weights, learnt from rankings of questions the ranker never saw and their true
    labels (imports scikit-learn: calibration only). Empty when there is nothing to learn
    from (every best topic right, or every one wrong)."""
    from sklearn.linear_model import LogisticRegression

    rows = [(evidence(r), r.labels[0] == truth) for r, truth in predictions
            if r.labels[0] != OUT_OF_SCOPE]  # fmt: skip
    if len({right for _, right in rows}) < 2:
        return {}
    fitted = LogisticRegression(C=c, max_iter=1000)
    fitted.fit([x for x, _ in rows], [int(right) for _, right in rows])
    weights = {name: round(float(w), 4) for name, w in zip(FEATURES, fitted.coef_[0], strict=True)}
    return {BIAS: round(float(fitted.intercept_[0]), 4), **weights}
