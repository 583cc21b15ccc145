"""Stage 4: a linear model over the features ranks every topic, and "out of scope" with them.

Multinomial logistic regression on TF-IDF-weighted features, trained on each topic's example
phrasings and on the titre's near misses (the out-of-scope class). Training needs scikit-learn
and takes seconds, so it happens in `python -m bot calibrate`, which writes the weights beside
the titre file (`<titre>.model.npz`, with a fingerprint of the data it learnt from); answering
needs only numpy. A file whose fingerprint no longer matches is retrained in memory (and
`check` says so).

Two models read each text (`Ranker`): one the meaning features, one the surface as written
(`features.surface`); their log-probabilities are mixed with a weight the policy carries,
fitted by `calibrate` like the thresholds (0 reads the meaning alone). A third view, the vote
of the nearest phrasings (`neighbours.py`), is mixed in the same way with its own weight.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from knowledge.neighbours import Neighbours, Vector

OUT_OF_SCOPE = "__out_of_scope__"
MIN_COUNT = 2  # a feature seen once in the training data is noise
NONE = ("", 0.0)  # a view not read, or with no class: no topic, no probability
VOTE_FLOOR = 1e-3  # added to the neighbours' vote before its logarithm
C = 8.0  # inverse regularisation strength; `calibrate` chooses it by cross-validation
FORMAT = 5  # bump when the features change: every model file becomes stale

Samples = Sequence[tuple[Counter[str], str]]


@dataclass(frozen=True, slots=True)
class Ranked:
    """Every class with its probability, best first."""

    labels: tuple[str, ...]
    probs: tuple[float, ...]
    known: float = 1.0  # share of the text's content words the model has learnt
    # each view's own best class and its probability (meaning, surface, then the nearest
    # phrasings' vote; `NONE` for one not read): where they part ways, the mixed ranking is
    # less sure than its probabilities say
    views: tuple[tuple[str, float], ...] = ()
    words: int = 0  # words in the text ranked
    whole: Ranked | None = None  # the whole message's ranking, when this is one sentence of it

    def top(self, n: int) -> list[tuple[str, float]]:
        return list(zip(self.labels[:n], self.probs[:n], strict=True))

    def without(self, labels: set[str]) -> Ranked:
        """The same ranking with some classes ruled out, the others renormalised."""
        kept = [(c, p) for c, p in zip(self.labels, self.probs, strict=True) if c not in labels]
        total = sum(p for _, p in kept) or 1.0
        return replace(self, labels=tuple(c for c, _ in kept),
                       probs=tuple(p / total for _, p in kept))  # fmt: skip

    def prob(self, label: str) -> float:
        return self.probs[self.labels.index(label)] if label in self.labels else 0.0


class LinearModel:
    """Weights and vocabulary; `rank` is a sparse dot product and a softmax."""

    def __init__(
        self,
        classes: Sequence[str],
        vocab: dict[str, int],
        idf: npt.NDArray[np.float32],
        weights: npt.NDArray[np.float32],
        bias: npt.NDArray[np.float32],
        fingerprint: str,
        words: Sequence[str] = (),
    ) -> None:
        self.classes = tuple(classes)
        self.vocab = vocab
        self.idf = idf
        # (features, classes): one row read per feature. Widened from the half precision it is
        # stored in: 20 ms more at start-up, but a long message's readings are 0.3 ms faster
        self.weights = weights
        self.bias = bias
        self.fingerprint = fingerprint
        self.words = frozenset(words)  # the words it learnt (spelling is mended towards them)

    def vector(self, feats: Counter[str]) -> Vector:
        found = np.fromiter(map(self.vocab.get, feats, itertools.repeat(-1)), np.int64, len(feats))
        known = found >= 0
        idx = found[known]
        return self._weighed(idx, np.fromiter(feats.values(), np.float64, len(feats))[known])

    def vector_of(self, counts: Counter[int]) -> Vector:
        """`vector` of features already looked up (their indices, each counted): the same
        numbers, in the same order, when counted in the same order."""
        idx = np.fromiter(counts, np.int64, len(counts))
        return self._weighed(idx, np.fromiter(counts.values(), np.float64, len(counts)))

    def _weighed(self, idx: npt.NDArray[np.int64], counts: npt.NDArray[np.float64]) -> Vector:
        # sublinear term frequency: 1 + log(n), which is 1 for the usual single occurrence
        v = (self.idf[idx] * (1.0 + np.log(counts))).astype(np.float32)
        norm = float(np.linalg.norm(v)) if len(v) else 0.0
        return idx, (v / norm if norm else v)

    def ids(self, feats: Counter[str]) -> Counter[int]:
        """The features this model learnt, by index, with their counts (in the same order)."""
        get = self.vocab.get
        return Counter({i: n for f, n in feats.items() if (i := get(f)) is not None})

    def probs(self, feats: Counter[str]) -> npt.NDArray[np.float64]:
        """Every class's probability, in the order of `classes`."""
        return self.probs_of(*self.vector(feats))

    def probs_of(
        self, idx: npt.NDArray[np.int64], val: npt.NDArray[np.float32]
    ) -> npt.NDArray[np.float64]:
        """... of a vector already built (`vector`)."""
        # `take` gathers the rows twice as fast as indexing with `idx` (the same numbers)
        rows = val @ self.weights.take(idx, axis=0) if len(idx) else 0.0
        logits = (self.bias + rows).astype(np.float64)
        p = np.exp(logits - logits.max())
        return p / p.sum()  # type: ignore[no-any-return]

    def known(self, feats: Iterable[str]) -> float:
        """The share of the stems (each once) this model learnt."""
        words = [f for f in feats if f[0] == "w"]  # "w:" (each kind is one letter: features.py)
        return sum(map(self.vocab.__contains__, words)) / len(words) if words else 1.0

    def rank(self, feats: Counter[str]) -> Ranked:
        return ranked(self.classes, self.probs(feats), self.known(feats))

    def arrays(self, prefix: str = "") -> dict[str, Any]:
        vocab = sorted(self.vocab, key=self.vocab.__getitem__)
        return {
            f"{prefix}meta": np.frombuffer(
                json.dumps(
                    {
                        "classes": self.classes,
                        "vocab": vocab,
                        "fingerprint": self.fingerprint,
                        "words": sorted(self.words),
                    }
                ).encode("utf-8"),
                dtype=np.uint8,
            ),
            f"{prefix}idf": self.idf.astype(np.float16),
            f"{prefix}weights": self.weights.astype(np.float16),
            f"{prefix}bias": self.bias,
        }

    @classmethod
    def from_arrays(cls, data: Mapping[str, npt.NDArray[Any]], prefix: str = "") -> LinearModel:
        meta = json.loads(bytes(data[f"{prefix}meta"]).decode("utf-8"))
        return cls(
            meta["classes"],
            dict(zip(meta["vocab"], itertools.count())),
            data[f"{prefix}idf"].astype(np.float32),
            data[f"{prefix}weights"].astype(np.float32),
            data[f"{prefix}bias"].astype(np.float32),
            meta["fingerprint"],
            meta.get("words", ()),
        )


