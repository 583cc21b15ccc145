"""The answering engine: a question in, an `Answer` out — one pass, read top to bottom.

    read (reading.py: prepare, mend, features, rank)
      → readers (readers/: deadline, veto, CCP structure) → decide (policy.py, confidence.py)
      → write (replies.py)

A long message is ranked whole and sentence by sentence (each asking sentence with the one before
it): the reading the ranker is surest of is kept, small talk aside; one sentence that states a day
and then asks after a comma is read by its question, when that question stands alone. Then, in
order: a date or the user's saved CCPs for the deadline (not another titre's CCP; a year alone is
offered, not asserted); another subject named (refused unless the chosen topic speaks of it);
the CCP structure (a CCP that does not exist, unless the chosen topic's own phrasings name one;
counts; which CCP holds a task); the policy's decision (on how likely the best topic is right,
learnt from how the ranking looks).
No clock, no storage, no Telegram: `today` and the user's saved CCPs are parameters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from knowledge.answer import Answer, rule_source, suggestion
from knowledge.dates import date_alone, find_dates
from knowledge.language import Vocabulary, load_vocabulary
from knowledge.model import Lang, Titre, Topic
from knowledge.phrases import Phrases, default_phrases
from knowledge.policy import Decision, Policy, decide, load_policy
from knowledge.ranker import OUT_OF_SCOPE, Ranked, Ranker
from knowledge.readers.ccp import COMPETENCE_AT, CcpReader
from knowledge.readers.deadline import DeadlineReader, SavedCcp
from knowledge.readers.resit import ResitReader
from knowledge.readers.veto import Veto
from knowledge.reading import Reader, Reading
from knowledge.replies import Replies
from knowledge.text import Normalizer, Prepared, sentences
from knowledge.training import data_fingerprint, model_path, train_ranker

__all__ = ["Answer", "Engine"]

DEADLINE_LEAN = 0.2  # probability of the deadline topic from which a date is read as a CCP's
MAX_PARTS = 8  # sentences of a long message ranked alone, at most
MAX_ALSO = 2  # other questions of one message named under its answer, at most


class Engine:
    """Answers questions about one titre. Build once; `ask` is cheap and side-effect free."""

    def __init__(
        self,
        titre: Titre,
        phrases: Phrases | None = None,
        vocabulary: Vocabulary | None = None,
        policy: Policy | None = None,
        model: Ranker | None = None,
    ) -> None:
        self.titre = titre
        self.phrases = phrases or default_phrases()
        self.vocabulary = vocabulary or load_vocabulary()
        self.normalizer = Normalizer(self.vocabulary, titre.synonyms)
        self.policy = policy or (load_policy(titre.path) if titre.path else Policy())
        self.model = model or self._model()
        self.ccps = CcpReader(titre, self.normalizer, self.phrases)
        self.deadlines = DeadlineReader(titre, self.normalizer, self.phrases)
        self.veto = Veto(titre, self.normalizer)
        self.resits = ResitReader(titre, self.deadlines, self.phrases)
        self.replies = Replies(titre, self.phrases, self.ccps)
        self._smalltalk = {t.id for t in titre.topics if t.kind == "smalltalk"}
        # what one sentence of a long message may not stand for: "merci d'avance" closes a
        # question, it does not replace it
        self._not_asked = {OUT_OF_SCOPE, *self._smalltalk}
        self.reader = Reader(self.normalizer, self.model, self.policy.surface,
                             self.policy.neighbours)  # fmt: skip

    def _model(self) -> Ranker:
        """The shipped weights when they match the data, else trained now (seconds)."""
        path = model_path(self.titre.path) if self.titre.path else None
        if path is not None and path.exists():
            try:
                shipped = Ranker.load(path)
            except ValueError:  # an older format: `check` says so, the bot still answers
                shipped = None
            if shipped and shipped.fingerprint == data_fingerprint(self.titre, self.normalizer):
                return shipped
        return train_ranker(self.titre, self.normalizer, self.policy.c)

    # --- the pipeline -----------------------------------------------------------------------
    def warm(self) -> None:
        """Reads now what is read when first needed: the other subjects each topic's phrasings
        name (about 15 ms a topic, most of a second in all), the learnt words' index for
        mending spellings (30 ms) and rapidfuzz, which measures them (70 ms to import). The
        bot does it in the background after start-up, so that no first question waits for it."""
        self.veto.warm()
        self.reader.speller.warm()

    def read(self, text: str) -> Reading:
        """The text prepared and ranked (`reading.Reader`: kept while its message is answered)."""
        return self.reader.read(text)

    def ask(
        self,
        question: str,
        *,
        today: date,
        lang: Lang | None = None,
        saved: Sequence[SavedCcp] = (),
    ) -> Answer:
        self.reader.new_message()
        whole, ranked = self.read(question)
        lang = lang or whole.lang
        questions: list[Reading] = []  # each one read, for `_also`
        asking: list[Ranked] = []  # each asking sentence read alone
        part, part_ranked, context = self._focus(question, whole, ranked, questions, asking)
        if part is whole:
            part, part_ranked = self._dated_clause(question, whole, ranked)
        deadline_topic = self.titre.by_role("deadline")
        # a day alone is the date the deadline is asked from; a year alone may be anything
        alone = date_alone(question)
        others = self.veto.subjects(context)  # another titre, diploma or everyday subject
        # another titre's CCP ("… son CCP d'assistante de vie aux familles le 05/09/2019") has
        # no day of ours: the veto reads the message before a date is taken for our deadline
        if deadline_topic is not None and not self.veto.refused(others, deadline_topic):
            # the one sentence that asks, asking something else clearly, is what the message asks:
            # a day stated before goes beside its answer (« CCP 2 le 14/03/2019. Et le CCP 3 ? »)
            elsewhere = part is not whole and len(questions) < 2 and (
                decide(part_ranked, self.policy).outcome == "answer")
            overall = part_ranked if elsewhere else ranked
            # « Mon livret indique un CCP acquis le 14.03.2019. Est-il trop tard pour finir ? »:
            # the question alone leans to the deadline, though the two read together do not
            leans = max(r.prob(deadline_topic.id) for r in (overall, part_ranked, *asking))
            best_is_deadline = alone == "day" or (alone != "year" and deadline_topic.id in (
                overall.labels[0], part_ranked.labels[0]))
            asked = best_is_deadline or (
                leans >= DEADLINE_LEAN and self.deadlines.mentions_ccp(whole)
            )
            found = self.deadlines.read(
                whole, asked=asked, own=best_is_deadline, named=self.ccps.numbers(whole),
                today=today, lang=lang, saved=saved,
            )
            if found is not None:
                return self._also(questions, self.replies.reply(
                    question, deadline_topic, 0.95, found.text, lang, lead=False,
                    source=rule_source(self.titre, found.deadline, lang, self.phrases),
                    deadline=found.deadline, typed_dates=found.typed), lang)  # fmt: skip
        part_ranked = self._named(part, part_ranked)
        decision = self._courtesy(part, part_ranked, decide(part_ranked, self.policy))
        if deadline_topic is not None and alone == "year":
            # « 2019 » alone may be anything (the ranker's reading of one number is chance):
            # the deadline is offered, not asserted
            decision = Decision("clarify", (deadline_topic.id,), decision.confidence)
        chosen = self.titre.topic(decision.topics[0]) if decision.topics else None
        if self.veto.refused(others, chosen if decision.outcome == "answer" else None):
            return self.replies.fallback(question, lang)  # another titre's CCP: no day of ours
        answer = self._structured(question, part, part_ranked, decision, lang, context)
        answer = answer or self.replies.decided(question, decision, lang)
        # « raté le CCP 3 le 15/10/2023 » : the rule's period from that day comes first
        resit = chosen is not None and chosen.role == "resit" and answer.topic == chosen.id
        if resit and (failed := self.resits.read(whole, today, lang)) is not None:
            answer = replace(answer, text=f"{failed}\n\n{answer.text}")
        # "mon livret indique un CCP acquis le 22.11.2012 …" asked about something else: the
        # day's deadline goes beside the answer
        dated = self.deadlines.stated(whole, today) if deadline_topic is not None else None
        return self._also(questions, replace(answer, dated=dated) if dated else answer, lang)

    def _also(self, asked: Sequence[Reading], answer: Answer, lang: Lang) -> Answer:
        """A message asking several things ("Je perds mes CCP ? Combien de temps il me reste ?
        Je peux repasser le CCP3 ?") is answered on its surest question; each other question
        (`asked`: read by `_focus` with the sentence before it, which may say what "it" is)
        the policy would answer alone is named under it, its topic the first buttons."""
        if answer.status != "answer" or len(asked) < 2:
            return answer
        others: list[str] = []
        for prepared, ranked in asked:
            decision = decide(self._named(prepared, ranked), self.policy)
            found = decision.topics[0] if decision.outcome == "answer" else None
            if found not in (None, answer.topic, *others) and found not in self._smalltalk:
                others.append(str(found))
        topics = [t for t in map(self.titre.topic, others[:MAX_ALSO]) if t is not None]
        if not topics:
            return answer
        items = ", ".join(f"« {t.title.get(lang)} »" for t in topics)
        said = self.phrases.get("also.asked", lang, items=items)
        also = [suggestion(t, lang) for t in topics]
        kept = [s for s in answer.related if s.topic not in others]
        size = max(len(answer.related), len(also))  # the keyboard does not grow
        return replace(answer, text=f"{answer.text}\n\n{said}", related=tuple(also + kept)[:size])

    def ranking(self, question: str) -> Ranked:
        """What the policy decides on for a message: its asking part, CCPs named ruled out
        (`calibrate` fits the thresholds on these)."""
        self.reader.new_message()
        whole, ranked = self.read(question)
        part, part_ranked, _ = self._focus(question, whole, ranked)
        return self._named(part, part_ranked)

    def _focus(
        self, question: str, whole: Prepared, ranked: Ranked, asked: list[Reading] | None = None,
        alone: list[Ranked] | None = None,
    ) -> tuple[Prepared, Ranked, Prepared]:
        """The part of a long message that asks (the reading the ranker is surest of, small
        talk aside), and the part with the sentence before it (which may name what "it" is);
        a message of small talk alone is read by its last sentence. Each question read with
        the sentence before it goes into `asked`, and read alone into `alone`, when given."""
        parts = sentences(question)[-MAX_PARTS:]
        best = (whole, ranked, whole)
        if len(parts) < 2:
            return best
        last = best
        for i, part in enumerate(parts):
            if "?" not in part and i != len(parts) - 1:
                continue
            around = self.reader.prepare(" ".join(parts[max(0, i - 1) : i + 1]))
            # the first sentence has none before it: read once
            for n, text in enumerate((part, around.text)[: 1 if i == 0 else 2]):
                found, found_ranked = self.read(text)
                reading = (found, replace(found_ranked, whole=ranked), around)
                if n == 0:
                    last = reading  # the last sentence is always read: it closes the message
                    if alone is not None and "?" in part:
                        alone.append(found_ranked)
                if (
                    found_ranked.probs[0] > best[1].probs[0]
                    and found_ranked.labels[0] not in self._not_asked
                ):
                    best = reading
            if asked is not None and "?" in part:  # its last reading: with the one before
                asked.append((found, found_ranked))
        # nothing but small talk ("Bonjour ! Merci !"): the closing words say what it is
        only_small_talk = {ranked.labels[0], last[1].labels[0]} <= self._smalltalk
        if best[0] is whole and only_small_talk:
            best = (last[0], last[1], last[0])
        return best

    def _dated_clause(self, question: str, whole: Prepared, ranked: Ranked) -> Reading:
        """« I got CCP 2 on 14 March 2019, what does CCP 3 cover? »: one sentence, a day, then
        a question after a comma. When that question alone is answered on a topic other than
        the deadline, and the message without its dates would answer or offer that same topic,
        the question is what is asked (the day's deadline goes beside its answer). « ma
        recevabilité date de juin 2022, elle est toujours valable ? » is read whole: « elle »
        alone reads as another topic. The clause's reading carries the whole's, to weigh their
        disagreement, unless the whole answers the same topic: then the clause is as sure as
        it was found alone."""
        head, comma, tail = question.rstrip().rpartition(",")
        dates = find_dates(head)  # a prefix of the question: the same places
        deadline = self.titre.by_role("deadline")
        if not comma or not tail.strip().endswith("?") or not dates or deadline is None:
            return whole, ranked
        found, found_ranked = self.read(tail)
        alone = decide(found_ranked, self.policy)
        topic = alone.topics[0] if alone.outcome == "answer" else deadline.id
        if topic in {deadline.id, *self._not_asked}:
            return whole, ranked
        undated = question  # read only now: a long message read whole once more
        for found_date in reversed(dates):
            start, end = found_date.span
            undated = undated[:start] + undated[end:]
        if topic not in decide(self.read(undated)[1], self.policy).topics:
            return whole, ranked
        whole_decision = decide(ranked, self.policy)
        if whole_decision.outcome == "answer" and whole_decision.topics[0] == topic:
            return found, found_ranked  # the whole agrees: no doubt to carry over
        return found, replace(found_ranked, whole=ranked)

    def _courtesy(self, text: Prepared, ranked: Ranked, decision: Decision) -> Decision:
        """"Bonjour, c'est quoi la VAE ?" greets and asks: a question beside small talk (first,
        or what keeps it from being answered) is answered when it would be answered alone."""
        answered = decision.outcome == "answer" and ranked.labels[0] not in self._smalltalk
        if not text.asks or answered:
            return decision
        courtesy = self.vocabulary.courtesy
        rest = " ".join(w for w in text.plain if w not in courtesy)
        if not rest or len(rest.split()) == len(text.plain):
            return decision
        other = decide(self.read(rest)[1], self.policy)
        if other.outcome == "answer" and other.topics[0] not in self._smalltalk:
            return other
        return decision

    def _named(self, text: Prepared, ranked: Ranked) -> Ranked:
        """A CCP named by its number rules out the topics of the other CCPs, and one CCP named
        alone rules out the list of all of them: "programme du CCP 2" is CCP 2's content."""
        named = {n for n in self.ccps.numbers(text) if self.titre.ccp(n) is not None}
        if not named:
            return ranked
        ruled_out = {
            t.id
            for t in self.titre.topics
            if (len(t.ccps) == 1 and t.ccps[0] not in named)
            or (t.role == "ccp_list" and len(named) == 1)
        }
        return ranked.without(ruled_out)

    def _structured(
        self, question: str, text: Prepared, ranked: Ranked, decision: Decision, lang: Lang,
        context: Prepared,
    ) -> Answer | None:
        listing = self.titre.by_role("ccp_list")
        # « On m'a parlé d'un CCP 4. Il couvre quoi ? »: the CCP may be named in the sentence
        # before the question, as the veto reads it
        missing = self.ccps.missing(context)
        # "un CCS compte-t-il comme un quatrième CCP ?" is the CCS topic's own question
        # the list of CCPs is the answer either way: with « il n'y a pas de CCP 4 » first
        if missing and listing is not None and not self._owns_missing(decision, listing.id):
            said = self.ccps.no_such_text(missing[0], lang)
            return self.replies.reply(question, listing, 0.9, said, lang)
        if ranked.labels[0] == OUT_OF_SCOPE:
            # the structure counts for this titre only: "combien de CCP compte le titre
            # Cuisinier ?" is read by the ranker as another subject (a CCP 4 is still none of ours)
            return None
        where = self._where(question, text, lang)
        if where is not None:
            return where
        if listing is not None and self.ccps.counts_units(text) and not self.ccps.numbers(text):
            return self.replies.reply(question, listing, 0.9, self.ccps.count_text(lang), lang)
        if decision.outcome != "answer":
            return None
        topic = self.titre.topic(decision.topics[0])
        if topic is None:
            return None
        if topic.role == "ccp_list" and any(w in self.vocabulary.counting for w in text.words):
            said = self.ccps.count_text(lang)
            return self.replies.reply(question, topic, decision.confidence, said, lang)
        return None

    def _owns_missing(self, decision: Decision, listing: str) -> bool:
        chosen = decision.topics[0] if decision.outcome == "answer" else listing
        return chosen != listing and self.ccps.names_missing(chosen)

    def _asks_which_ccp(self, text: Prepared) -> bool:
        v = self.vocabulary
        return not v.units.isdisjoint(text.words) and not v.which.isdisjoint(text.words)

    def _where(self, question: str, text: Prepared, lang: Lang) -> Answer | None:
        """"Les collecticiels, c'est dans quel CCP ?": a question that asks which CCP and
        describes one competence is answered from the structure, whatever the ranking."""
        if not self._asks_which_ccp(text) or self.ccps.numbers(text):
            return None
        hits = self.ccps.competences(text)
        if not hits or hits[0].score < COMPETENCE_AT:
            return None
        numbers = tuple(sorted({h.ccp.number for h in hits}))
        topic = next((t for t in self.titre.topics if tuple(sorted(t.ccps)) == numbers), None)
        if topic is None:
            return None
        said = self.ccps.where_text(hits, lang)
        return self.replies.reply(question, topic, hits[0].score, said, lang)

    # --- outcomes (written by `Replies`) ---------------------------------------------------
    def topic_text(self, topic: Topic, lang: Lang) -> str:
        return self.replies.topic_text(topic, lang)

    def topic_answer(self, topic_id: str, *, today: date, lang: Lang) -> Answer:
        topic = self.titre.topic(topic_id)
        if topic is None:
            return self.replies.fallback(topic_id, lang)
        return self.replies.reply("", topic, 1.0, self.topic_text(topic, lang), lang)

    def search(self, query: str, *, today: date, lang: Lang, limit: int = 5) -> list[Answer]:
        """Inline mode: the few topics a partial query may be about, as ready answers."""
        if not query.strip():
            facts = [t for t in self.titre.topics if t.kind == "fact"][:limit]
            return [self.replies.reply("", t, 1.0, self.topic_text(t, lang), lang) for t in facts]
        _, ranked = self.read(query)
        out = []
        for label, p in ranked.top(limit + 1):
            topic = self.titre.topic(label)
            if topic is not None and topic.kind != "smalltalk" and p >= self.policy.clarify_at:
                out.append(self.replies.reply(query, topic, p, self.topic_text(topic, lang), lang))
        return out[:limit]

    def detect_lang(self, text: str) -> Lang:
        """French unless English function words outnumber French ones."""
        return self.normalizer.prepare(text).lang

    def lang_told(self, text: str) -> Lang | None:
        """The language the text itself tells, or None (see `Normalizer.lang_told`)."""
        return self.normalizer.lang_told(text)
