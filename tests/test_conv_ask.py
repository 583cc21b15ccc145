"""Any text → the engine's answer, its buttons, the log of questions, groups, long messages."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.offline.model import html_to_text
from conversations.i18n import Catalogue
from conversations.render import answer_html
from knowledge.answer import Answer
from knowledge.engine import Engine
from knowledge.model import Titre
from tests.conv_support import GROUP, NOW, Conv, all_buttons, buttons_of, text_of, texts


def logged(conv: Conv) -> list[tuple[str | None, str, str | None]]:
    with conv.store.reading() as db:
        rows = db.execute("SELECT topic, status, text FROM questions ORDER BY rowid").fetchall()
    return [(r[0], r[1], r[2]) for r in rows]


async def test_a_question_gets_its_answer_title_source_and_follow_ups(conv: Conv) -> None:
    [answer] = await conv.send("c'est quoi le CCP 2 ?")
    body = text_of(answer)
    assert body.startswith("CCP 2")
    assert "Rétablir la production" in body
    assert "Source : Activités types et compétences, CCP 2" in body
    assert answer["text"] != answer.get("html")
    assert "Voir le CCP 3" in buttons_of(answer)
    assert buttons_of(answer)[-1] == "☰ Menu"
    assert logged(conv) == [("ccp2", "answer", None)]  # no text kept for a found answer


async def test_follow_up_button_opens_the_next_topic(conv: Conv) -> None:
    [answer] = await conv.send("c'est quoi le CCP 2 ?")
    [ccp3] = await conv.press(answer, "Voir le CCP 3")
    assert text_of(ccp3).startswith("CCP 3")
    assert "Apporter aux décideurs" in text_of(ccp3)
    [again] = await conv.press(answer, "Voir le CCP 3")  # pressed twice: same answer, no error
    assert text_of(again) == text_of(ccp3)


async def test_deadline_answer_offers_the_calculator(conv: Conv) -> None:
    [answer, offer] = await conv.send("j'ai eu mon premier ccp le 12/03/2022, jusqu'à quand ?")
    assert "12 mars 2027" in text_of(answer)
    assert "Enregistrer ce CCP ?" in text_of(offer)
    [prompt] = await conv.press(answer, "📅 Calculer mon délai")
    assert "premier CCP" in text_of(prompt)


# Questions the engine finds ambiguous; the knowledge base evolves, so take the first one
# that is (there must be one: clarifying is part of the engine's contract).
AMBIGUOUS = ("épreuve", "document", "le dossier", "les ccp et la vae", "évaluation", "jury ccp",
             "attestation", "certificat", "examen",
             "je peux venir avec mon chien devant le jury ?")  # fmt: skip


def ambiguous_question(conv: Conv) -> str:
    services = conv.app.bot_data.services
    found = [q for q in AMBIGUOUS
             if services.engine.ask(q, today=services.today(), lang="fr").status == "clarify"]
    assert found, "none of the ambiguous questions gets a clarify any more: update AMBIGUOUS"
    return found[0]


async def test_clarify_shows_suggestions_and_none_of_these(conv: Conv) -> None:
    question = ambiguous_question(conv)
    [clarify] = await conv.send(question)
    labels = buttons_of(clarify)
    assert labels[-1] == "Aucune de ces réponses"
    assert 2 <= len(labels) <= 4
    assert logged(conv) == [(None, "clarify", question)]
    [picked] = await conv.press(clarify, labels[0])
    assert picked["message_id"] != clarify["message_id"]
    assert text_of(picked).startswith(labels[0].rstrip("…"))
    [kind] = await conv.press(clarify, "Aucune de ces réponses")
    assert text_of(kind).startswith("Désolé de ne pas avoir trouvé")
    assert "📚 Les 3 CCP et leurs compétences" in buttons_of(kind)
    assert logged(conv)[-1] == (None, "none", None)


async def test_fallback_says_what_it_can_do_and_keeps_the_question(conv: Conv) -> None:
    [fallback] = await conv.send("quel temps fera-t-il à Marseille demain ?")
    assert "je ne sais pas répondre" in text_of(fallback)
    assert "📅 Mon délai pour finir le titre" in buttons_of(fallback)
    assert logged(conv) == [(None, "fallback", "quel temps fera-t-il à Marseille demain ?")]


async def test_a_fallback_offers_the_close_topic_above_the_menu(conv: Conv) -> None:
    # (« le jury c'est combien de personnes ? » is now answered: the jury's page, which says
    # what the référentiel does of its members; « on peut apporter des chocolats au jury ? »
    # now falls back without a close topic)
    [fallback] = await conv.send("le jury peut-il être de ma famille ?")
    assert "je ne sais pas répondre" in text_of(fallback)
    assert "Ou vouliez-vous dire « Le jury » ?" in text_of(fallback)
    labels = buttons_of(fallback)
    assert labels[0] == "Le jury" and "📅 Mon délai pour finir le titre" in labels
    [jury] = await conv.press(fallback, "Le jury")
    assert "jury composé de professionnels" in text_of(jury)


async def test_a_close_neighbour_is_offered_beside_the_answer(conv: Conv) -> None:
    [answer] = await conv.send("faut-il être bon en anglais pour le TSGRI ?")
    assert "anglais" in text_of(answer).lower()
    assert "Le niveau d'anglais demandé" in buttons_of(answer)


async def test_english_question_gets_an_english_answer(conv: Conv) -> None:
    [answer] = await conv.send("what is the VAE?", language_code="fr")
    assert "validation" in text_of(answer).lower()
    assert "years of work experience" in text_of(answer)
    assert "☰ Menu" in buttons_of(answer)


@pytest.mark.parametrize(
    ("question", "telegram", "expected"),
    [
        ("Combien de CCP ?", "en", "Les trois activités types"),  # French words, English phone
        ("CCP3 détails ?", "en", "Ses 7 compétences"),  # no marker word: its letters tell
        ("How many CCPs?", "fr", "The three activity types"),
        ("CCP 3 ?", "en", "Its 7 competences"),  # tells nothing: the phone's language
    ],
)
async def test_a_question_is_answered_in_the_language_it_tells(
    conv: Conv, question: str, telegram: str, expected: str
) -> None:
    [answer] = await conv.send(question, language_code=telegram)
    assert expected in text_of(answer)


async def test_chosen_language_wins_over_telegram_language(conv: Conv) -> None:
    conv.store.set_user_lang(1, "en")
    [answer] = await conv.send("vae", language_code="fr")
    assert "years of work experience" in text_of(answer)


async def test_a_story_then_the_question_at_the_end(conv: Conv) -> None:
    story = (
        "Bonjour, j'ai travaillé dix ans dans la logistique avant de me reconvertir dans "
        "l'informatique. J'ai fait plusieurs stages et le support aux utilisateurs m'a plu. "
    ) * 5
    sent = await conv.send(story + "Combien de temps ai-je pour obtenir tous les CCP ?")
    assert len(story) > 500
    assert "cinq ans" in texts(sent) or "5 ans" in texts(sent)
    assert "Votre message est long" not in texts(sent)


async def test_five_thousand_characters_with_a_clear_first_question(conv: Conv) -> None:
    long = "C'est quoi la VAE ? " + "Je vous explique ma situation en détail. " * 125
    assert len(long) > 5000
    sent = await conv.send(long)
    assert sent, "a long message gets an answer"
    assert all(len(text_of(m)) <= 4096 for m in sent)
    count = f"{len(long.strip()):,}".replace(",", "\u202f")
    assert text_of(sent[0]).startswith(f"Votre message est long ({count} caractères)")
    assert "VAE" in texts(sent)


async def test_five_thousand_characters_without_a_question(conv: Conv) -> None:
    long = "blabla " * 720
    [kind] = await conv.send(long)
    assert "pas trouvé une question claire" in text_of(kind)
    assert "Pouvez-vous la poser en une ou deux phrases" in text_of(kind)
    assert logged(conv) == [(None, "fallback", long.strip()[:500])]


async def test_group_message_not_for_the_bot_is_ignored(conv: Conv) -> None:
    assert await conv.send("c'est quoi la VAE ?", chat_id=GROUP) == []
    assert logged(conv) == []


async def test_group_mention_gets_an_answer(conv: Conv) -> None:
    [answer] = await conv.send("@tsgri_test_bot c'est quoi la VAE ?", chat_id=GROUP)
    assert answer["chat"]["id"] == GROUP
    assert text_of(answer).startswith("La VAE")


async def test_group_reply_to_the_bot_gets_an_answer(conv: Conv) -> None:
    [first] = await conv.send("@tsgri_test_bot la VAE", chat_id=GROUP)
    [answer] = await conv.send("et le DSPP ?", chat_id=GROUP, reply_to=first)
    assert "DSPP" in text_of(answer)


async def test_group_mention_alone_gets_a_prompt(conv: Conv) -> None:
    [prompt] = await conv.send("@tsgri_test_bot", chat_id=GROUP)
    assert text_of(prompt).startswith("Oui ? Posez-moi une question")


@pytest.mark.parametrize("typed", ["?", ".", "🤔🤔🤔", "👍", "?!…"])
async def test_a_bare_sign_gets_a_prompt_with_the_menu(conv: Conv, typed: str) -> None:
    [prompt] = await conv.send(typed)
    assert text_of(prompt) == (
        "Oui ? Posez-moi une question sur le titre TSGRI, ou choisissez un sujet :"
    )
    assert "📚 Les 3 CCP et leurs compétences" in buttons_of(prompt)
    [english] = await conv.send(typed, language_code="en")
    assert text_of(english).startswith("Yes? Ask me a question")
    assert conv.store.unanswered(now=NOW) == []  # not a question the bot failed to answer


async def test_group_personal_deadline_moves_to_private(conv: Conv) -> None:
    [private] = await conv.send(
        "@tsgri_test_bot premier CCP le 12/03/2022, jusqu'à quand ?", chat_id=GROUP
    )
    assert "12 mars 2027" not in text_of(private)
    assert "en privé" in text_of(private)
    [[button]] = private["reply_markup"]["inline_keyboard"]
    assert button["url"] == "https://t.me/tsgri_test_bot?start=delai"


async def test_our_own_inline_answer_posted_in_the_chat_is_not_a_question(conv: Conv) -> None:
    update = conv.api.factory.message("La VAE …")
    update["message"]["via_bot"] = conv.api.bot_user
    assert await conv.feed(update) == []


async def test_old_topic_button_gets_a_kind_answer(conv: Conv) -> None:
    [menu] = await conv.press_data("topic:un_sujet_disparu")
    assert conv.last_callback_answer()["text"].startswith("Ce bouton n'est plus actif")
    assert "📚 Les 3 CCP et leurs compétences" in buttons_of(menu)


def test_everything_from_the_engine_is_escaped(titre: Titre, catalogue: Catalogue) -> None:
    answer = Answer(
        question="x",
        status="answer",
        topic="vae",
        confidence=1.0,
        text="<b>pas du gras</b> & <script>alert(1)</script>\nDepuis le 1er mai : a < b",
        source="§ 2 <i>",
    )
    seen = html_to_text(answer_html(answer, catalogue, titre))
    assert "<b>pas du gras</b> & <script>alert(1)</script>" in seen
    assert "Depuis le 1er mai : a < b" in seen
    assert seen.endswith("Source : § 2 <i>")
    assert all_buttons([]) == []


async def test_telegram_english_user_without_clear_words_stays_in_english(conv: Conv) -> None:
    [answer] = await conv.send("VAE experience requirements", language_code="en")
    assert "three years of work experience" in text_of(answer)
    assert "Source: " in text_of(answer)
    [french] = await conv.send("c'est quoi la VAE", language_code="en")
    assert "Source : " in text_of(french)


class LongEngine:
    """An engine whose answer is far over Telegram's 4096 characters, with markup-like text."""

    def ask(self, question: str, *, today: object, lang: object = None, saved: object = ()
            ) -> Answer:
        paragraphs = [f"Paragraphe {i} <a> & " + "mot " * 150 for i in range(20)]
        return Answer(question=question, status="answer", topic="vae", confidence=1.0,
                      text="\n\n".join(paragraphs), source="§ 2")


