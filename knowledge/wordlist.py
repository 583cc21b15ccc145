"""Real French and English words, so that spelling repair never turns one word into another.

"ministre" is one typo away from "ministere", "route" from "toute": a question about the
prime minister must stay a question about something else. The word lists come from the
pyspellchecker package's frequency files (read directly: only the words are needed); without
the package the set is empty and repair works on the index vocabulary alone.
"""

from __future__ import annotations

import gzip
import json
import unicodedata
from collections.abc import Mapping
from importlib import resources

MIN_COUNT = 100  # rarer entries of the lists are mostly misspellings or proper names
MIN_LENGTH = 5  # shorter words are never repaired anyway


def real_words(langs: tuple[str, ...] = ("fr", "en")) -> Mapping[str, None]:
    """Accent-free frequent words of the given languages (about 70,000; ~0.15 s).

    A dict, not a set: a dict of strings is not tracked by the garbage collector, so a full
    collection does not walk 70,000 entries in the middle of an answer.
    """
    words: dict[str, None] = {}
    for lang in langs:
        try:
            path = resources.files("spellchecker").joinpath("resources", f"{lang}.json.gz")
            with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
                counts: dict[str, int] = json.load(text)
        except (ModuleNotFoundError, FileNotFoundError, OSError, ValueError):
            continue
        kept = "\n".join(w for w, c in counts.items() if c >= MIN_COUNT and len(w) >= MIN_LENGTH)
        plain = unicodedata.normalize("NFKD", kept.lower()).encode("ascii", "ignore").decode()
        words.update(dict.fromkeys(plain.split("\n")))
    return words
