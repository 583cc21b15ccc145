"""What the ranker learns from: every topic's phrasings and the titre's near misses, as features.

Also `calibrate`: cross-validated predictions on that data fit the decision policy, and the
final model is trained on all of it; `python -m bot calibrate` writes both beside the titre.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from knowledge.evaluation import load_set
from knowledge.features import features
from knowledge.model import Titre, Topic
from knowledge.policy import MAX_WRONG, Policy, dump, fit, policy_path
from knowledge.ranker import OUT_OF_SCOPE, C, LinearModel, Ranked, fingerprint, train
from knowledge.text import Normalizer

FOLDS = 5
C_GRID = (8.0, 32.0)  # regularisation strengths tried by `calibrate`


def model_path(titre_path: str | Path) -> Path:
    p = Path(titre_path)
    return p.with_name(f"{p.stem}.model.npz")


def examples(titre: Titre, topic: Topic) -> list[str]:
    """What a topic learns from: its phrasings, its title and keywords, and for a CCP topic
    the CCP's title, competences and their keywords (so "les collecticiels, quel CCP ?" needs
    no phrasing of its own)."""
    out = [*topic.questions, topic.title.fr, *([topic.title.en] if topic.title.en else []),
           *topic.keywords]  # fmt: skip
    if len(topic.ccps) == 1 and (ccp := titre.ccp(topic.ccps[0])) is not None:
        out += [ccp.title.fr, *([ccp.title.en] if ccp.title.en else []), *ccp.keywords]
        shared = _shared_competences(titre)
        for comp in ccp.competences:
            if comp.text.fr in shared:
                continue  # a competence of several CCPs belongs to none of them alone
            out += [comp.text.fr, *([comp.text.en] if comp.text.en else []), *comp.keywords]
    return list(dict.fromkeys(out))


def _shared_competences(titre: Titre) -> set[str]:
    seen: dict[str, int] = {}
    for ccp in titre.ccps:
        for comp in ccp.competences:
            seen[comp.text.fr] = seen.get(comp.text.fr, 0) + 1
    return {text for text, n in seen.items() if n > 1}


def phrasings(titre: Titre) -> list[tuple[str, str]]:
    """(phrasing, label) for every example the engine learns from."""
    out = [(q, t.id) for t in titre.topics for q in examples(titre, t)]
    out += [(q, OUT_OF_SCOPE) for q in titre.out_of_scope]
    return out


def data_fingerprint(titre: Titre, normalizer: Normalizer) -> str:
    """The fingerprint a model trained on this titre's data now must carry."""
    v = normalizer.vocabulary
    language = {f: getattr(v, f) for f in v.__dataclass_fields__}
    return fingerprint(phrasings(titre), titre.synonyms, language)


def known_words(titre: Titre, normalizer: Normalizer, min_count: int = 2) -> list[str]:
    """Words written at least twice in the examples: what a misspelling is mended towards."""
    seen: Counter[str] = Counter()
    for q, _ in phrasings(titre):
        seen.update(normalizer.words(q))
    return sorted(w for w, n in seen.items() if n >= min_count and w.isalpha())


def samples(titre: Titre, normalizer: Normalizer) -> list[tuple[Counter[str], str]]:
    vocabulary = normalizer.vocabulary
    return [(features(normalizer.prepare(q), vocabulary), label) for q, label in phrasings(titre)]


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
    from knowledge.engine import Engine  # the engine uses this module to train

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