def ranked(classes: Sequence[str], probs: npt.NDArray[np.float64], known: float) -> Ranked:
    order = np.argsort(-probs, kind="stable")
    return Ranked(tuple(map(classes.__getitem__, order.tolist())), tuple(probs[order].tolist()),
                  known)  # fmt: skip


class Ranker:
    """The meaning model, the surface model and the phrasings' index, learnt from the same
    phrasings; one file."""

    def __init__(self, meaning: LinearModel, surface: LinearModel, near: Neighbours) -> None:
        if meaning.classes != surface.classes:
            raise ValueError("the two models must rank the same classes")
        self.meaning = meaning
        self.surface = surface
        self.near = near
        self.fingerprint = meaning.fingerprint
        self.words = meaning.words

    def rank(
        self, meaning: Counter[str], surface: Counter[str] | None, weight: float,
        near: float = 0.0,
    ) -> Ranked:  # fmt: skip
        """Log-probabilities mixed, (1 − weight) × meaning + weight × surface, renormalised:
        a class either view rules out stays unlikely (a product of experts, not an average).
        Then the nearest phrasings' vote, mixed the same way with the weight `near` (smoothed:
        a class no near phrasing votes for is made less likely, not impossible)."""
        return self.rank_vectors(
            self.meaning.vector(meaning), self.meaning.known(meaning),
            self.surface.vector(surface) if surface is not None and weight > 0 else None,
            weight, near,
        )  # fmt: skip

    def rank_vectors(
        self, meaning: Vector, known: float, surface: Vector | None, weight: float,
        near: float = 0.0,
    ) -> Ranked:  # fmt: skip
        """`rank` of texts whose features are already weighed (`LinearModel.vector`), and the
        share of their stems the meaning learnt (`LinearModel.known`)."""
        classes = self.meaning.classes

        def top(probs: npt.NDArray[np.float64]) -> tuple[str, float]:
            return (classes[int(probs.argmax())], float(probs.max())) if probs.any() else NONE

        idx, val = meaning
        p = self.meaning.probs_of(idx, val)
        views = [top(p)]
        logp = None
        if weight > 0 and surface is not None:
            seen = self.surface.probs_of(*surface)
            views.append(top(seen))
            logp = (1 - weight) * np.log(p + 1e-12) + weight * np.log(seen + 1e-12)
        if near > 0:
            votes = self.near.votes(idx, val)
            views += [NONE] * (2 - len(views)) + [top(votes)]  # always third
            if logp is None:
                logp = np.log(p + 1e-12)
            logp = (1 - near) * logp + near * np.log(votes + VOTE_FLOOR)
        if logp is not None:
            p = np.exp(logp - logp.max())
            p /= p.sum()
        found = ranked(classes, p, known)
        return replace(found, views=tuple(views))

    def save(self, path: Path) -> None:
        """Uncompressed: read in 10 ms at start-up, against 75 ms to inflate (for a third more
        bytes on disk, which git compresses anyway)."""
        np.savez(path, **self.meaning.arrays(), **self.surface.arrays("surface_"),
                 **self.near.arrays())  # fmt: skip

    @classmethod
    def load(cls, path: Path) -> Ranker:
        """Raises ValueError for a file of an older format (one model, or no index)."""
        with np.load(path) as data:
            if "surface_meta" not in data or "neighbours_rows" not in data:
                raise ValueError(f"{path}: an older model format")
            meaning = LinearModel.from_arrays(data)
            return cls(meaning, LinearModel.from_arrays(data, "surface_"),
                       Neighbours.from_arrays(data, len(meaning.classes)))  # fmt: skip

    @staticmethod
    def stored_fingerprint(path: Path) -> str:
        """The fingerprint in a model file, without building the models (cheap, for `check`)."""
        with np.load(path) as data:
            meta: dict[str, str] = json.loads(bytes(data["meta"]).decode("utf-8"))
            return meta["fingerprint"] if "surface_meta" in data else ""


