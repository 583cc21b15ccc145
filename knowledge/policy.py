"""Stage 5: decide — answer, clarify or fall back — from the ranking, by a small frozen policy.

A few numbers, fitted by `python -m bot calibrate` on the project's own questions (never on a
held-out set) and written beside the titre (`<titre>.policy.yaml`): answer when the best topic
is likely enough and clearly ahead; offer up to three topics when it is only plausible;
otherwise say plainly what the bot can answer. "Likely enough" is the ranker's probability, or,
when the policy carries `weights`, a learned estimate of how often such a best topic is right
(`confidence`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from knowledge.confidence import BIAS, FEATURES, learn, likelihood
from knowledge.problems import KnowledgeError, Problem
from knowledge.ranker import OUT_OF_SCOPE, Ranked
from knowledge.yamlfile import Builder, build_file

Outcome = Literal["answer", "clarify", "fallback"]
# A confident wrong answer misleads; a refusal still offers suggestions or says who to ask.
# One wrong answer is weighed as three refusals...
WRONG_COST = 3.0
# ... and on the calibration set (questions written like real traffic) the thresholds keep
# confident wrong answers under this share: the product promises at most 2% on fresh questions.
MAX_WRONG = 0.02
# The share measured on a few hundred questions is itself uncertain: the cap applies to its
# upper bound, this many standard errors above it (Wilson), so the thresholds do not sit on the
# edge of the promise. 1.5: at 1.0, fresh real-world rounds measured above the calibration sets
# (round 31: 3.5% wrong on its first run, against 0.6% and 1.6% on the calibration parts), and
# with the neighbouring topics' phrasings the fit moved to answering on the bare probability
# (validation 2.0% wrong); at 1.5 it keeps the learned likelihood and the wrong answers of before.
WRONG_MARGIN_Z = 1.5
MAX_SUGGESTIONS = 3


@dataclass(frozen=True, slots=True)
class Policy:
    answer_at: float = 0.45  # likelihood of the best topic (`likelihood`) from which it answers
    margin: float = 0.1  # ... when it is this far ahead of the second
    clarify_at: float = 0.2  # probability from which a topic is offered as a suggestion
    min_known: float = 0.0  # share of the words the model knows below which it never answers
    c: float = 8.0  # the ranker's regularisation, chosen with the thresholds
    surface: float = 0.0  # weight of the surface view in the ranking (0: the meaning alone)
    neighbours: float = 0.0  # weight of the nearest phrasings' vote (`neighbours.py`)
    # the learned confidence (`confidence.FEATURES`); empty: the ranker's probability
    weights: dict[str, float] = field(default_factory=dict)

    def likelihood(self, ranked: Ranked) -> float:
        """How likely the ranking's best topic is right, as this policy reads it."""
        return likelihood(self.weights, ranked) if self.weights else ranked.probs[0]


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: Outcome
    # the answer's topic (then the runner-up, when it too is plausible), or the suggestions
    topics: tuple[str, ...]
    # an answer: how likely it is right (`Policy.likelihood`); else the best topic's probability
    confidence: float


def decide(ranked: Ranked, policy: Policy) -> Decision:
    (best, p1), *rest = ranked.top(MAX_SUGGESTIONS + 1)
    second, p2 = next(((label, p) for label, p in rest if label != OUT_OF_SCOPE), ("", 0.0))
    likely = policy.likelihood(ranked) if best != OUT_OF_SCOPE else 0.0
    sure = likely >= policy.answer_at and p1 - p2 >= policy.margin
    if best != OUT_OF_SCOPE and sure and ranked.known >= policy.min_known:
        # a plausible runner-up is offered beside the answer: neighbouring topics (the level
        # and its recognition, the DSPP and its plan) are where readers' labels part ways
        runner_up = (second,) if p2 >= policy.clarify_at else ()
        return Decision("answer", (best, *runner_up), likely)
    options = tuple(
        label
        for label, p in ranked.top(MAX_SUGGESTIONS + 1)
        if label != OUT_OF_SCOPE and p >= policy.clarify_at
    )[:MAX_SUGGESTIONS]
    if options and best != OUT_OF_SCOPE:
        return Decision("clarify", options, p1)
    if best == OUT_OF_SCOPE:  # "not about this titre" is the likeliest: say so, and offer the
        return Decision("fallback", options[:1], 0.0)  # close topic, if any, one tap away
    return Decision("fallback", (), p1)


