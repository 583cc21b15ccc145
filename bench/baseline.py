"""The standard baseline the engine must beat: TF-IDF (word 1–2-grams + character 2–5-grams)
→ logistic regression, with an out-of-scope class, trained on exactly the engine's phrasings
(`knowledge.training.phrasings`); its answer threshold is chosen by 5-fold cross-validation on
those phrasings with the same criterion as the engine's policy (right − 4 × wrong).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline, make_union

from knowledge.ranker import OUT_OF_SCOPE

WRONG_COST = 4.0


def _pipeline() -> object:
    return make_pipeline(
        make_union(
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                            strip_accents="unicode"),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                            strip_accents="unicode"),
        ),
        LogisticRegression(C=10.0, max_iter=500),
    )  # fmt: skip


class Baseline:
    def __init__(self, phrasings: Sequence[tuple[str, str]]) -> None:
        texts = [q for q, _ in phrasings]
        labels = [label for _, label in phrasings]
        folds = StratifiedKFold(5, shuffle=True, random_state=7)
        probs = cross_val_predict(_pipeline(), texts, labels, cv=folds, method="predict_proba")
        classes = sorted(set(labels))
        self.threshold = self._fit(probs, classes, labels)
        self.model = _pipeline()
        self.model.fit(texts, labels)  # type: ignore[attr-defined]

    @staticmethod
    def _fit(probs: np.ndarray, classes: list[str], labels: list[str]) -> float:
        best = (float("-inf"), 0.5)
        for t in np.arange(0.1, 0.9, 0.05):
            right = wrong = 0
            for row, truth in zip(probs, labels, strict=True):
                label = classes[int(row.argmax())]
                if label != OUT_OF_SCOPE and row.max() >= t:
                    right += label == truth
                    wrong += label != truth
                else:
                    right += truth == OUT_OF_SCOPE
            best = max(best, (right - WRONG_COST * wrong, float(t)))
        return best[1]

    def answer(self, question: str) -> tuple[str, str | None]:
        row = self.model.predict_proba([question])[0]  # type: ignore[attr-defined]
        classes = self.model.classes_  # type: ignore[attr-defined]
        label = str(classes[int(row.argmax())])
        if label == OUT_OF_SCOPE or row.max() < self.threshold:
            return "fallback", None
        return "answer", label
