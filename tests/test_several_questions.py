"""A message that asks several things (engine._also): answered on its surest question, each
other question the policy would answer alone named under it, its topic the first button."""

from __future__ import annotations

from datetime import date

from knowledge.engine import Engine

TODAY = date(2026, 12, 6)


def test_the_other_questions_are_named_and_offered_first(engine: Engine) -> None:
    """A tester's message asked three things and got one answer, with none of the others
    among its buttons."""
    answer = engine.ask(
        "Jai eu le CCP1 le 22/03/2019 et le CCP2 en octobre 2023. Mon centre dit que le titre va "
        "fermer. Combien de temps il me reste exactement ? Et je peux repasser le CCP3 sans "
        "refaire la formation ?", today=TODAY)  # fmt: skip
    assert answer.topic == "delai" and answer.deadline is not None
    # each question read with the sentence before it: « le titre va fermer. Combien de temps
    # il me reste ? » is also the titre closing
    assert answer.text.endswith("Vous demandez aussi : « Si le titre ferme ou change : vos CCP "
                                "», « Repasser après un échec » — boutons ci-dessous.")  # fmt: skip
    assert [s.topic for s in answer.related[:2]] == ["fermeture_titre", "repasser"]


def test_a_question_is_read_with_the_sentence_before_it(engine: Engine) -> None:
    """« Où doit-elle envoyer son dossier ? » alone reads as the DSPP; after « elle a 2 ans
    d'expérience … Elle est recevable ? » it is the VAE's experience that is also asked."""
    answer = engine.ask(
        "J'accompagne une candidate en VAE, elle a 2 ans d'expérience comme technicienne "
        "d'exploitation. Elle est recevable ? Où doit-elle envoyer son dossier ?", today=TODAY)
    assert "« VAE : l'expérience demandée »" in answer.text and "DSPP" not in answer.text


def test_one_question_or_one_topic_adds_nothing(engine: Engine) -> None:
    single = engine.ask("C'est quoi la VAE ?", today=TODAY)
    assert "Vous demandez aussi" not in single.text
    same = engine.ask("C'est quoi la VAE ? Comment ça marche la VAE ?", today=TODAY)
    assert same.topic == "vae" and "Vous demandez aussi" not in same.text


def test_in_english_too(engine: Engine) -> None:
    answer = engine.ask("What is the VAE? And how much does it cost?", today=TODAY)
    assert "You also ask about:" in answer.text
    assert {answer.topic, answer.related[0].topic} == {"vae", "cout"}
