"""Stages 2, 4 and 5: features, the learnt ranker, the calibrated policy, spelling."""

from __future__ import annotations

import random
import string
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from rapidfuzz import process
from rapidfuzz.distance import OSA

from knowledge.calibration import calibration_paths
from knowledge.engine import Engine
from knowledge.features import features, surface
from knowledge.neighbours import Vector
from knowledge.policy import Policy, decide, fit, within
from knowledge.ranker import OUT_OF_SCOPE, Ranked, Ranker, train
from knowledge.spelling import Speller, mend
from knowledge.training import data_fingerprint, examples, index, model_path, phrasings


def test_the_shipped_model_learnt_from_the_data_as_it_is(engine: Engine) -> None:
    from knowledge.ranker import Ranker

    shipped = Ranker.load(model_path(engine.titre.path))
    assert shipped.fingerprint == data_fingerprint(engine.titre, engine.normalizer)
    assert engine.model.fingerprint == shipped.fingerprint


def test_every_topic_and_out_of_scope_are_classes(engine: Engine) -> None:
    assert (
        set(engine.model.meaning.classes)
        == set(engine.model.surface.classes)
        == {t.id for t in engine.titre.topics} | {OUT_OF_SCOPE}
    )


def test_a_ccp_topic_learns_its_competences(engine: Engine) -> None:
    ccp2 = engine.titre.topic("ccp2")
    assert ccp2 is not None
    learnt = examples(engine.titre, ccp2)
    assert "Mettre en exploitation une ressource informatique" in learnt
    # the English competence belongs to two CCPs: to neither CCP topic alone
    assert "Utiliser l'anglais dans son activité professionnelle en informatique" not in learnt


def test_near_misses_are_learnt_as_out_of_scope(engine: Engine) -> None:
    labels = Counter(label for _, label in phrasings(engine.titre))
    assert labels[OUT_OF_SCOPE] >= 400
    assert min(labels[t.id] for t in engine.titre.topics if t.kind != "smalltalk") >= 40


def test_training_is_deterministic_and_tiny_data_trains() -> None:
    data = [(Counter({"w:vae": 1}), "vae"), (Counter({"w:vae": 1}), "vae"),
            (Counter({"w:ccp": 1}), "ccp"), (Counter({"w:ccp": 1}), "ccp")]  # fmt: skip
    model = train(data)
    assert model.rank(Counter({"w:vae": 1})).labels[0] == "vae"
    assert model.rank(Counter({"w:inconnu": 1})).known == 0.0


def _tiny_ranker() -> Ranker:
    """The meaning model reads "vae" for both classes; the surface model tells them apart."""
    meaning = [(Counter({"w:vae": 1}), "vae"), (Counter({"w:vae": 1}), "vae"),
               (Counter({"w:vae": 1}), "vae_recevabilite"), (Counter({"w:ccp": 1}), "ccp"),
               (Counter({"w:ccp": 1}), "ccp")]  # fmt: skip
    seen = [(Counter({"s:recevable": 1}), "vae_recevabilite"),
            (Counter({"s:recevable": 1}), "vae_recevabilite"),
            (Counter({"s:vae": 1}), "vae"), (Counter({"s:vae": 1}), "vae"),
            (Counter({"s:ccp": 1}), "ccp"), (Counter({"s:ccp": 1}), "ccp")]  # fmt: skip
    model = train(meaning, 32.0)
    return Ranker(model, train(seen, 32.0), index(model, meaning))


def test_the_surface_view_changes_the_ranking_only_by_its_weight() -> None:
    ranker = _tiny_ranker()
    meaning, seen = Counter({"w:vae": 1}), Counter({"s:recevable": 1})
    alone = ranker.rank(meaning, seen, 0.0)
    assert alone.labels[0] == "vae"
    assert ranker.rank(meaning, None, 0.7) == ranker.rank(meaning, seen, 0.0)
    mixed = ranker.rank(meaning, seen, 0.7)
    assert mixed.labels[0] == "vae_recevabilite"
    assert abs(sum(mixed.probs) - 1.0) < 1e-6
    # a class both views rule out stays unlikely (a product of the two, not an average)
    assert alone.prob("ccp") < 0.05 and mixed.prob("ccp") < 0.05


