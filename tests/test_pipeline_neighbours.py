"""Stage 4, the third view: the nearest phrasings vote (`knowledge.neighbours`)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from knowledge import neighbours
from knowledge.engine import Engine
from knowledge.features import features, surface
from knowledge.ranker import OUT_OF_SCOPE, VOTE_FLOOR, Ranker, train
from knowledge.reading import Reader
from knowledge.training import index, phrasings

# "jury" is said of both classes; the words around it tell them apart
MEANING = [
    (Counter({"w:jury": 1, "t:jury": 1, "t:compose": 1, "u:jury|compose": 1}), "jury"),
    (Counter({"w:jury": 1, "t:jury": 1, "t:compose": 1, "t:qui": 1}), "jury"),
    (Counter({"w:jury": 1, "t:jury": 1, "t:regarde": 1, "u:jury|regarde": 1}), "evaluation"),
    (Counter({"w:jury": 1, "t:jury": 1, "t:regarde": 1, "t:quoi": 1}), "evaluation"),
    (Counter({"w:jury": 1, "t:jury": 1, "t:regarde": 1, "u:jury|regarde": 1}), "evaluation"),
    (Counter({"w:meteo": 1, "t:meteo": 1, "t:demain": 1}), OUT_OF_SCOPE),
    (Counter({"w:meteo": 1, "t:meteo": 1, "t:pluie": 1}), OUT_OF_SCOPE),
]


def _ranker() -> Ranker:
    meaning = train(MEANING, 32.0)
    surface = train([(Counter({"s:" + f[2:] for f in feats}), label)
                     for feats, label in MEANING], 32.0)  # fmt: skip
    return Ranker(meaning, surface, index(meaning, MEANING))


def _votes(ranker: Ranker, feats: Counter[str]) -> dict[str, float]:
    found = ranker.near.votes(*ranker.meaning.vector(feats))
    return {c: float(v) for c, v in zip(ranker.meaning.classes, found, strict=True) if v}


def test_the_nearest_phrasings_vote_for_their_classes() -> None:
    votes = _votes(_ranker(), Counter({"w:jury": 1, "t:jury": 1, "t:regarde": 1}))
    assert max(votes, key=votes.__getitem__) == "evaluation"
    assert abs(sum(votes.values()) - 1.0) < 1e-6


def test_a_text_near_no_phrasing_gets_no_vote_and_keeps_its_ranking() -> None:
    ranker = _ranker()
    alone = Counter({"w:inconnu": 1, "t:inconnu": 1})
    assert _votes(ranker, alone) == {}
    assert ranker.rank(alone, None, 0.0, near=0.5).labels == ranker.rank(alone, None, 0.0).labels


def test_the_vote_is_mixed_in_by_its_weight() -> None:
    ranker = _ranker()
    asked = Counter({"w:jury": 1, "t:jury": 1, "t:compose": 1})
    without = ranker.rank(asked, None, 0.0)
    assert ranker.rank(asked, None, 0.0, near=0.0) == without
    votes = ranker.near.votes(*ranker.meaning.vector(asked))
    # a product of experts: p(c) ** (1 - w) * (vote(c) + floor) ** w, renormalised
    mixed = ranker.rank(asked, None, 0.0, near=0.5)
    expected = {c: without.prob(c) ** 0.5 * (v + VOTE_FLOOR) ** 0.5
                for c, v in zip(ranker.meaning.classes, votes, strict=True)}  # fmt: skip
    total = sum(expected.values())
    assert {c: mixed.prob(c) for c in expected} == pytest.approx(
        {c: e / total for c, e in expected.items()}
    )
    # a class no near phrasing votes for is made less likely, not impossible
    assert 0.0 < mixed.prob(OUT_OF_SCOPE) < without.prob(OUT_OF_SCOPE)
    # the vote's own best is the third view the confidence model reads
    assert mixed.views[2][0] == "jury"
    assert mixed.views[2][1] == pytest.approx(float(votes.max()))
    assert mixed.views[1] == ("", 0.0)  # the surface was not read


def test_the_index_is_saved_with_the_models_and_a_file_without_it_is_refused(
    tmp_path: Path,
) -> None:
    ranker = _ranker()
    ranker.save(tmp_path / "m.npz")
    again = Ranker.load(tmp_path / "m.npz")
    asked = Counter({"w:jury": 1, "t:jury": 1, "t:regarde": 1})
    assert _votes(again, asked) == pytest.approx(_votes(ranker, asked), abs=1e-3)
    arrays = {**ranker.meaning.arrays(), **ranker.surface.arrays("surface_")}
    np.savez(tmp_path / "old.npz", **arrays)
    with pytest.raises(ValueError, match="older model format"):
        Ranker.load(tmp_path / "old.npz")


def test_a_long_text_leaves_its_commonest_words_out(monkeypatch: pytest.MonkeyPatch) -> None:
    ranker = _ranker()
    # "jury" is in five phrasings, "compose" in two: with room for two, "compose" decides
    monkeypatch.setattr(neighbours, "POSTINGS", 2)
    votes = _votes(ranker, Counter({"t:jury": 1, "t:compose": 1}))
    assert votes == {"jury": pytest.approx(1.0)}


def test_every_learnt_phrasing_is_nearest_to_its_own_topic(engine: Engine) -> None:
    model = engine.model
    learnt = phrasings(engine.titre)[::500]
    agree = 0
    for text, label in learnt:
        ranked = model.rank(_features(engine, text), None, 0.0, near=1.0)
        agree += ranked.labels[0] == label
    # a few phrasings are worded like another topic's (or share no word kept in the index)
    assert agree >= 0.9 * len(learnt)


def test_a_long_text_is_ranked_without_the_vote(engine: Engine) -> None:
    reader = Reader(engine.normalizer, engine.model, engine.policy.surface, 0.5)
    text = " ".join(["je voudrais savoir combien de temps il me reste pour le titre"] * 5)
    prepared, ranked = reader.read(text)
    assert len(prepared.words) > neighbours.WORDS
    v = engine.vocabulary
    alone = engine.model.rank(features(prepared, v), surface(prepared, v), engine.policy.surface)
    assert ranked.labels == alone.labels
    short = "combien de temps il me reste pour le titre"
    prepared, ranked = reader.read(short)
    voted = engine.model.rank(features(prepared, v), surface(prepared, v),
                              engine.policy.surface, 0.5)  # fmt: skip
    assert ranked.probs == voted.probs


def _features(engine: Engine, text: str) -> Counter[str]:
    return features(engine.normalizer.prepare(text), engine.vocabulary)
