"""Stage 3: the veto — another titre, diploma, certification or everyday subject named: the
message is about it, not about this titre, unless the answer chosen speaks of it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from knowledge.engine import Engine
from knowledge.readers.veto import Veto

TODAY = date(2026, 12, 5)


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("La certification PMP, elle est au RNCP ?", ("pmp",)),
        ("Can I use my CPF to pay for the VMware VCP certification?", ("vcp",)),
        ("la CompTIA A+ c'est reconnu par l'état ?", ("comptia",)),
    ],
)
def test_another_certification_is_another_subject(
    engine: Engine, question: str, named: tuple[str]
) -> None:
    """Vendor certifications (written by their short names) are not the titre: the topic on
    recognition does not speak of them, so a question about one is not answered with it."""
    text = engine.normalizer.prepare(question)
    assert named in engine.veto.subjects(text)
    assert engine.veto.refuses(text, engine.titre.topic("reconnaissance"))
    assert engine.ask(question, today=TODAY).status != "answer"


def test_the_structure_counts_for_this_titre_only(engine: Engine) -> None:
    # "Cuisinier" is no neighbour the veto knows by name: the ranker reads another subject,
    # and the structure does not count in its place
    other = engine.ask("Combien de CCP compte le titre professionnel Cuisinier ?", today=TODAY)
    assert other.status != "answer"
    ours = engine.ask("Combien de CCP compte le titre professionnel TSGRI ?", today=TODAY)
    assert ours.topic == "activites" and "3" in ours.text
    # a CCP of ours that does not exist is still answered, whatever the ranker reads
    missing = engine.ask("le CCP 4 il porte sur quoi ?", today=TODAY)
    assert missing.topic == "activites" and "pas de CCP 4" in missing.text


@pytest.mark.parametrize(
    "question",
    [
        "Le titre pro Secrétaire assistant, ses CCP c'est quoi ?",
        "c'est quoi un livret A ?",
        "combien de CCP dans le BTS SIO ?",
        "Combien de CCP compte le titre professionnel Vendeur conseil en magasin ?",
        "Les CCP du titre Technicien de maintenance industrielle, c'est lesquels ?",
        "Mon patron refuse mes congés payés en août, il a le droit ?",
    ],
)
def test_another_subject_is_refused(engine: Engine, question: str) -> None:
    assert engine.ask(question, today=TODAY).status != "answer"


def test_a_neighbour_the_answer_speaks_of_is_answered(engine: Engine) -> None:
    answer = engine.ask("le TSSR a remplacé le TSGRI ?", today=TODAY)
    assert (answer.status, answer.topic) == ("answer", "titre_actuel")


def test_a_subject_named_in_english_is_read_through_the_glossary(engine: Engine) -> None:
    # the equivalences topic speaks of the "licence": the English "bachelor" is the same subject
    titre, veto, prepare = engine.titre, engine.veto, engine.normalizer.prepare
    equivalences, metier = titre.topic("equivalences"), titre.topic("metier")
    assert not veto.refuses(prepare("would it count towards a bachelor later on?"), equivalences)
    assert veto.refuses(prepare("would it count towards a bachelor later on?"), metier)
    # a certification its phrasings never name (the CCNA is named by two of them now: « does a
    # CCNA exempt me from a CCP? » is the equivalences' question)
    assert veto.refuses(prepare("would it count towards an ITIL later on?"), equivalences)


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("What happens if I fail the exam but pass some parts?", []),
        ("Quelle moyenne faut-il pour entrer en BUT informatique ?", ["but"]),
        ("Le parchemin et le livret : à quoi sert chacun ?", []),
        ("Combien rapporte un livret A ?", ["livret a"]),
    ],
)
def test_a_subject_that_is_also_a_common_word_needs_its_capitals(
    engine: Engine, question: str, named: list[str]
) -> None:
    found = engine.veto.subjects(engine.normalizer.prepare(question))
    assert [" ".join(s) for s in found] == named


def test_a_subject_the_topics_phrasings_name_is_spoken_of(engine: Engine) -> None:
    # one phrasing naming the CAP is an aside; two say that people ask this topic with it
    titre, normalizer = engine.titre, engine.normalizer
    entry = titre.topic("prerequis")
    assert entry is not None
    question = "Je n'ai qu'un CAP de fleuriste, puis-je entrer en formation ?"
    plain = ("Faut-il un diplôme pour entrer en formation ?",)
    once = ("J'ai un CAP, est-ce suffisant ?",)
    twice = (*once, "Avec un CAP seulement, on peut s'inscrire ?")
    refused = []
    for phrasings in (plain, once, twice):
        topics = tuple(replace(t, questions=phrasings) if t.id == entry.id else t
                       for t in titre.topics)  # fmt: skip
        veto = Veto(replace(titre, topics=topics), normalizer)
        refused.append(veto.refuses(normalizer.prepare(question), entry))
    assert refused == [True, True, False]


def test_an_entry_question_told_with_a_diploma_is_answered(engine: Engine) -> None:
    answer = engine.ask("J'ai seulement un CAP cuisine, est-ce que je peux entrer en formation ?",
                        today=TODAY)  # fmt: skip
    assert (answer.status, answer.topic) == ("answer", "prerequis")
    assert engine.ask("Le jury du BTS est-il composé de professeurs ?", today=TODAY).status != (
        "answer"
    )


def test_another_titres_ccp_date_is_no_deadline_of_ours(engine: Engine) -> None:
    asked = "j'ai eu mon premier CCP en 2021, jusqu'à quand pour avoir les autres ?"
    answer = engine.ask(f"Développeur web : {asked}", today=TODAY)
    assert answer.status == "fallback" and answer.deadline is None
    ours = engine.ask(f"TSGRI : {asked}", today=TODAY)
    assert ours.topic == "delai" and ours.deadline is not None


@pytest.mark.parametrize(
    "question",
    [
        "J'ai eu mon premier CCP de secrétaire assistante le 12/03/2021, "
        "jusqu'à quand pour finir ?",
        "Premier CCP de vendeuse conseil en magasin obtenu le 4 mai 2020 : quelle date limite ?",
    ],
)
def test_a_titre_named_in_the_feminine_is_another_subject(engine: Engine, question: str) -> None:
    answer = engine.ask(question, today=TODAY)
    assert answer.status == "fallback" and answer.deadline is None


def test_a_trade_named_as_the_writers_past_is_who_asks(engine: Engine) -> None:
    prepare = engine.normalizer.prepare
    question = "Ancienne serveuse en restauration : que contient le CCP 2 du TSGRI ?"
    assert engine.veto.subjects(prepare(question)) == []
    assert engine.ask(question, today=TODAY).topic == "ccp2"
    assert engine.veto.subjects(prepare("Former technicien de maintenance industrielle here")) == []
    # named as the subject, the same trade is another titre
    assert engine.veto.subjects(prepare("le titre de technicien de maintenance industrielle"))


def test_warmed_the_veto_reads_no_phrasing_again(engine: Engine) -> None:
    """Each topic's phrasings are read for the subjects they name when the topic is first
    needed (a first question on it waited up to 60 ms); warmed, as the bot does after
    start-up, the veto decides every topic without reading one again."""

    class Counting:
        def __init__(self) -> None:
            self.calls = 0

        def __getattr__(self, name: str) -> object:
            return getattr(engine.normalizer, name)

        def words(self, text: str) -> tuple[str, ...]:
            self.calls += 1
            return engine.normalizer.words(text)

    counting = Counting()
    veto = Veto(engine.titre, counting)  # type: ignore[arg-type]
    text = engine.normalizer.prepare("Mon BTS SIO compte-t-il pour le titre ?")
    cold = [veto.refuses(text, topic) for topic in engine.titre.topics]
    read_cold = counting.calls
    veto = Veto(engine.titre, counting)  # type: ignore[arg-type]
    veto.warm()
    counting.calls = 0
    assert [veto.refuses(text, topic) for topic in engine.titre.topics] == cold
    assert counting.calls == 0 < read_cold
    assert not all(cold) and any(cold)  # the BTS is spoken of by some topics, not by all