def test_the_two_models_are_one_file_and_an_older_file_is_refused(tmp_path: Path) -> None:
    ranker = _tiny_ranker()
    ranker.save(tmp_path / "m.npz")
    again = Ranker.load(tmp_path / "m.npz")
    meaning, seen = Counter({"w:vae": 1}), Counter({"s:recevable": 1})
    assert again.rank(meaning, seen, 0.5).labels == ranker.rank(meaning, seen, 0.5).labels
    np.savez_compressed(tmp_path / "old.npz", **ranker.meaning.arrays())
    with pytest.raises(ValueError, match="older model format"):
        Ranker.load(tmp_path / "old.npz")
    assert Ranker.stored_fingerprint(tmp_path / "old.npz") == ""


def test_the_surface_keeps_what_stemming_drops(engine: Engine) -> None:
    v = engine.vocabulary
    seen = surface(engine.normalizer.prepare("Who evaluates the VAE, c'est quoi ?"), v)
    assert seen["s:quoi"] == 1 and seen["p:est|quoi"] == 1  # stop words and turns of phrase
    assert v.glossary["evaluates"] == "evalue"
    assert seen["s:evalue"] == 1 and "s:evaluates" not in seen  # English read in French
    assert "r:vae " in seen and "r: v" in seen  # character n-grams at the word's edges


def _ranked(*pairs: tuple[str, float], known: float = 1.0) -> Ranked:
    return Ranked(tuple(p[0] for p in pairs), tuple(p[1] for p in pairs), known)


def test_the_policy_answers_clarifies_or_falls_back() -> None:
    policy = Policy(answer_at=0.5, margin=0.2, clarify_at=0.2, min_known=0.5)
    assert decide(_ranked(("vae", 0.8), ("dspp", 0.1)), policy).outcome == "answer"
    close = decide(_ranked(("vae", 0.45), ("vae_experience", 0.4)), policy)
    assert close.outcome == "clarify" and close.topics == ("vae", "vae_experience")
    assert decide(_ranked((OUT_OF_SCOPE, 0.9), ("vae", 0.05)), policy).outcome == "fallback"
    unknown = _ranked(("vae", 0.8), ("dspp", 0.1), known=0.2)
    assert decide(unknown, policy).outcome != "answer"  # most words never seen


def test_a_plausible_runner_up_comes_with_the_answer() -> None:
    policy = Policy(answer_at=0.5, margin=0.2, clarify_at=0.2)
    close = decide(_ranked(("anglais", 0.7), ("niveau_anglais", 0.25)), policy)
    assert (close.outcome, close.topics) == ("answer", ("anglais", "niveau_anglais"))
    clear = decide(_ranked(("anglais", 0.9), ("niveau_anglais", 0.05)), policy)
    assert (clear.outcome, clear.topics) == ("answer", ("anglais",))
    refusal = decide(_ranked(("anglais", 0.7), (OUT_OF_SCOPE, 0.25)), policy)
    assert refusal.topics == ("anglais",)  # "not about this titre" is no follow-up


def test_fit_prefers_thresholds_with_fewer_wrong_answers() -> None:
    right = [(_ranked(("a", 0.9), ("b", 0.05)), "a")] * 20
    shaky = [(_ranked(("a", 0.4), ("b", 0.35)), "b")] * 5
    policy, stats = fit(right + shaky)
    assert policy.answer_at > 0.4 or policy.margin > 0.05
    assert stats["wrong"] == 0.0


def test_the_wrong_answer_cap_leaves_room_for_a_small_set() -> None:
    # 1.8% wrong measured on 836 questions may well be over 2% on the next ones; 1.2% is not
    assert not within(0.018, 836, 0.02)
    assert within(0.012, 836, 0.02)
    # the more questions, the closer the measured share may come to the cap
    assert within(0.018, 100_000, 0.02)