async def test_a_long_answer_is_split_on_paragraphs_with_buttons_last(conv: Conv) -> None:
    conv.app.bot_data.services.engine = LongEngine()
    sent = await conv.send("une question")
    assert len(sent) >= 3
    assert all(len(text_of(m)) <= 4096 for m in sent)
    assert all("reply_markup" not in m for m in sent[:-1])
    assert "☰ Menu" in buttons_of(sent[-1])
    for message in sent[1:]:
        assert text_of(message).startswith("Paragraphe ")  # cut between paragraphs
    assert "Paragraphe 19 <a> & mot" in texts(sent)


def _policy(conv: Conv, answer_at: float) -> None:
    """The shipped model with another threshold: an example about what the user is sent for a
    doubt, whatever the model's certainty of the day (the held-out tests measure that)."""
    services = conv.app.bot_data.services
    policy = replace(services.engine.policy, answer_at=answer_at)
    services.engine = Engine(services.titre, policy=policy, model=services.engine.model)


async def test_a_long_story_is_answered_by_the_question_it_ends_with(conv: Conv) -> None:
    # a natural story, then the question: answered from the question, not from the first
    # sentence (« Le jour de la session… » read as exam day). The shipped model, sure enough
    # of it: how sure it is of such questions is what the held-out rounds measure (on this one,
    # the model of 2026-12-07 offers the time left as its first suggestion instead)
    _policy(conv, answer_at=0.05)
    story = (
        "Bonsoir, je vous écris tard parce que je n'arrive pas à dormir. J'ai été assistante en "
        "pharmacie pendant douze ans, puis j'ai commencé une reconversion dans l'informatique. "
        "Le jour de la session j'ai complètement paniqué et le jury ne m'a donné qu'un CCP. "
        "Depuis, j'ai eu un bébé, j'ai déménagé, et tout le monde me dit des choses différentes. "
        "Ma belle-sœur, qui travaille dans une mairie, pense que tout est perdu et qu'il faudrait "
        "tout recommencer depuis le début, formation comprise. Mon ancien formateur, lui, m'a "
        "répondu par un message très court que je n'ai pas vraiment compris, et le centre a "
        "changé de responsable entre-temps, si bien que personne ne connaît mon dossier. "
        "J'ai retrouvé dans un carton la convocation, le relevé du jury et quelques notes prises "
        "pendant la formation, mais aucune date limite n'y est écrite. Mon mari me dit de laisser "
        "tomber, mes enfants me disent de foncer, et moi je ne sais plus quoi penser. Je voudrais "
        "surtout savoir si cela vaut encore la peine de m'organiser, de chercher une garde pour "
        "le petit et de reprendre mes fiches le soir, ou si c'est trop tard et qu'il vaut mieux "
        "que je passe à autre chose. Je précise que je suis toujours inscrite comme demandeuse "
        "d'emploi et que j'aimerais vraiment travailler dans un service informatique. "
        "Une amie de ma promotion a retrouvé du travail dans un lycée, au service du réseau, et "
        "elle me répète que le plus dur est de s'y remettre. Je garde aussi un très bon souvenir "
        "des travaux pratiques sur les serveurs, c'est ce qui me donne envie de continuer. "
    )
    question = "Alors ma question est simple : combien de temps ai-je pour obtenir les autres CCP ?"
    sent = await conv.send(story + question)
    assert len(story) > 1500
    count = f"{len((story + question).strip()):,}".replace(",", "\u202f")
    assert text_of(sent[0]).startswith(
        f"Votre message est long ({count} caractères) : je réponds à la question qui le termine.")
    assert "Le délai pour obtenir tous les CCP" in texts(sent)
    assert "Le jour de l'examen" not in texts(sent)