def fingerprint(*parts: object) -> str:
    """What a model learnt from, as a short hash: the phrasings and labels, and everything
    that turns them into features (the language data, the titre's synonyms, this format).
    Computed from the texts, not the features, so that checking a shipped model is cheap."""
    h = hashlib.sha256(f"{FORMAT}|{MIN_COUNT}".encode())
    for part in parts:
        h.update(json.dumps(part, sort_keys=True, default=_canonical).encode())
    return h.hexdigest()[:16]


def _canonical(value: object) -> object:
    if isinstance(value, frozenset | set):
        return sorted(value, key=repr)
    if hasattr(value, "items"):
        return dict(value.items())
    raise TypeError(f"cannot fingerprint {type(value).__name__}")


def train(
    samples: Samples, c: float = C, words: Sequence[str] = (), fingerprint: str = ""
) -> LinearModel:
    """Fit the model (imports scikit-learn: training only)."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    seen: Counter[str] = Counter()
    for feats, _ in samples:
        seen.update(feats.keys())
    kept = sorted(f for f, n in seen.items() if n >= MIN_COUNT)
    vocab = {f: i for i, f in enumerate(kept)}
    n_docs = len(samples)
    idf = np.asarray([math.log((1 + n_docs) / (1 + seen[f])) + 1.0 for f in kept], dtype=np.float32)
    classes = sorted({label for _, label in samples})
    model = LinearModel(classes, vocab, idf, np.zeros((0, 0), np.float32),
                        np.zeros(0, np.float32), "")  # fmt: skip
    rows, cols, vals = [], [], []
    for r, (feats, _) in enumerate(samples):
        idx, val = model.vector(feats)
        rows.extend([r] * len(idx))
        cols.extend(idx.tolist())
        vals.extend(val.tolist())
    x = csr_matrix((vals, (rows, cols)), shape=(n_docs, len(kept)), dtype=np.float32)
    y = [classes.index(label) for _, label in samples]
    fit = LogisticRegression(C=c, max_iter=300)
    fit.fit(x, y)
    coef, intercept = fit.coef_, fit.intercept_
    if len(classes) == 2:  # one logit for two classes: softmax([0, z]) is sigmoid(z)
        coef = np.vstack([np.zeros_like(coef), coef])
        intercept = np.concatenate([np.zeros_like(intercept), intercept])
    return LinearModel(
        classes,
        vocab,
        idf,
        coef.T.astype(np.float32).copy(),
        intercept.astype(np.float32),
        fingerprint,
        words,
    )
