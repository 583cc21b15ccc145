"""Another subject named: another titre, diploma or body (the titre's `neighbours`) or an everyday
compound that borrows the titre's words ("permis de conduire", "titre de séjour": the language
files' `off_topic`). The engine refuses such a message unless the topic it would answer speaks
of that subject itself (the level topic names the BTS; the titre's history names the TSSR), in
French or through the glossary from English.
"""

from __future__ import annotations

from collections.abc import Sequence

from knowledge.model import Titre, Topic
from knowledge.text import Normalizer, Prepared


class Veto:
    def __init__(self, titre: Titre, normalizer: Normalizer) -> None:
        self._glossary = normalizer.vocabulary.glossary
        self._subjects = {
            *(normalizer.words(n) for n in titre.neighbours),
            *normalizer.vocabulary.off_topic,
        }
        self._subjects.discard(())
        self._longest = max((len(s) for s in self._subjects), default=0)
        # what each topic speaks of: its title, answer, keywords and the changes shown beside
        self._spoken: dict[str, str] = {}
        for topic in titre.topics:
            changes = [e for e in (titre.evolution(i) for i in topic.evolutions) if e is not None]
            texts = [topic.title.fr, topic.title.en or "", topic.answer.fr, topic.answer.en or "",
                     *topic.keywords, *(e.later_rule.fr for e in changes)]  # fmt: skip
            folded = (" ".join(normalizer.words(t)) for t in texts)
            self._spoken[topic.id] = f" {' '.join(folded)} "

    def subjects(self, text: Prepared) -> list[tuple[str, ...]]:
        """Other subjects the text names, longest match first at each place."""
        words = text.plain  # "livret A" before "livret" becomes the titre's booklet
        found: list[tuple[str, ...]] = []
        i = 0
        while i < len(words):
            for n in range(min(self._longest, len(words) - i), 0, -1):
                part = tuple(words[i : i + n])
                if part in self._subjects:
                    found.append(part)
                    i += n
                    break
            else:
                i += 1
        return found

    def refuses(self, text: Prepared, topic: Topic | None) -> bool:
        """The text names a subject the topic does not speak of ("BTS SIO" is spoken of by a
        topic that speaks of the BTS: a shorter subject inside it counts)."""
        spoken = self._spoken.get(topic.id, "") if topic is not None else ""
        return any(
            not any(f" {' '.join(part)} " in spoken for part in self._read(s))
            for s in self.subjects(text)
        )

    def _read(self, subject: tuple[str, ...]) -> list[tuple[str, ...]]:
        """The subject and the known subjects inside it, also through the glossary: a topic
        that speaks of the "licence" speaks of the English "bachelor"."""
        found = self._within(subject)
        return found + [tuple(self._glossary.get(w, w) for w in part) for part in found]

    def _within(self, subject: tuple[str, ...]) -> list[tuple[str, ...]]:
        """The subject and the known subjects written inside it."""
        n = len(subject)
        return [subject[i:j] for i in range(n) for j in range(i + 1, n + 1)
                if subject[i:j] == subject or subject[i:j] in self._subjects]  # fmt: skip

    def names_any(self, texts: Sequence[Prepared]) -> bool:
        return any(self.subjects(t) for t in texts)
