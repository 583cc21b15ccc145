"""What the ranker learns from: every topic's phrasings and the titre's near misses, as features.

Also where the trained model lives (`model_path`) and the fingerprint it must carry. The
engine trains from here when the shipped model is stale; `calibration.py` fits the shipped one.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from knowledge.features import features, surface
from knowledge.model import Titre, Topic
from knowledge.neighbours import Neighbours
from knowledge.ranker import OUT_OF_SCOPE, LinearModel, Ranker, Samples, fingerprint, train
from knowledge.text import Normalizer


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


def train_ranker(titre: Titre, normalizer: Normalizer, c: float) -> Ranker:
    """Both models and the phrasings' index on every phrasing, each read once (imports
    scikit-learn: seconds)."""
    v = normalizer.vocabulary
    read = [(normalizer.prepare(q), label) for q, label in phrasings(titre)]
    stamp = data_fingerprint(titre, normalizer)
    meaning = [(features(t, v), label) for t, label in read]
    model = train(meaning, c, known_words(titre, normalizer), stamp)
    return Ranker(model, train([(surface(t, v), label) for t, label in read], c, (), stamp),
                  index(model, meaning))  # fmt: skip


def index(model: LinearModel, samples: Samples) -> Neighbours:
    """The phrasings' index (`neighbours.py`), each phrasing read as the meaning model reads it."""
    vocab = sorted(model.vocab, key=model.vocab.__getitem__)
    return Neighbours.build([model.vector(feats) for feats, _ in samples],
                            [model.classes.index(label) for _, label in samples], vocab,
                            len(model.classes))  # fmt: skip