def policy_path(titre_path: str | Path) -> Path:
    p = Path(titre_path)
    return p.with_name(f"{p.stem}.policy.yaml")


def load_policy(titre_path: str | Path) -> Policy:
    """The calibrated policy beside the titre, or the defaults when there is none."""
    path = policy_path(titre_path)
    if not path.exists():
        return Policy()
    found, problems = read_policy(path)
    if problems or found is None:
        raise KnowledgeError(problems)
    return found


def read_policy(path: Path) -> tuple[Policy | None, list[Problem]]:
    """A policy file and what is wrong in it (`check` shows the same), weights by name."""
    found, problems = build_file(Policy, path, _check_views)
    if not isinstance(found, Policy):
        return None, problems
    unknown = sorted(set(found.weights) - {BIAS, *FEATURES})
    problems += [Problem(str(path), _line_of(path, name), f"weights: unknown feature {name!r}")
                 for name in unknown]  # fmt: skip
    return found, problems


def _check_views(policy: Policy, builder: Builder) -> None:
    """The weights of the views mixed in the ranking are shares of it."""
    for view in ("surface", "neighbours"):
        weight = getattr(policy, view)
        if not 0.0 <= weight <= 1.0:
            builder.problem(builder.line_of(policy, view),
                            f"{view}: {weight} is not a weight between 0 and 1")  # fmt: skip