async def test_a_long_story_that_opens_with_a_greeting_is_not_greeted_back(conv: Conv) -> None:
    # its closing words ask nothing clear, its first sentence is « Bonjour ! »: greeting back
    # as "the answer to its first question" lost the story; it is asked for in a sentence or two
    story = (
        "Bonjour ! J'ai été assistante en pharmacie pendant douze ans, puis j'ai commencé une "
        "reconversion dans l'informatique. Depuis, j'ai eu un bébé, j'ai déménagé, et tout le "
        "monde me dit des choses différentes. "
    ) * 8
    sent = await conv.send(story + "Vous en pensez quoi ?")
    services = conv.app.bot_data.services
    count = f"{len(story + 'Vous en pensez quoi ?'):,}".replace(",", "\u202f")
    asked_again = services.catalogue.t("ask.too_long", "fr", count=count)
    assert texts(sent) == html_to_text(asked_again)
    assert "Posez-moi une question" not in texts(sent)


async def test_a_long_story_whose_question_is_unsure_offers_its_topics(conv: Conv) -> None:
    # sure of nothing: the closing question gets the topics it may mean (the time left), not
    # the generic "ask in a sentence or two" with the menu
    _policy(conv, answer_at=1.01)
    services = conv.app.bot_data.services
    story = (
        "Bonsoir, je vous écris tard parce que je n'arrive pas à dormir. J'ai été assistante en "
        "pharmacie pendant douze ans, puis j'ai commencé une reconversion dans l'informatique. "
        "Le jour de la session j'ai complètement paniqué et le jury ne m'a donné qu'un CCP. "
        "Depuis, j'ai eu un bébé, j'ai déménagé, et tout le monde me dit des choses différentes. "
    ) * 5
    question = "Alors ma question est simple : combien de temps ai-je pour obtenir les autres CCP ?"
    sent = await conv.send(story + question)
    count = f"{len((story + question).strip()):,}".replace(",", "\u202f")
    assert text_of(sent[0]).startswith(
        f"Votre message est long ({count} caractères) : j'ai lu la question qui le termine")
    assert "Vouliez-vous dire" in texts(sent)
    assert services.catalogue.t("render.which_deadline", "fr") in buttons_of(sent[-1])
