"""/mesccp fits a phone screen (issue 11): the answer first, short; every detail one tap away.

Through a real Application: the first message stays within 700 characters for 0 to 3 CCPs
declared, in French and English; the rule with its sources and the changes of the law, each
CCP with its title and date, the change and delete buttons are reached by their buttons, which
answer kindly when pressed twice, after a restart, or after the CCP was deleted.
"""

from __future__ import annotations

import pytest

from conversations import my_ccps
from conversations.common import MAX_CALLBACK_BYTES
from conversations.limits import utf16_units
from tests.conv_support import PERSONAL, USER, Launch, buttons_of, text_of

SCREEN = 700
DATES = ("1 12/03/2022", "2 01/06/2023", "3 02/02/2024")
LABELS = {
    "fr": {"rule": "📜 Règle et source", "details": "➕ Détails", "edit": "✏️ Modifier"},
    "en": {"rule": "📜 Rule and source", "details": "➕ Details", "edit": "✏️ Edit"},
}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("count", [0, 1, 2, 3])
async def test_the_summary_fits_a_screen(launch: Launch, count: int, lang: str) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        for line in DATES[:count]:
            await b.send(f"/declarer {line}", language_code=lang)
        first = (await b.send("/mesccp", language_code=lang))[0]
        text = text_of(first)
        assert utf16_units(text) <= SCREEN, (utf16_units(text), text)
        assert text.startswith(f"Mes CCP : {count}/3" if lang == "fr" else f"My CCPs: {count}/3")
        assert "https://" not in text
        labels = buttons_of(first)
        assert LABELS[lang]["details"] in labels
        assert (LABELS[lang]["rule"] in labels) == (count > 0)
        assert (LABELS[lang]["edit"] in labels) == (count > 0)


async def test_longest_cases_fit_too(launch: Launch) -> None:
    """A CCP obtained after a firm closing date (the warning is on screen), and a window
    closed: still one screen."""
    async with launch(features=PERSONAL, user_id=USER) as b:
        for line in ("1 10/01/2012", "2 01/06/2013", "3 02/02/2018"):
            await b.send(f"/declarer {line}")
        text = text_of((await b.send("/mesccp"))[0])
        assert "Le CCP 3 a été obtenu après le 10 janvier 2017" in text
        assert utf16_units(text) <= SCREEN
        other = USER + 1
        await b.send("/declarer 1 10/01/2010", language_code="en", user_id=other)
        text = text_of((await b.send("/mesccp", language_code="en", user_id=other))[0])
        assert "Window closed" in text and utf16_units(text) <= SCREEN


async def test_each_detail_is_reached_by_its_button(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        for line in DATES[:2]:
            await b.send(f"/declarer {line}")
        summary = (await b.send("/mesccp"))[0]
        [rule] = await b.press(summary, "📜 Règle et source")
        text = text_of(rule)
        assert text.startswith("📜 Votre délai : la règle et sa source")
        assert "Premier CCP : 12 mars 2022." in text
        assert "Sources : https://mmi-deco.com/aide/passage-de-lexamen/" in text
        assert "Ce qui a changé depuis le référentiel\nDepuis le 1er juin 2016" in text
        assert buttons_of(rule) == ["📋 Mes CCP et mon délai"]
        [details] = await b.press(summary, "➕ Détails")
        text = text_of(details)
        assert "✅ CCP 2 — Mettre en exploitation" in text and "obtenu le 1er juin 2023" in text
        assert "⬜ CCP 3 — Apporter aux décideurs" in text
        assert "/rappels règle les rappels" in text
        assert buttons_of(details) == ["✏️ Modifier", "📋 Mes CCP et mon délai"]
        [edit] = await b.press(details, "✏️ Modifier")
        assert "• CCP 1 : obtenu le 12 mars 2022\n• CCP 2 : obtenu le 1er juin 2023" \
            in text_of(edit)
        assert buttons_of(edit) == ["✏️ Date du CCP 1", "🗑 Supprimer CCP 1", "✏️ Date du CCP 2",
                                    "🗑 Supprimer CCP 2", "📋 Mes CCP et mon délai"]
        [back] = await b.press(rule, "📋 Mes CCP et mon délai")
        assert text_of(back).startswith("Mes CCP : 2/3")
        [declare] = await b.press(summary, "➕ Déclarer un CCP")
        assert "Quel CCP avez-vous obtenu ?" in text_of(declare)


async def test_buttons_pressed_twice_after_a_restart_or_a_deletion(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        await b.send("/declarer 1 12/03/2022")
        summary = (await b.send("/mesccp"))[0]
        first = await b.press(summary, "📜 Règle et source")
        again = await b.press_again(summary, "📜 Règle et source")
        assert texts_equal(first, again)  # the same truth again, no error
    async with launch(features=PERSONAL, user_id=USER) as b:  # a restart: old buttons work
        [details] = await b.press_again(summary, "➕ Détails", expired=True)
        assert "obtenu le 12 mars 2022" in text_of(details)
        [edit] = await b.press_again(summary, "✏️ Modifier", expired=True)
        await b.press(edit, "🗑 Supprimer CCP 1")
        await b.press_data("mine:delok:1")
        assert b.declared() == {}
        # Every button of the old summary now says there is nothing declared, kindly.
        for label in ("📜 Règle et source", "✏️ Modifier", "➕ Détails"):
            [shown] = await b.press_again(summary, label)
            assert "Vous n'avez encore déclaré aucun CCP" in text_of(shown), label
        failed = [c for c in b.api.calls if c.status != 200]
        # only the two expired queries could not be answered (Telegram's 400), as intended
        assert len(failed) == 2
        assert all(str(c.params["callback_query_id"]).startswith("expired-") for c in failed)


def texts_equal(one: list[dict[str, object]], other: list[dict[str, object]]) -> bool:
    return [text_of(m) for m in one] == [text_of(m) for m in other]


def test_callback_data_is_short_and_named() -> None:
    data = [f"{my_ccps.PREFIX}:{action}" for action in (my_ccps.RULE, my_ccps.DETAILS,
                                                          my_ccps.EDIT, my_ccps.SHOW)]
    assert len(set(data)) == 4
    assert all(len(d.encode()) <= MAX_CALLBACK_BYTES for d in data)