def _line_of(path: Path, name: str) -> int:
    """The line of a weight's name (under `weights:`, where a top-level key may share it)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("weights:")), 0)
    found = (i for i, line in enumerate(lines[start:], start + 1)
             if line.strip().startswith(f"{name}:"))  # fmt: skip
    return next(found, start + 1)


# the thresholds `fit` tries: on the ranker's probability, with a margin and a share of known
# words; on a learned likelihood (which already weighs those), finer and alone
_GRID = [(a / 100, m / 100, k) for a in range(15, 85, 5) for m in range(0, 45, 5)
         for k in (0.0, 0.25, 0.34, 0.5, 0.6)]  # fmt: skip
_LEARNED_GRID = [(a / 100, 0.0, 0.0) for a in range(30, 99)]


def fit(
    predictions: Sequence[tuple[Ranked, str]],
    wrong_cost: float = WRONG_COST,
    c: float = 8.0,
    max_wrong: float | None = None,
    surface: float = 0.0,
    parts: Sequence[int] = (),
    weights: Mapping[str, float] | None = None,
    caps: Sequence[float | None] = (),
) -> tuple[Policy, dict[str, float]]:
    """The thresholds that maximise right answers minus `wrong_cost` × confident wrong ones
    over predictions `(ranking, true label)`; with `max_wrong`, those with the most right
    answers among the ones whose share of confident wrong answers stays under it (`within`:
    its upper bound) (the fewest wrong answers when none does). `parts` cuts the predictions
    into consecutive parts of these sizes (kinds of questions): the cap holds on each (`caps`:
    a part's own, where it has one). With
    `weights` (`confidence.learn`), the threshold is on the learned likelihood."""
    base = Policy(c=c, surface=surface, weights=dict(weights or {}))
    rows = [_row(ranked, truth, base) for ranked, truth in predictions]
    bounds = list(itertools.accumulate(parts or [len(rows)], initial=0))
    cuts = [rows[a:b] for a, b in itertools.pairwise(bounds)]
    own = [*caps, *[None] * (len(cuts) - len(caps))]  # a part without its own: `max_wrong`
    limits = [(max_wrong or 0.0) if cap is None else cap for cap in own]
    scored: list[tuple[float, float, Policy, bool]] = []
    for answer_at, margin, known in _LEARNED_GRID if base.weights else _GRID:
        counts = [(*_count(cut, answer_at, margin, known), len(cut)) for cut in cuts]
        right, wrong = sum(r for r, _, _ in counts), sum(w for _, w, _ in counts)
        policy = replace(base, answer_at=answer_at, margin=margin,
                         clarify_at=min(0.2, answer_at), min_known=known)  # fmt: skip
        n = len(rows) or 1
        objective = right if max_wrong is not None else right - wrong_cost * wrong
        kept = max_wrong is None or all(
            within(w / (m or 1), m, limit) for (_, w, m), limit in zip(counts, limits, strict=True)
        )
        scored.append((objective - wrong / n / 1000, wrong / n, policy, kept))
    allowed = [s for s in scored if s[3]]
    score, _, chosen, _ = (
        max(allowed, key=lambda s: s[0]) if allowed else min(scored, key=lambda s: (s[1], -s[0]))
    )
    stats = evaluate(predictions, chosen)
    stats["n"] = float(len(predictions))
    stats["score"] = score / (len(predictions) or 1)
    return chosen, stats


def fit_learned(
    predictions: Sequence[tuple[Ranked, str]],
    c: float = 8.0,
    max_wrong: float | None = None,
    surface: float = 0.0,
    parts: Sequence[int] = (),
    caps: Sequence[float | None] = (),
) -> tuple[Policy, dict[str, float]]:
    """`fit` on a likelihood learnt from the same predictions (`confidence.learn`); the
    threshold policy when there is nothing to learn."""
    weights = learn(predictions)
    return fit(predictions, c=c, max_wrong=max_wrong, surface=surface, parts=parts,
               weights=weights or None, caps=caps)  # fmt: skip


def within(wrong: float, n: int, cap: float) -> bool:
    """Whether a share of confident wrong answers measured on `n` questions stays under the cap
    once its uncertainty is counted: the upper Wilson bound, WRONG_MARGIN_Z standard errors."""
    if n == 0:
        return wrong <= cap
    z2 = WRONG_MARGIN_Z**2
    centre = wrong + z2 / (2 * n)
    spread = WRONG_MARGIN_Z * math.sqrt(wrong * (1 - wrong) / n + z2 / (4 * n * n))
    return (centre + spread) / (1 + z2 / n) <= cap


def _row(ranked: Ranked, truth: str, policy: Policy) -> tuple[str, float, float, float, str]:
    (best, p1), *rest = ranked.top(3)
    p2 = next((p for label, p in rest if label != OUT_OF_SCOPE), 0.0)
    likely = policy.likelihood(ranked) if best != OUT_OF_SCOPE else 0.0
    return best, likely, p1 - p2, ranked.known, truth


def _count(
    rows: Sequence[tuple[str, float, float, float, str]],
    answer_at: float,
    margin: float,
    known: float,
) -> tuple[int, int]:
    right = wrong = 0
    for best, likely, gap, k, truth in rows:
        if best != OUT_OF_SCOPE and likely >= answer_at and gap >= margin and k >= known:
            right += best == truth
            wrong += best != truth
        else:
            right += truth == OUT_OF_SCOPE
    return right, wrong


def evaluate(predictions: Sequence[tuple[Ranked, str]], policy: Policy) -> dict[str, float]:
    right = wrong = 0
    for ranked, truth in predictions:
        d = decide(ranked, policy)
        if d.outcome == "answer":
            right += d.topics[0] == truth
            wrong += d.topics[0] != truth
        elif truth == OUT_OF_SCOPE:
            right += 1
    n = len(predictions) or 1
    return {"right": right / n, "wrong": wrong / n}


def dump(policy: Policy, fitted: Sequence[tuple[str, dict[str, float]]]) -> str:
    """The policy file, with what it was fitted on as comments."""
    lines = "".join(
        f"# {source}: {stats['right']:.1%} right, {stats['wrong']:.1%} confidently wrong.\n"
        for source, stats in fitted
    )
    return (
        "# Written by `python -m bot calibrate`. Fitted on:\n"
        + lines
        + f"answer_at: {policy.answer_at}\nmargin: {policy.margin}\n"
        f"clarify_at: {policy.clarify_at}\n"
        f"min_known: {policy.min_known}\nc: {policy.c}\nsurface: {policy.surface}\n"
        f"neighbours: {policy.neighbours}\n"
        + _dump_weights(policy.weights)
    )


def _dump_weights(weights: Mapping[str, float]) -> str:
    if not weights:
        return ""
    return "# how likely the best topic is right: a logistic model of these features\n" + (
        "weights:\n" + "".join(f"  {name}: {w}\n" for name, w in weights.items())
    )
