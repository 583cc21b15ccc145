"""Stage 5's learned confidence: how likely the best topic is right, beyond its probability."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from knowledge.check import check_files
from knowledge.confidence import BIAS, FEATURES, evidence, learn, likelihood
from knowledge.engine import Engine
from knowledge.policy import Decision, Policy, decide, dump, fit, fit_learned, load_policy
from knowledge.problems import KnowledgeError
from knowledge.ranker import OUT_OF_SCOPE, Ranked


def _ranked(p1: float, views: tuple[str, str], p2: float = 0.1) -> Ranked:
    return Ranked(("a", "b", "c"), (p1, p2, 1 - p1 - p2), 1.0,
                  views=((views[0], p1), (views[1], p1)), words=6)  # fmt: skip


# the models agree and the best topic is right; where the surface model prefers another
# topic, the same probability is right only one time in three
AGREE = _ranked(0.6, ("a", "a"))
APART = _ranked(0.6, ("a", "b"))
ROWS = [(AGREE, "a")] * 300 + [(APART, "a")] * 100 + [(APART, "b")] * 200


def test_the_evidence_reads_both_views_and_the_whole_message() -> None:
    found = dict(zip(FEATURES, evidence(APART), strict=True))
    assert found["best"] == 0.6 and found["gap"] == pytest.approx(0.5)
    assert (found["meaning_agrees"], found["surface_agrees"]) == (1.0, 0.0)
    assert found["focused"] == 0.0  # the whole message was ranked
    part = replace(AGREE, whole=APART)  # one sentence of a message whose whole reads otherwise
    found = dict(zip(FEATURES, evidence(part), strict=True))
    assert (found["surface_agrees"], found["whole_surface_agrees"], found["focused"]) == (1, 0, 1)
    assert (found["near_agrees"], found["near_best"]) == (0.0, 0.0)  # no vote was read


def test_the_evidence_reads_the_nearest_phrasings_vote() -> None:
    voted = replace(AGREE, views=(*AGREE.views, ("b", 0.8)))
    found = dict(zip(FEATURES, evidence(voted), strict=True))
    assert (found["near_agrees"], found["near_best"]) == (0.0, 0.8)
    voted = replace(AGREE, views=(*AGREE.views, ("a", 0.6)))
    found = dict(zip(FEATURES, evidence(voted), strict=True))
    assert (found["near_agrees"], found["near_best"]) == (1.0, 0.6)


def test_learnt_weights_tell_agreement_from_disagreement() -> None:
    weights = learn(ROWS)
    assert set(weights) == {BIAS, *FEATURES}
    assert likelihood(weights, AGREE) > 0.9
    assert likelihood(weights, APART) < 0.5  # same probability, views apart: likely wrong


def test_nothing_to_learn_when_every_best_topic_is_right() -> None:
    assert learn([(AGREE, "a")] * 50) == {}
    policy, _ = fit_learned([(AGREE, "a")] * 50)
    assert policy.weights == {}  # the plain thresholds, then


def test_a_learned_policy_answers_where_the_views_agree() -> None:
    # on the probability alone both rankings look the same: answer both or neither
    plain, _ = fit(ROWS, max_wrong=0.02)
    assert decide(AGREE, plain).outcome == decide(APART, plain).outcome
    learned, stats = fit_learned(ROWS, max_wrong=0.02)
    assert decide(AGREE, learned).outcome == "answer"
    assert decide(APART, learned).outcome == "clarify"  # offered, not asserted
    assert stats["wrong"] == 0.0 and stats["right"] == pytest.approx(300 / 600)
    assert decide(AGREE, learned).confidence == pytest.approx(likelihood(learned.weights, AGREE))


def test_a_fallback_offers_the_close_topic_one_tap_away() -> None:
    """"Not about this titre" is likeliest: the answer is a fallback, whatever the topic
    behind; a topic close enough to be suggested is offered with it, never answered."""
    close = Ranked((OUT_OF_SCOPE, "jury", "c"), (0.45, 0.35, 0.2), 1.0, words=6)
    far = Ranked((OUT_OF_SCOPE, "jury", "c"), (0.85, 0.1, 0.05), 1.0, words=6)
    assert decide(close, Policy()) == Decision("fallback", ("jury",), 0.0)
    assert decide(far, Policy()) == Decision("fallback", (), 0.0)


def test_the_policy_file_keeps_the_weights(tmp_path: Path) -> None:
    learned, stats = fit_learned(ROWS, max_wrong=0.02)
    (tmp_path / "t.yaml").write_text("", encoding="utf-8")
    (tmp_path / "t.policy.yaml").write_text(dump(learned, [("test", stats)]), encoding="utf-8")
    assert load_policy(tmp_path / "t.yaml") == learned


def test_an_unknown_feature_in_the_policy_file_is_reported_with_its_line(tmp_path: Path) -> None:
    text = dump(Policy(weights={BIAS: 0.5, "best": 1.0}), []).replace("  best:", "  bestt:")
    (tmp_path / "t.policy.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_policy(tmp_path / "t.yaml")
    line = text.splitlines().index("  bestt: 1.0") + 1
    assert f"t.policy.yaml:{line}: weights: unknown feature 'bestt'" in str(caught.value)
    assert [str(p) for p in check_files([tmp_path / "t.policy.yaml"])] == [
        f"{tmp_path / 't.policy.yaml'}:{line}: weights: unknown feature 'bestt'"
    ]
    # a weight named like a top-level key is found under `weights:`, not above it
    text = text.replace("  bestt:", "  margin:")
    (tmp_path / "t.policy.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_policy(tmp_path / "t.yaml")
    assert f"t.policy.yaml:{line}: weights: unknown feature 'margin'" in str(caught.value)


def test_the_engine_ranks_a_long_message_with_its_whole(engine: Engine) -> None:
    short = engine.ranking("c'est quoi la VAE ?")
    assert short.whole is None and short.words == 5 and len(short.views) == 3
    long = engine.ranking("Bonjour, je travaille en support depuis six ans. "
                          "Je voudrais savoir comment se passe la VAE ? Merci !")  # fmt: skip
    assert long.labels[0] == "vae" and long.whole is not None
    assert long.whole.words > long.words  # the sentence asked, read with the message around it


def test_a_view_s_weight_outside_0_to_1_is_reported_with_its_line(tmp_path: Path) -> None:
    text = dump(Policy(surface=0.35, neighbours=0.2), []).replace("neighbours: 0.2",
                                                                   "neighbours: 2.0")
    (tmp_path / "t.policy.yaml").write_text(text, encoding="utf-8")
    line = text.splitlines().index("neighbours: 2.0") + 1
    assert [str(p) for p in check_files([tmp_path / "t.policy.yaml"])] == [
        f"{tmp_path / 't.policy.yaml'}:{line}: neighbours: 2.0 is not a weight between 0 and 1"
    ]
    with pytest.raises(KnowledgeError):
        load_policy(tmp_path / "t.yaml")
