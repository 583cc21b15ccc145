"""Issue 10's stories, from A to Z, through the real Application: the user's own saved CCPs
reused everywhere, a typed date offered for saving, the rule by the first CCP's date, never a
false "closed", late CCPs warned kindly. Today is 29 November 2026 (conv_support.NOW)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.offline import FakeBotApi
from knowledge.engine import Engine
from knowledge.loader import default_titre_path, load_titre
from tests.conv_support import (
    NOW,
    USER,
    Knowledge,
    Launch,
    buttons_of,
    last,
    started,
    text_of,
    texts,
)

ASKED_FOR_A_DATE = ("À quelle date", "donnez-moi", "Donnez-moi")


async def test_saved_ccps_are_reused_by_free_text_delai_and_parcours(launch: Launch) -> None:
    async with launch(user_id=USER) as b:
        await b.send("/declarer 1 10/12/2021")
        for question in ("c quand ma date limite",
                         "il me reste combien de temps pour finir mon titre"):
            [answer] = await b.send(question)
            text = text_of(answer)
            assert "D'après les CCP que vous avez enregistrés" in text
            assert "Date à viser : le 10 décembre 2026" in text and "il reste 11 jours" in text
            assert not any(ask in text for ask in ASKED_FOR_A_DATE)
        [result, picture] = await b.send("/delai")
        assert "d'après les CCP que vous avez enregistrés" in text_of(result)
        assert "Date à viser : le 10 décembre 2026" in text_of(result)
        assert "photo" in picture
        [prompt] = await b.press(result, "Calculer avec une autre date")  # still possible
        assert "premier CCP" in text_of(prompt)
        await b.send("/annuler")
        [pathway] = await b.send("/parcours")
        [screen] = await b.press(pathway, "🧩 J'ai déjà un ou plusieurs CCP")
        assert "Votre délai, d'après les CCP que vous avez enregistrés" in text_of(screen)
        assert "Date à viser : le 10 décembre 2026" in text_of(screen)
        assert "📋 Mes CCP et mon délai" in buttons_of(screen)


async def test_a_typed_date_is_offered_for_saving(launch: Launch) -> None:
    async with launch(user_id=USER) as b:
        await b.send("/declarer 1 10/12/2021")
        [answer, offer] = await b.send("jai eu mon ccp 3 le 5 mai 2024")
        # The window runs from the saved first CCP, not from the date just typed.
        assert "Date à viser : le 10 décembre 2026" in text_of(answer)
        assert "5 mai 2029" not in text_of(answer)
        assert "Enregistrer ce CCP ?" in text_of(offer)
        assert buttons_of(offer) == ["💾 Enregistrer le CCP 3 (5 mai 2024)"]
        [saved] = await b.press(offer, "💾 Enregistrer le CCP 3 (5 mai 2024)")
        assert "C'est noté : CCP 3 obtenu le 5 mai 2024" in text_of(saved)
        assert b.declared() == {1: date(2021, 12, 10), 3: date(2024, 5, 5)}
        # Already saved: nothing more is offered.
        assert len(await b.send("jai eu mon ccp 3 le 5 mai 2024")) == 1


async def test_a_typed_date_without_its_ccp_asks_which(launch: Launch) -> None:
    async with launch(user_id=USER) as b:
        [answer, offer] = await b.send("j'ai eu mon premier CCP le 12/03/2022, jusqu'à quand ?")
        assert "Date à viser : le 12 mars 2027" in text_of(answer)
        assert buttons_of(offer) == ["💾 C'est le CCP 1", "💾 C'est le CCP 2", "💾 C'est le CCP 3"]
        await b.press(offer, "💾 C'est le CCP 2")
        assert b.declared() == {2: date(2022, 3, 12)}


async def test_after_the_five_year_date_never_closed_anywhere(launch: Launch) -> None:
    async with launch(user_id=USER, steps=("1m",)) as b:
        [confirmation] = await b.send("/declarer 1 01/02/2021")
        assert "ℹ️ La date prudente, cinq ans après votre premier CCP (le 1er février 2026), " \
            "est passée : selon la règle en vigueur, vos CCP peuvent encore compter." \
            in text_of(confirmation)
        seen = [confirmation]
        seen += await b.send("c quand ma date limite")
        seen += await b.send("/mesccp")
        seen += await b.send("/delai")
        seen += await b.send("/rappels")
        for message in seen:
            text = text_of(message)
            assert "ferm" not in text and "E2" not in text, text
        everything = texts(seen)
        assert "vos CCP peuvent encore compter" in everything
        assert "celle en vigueur depuis le 1er juin 2016" in everything
        assert "DREETS" in everything
        # no calendar event for a day gone: an old button says so, without "fermé"
        [passed] = await b.press_data("rem:ics", chat_id=USER)
        assert "Le 1er février 2026 est passé" in text_of(passed)
        assert "ferm" not in text_of(passed)


async def test_a_declaration_leaving_less_than_three_months_says_so(launch: Launch) -> None:
    async with launch(user_id=USER) as b:
        [confirmation] = await b.send("/declarer 1 10/12/2021")
        assert "⏳ Attention : votre date à viser est le 10 décembre 2026, dans 11 jours" \
            in text_of(confirmation)
        [far] = await b.send("/declarer 2 15/03/2022")  # the first CCP still decides
        assert "dans 11 jours" in text_of(far)
    async with launch(user_id=USER + 1) as other:
        [plenty] = await other.send("/declarer 1 12/03/2022")
        assert "⏳" not in text_of(plenty)


async def test_late_ccps_are_warned_kindly(launch: Launch) -> None:
    async with launch(user_id=USER) as b:
        [closed] = await b.send("/declarer 1 10/01/2012")
        assert "⚠️ Selon la règle qui s'applique à vous, votre fenêtre de capitalisation s'est " \
            "fermée le 10 janvier 2017" in text_of(closed)
        [late] = await b.send("/declarer 2 02/02/2018")  # référentiel rule: closed 10/01/2017
        assert "⚠️ Ce CCP a été obtenu après le 10 janvier 2017" in text_of(late)
        assert "tout est enregistré" in text_of(late) and "DREETS" in text_of(late)
        assert b.declared()[2] == date(2018, 2, 2)  # kept all the same
    async with launch(user_id=USER + 1) as c:
        await c.send("/declarer 1 01/02/2021")
        [after] = await c.send("/declarer 2 01/03/2026")  # after the prudent date only
        assert "ℹ️ Ce CCP a été obtenu après le 1er février 2026, la date prudente" \
            in text_of(after)
        assert "il compte si le titre était encore valide" in text_of(after)


@pytest.mark.parametrize(
    ("typed", "expected", "rule"),
    [
        ("31/05/2016", "s'est fermée le 31 mai 2021", "celle du référentiel, car votre premier CCP "
                                                  "date d'avant le 1er juin 2016"),
        ("01/06/2016", "La date prudente, cinq ans après votre premier CCP (le 1er juin 2021)",
         "celle en vigueur depuis le 1er juin 2016"),
        ("29/02/2024", "Date à viser : le 28 février 2029", "celle en vigueur"),
        ("29/02/2016", "s'est fermée le 28 février 2021", "celle du référentiel"),
    ],
)
async def test_each_side_of_the_change_and_29_february(
    launch: Launch, typed: str, expected: str, rule: str
) -> None:
    async with launch(user_id=USER) as b:
        [result, _picture] = await b.send(f"/delai {typed}")
        assert expected in text_of(result)
        assert rule in text_of(result)


async def test_a_recorded_end_of_validity_gives_the_date(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    source = default_titre_path().read_text(encoding="utf-8")
    assert "  titre_valid_until: null\n" in source
    path = tmp_path / "tsgri-valid.yaml"
    path.write_text(source.replace("  titre_valid_until: null\n",
                                   "  titre_valid_until: 2027-06-30\n"), encoding="utf-8")
    shipped = default_titre_path()
    for suffix in (".questions.yaml", ".model.npz", ".policy.yaml"):  # the shipped engine
        shutil.copy(shipped.with_name(shipped.stem + suffix), path.with_name(path.stem + suffix))
    titre = load_titre(path)
    recorded = Knowledge(titre, Engine(titre), knowledge.catalogue)
    async with started(tmp_path, recorded, FakeBotApi(), user_id=USER) as b:
        await b.send("/declarer 1 01/02/2021")
        shown = (await b.send("/mesccp"))[0]
        summary = text_of(shown)
        assert "Fenêtre ouverte — Votre fenêtre de capitalisation se ferme le 30 juin 2028 : " \
            "il reste" in summary
        assert "Date à viser" not in summary and "prudente" not in summary
        rule = text_of((await b.press(shown, "📜 Règle et source"))[0])
        assert "Le titre est valide jusqu'au 30 juin 2027" in rule and "prudence" not in rule
        [answer] = await b.send("c quand ma date limite")
        assert "se ferme le 30 juin 2028" in text_of(answer)
        # A first CCP before the change keeps the référentiel's five years.
        [old, _picture] = await b.send("/delai 10/01/2015")
        assert "s'est fermée le 10 janvier 2020" in text_of(old)
    assert NOW.date() == date(2026, 11, 29)


async def test_no_internal_evolution_id_in_the_partial_success_answer(launch: Launch) -> None:
    async with launch(user_id=USER) as b:
        messages = await b.send("c'est quoi une réussite partielle ?")
        assert not any(f"E{n}" in text_of(m) for m in messages for n in range(1, 13))
        # The rule in force first (the référentiel's five years are in « Détails »).
        assert "⚠️ Aujourd'hui (délai de capitalisation des CCP" in text_of(last(messages))
        assert "tant que le titre est valide" in text_of(last(messages))
