"""The answering engine: a question in, an `Answer` out (answer, clarify or fallback).

Built once from a `Titre` (the index costs a few milliseconds); each question then costs well
under a millisecond. Order of reasoning for one question:
1. a date in a question about the deadline -> the computed deadline, naming its rule;
2. questions the structured data answers best: which CCP holds a competence, how many CCPs
   or competences, what CCP n contains;
3. otherwise the ranked topics (`matching.Index`): a confident best topic is answered, a
   plausible one is offered among up to three "vouliez-vous dire…" suggestions, and anything
   else gets a plain fallback that says what the bot can answer. Never a guess.
A long message that is not answered whole is read by parts: its sentences that ask, then
its last clauses; never when it names another subject (another diploma, titre or body).
No clock here: `today` is always a parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from knowledge.analyzer import Analysis, Analyzer, asking_sentences, tails
from knowledge.answer import (
    Answer,
    Suggestion,
    clarify_text,
    fallback_text,
    related,
    suggestion,
    with_evolutions,
)
from knowledge.dated import DeadlineReader
from knowledge.idioms import ADDRESS, ASKING, GREETINGS, OFF_TOPIC, THANKS
from knowledge.matching import Index, Scored
from knowledge.model import Lang, Titre, Topic
from knowledge.normalize import detect_lang
from knowledge.phrases import Phrases, default_phrases
from knowledge.reading import CARDINALS, LISTING, Reading
from knowledge.structured import Structure
from knowledge.wordlist import real_words

__all__ = ["Answer", "Engine", "Suggestion"]

ANSWER_AT = 0.5  # best topic score from which the bot answers
CLARIFY_AT = 0.3  # ... from which it offers suggestions
MARGIN = 0.03  # a best topic this close to the second one is a question, not an answer
MAX_UNKNOWN = 0.45  # share of words foreign to the référentiel above which it never answers
COMPETENCE_AT = 0.5
MAX_TAILS = 6  # a long message's last clauses tried alone, at most


_Memo = dict[str, tuple[Analysis, list[str]]]
_INTENSE = frozenset({"beaucoup", "bien", "infiniment", "encore", "a", "lot", "so", "much", "you"})
_FOR = frozenset({"pour", "for"})


class Engine:
    """Answers questions about one titre. Build once; `ask` is cheap and side-effect free."""

    def __init__(self, titre: Titre, phrases: Phrases | None = None) -> None:
        self.titre = titre
        self.phrases = phrases or default_phrases()  # the sentences said around the data
        # "CCP" is the word of every titre professionnel, whatever the ids in the file.
        # "avoir le TSGRI" is obtaining it, as "avoir le titre" is (the lexicon's idiom).
        short = titre.identity.short_name.lower()
        obtaining = ("obtenir", f"avoir le {short}", f"avoir ce {short}", f"avoir mon {short}")
        self.analyzer = Analyzer((*titre.synonyms, obtaining), "ccp", real_words())
        self.index = Index(titre, self.analyzer)
        self.structure = Structure(titre, self.analyzer, self.phrases)
        self._ccp_topic = {t.ccps[0]: t for t in titre.topics if len(t.ccps) == 1}
        all_numbers = tuple(sorted(c.number for c in titre.ccps))
        covering = [t for t in titre.topics if tuple(sorted(t.ccps)) == all_numbers]
        # The topic that lists the CCPs: the one whose own phrasings talk about CCPs most.
        self._all_ccps_topic = max(
            covering,
            key=lambda t: sum(1 for q in (*t.questions, *t.keywords) if "ccp" in q.lower()),
            default=None,
        )
        self.deadlines = DeadlineReader(titre, self.structure, self.analyzer.unit, self.phrases)
        self.reading = Reading(titre, self.analyzer, self.index)

    # --- public API -------------------------------------------------------------------------
    def ask(
        self,
        question: str,
        *,
        today: date,
        lang: Lang | None = None,
        saved: Sequence[tuple[int, date]] = (),
    ) -> Answer:
        """`saved`: the user's CCPs as the dialogue read them from storage, (number, date);
        a question about the deadline without a date is answered from the earliest one."""
        lang = lang or detect_lang(question)
        # A long message tells a story around its question ("Bonjour, je suis en reconversion
        # et ..."): its sentences that ask come first (each alone, then with the sentence
        # before it, which may say what "it" is), then the whole, then its last clauses.
        memo: _Memo = {}  # each text of this message analysed once
        asking = [p for p in asking_sentences(question) if self._decisive(p, memo)]
        whole = self._courtesy(question, self._ask(question, today, lang, memo, saved), lang, memo)
        if whole.status == "answer" and not asking:
            return whole
        for part in asking:
            found = self._ask(part, today, lang, memo, saved)
            if found.status == "answer" and self._topic_kind(found) == "fact|silent":
                return replace(found, question=question)
        if whole.status == "answer" or self._elsewhere_named(question, memo):
            return whole
        # The clauses at its end: the most confident reading wins ("budgets et contrats :
        # c'est dans quel CCP ?" is about CCP 3, not about the list of CCPs).
        found_best: Answer | None = None
        for part in tails(question)[:MAX_TAILS]:
            if not self._decisive(part, memo):
                continue  # "comment faire", "Lyon": a part that says nothing alone
            found = self._ask(part, today, lang, memo, saved)
            if (
                found.status == "answer"
                and self._topic_kind(found) == "fact|silent"
                and (found_best is None or found.confidence > found_best.confidence)
            ):
                found_best = found
        return whole if found_best is None else replace(found_best, question=question)

    def _courtesy(self, question: str, found: Answer, lang: Lang, memo: _Memo) -> Answer:
        """Thanks or a greeting that asks nothing is that small talk, whatever else it names:
        "super merci pour ton aide" thanks (it does not ask for help), "coucou le bot"
        greets. A question ("salut, tu sais faire quoi ?") keeps its own answer."""
        analysis, toks = self._read(question, memo)
        said = analysis.normalized.split()
        words = set(said)
        if "?" in question or words & ASKING:
            return found
        # "merci pour les infos sur la VAE" thanks for a fact; "merci de me dire" asks one.
        thanked = any(
            w in THANKS and next((x for x in said[i + 1:] if x not in _INTENSE), "") in _FOR
            for i, w in enumerate(said)
        )
        if found.status == "answer" and self._topic_kind(found) != "smalltalk" and not thanked:
            return found
        greeted = found.status == "answer" and found.topic in ("bonjour", "aurevoir")
        if words & THANKS and not greeted:
            topic = self.titre.topic("merci")  # small-talk ids fixed by ARCHITECTURE.md
        elif words & GREETINGS and toks and set(toks) <= ADDRESS:
            topic = self.titre.topic("bonjour")
        else:
            return found
        return found if topic is None else self._answer(question, topic, 0.9, lang)

    def _read(self, text: str, memo: _Memo) -> tuple[Analysis, list[str]]:
        """A text analysed and its tokens refined, once per message."""
        if text not in memo:
            analysis = self.analyzer.analyze(text, spell=True)
            toks = self.index.refine(analysis.tokens, analysis.partial, analysis.real)
            if self.reading.holds_all(analysis.words, toks):
                toks = [*toks, f"all_{self.analyzer.unit}"]
            memo[text] = (analysis, toks)
        return memo[text]

    def _decisive(self, text: str, memo: _Memo) -> bool:
        """A part of a message that names something (not only "en quoi ça consiste ?") and
        names nothing foreign to the titre."""
        _, toks = self._read(text, memo)
        index = self.index
        names = any(
            t not in index.light and t not in index.weak and t not in index.common
            for t in toks
        )
        return names and index.decisive(toks) and not self._elsewhere_named(text, memo)

    def _elsewhere_named(self, question: str, memo: _Memo) -> bool:
        """The message names another subject (another diploma or body, an everyday compound
        such as "permis de conduire", another titre): no part of it is read alone."""
        analysis, toks = self._read(question, memo)
        return (
            OFF_TOPIC in toks
            or any(t in self.index.other_diplomas for t in toks)
            or self.reading.other_titre(analysis.normalized)
        )

    def _topic_kind(self, answer: Answer) -> str:
        topic = self.titre.topic(answer.topic or "")
        return "fact|silent" if topic is not None and topic.kind != "smalltalk" else "smalltalk"

    def _ask(
        self,
        question: str,
        today: date,
        lang: Lang,
        memo: _Memo,
        saved: Sequence[tuple[int, date]] = (),
    ) -> Answer:
        analysis, toks = self._read(question, memo)
        words = list(analysis.words)
        if self.reading.other_titre(analysis.normalized):
            return self._fallback(question, lang)
        ranked = self.index.rank(toks, analysis.normalized)
        dated = self.deadlines.answer(question, words, toks, ranked, today, lang, saved)
        if dated is not None:
            return dated
        if not self.index.decisive(toks):
            near = self.index.by_phrase(analysis.normalized)
            if near is not None:
                ranked = [near]
        structured = self._structured(question, words, toks, ranked, lang)
        if structured is not None:
            return structured
        return self._decide(question, toks, ranked, lang, words)

    def topic_answer(self, topic_id: str, *, today: date, lang: Lang) -> Answer:
        topic = self.titre.topic(topic_id)
        if topic is None:
            return self._fallback(topic_id, lang)
        return self._answer("", topic, 1.0, lang)

    def search(self, query: str, *, today: date, lang: Lang, limit: int = 5) -> list[Answer]:
        """Inline mode: the few topics a partial query may be about, as ready answers."""
        if not query.strip():
            facts = [t for t in self.titre.topics if t.kind == "fact"]
            return [self._answer("", t, 1.0, lang) for t in facts[:limit]]
        analysis = self.analyzer.analyze(query, spell=True)
        toks = self.index.refine(analysis.tokens, analysis.partial, analysis.real)
        if self.index.unknown_share(toks) > MAX_UNKNOWN:
            return []
        return [
            self._answer(query, s.topic, s.score, lang)
            for s in self.index.rank(toks, analysis.normalized)[:limit]
            if s.score >= CLARIFY_AT and s.strong and s.topic.kind != "smalltalk"
        ]

    # --- outcomes ---------------------------------------------------------------------------
    def _decide(
        self,
        question: str,
        toks: list[str],
        ranked: list[Scored],
        lang: Lang,
        words: Sequence[str] = (),
    ) -> Answer:
        ranked = self.reading.silent_aside(toks, ranked)
        if not ranked:
            return self._fallback(question, lang)
        best = ranked[0]
        second = ranked[1].score if len(ranked) > 1 else 0.0
        titled = self.reading.titled(toks, ranked, MARGIN)
        if titled is not None:  # a tie its title words break
            best, second = titled, min(second, titled.score - MARGIN)
        unknown = self.index.unknown_share(toks)
        about = self.titre.topic("titre")  # topic id fixed by ARCHITECTURE.md
        if about is not None and (
            self.index.only_names(toks) or self.reading.what_titre_is(toks, words)
        ):
            return self._answer(question, about, max(best.score, ANSWER_AT), lang)
        if (
            best.score >= ANSWER_AT
            and (best.strong or self._plain_smalltalk(best, second))
            and unknown <= MAX_UNKNOWN
            and best.score - second >= MARGIN
            and not self.index.foreign(toks, best)
            and not self.reading.elsewhere(toks, best)
            and OFF_TOPIC not in toks
            and not self.reading.beyond_facts(toks, best)
        ):
            return self._answer(question, best.topic, best.score, lang)
        # Suggestions only when the question is mostly made of the référentiel's words, and
        # only topics that speak of the other diploma or body it names, if it names one.
        if OFF_TOPIC in toks:
            return self._fallback(question, lang, best.score)
        if best.score >= CLARIFY_AT and (best.coverage >= 0.45 or unknown <= 0.3):
            floor = max(CLARIFY_AT, best.score * 0.6)
            options = tuple(
                suggestion(s.topic, lang)
                for s in ranked[:3]
                if s.score >= floor and self.index.speaks_of_others(toks, s)
            )
            if not options:
                return self._fallback(question, lang, best.score)
            return Answer(
                question=question,
                status="clarify",
                topic=None,
                confidence=best.score,
                text=clarify_text(options, lang, self.phrases),
                suggestions=options,
                lang=lang,
            )
        return self._fallback(question, lang, best.score)

    @staticmethod
    def _plain_smalltalk(best: Scored, second: float) -> bool:
        """Small talk is made of function words ("t'es qui toi"): answered when its words
        are all the question's and no topic comes close."""
        return (
            best.topic.kind == "smalltalk" and best.coverage >= 0.99 and best.score - second >= 0.2
        )

    def topic_text(self, topic: Topic, lang: Lang) -> str:
        """A topic's answer as the user reads it (built from the data for a CCP), without
        the later changes (`Answer.text` adds them)."""
        ccp = self.titre.ccp(topic.ccps[0]) if len(topic.ccps) == 1 else None
        return self.structure.ccp_text(ccp, lang) if ccp is not None else topic.answer.get(lang)

    def _answer(self, question: str, topic: Topic, confidence: float, lang: Lang) -> Answer:
        return self._topic_reply(question, topic, confidence, self.topic_text(topic, lang), lang)

    def _topic_reply(
        self, question: str, topic: Topic, confidence: float, text: str, lang: Lang
    ) -> Answer:
        return Answer(
            question=question,
            status="answer",
            topic=topic.id,
            confidence=min(1.0, confidence),
            text=with_evolutions(text, self.titre, topic, lang, self.phrases),
            related=related(self.titre, topic, lang),
            source=topic.source or None,
            lang=lang,
        )

    def _fallback(self, question: str, lang: Lang, confidence: float = 0.0) -> Answer:
        return Answer(
            question=question,
            status="fallback",
            topic=None,
            confidence=confidence,
            text=fallback_text(self.titre, lang, self.phrases),
            lang=lang,
        )

    # --- structured answers -----------------------------------------------------------------
    def _structured(
        self, question: str, words: list[str], toks: list[str], ranked: list[Scored], lang: Lang
    ) -> Answer | None:
        st = self.structure
        numbers = st.ccp_numbers(words)
        best = ranked[0] if ranked else None
        missing = st.ccp_numbers(words, existing=False)
        if missing and not numbers and self._all_ccps_topic is not None:
            text = st.no_such_ccp(missing[0], lang)
            return self._topic_reply(question, self._all_ccps_topic, 0.9, text, lang)
        counted = st.counted(words)
        if any(t in self.index.other_diplomas for t in toks):
            return None  # "combien de CCP dans le BTS ?" is about another diploma
        if counted and self._all_ccps_topic is not None:
            counts_units = counted == "unit"
            counts_comps = counted == "competence"
            if numbers and counts_comps and numbers[0] in self._ccp_topic:
                return self._answer(question, self._ccp_topic[numbers[0]], 0.95, lang)
            if (counts_units or counts_comps) and not numbers and self._plain(toks):
                return self._topic_reply(
                    question, self._all_ccps_topic, 0.95, st.count_text(lang), lang
                )
        if self._lists_all(words, toks) and self._all_ccps_topic is not None:
            return self._answer(question, self._all_ccps_topic, 0.9, lang)
        asks = st.asks_which_ccp(words)
        if numbers or OFF_TOPIC in toks or not (asks or self._plain(toks)):
            return None
        ccp_topic_best = best is not None and len(best.topic.ccps) == 1 and best.score >= 0.4
        if asks or ccp_topic_best:
            # Asked which CCP, everyday words ("surtout", "actuel") say nothing of the
            # competence meant: left out.
            telling = [t for t in toks if not asks or t not in self.index.everyday]
            hits = st.competences_for(telling)
            # Two different competences tied ("évalué" and "anglais"): the words do not say
            # which one is meant, the ranked topics decide.
            tied = len({h.competence.text.fr for h in hits}) > 1
            if (
                hits
                and not tied
                and hits[0].score >= COMPETENCE_AT
                and not st.names_a_ccp(toks, hits[0])
            ):
                nums = tuple(sorted({h.ccp.number for h in hits}))
                topic = self._ccp_topic.get(nums[0]) if len(nums) == 1 else next(
                    (t for t in self.titre.topics if tuple(sorted(t.ccps)) == nums), None
                )
                if topic is not None:
                    return self._topic_reply(
                        question, topic, max(hits[0].score, 0.6), st.where_text(hits, lang), lang
                    )
        return None

    def _lists_all(self, words: list[str], toks: list[str]) -> bool:
        """"Quels sont les 3 CCP ?": the number of all the CCPs, asked for, and nothing else."""
        total = str(len(self.titre.ccps))
        content = {CARDINALS.get(t, t) for t in toks if t not in self.index.light}
        asked = any(w in LISTING for w in words)
        return asked and content == {total, self.analyzer.unit}

    def _plain(self, toks: list[str]) -> bool:
        """A counting question with nothing else in it that the index does not know."""
        return self.index.unknown_share(toks) <= MAX_UNKNOWN
