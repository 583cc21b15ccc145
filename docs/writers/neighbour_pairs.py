"""The pairs of neighbouring topics, for the brief `neighbours.md` (`pairs.txt`).

Read from the project's own sets only (validation, dev, calibration), never from a held-out
round: each wrong best topic counts 2 for its pair with the right one, each right best topic
whose runner-up is within 0.3 counts 1; pairs scoring 3 or more are listed, with their titles.

    .venv/bin/python docs/writers/neighbour_pairs.py > pairs.txt
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from knowledge.calibration import calibration_paths  # noqa: E402
from knowledge.engine import Engine  # noqa: E402
from knowledge.evaluation import load_set  # noqa: E402
from knowledge.loader import default_titre_path, load_titre  # noqa: E402
from knowledge.ranker import OUT_OF_SCOPE  # noqa: E402

NEAR = 0.3
AT_LEAST = 3


def main() -> None:
    titre = load_titre(default_titre_path())
    engine = Engine(titre)
    sets = [ROOT / "tests" / "validation.yaml", ROOT / "tests" / "devset.yaml",
            *calibration_paths(titre.path)]  # fmt: skip
    scores: Counter[tuple[str, str]] = Counter()
    for path in sets:
        for question, truth in load_set(path).items():
            (best, p1), (second, p2) = engine.ranking(question).top(2)
            right = truth or OUT_OF_SCOPE
            if best != right:
                scores[(min(best, right), max(best, right))] += 2
            elif p1 - p2 < NEAR:
                scores[(min(best, second), max(best, second))] += 1
    for (a, b), n in scores.most_common():
        if n >= AT_LEAST and OUT_OF_SCOPE not in (a, b):
            ta, tb = titre.topic(a), titre.topic(b)
            if ta is not None and tb is not None:
                print(f"{a} ({ta.title.fr})  <->  {b} ({tb.title.fr})")


if __name__ == "__main__":
    main()