def test_fit_keeps_the_upper_bound_of_wrong_answers_under_the_cap() -> None:
    sure = [(_ranked(("a", 0.9), ("b", 0.05)), "a")] * 471
    close = _ranked(("a", 0.5), ("b", 0.3))
    shaky = [(close, "a")] * 20 + [(close, "b")] * 9
    # answering the shaky ones gains 20 right answers for 9 wrong: 1.8% of 500, under 2% as
    # measured, but not surely so on the next 500 questions: they are refused
    policy, stats = fit(sure + shaky, max_wrong=0.02)
    assert stats["wrong"] == 0.0
    assert decide(close, policy).outcome != "answer"


def test_the_cap_holds_on_each_part_of_the_calibration() -> None:
    # pooled, answering the shaky questions keeps wrong answers under 2% (10 of 2,000); but they
    # all sit in the smaller part, where they are 5% wrong: with the parts told, they are refused
    close = _ranked(("a", 0.5), ("b", 0.3))
    sure = [(_ranked(("a", 0.9), ("b", 0.05)), "a")]
    small = sure * 170 + [(close, "a")] * 20 + [(close, "b")] * 10
    large = sure * 1800
    pooled, _ = fit(small + large, max_wrong=0.02)
    assert decide(close, pooled).outcome == "answer"
    parted, stats = fit(small + large, max_wrong=0.02, parts=[len(small), len(large)])
    assert decide(close, parted).outcome != "answer"
    assert stats["wrong"] == 0.0


def test_a_part_may_be_held_to_its_own_cap() -> None:
    # a part of long real-world messages is held to its own bar (3%, the real-world one), not
    # the plain one (0.5% here): answering its shaky questions (12 right, 4 wrong: 0.7% of
    # 600) is within the first, not surely within the second
    close = _ranked(("a", 0.5), ("b", 0.3))
    sure = [(_ranked(("a", 0.9), ("b", 0.05)), "a")]
    stories = sure * 584 + [(close, "a")] * 12 + [(close, "b")] * 4
    plain = sure * 1000
    held, _ = fit(stories + plain, max_wrong=0.005, parts=[len(stories), len(plain)])
    assert decide(close, held).outcome != "answer"
    own, stats = fit(stories + plain, max_wrong=0.005, parts=[len(stories), len(plain)],
                     caps=[0.03, None])  # fmt: skip
    assert decide(close, own).outcome == "answer"
    assert stats["wrong"] == 4 / 1600


def test_every_calibration_part_beside_the_titre_is_read(tmp_path: Path) -> None:
    titre = tmp_path / "cuisine.yaml"
    for name in ("cuisine.calibration.yaml", "cuisine.b.calibration.yaml",
                 "cuisine.a.calibration.yaml", "autre.calibration.yaml"):  # fmt: skip
        (tmp_path / name).write_text("in_scope: {}\nout_of_scope: []\n", encoding="utf-8")
    assert [p.name for p in calibration_paths(titre)] == [
        "cuisine.calibration.yaml", "cuisine.a.calibration.yaml", "cuisine.b.calibration.yaml"
    ]


@pytest.mark.parametrize(
    ("written", "closest"),
    [
        ("nveau", "niveau"),  # a letter dropped
        ("niveaau", "niveau"),  # added
        ("niveuu", "niveau"),  # changed
        ("nievau", "niveau"),  # two swapped
        ("nivaeuu", None),  # two typos
        ("fable", None),  # "cable" and "table" are both one away: no guess
    ],
)
def test_one_typo_finds_the_one_learnt_word(written: str, closest: str | None) -> None:
    assert Speller(["niveau", "nouveau", "cable", "table"]).closest(written) == closest


