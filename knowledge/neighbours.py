"""Stage 4, a third view: the phrasings nearest to a text vote for their topics.

The two linear models (`ranker.LinearModel`) draw one straight boundary a class; a question
worded like a handful of phrasings of one topic can still fall on the wrong side of it, the
out-of-scope class being the widest. Here the words as written, their pairs and the question
words (the `t:`, `u:` and `q:` features, weighted as the meaning model weighs them) are compared
by cosine to every phrasing learnt, and the `K` nearest vote for their classes, each by its
similarity. The ranker mixes that vote into the ranking with a weight the policy carries,
chosen by `calibrate` (0 leaves it out).

Measured when it was chosen, the best topic alone (before any decision):
- on the questions the policy is fitted and checked on (5,498, never learnt from): 149 wrong
  best topics without the vote, 115 with it. Of the kinds of features tried (also stems,
  character n-grams, the surface view, all of them), the words as written did best;
- leaving each fifth of the training writers out in turn, on their 16,976 phrasings: 734
  without the vote, 661 with it at the weight `calibrate` then chose (0.2; 0.35 made 736),
  reading at most 20,000 postings a text (below).
The index is an inverted one (feature → phrasings), built with the models and stored in their
file, so that start-up only reads it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

K = 5  # phrasings that vote (5, 10 and 20 tried: 5 made the fewest errors)
KINDS = frozenset("tuq")  # the kinds of features compared (`features.features`)
# What keeps the slowest answers under 5 ms (a long message took a millisecond more without
# them). The first two moved the vote's wrong best topics by one to three of the 5,498
# questions (20,000 postings, then 8,000: 127 and 126, with p99 on rounds 45-47 from 5.1 ms to
# 4.5 ms); the third was measured for speed only:
SLIGHT = 0.1  # a phrasing's weights below this are left out of the index (a fifth of them)
POSTINGS = 8_000  # most phrasings compared for one text (its commonest words left out)
WORDS = 40  # a longer text gets no vote (a long message's sentences each get theirs)

# a text's features a model learnt: their indices, and their weights (unit length)
Vector = tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]


def _unit(
    idx: npt.NDArray[np.int64], val: npt.NDArray[np.float32], compared: npt.NDArray[np.bool_]
) -> npt.NDArray[np.float32]:
    """A phrasing's weights scaled so that the kinds compared make a unit vector."""
    mine = val[compared[idx]] if len(idx) else val
    norm = float(np.linalg.norm(mine))
    return val / norm if norm else val


class Neighbours:
    """Every learnt phrasing's vector, indexed by feature; `votes` is the K nearest's vote."""

    def __init__(
        self,
        starts: npt.NDArray[np.int64],
        rows: npt.NDArray[np.int32],
        values: npt.NDArray[np.float64],
        labels: npt.NDArray[np.int32],
        classes: int,
        compared: npt.NDArray[np.bool_],
    ) -> None:
        # the phrasings holding feature i: rows[starts[i]:starts[i + 1]], with their weights
        self.compared = compared  # the model's features of the kinds compared (`KINDS`)
        self.starts = starts
        self.rows = rows
        self.values = values
        self.labels = labels
        self.classes = classes

    @classmethod
    def build(
        cls, vectors: Sequence[Vector], labels: Sequence[int], features: Sequence[str],
        classes: int,
    ) -> Neighbours:  # fmt: skip
        """From each phrasing's (feature indices, weights) as the model reads it (`features`:
        the model's, in the order of their indices); only the kinds compared are kept."""
        compared = np.asarray([f[0] in KINDS for f in features], dtype=np.bool_)
        pairs = [(i, r, w) for r, (idx, val) in enumerate(vectors)
                 for i, w in zip(idx.tolist(), _unit(idx, val, compared).tolist(), strict=True)
                 if compared[i] and w >= SLIGHT]  # fmt: skip
        pairs.sort(key=lambda p: (p[0], p[1]))
        feature = np.asarray([p[0] for p in pairs], dtype=np.int64)
        starts = np.searchsorted(feature, np.arange(len(features) + 1)).astype(np.int64)
        return cls(starts, np.asarray([p[1] for p in pairs], dtype=np.int32),
                   np.asarray([p[2] for p in pairs], dtype=np.float64),
                   np.asarray(labels, dtype=np.int32), classes, compared)  # fmt: skip

    def votes(
        self, idx: npt.NDArray[np.int64], val: npt.NDArray[np.float32]
    ) -> npt.NDArray[np.float64]:
        """Each class's share of the K nearest phrasings' similarity (all zero: none near).

        A long text's commonest features are left out once `POSTINGS` phrasings have been
        compared (their weight is low, and their postings are the longest: "de", "je")."""
        out = np.zeros(self.classes)
        if not len(idx):
            return out
        mine = self.compared[idx]
        at, val = idx[mine], val[mine]  # the query's length does not change who is nearest
        begin, end = self.starts[at], self.starts[at + 1]
        lengths = end - begin
        if int(lengths.sum()) > POSTINGS:
            order = np.argsort(lengths, kind="stable")
            keep = order[np.cumsum(lengths[order]) <= POSTINGS]
            begin, end, val = begin[keep], end[keep], val[keep]
        spans = list(zip(begin.tolist(), end.tolist(), strict=True))
        if not spans:
            return out
        rows = np.concatenate([self.rows[a:b] for a, b in spans])
        weights = np.concatenate([self.values[a:b] for a, b in spans])
        weights *= np.repeat(val, end - begin)
        sims = np.bincount(rows, weights=weights, minlength=len(self.labels))
        top, near = [], []
        for _ in range(min(K, len(sims))):  # faster than partitioning thousands of equal zeros
            best = int(sims.argmax())
            top.append(best)
            near.append(max(float(sims[best]), 0.0))
            sims[best] = -np.inf
        total = sum(near) or 1.0
        return np.bincount(self.labels[top], weights=near, minlength=self.classes) / total

    def arrays(self, prefix: str = "neighbours_") -> dict[str, Any]:
        return {
            f"{prefix}compared": self.compared,
            f"{prefix}starts": self.starts,
            f"{prefix}rows": self.rows,
            f"{prefix}values": self.values.astype(np.float16),
            f"{prefix}labels": self.labels,
        }

    @classmethod
    def from_arrays(
        cls, data: Mapping[str, npt.NDArray[Any]], classes: int, prefix: str = "neighbours_"
    ) -> Neighbours:
        return cls(data[f"{prefix}starts"], data[f"{prefix}rows"],
                   data[f"{prefix}values"].astype(np.float64), data[f"{prefix}labels"],
                   classes, data[f"{prefix}compared"])  # fmt: skip
