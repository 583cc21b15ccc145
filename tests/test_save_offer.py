"""The save offer pairs each date with its CCP (issue 11).

The deadline reader pairs a CCP number and a date written in the same clause, in either
order, in French and English (and keeps its deadline behaviour); the dialogue then offers to
save exactly those pairs in one tap, asks only for a date without a CCP, stores nothing
before the yes, and never overwrites a saved date silently.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from conversations import save_offer
from conversations.common import MAX_CALLBACK_BYTES
from knowledge.engine import Engine
from tests.conv_support import USER, Launch, buttons_of, text_of

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize(
    ("question", "pairs"),
    [
        ("CCP2 le 18/04/2018 puis CCP1 le 05/02/2019, j'ai jusqu'à quand ?",
         ((2, date(2018, 4, 18)), (1, date(2019, 2, 5)))),
        ("j'ai eu le CCP 1 le 05/02/2019, jusqu'à quand ?", ((1, date(2019, 2, 5)),)),
        ("05/02/2019 pour le ccp1 et 18/04/2018 pour le ccp2, date limite ?",
         ((1, date(2019, 2, 5)), (2, date(2018, 4, 18)))),
        ("CCP n°3 : 5 mai 2024, date limite ?", ((3, date(2024, 5, 5)),)),
        ("I got CCP2 on 18 April 2018 and CCP 3 on 2 May 2019, when is my deadline?",
         ((2, date(2018, 4, 18)), (3, date(2019, 5, 2)))),
        # no pair when unsure: two CCPs for one date, "premier" (the first obtained, whichever)
        ("CCP 1 et CCP 2 le 05/02/2019, date limite ?", ()),
        ("mon premier CCP le 12/03/2022, jusqu'à quand ?", ()),
        ("le CCP 4 le 01/01/2023, date limite ?", ()),  # a CCP the titre has not
        # a month is not a day: it counts for the deadline, but is no date to save
        ("j'ai eu le CCP 1 en juin 2022, jusqu'à quand ?", ()),
        ("CCP2 le 18/04/2018 puis CCP1 en février 2019, date limite ?",
         ((2, date(2018, 4, 18)),)),
        # a day named in words is a day: "hier" beside its CCP
        ("J'ai eu le CCP 2 hier, il me reste combien de temps ?", ((2, date(2026, 11, 28)),)),
        ("I passed CCP 1 yesterday, what's my deadline?", ((1, date(2026, 11, 28)),)),
    ],
)
def test_the_reader_pairs_each_date_with_its_ccp(
    engine: Engine, question: str, pairs: tuple[tuple[int, date], ...]
) -> None:
    answer = engine.ask(question, today=TODAY)
    assert answer.deadline is not None
    assert answer.typed_pairs == pairs
    assert set(answer.to_json()) == {"question", "status", "topic", "confidence", "text",
                                     "suggestions", "source"}  # ask --json: unchanged


def test_the_deadline_still_runs_from_the_earliest_date(engine: Engine) -> None:
    answer = engine.ask("CCP2 le 18/04/2018 puis CCP1 le 05/02/2019, j'ai jusqu'à quand ?",
                        today=TODAY)  # fmt: skip
    assert answer.deadline is not None and answer.deadline.first_ccp == date(2018, 4, 18)
    assert answer.typed_dates == (date(2018, 4, 18), date(2019, 2, 5))
    assert type(answer.typed_dates) is tuple


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("J'ai eu le CCP 1 en juin 2022, jusqu'à quand ?", date(2022, 6, 1)),
        ("J'ai eu mon CCP 2 il y a deux ans, jusqu'à quand ?", date(2023, 11, 30)),
        ("first CCP in 2019, deadline?", date(2019, 1, 1)),
    ],
)
def test_a_date_the_user_did_not_give_to_the_day_is_never_offered_for_saving(
    engine: Engine, question: str, first: date
) -> None:
    answer = engine.ask(question, today=TODAY)
    assert answer.deadline is not None and answer.deadline.first_ccp == first  # prudent reading
    assert answer.typed_dates == () and answer.typed_pairs == ()


def test_yesterday_in_a_clause_without_a_ccp_dates_something_else(engine: Engine) -> None:
    answer = engine.ask("J'ai appelé mon centre hier. Mon premier CCP date du 12/03/2021, "
                        "jusqu'à quand ?", today=TODAY)  # fmt: skip
    assert answer.deadline is not None and answer.deadline.first_ccp == date(2021, 3, 12)
    assert answer.typed_dates == (date(2021, 3, 12),)
    assert "plusieurs dates" not in answer.text


async def test_a_ccp_obtained_yesterday_gets_its_deadline_and_the_offer(launch: Launch) -> None:
    async with launch(user_id=USER) as b:
        [answer, offer] = await b.send("J'ai eu le CCP 2 hier, il me reste combien de temps ?")
        assert "Premier CCP : 28 novembre 2026" in text_of(answer)
        assert "Date à viser : le 28 novembre 2031" in text_of(answer)
        assert buttons_of(offer) == ["💾 Enregistrer le CCP 2 (28 novembre 2026)"]
        await b.press(offer, "💾 Enregistrer le CCP 2 (28 novembre 2026)")
        assert b.declared() == {2: date(2026, 11, 28)}


async def test_a_month_gets_its_deadline_and_no_offer_to_save_a_day_never_written(
    launch: Launch,
) -> None:
    async with launch(user_id=USER) as b:
        [answer] = await b.send("J'ai eu le CCP 1 en juin 2022, jusqu'à quand ?")
        assert "je prends le 1er juin 2022" in text_of(answer)
        assert "Donnez-moi la date exacte" in text_of(answer)
        assert not any("Enregistrer" in label for label in buttons_of(answer))
        assert b.declared() == {}


def test_button_data_round_trips_within_64_bytes() -> None:
    pairs = [(2, date(2018, 4, 18)), (1, date(2019, 2, 5)), (3, date(2020, 12, 31))]
    data = save_offer.cb_save_all(pairs)
    assert len(data.encode()) <= MAX_CALLBACK_BYTES
    assert save_offer.read_pairs(data) == pairs
    assert save_offer.read_pairs("save:all:2-20181341") is None
    assert save_offer.read_pairs("save:all:") is None


async def test_two_pairs_saved_in_one_tap(launch: Launch) -> None:
    async with launch(user_id=USER) as b:
        [answer, offer] = await b.send(
            "CCP2 le 18/04/2018 puis CCP1 le 05/02/2019, j'ai jusqu'à quand ?")
        assert "18 avril 2023" in text_of(answer)  # from the earliest
        assert "Vous avez écrit : CCP 2 obtenu le 18 avril 2018 et CCP 1 obtenu le 5 février " \
            "2019." in text_of(offer)
        label = "💾 Enregistrer CCP 2 : 18/04/2018 et CCP 1 : 05/02/2019"
        assert buttons_of(offer) == [label]  # no "which CCP?" question
        assert b.declared() == {}  # nothing before the yes
        [saved] = await b.press(offer, label)
        assert "C'est noté : CCP 2 obtenu le 18 avril 2018 et CCP 1 obtenu le 5 février 2019" \
            in text_of(saved)
        assert "Vous avez 2 CCP sur 3" in text_of(saved)
        assert b.declared() == {1: date(2019, 2, 5), 2: date(2018, 4, 18)}
        [again] = await b.press_again(offer, label)  # pressed twice
        assert "C'est déjà enregistré" in text_of(again)
        assert b.declared() == {1: date(2019, 2, 5), 2: date(2018, 4, 18)}


async def test_english(launch: Launch) -> None:
    async with launch(user_id=USER) as b:
        [_answer, offer] = await b.send(
            "I got CCP2 on 18 April 2018 and CCP 3 on 2 May 2019, when is my deadline?",
            language_code="en")
        label = "💾 Save CCP 2: 2018-04-18 and CCP 3: 2019-05-02"
        assert buttons_of(offer) == [label]
        assert "You wrote: CCP 2 obtained on 18 April 2018 and CCP 3 obtained on 2 May 2019." \
            in text_of(offer)
        [saved] = await b.press(offer, label, language_code="en")
        assert "Recorded: CCP 2 obtained on 18 April 2018 and CCP 3" in text_of(saved)
        assert b.declared() == {2: date(2018, 4, 18), 3: date(2019, 5, 2)}


async def test_a_saved_ccp_is_not_overwritten_silently(launch: Launch) -> None:
    async with launch(user_id=USER) as b:
        await b.send("/declarer 1 12/03/2022")
        [_answer, offer] = await b.send(
            "CCP2 le 18/04/2018 puis CCP1 le 05/02/2019, j'ai jusqu'à quand ?")
        text = text_of(offer)
        assert "Le CCP 1 est déjà enregistré, obtenu le 12 mars 2022 ; vous écrivez le " \
            "5 février 2019. Je ne le remplace que si vous le confirmez." in text
        assert buttons_of(offer) == ["💾 Enregistrer le CCP 2 (18 avril 2018)",
                                     "🔁 CCP 1 : remplacer par le 5 février 2019"]
        await b.press(offer, "💾 Enregistrer le CCP 2 (18 avril 2018)")
        assert b.declared() == {1: date(2022, 3, 12), 2: date(2018, 4, 18)}  # CCP 1 kept
        await b.press_again(offer, "🔁 CCP 1 : remplacer par le 5 février 2019")
        assert b.declared()[1] == date(2019, 2, 5)  # replaced only once asked for


async def test_an_old_one_tap_button_never_replaces(launch: Launch) -> None:
    """The pairs were offered, then CCP 1 was saved with another date: the button saves
    CCP 2 and leaves CCP 1 as it is, saying so, with a button to replace it."""
    async with launch(user_id=USER) as b:
        [_answer, offer] = await b.send(
            "CCP2 le 18/04/2018 puis CCP1 le 05/02/2019, j'ai jusqu'à quand ?")
        await b.send("/declarer 1 12/03/2022")
    async with launch(user_id=USER) as b:  # after a restart
        [done] = await b.press_again(offer, "💾 Enregistrer CCP 2 : 18/04/2018 et CCP 1 : "
                                     "05/02/2019", expired=True)
        assert "CCP 2 obtenu le 18 avril 2018" in text_of(done)
        assert "Le CCP 1 reste enregistré avec le 12 mars 2022" in text_of(done)
        assert "🔁 CCP 1 : remplacer par le 5 février 2019" in buttons_of(done)
        assert b.declared() == {1: date(2022, 3, 12), 2: date(2018, 4, 18)}


async def test_only_a_date_without_a_ccp_asks_which(launch: Launch) -> None:
    async with launch(user_id=USER) as b:
        [_answer, offer] = await b.send(
            "le CCP 2 le 18/04/2018, et j'ai eu un autre le 05/02/2019 : date limite ?")
        text = text_of(offer)
        assert "obtenu le CCP 2 le 18 avril 2018" in text
        assert "Quel CCP avez-vous obtenu le 5 février 2019 ?" in text
        assert buttons_of(offer) == ["💾 Enregistrer le CCP 2 (18 avril 2018)",
                                     "💾 C'est le CCP 1", "💾 C'est le CCP 3"]
        assert b.declared() == {}
        [stale] = await b.press_data("save:all:9-20180418")
        assert "photo" not in stale and b.declared() == {}


@pytest.mark.parametrize(
    "question",
    [
        "Une stagiaire a obtenu son premier CCP le 05/09/2022 : jusqu'à quand pour les autres ?",
        "Mon frère a eu le CCP 2 le 18/04/2018, il a jusqu'à quand ?",
        "My colleague got her first CCP on 18 May 2020, when is her deadline?",
        "my friend got CCP1 on 2018-09-01, is it still valid?",
        "Un candidat a eu le CCP 1 le 12/03/2019 et le CCP 3 le 05/06/2020, jusqu'à quand ?",
    ],
)
def test_someone_elses_ccp_is_not_the_users_to_save(engine: Engine, question: str) -> None:
    answer = engine.ask(question, today=TODAY, saved=((1, date(2017, 1, 10)),))
    assert answer.deadline is not None and answer.typed_dates == ()
    # the user's own saved CCP (2017) does not open someone else's window
    assert answer.deadline.first_ccp.year >= 2018
    # and the answer speaks of their CCPs, not the user's ("le premier CCP", not "votre")
    assert re.search(r"(?i)\b(le premier CCP|the first CCP)\b", answer.text)
    assert not re.search(r"(?i)\b(votre|vos|your)\b", answer.text)


async def test_an_advisor_asking_for_a_candidate_gets_the_date_and_no_offer(
    launch: Launch,
) -> None:
    async with launch(user_id=USER) as b:
        [answer] = await b.send(
            "Bonjour, un jeune que je suis a obtenu son 1er CCP le 05/07/2021 : "
            "jusqu'à quand peut-il valider les deux autres ?")
        assert "Premier CCP : 5 juillet 2021" in text_of(answer)
        assert not any("Enregistrer" in label for label in buttons_of(answer))
        assert b.declared() == {}
        # the same date told as one's own is offered, as before
        [_mine, offer] = await b.send("J'ai eu mon CCP 2 le 05/07/2021, jusqu'à quand ?")
        assert buttons_of(offer) == ["💾 Enregistrer le CCP 2 (5 juillet 2021)"]


def test_a_ccp_told_of_in_the_passive_is_still_the_users(engine: Engine) -> None:
    answer = engine.ask("Le CCP 1, il a été validé le 12/03/2021, jusqu'à quand ?", today=TODAY)
    assert answer.typed_dates == (date(2021, 3, 12),)  # offered, as a date of CCP 1


def test_a_candidates_deadline_asked_without_a_date_is_not_the_users(engine: Engine) -> None:
    saved = ((1, date(2022, 3, 12)),)
    theirs = engine.ask("Une stagiaire a validé son premier CCP : quelle est sa date limite ?",
                        today=TODAY, saved=saved)  # fmt: skip
    assert theirs.topic == "delai" and theirs.deadline is None  # the rule, not the user's day
    mine = engine.ask("c quand ma date limite ?", today=TODAY, saved=saved)
    assert mine.deadline is not None and mine.deadline.first_ccp == date(2022, 3, 12)
