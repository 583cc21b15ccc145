"""Another subject named: another titre, diploma or body (the titre's `neighbours`) or an everyday
compound that borrows the titre's words ("permis de conduire", "titre de séjour": the language
files' `off_topic`). The engine refuses such a message unless the topic it would answer speaks
of that subject itself, in French or through the glossary from English: its title, answer and
keywords (the level topic names the BTS; the titre's history names the TSSR), or its own
phrasings, where people name it as they ask (`NAMED_BY`: "j'ai un CAP, ça suffit pour entrer ?"
is the entry requirements' question, "équivalent bac+2 ?" the equivalences').

A subject that is also a common word ("but", the "A" of "livret A") is one only when the
message writes it in capitals: "the jury, but not the title" names no diploma. A trade or
diploma the writer names as their past ("Ancienne aide-soignante : le CCS fait-il partie des
CCP ?", the language files' `past_words`) is who asks, not what is asked.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from knowledge.model import Titre, Topic
from knowledge.readers import NAMED_BY
from knowledge.text import Normalizer, Prepared, by_first_word

Subject = tuple[str, ...]


class Veto:
    def __init__(self, titre: Titre, normalizer: Normalizer) -> None:
        self._normalizer = normalizer
        self._glossary = normalizer.vocabulary.glossary
        self._common = normalizer.vocabulary.stop_words
        self._past = normalizer.vocabulary.past
        self._subjects = {
            *(normalizer.words(n) for n in titre.neighbours),
            *normalizer.vocabulary.off_topic,
        }
        self._subjects.discard(())
        self._starting = by_first_word(self._subjects)
        # what each topic speaks of (its title, answer, keywords and the changes shown beside)
        # and the subjects its phrasings name: read when first needed, a few milliseconds for
        # one topic (reading every topic's would cost the start-up a tenth of a second)
        self._titre = titre
        self._phrasings = {topic.id: topic.questions for topic in titre.topics}
        self._spoken: dict[str, str] = {}
        self._named: dict[str, frozenset[Subject]] = {}

    def subjects(self, text: Prepared) -> list[Subject]:
        """Other subjects the text names, longest match first at each place."""
        return self._find(text.plain, text.text)  # "livret A" before "livret": the booklet

    def _find(self, words: Sequence[str], written: str) -> list[Subject]:
        found: list[Subject] = []
        i = 0
        while i < len(words):
            for subject in self._starting.get(words[i], ()):
                n = len(subject)
                if tuple(words[i : i + n]) == subject and self._written_as_subject(
                    subject, written
                ):
                    if not (i and words[i - 1] in self._past):  # "ancienne aide-soignante"
                        found.append(subject)
                    i += n
                    break
            else:
                i += 1
        return found

    def _written_as_subject(self, subject: Subject, written: str) -> bool:
        """A subject ending in a common word ("but", "livret a") needs that word in capitals."""
        last = subject[-1]
        if last not in self._common:
            return True
        return re.search(rf"(?<!\w){re.escape(last.upper())}(?!\w)", written) is not None

    def refuses(self, text: Prepared, topic: Topic | None) -> bool:
        """The text names a subject the topic does not speak of ("BTS SIO" is spoken of by a
        topic that speaks of the BTS: a shorter subject inside it counts)."""
        return self.refused(self.subjects(text), topic)

    def refused(self, subjects: Sequence[Subject], topic: Topic | None) -> bool:
        """`refuses` for subjects already found: the engine asks twice of one message (before
        the deadline reader, then for the topic chosen), and finds them once."""
        if topic is None:
            return bool(subjects)
        spoken, named = self.spoken_by(topic), self.named_by(topic.id)
        return any(
            not any(part in named or f" {' '.join(part)} " in spoken for part in self._read(s))
            for s in subjects
        )

    def warm(self) -> None:
        """What is read when first needed, read now for every topic (under a second)."""
        for topic in self._titre.topics:
            self.named_by(topic.id)
            self.spoken_by(topic)

    def named_by(self, topic_id: str) -> frozenset[Subject]:
        """The subjects at least `NAMED_BY` of the topic's phrasings name."""
        if topic_id not in self._named:
            seen: Counter[Subject] = Counter()
            for q in self._phrasings.get(topic_id, ()):
                seen.update(set(self._find(self._normalizer.words(q), q)))
            self._named[topic_id] = frozenset(s for s, n in seen.items() if n >= NAMED_BY)
        return self._named[topic_id]

    def spoken_by(self, topic: Topic) -> str:
        """The folded words of what the topic says, padded with spaces for phrase search."""
        if topic.id not in self._spoken:
            titre, fold = self._titre, self._normalizer.words
            changes = [e for e in (titre.evolution(i) for i in topic.evolutions) if e is not None]
            texts = [topic.title.fr, topic.title.en or "", topic.answer.fr, topic.answer.en or "",
                     *topic.keywords, *(e.later_rule.fr for e in changes)]  # fmt: skip
            self._spoken[topic.id] = f" {' '.join(' '.join(fold(t)) for t in texts)} "
        return self._spoken[topic.id]

    def _read(self, subject: Subject) -> list[Subject]:
        """The subject and the known subjects inside it, also through the glossary: a topic
        that speaks of the "licence" speaks of the English "bachelor"."""
        found = self._within(subject)
        return found + [tuple(self._glossary.get(w, w) for w in part) for part in found]

    def _within(self, subject: Subject) -> list[Subject]:
        """The subject and the known subjects written inside it."""
        n = len(subject)
        return [subject[i:j] for i in range(n) for j in range(i + 1, n + 1)
                if subject[i:j] == subject or subject[i:j] in self._subjects]  # fmt: skip

    def names_any(self, texts: Sequence[Prepared]) -> bool:
        return any(self.subjects(t) for t in texts)