def test_the_speller_finds_what_measuring_every_learnt_word_finds(engine: Engine) -> None:
    """Only the learnt words that share a spelling one letter shorter are measured: exactly
    those one typo away, as measuring all 5,000 of them would find."""
    learnt = sorted(engine.model.words)
    speller = Speller(learnt)
    rng = random.Random(7)
    for word in rng.sample(learnt, 300):
        i, letter = rng.randrange(len(word)), rng.choice(string.ascii_lowercase)
        changed, added = word[:i] + letter + word[i + 1 :], word[:i] + letter + word[i:]
        dropped = word[:i] + word[i + 1 :]
        swapped = word[:i] + word[i + 1 : i + 2] + word[i : i + 1] + word[i + 2 :]
        for typo in (changed, added, dropped, swapped):
            found = process.extract(typo, learnt, scorer=OSA.distance, processor=None,
                                    score_cutoff=1, limit=2)  # fmt: skip
            assert speller.closest(typo) == (found[0][0] if len(found) == 1 else None), typo


@pytest.mark.slow
def test_rapidfuzz_is_imported_when_a_word_is_first_mended_not_at_start_up() -> None:
    code = (
        "import sys\n"
        "from knowledge.engine import Engine\n"
        "from knowledge.loader import default_titre_path, load_titre\n"
        "from knowledge.spelling import Speller\n"
        "Engine(load_titre(default_titre_path()))\n"
        "print('rapidfuzz' in sys.modules)\n"
        "print(Speller(['niveau']).closest('nveau'), 'rapidfuzz' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["False", "niveau True"]


def test_misspellings_are_mended_towards_learnt_words(engine: Engine) -> None:
    prepared = engine.normalizer.prepare("le titre se situe à quel nveau ?")
    assert mend(prepared, engine.model.words) == "le titre se situe a quel niveau"
    assert mend(engine.normalizer.prepare("la vae"), engine.model.words) is None


def test_a_mended_reading_keeps_the_dates_and_marks_as_written(engine: Engine) -> None:
    """« message » looked misspelt: the whole message was re-read from its mended words, and
    « 14/05/2024 » became the year 2024 (a tester got 1 January 2029 for 14 May 2029)."""
    question = "Désolée pour le long message. J'ai eu le CCP 1 le 14/05/2024, jusqu'à quand ?"
    prepared, _ = engine.read(question)
    assert "14/05/2024" in prepared.text and prepared.asks
    answer = engine.ask(question, today=date(2026, 12, 6))
    assert answer.deadline is not None and answer.deadline.first_ccp == date(2024, 5, 14)
    assert "pas un jour" not in answer.text


def test_a_message_s_texts_are_prepared_once_and_dropped_with_it(engine: Engine) -> None:
    """A sentence read with the one before it is prepared once for the ranking and the veto
    both; nothing of it is kept once the next message comes."""
    reader, text = engine.reader, "Mon cousin passe le TSSR. Il a combien de temps ?"
    reader.new_message()
    first = reader.prepare(text)
    assert reader.prepare(text) is first
    assert engine.read(text)[0] == first  # no typo to mend: the reading's own preparation
    reader.new_message()
    again = reader.prepare(text)
    assert again is not first and again == first


def test_a_text_counted_word_by_word_weighs_what_training_counts(engine: Engine) -> None:
    """The engine looks each word's n-grams up once (`Reader.vectors`); the vectors it ranks
    must be, number for number and in the same order, those of the features training counts."""
    reader, v, model = engine.reader, engine.vocabulary, engine.model
    texts = [
        "Bonjour, j'ai eu le CCP 2 en 2021 et le CCP 1 il y a deux ans. Il me reste combien ?",
        "What are the three CCPs called?",
        "c koi le dspp svp",
        "Mon patron refuse mes congés payés en août, il a le droit ?",
        "aaaa aaaa aaaa zzqx",  # n-grams repeated within and across words, and unknown ones
        "",
    ]
    for text in texts:
        reader.new_message()
        prepared = engine.normalizer.prepare(text)
        for _ in range(2):  # the second time from what the message kept
            meaning, known, seen = reader.vectors(prepared)
            expected = model.meaning.vector(features(prepared, v))
            assert _same(meaning, expected)
            assert known == model.meaning.known(features(prepared, v))
            assert seen is not None
            on_surface = model.surface.vector(surface(prepared, v))
            assert _same(seen, on_surface)


def _same(a: Vector, b: Vector) -> bool:
    """The same features in the same order, with the same weights to the last bit."""
    return np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
