"""Issue 14 through the real Application, offline: candidates who came through an advisor's link
are asked once whether to share their progress; the advisor's /mescandidats lists only those who
said yes (most urgent first), never anyone else, never another advisor's candidates."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date

import pytest

from bot.offline.model import JSON, buttons_of
from tests.conv_support import Conv, Launch, text_of

ADVISOR = 717_171_001
OTHER_ADVISOR = 717_171_002
AICHA, BRUNO, CHLOE, DIMITRI, ZOE = 717_171_101, 717_171_102, 717_171_103, 717_171_104, 717_171_201
FEATURES = ("declare", "privacy", "my_ccps", "start", "advisors", "consent", "ask", "stale")
QUESTION = "Partager votre progression avec Mme Martin ?"
YES, NO = "✅ Oui, partager", "🚫 Non, ne rien partager"


@pytest.fixture
async def conv(launch: Launch) -> AsyncIterator[Conv]:
    async with launch(features=FEATURES) as helper:
        yield helper


async def send(
    conv: Conv, text: str, user_id: int, name: str = "Camille", language_code: str = "fr"
) -> list[JSON]:
    update = conv.api.factory.message(text, user_id=user_id, language_code=language_code)
    update["message"]["from"]["first_name"] = name
    return await conv.feed(update)


async def press(
    conv: Conv, message: JSON, label: str, user_id: int, name: str, language_code: str = "fr"
) -> list[JSON]:
    update = conv.api.factory.callback_query(
        conv.api.current(message), label, user_id=user_id, language_code=language_code
    )
    update["callback_query"]["from"]["first_name"] = name
    return await conv.feed(update)


async def arrive(conv: Conv, code: str, user_id: int, name: str, answer: str | None) -> None:
    """Open the advisor's link, see the question, answer it (or not), declare a CCP."""
    said = await send(conv, f"/start ref-{code}", user_id, name)
    asked = said[-1]
    assert text_of(asked).startswith("Partager votre progression avec")
    assert f"« {name} »" in text_of(asked)  # the name that would be shown, said plainly
    assert "ni vos questions, ni votre identifiant Telegram" in text_of(asked)
    if answer is not None:
        await press(conv, asked, answer, user_id, name)


def listing(messages: list[JSON]) -> str:
    return text_of(messages[-1])


async def test_consent_given_refused_and_unanswered(conv: Conv) -> None:
    code = conv.store.register_advisor("Mme Martin", ADVISOR)
    await arrive(conv, code, AICHA, "Aïcha", None)
    said = await send(conv, "/declarer 2 15/03/2022", AICHA, "Aïcha")
    assert "CCP 2" in text_of(said[0])
    # Not answered yet: nothing shared; asked once only, even through the link again.
    again = await send(conv, f"/start ref-{code}", AICHA, "Aïcha")
    assert all(QUESTION not in text_of(m) for m in again)
    shown = listing(await send(conv, "/mescandidats", ADVISOR, "Martine"))
    assert "Aïcha" not in shown and "Personne ne partage encore" in shown

    # Yes: the advisor sees her, with the date and its rule, marked as not urgent.
    [consent] = await send(conv, "/conseiller", AICHA, "Aïcha")
    [done] = await press(conv, consent, "✅ Partager avec Mme Martin", AICHA, "Aïcha")
    assert "Mme Martin voit vos CCP, leurs dates" in text_of(done)
    shown = listing(await send(conv, "/mescandidats", ADVISOR, "Martine"))
    assert "Partagent leur progression avec vous : 1" in shown
    assert "Aïcha</b> — CCP 2" not in shown  # text_of gives what the user reads
    assert "Aïcha — CCP 2\n  15 mars 2027 (cible prudente : 5 ans après le 1er CCP" in shown
    assert "J-106" in shown and "⚠️ Aïcha" not in shown

    # Bruno says no: counted, never named.
    await arrive(conv, code, BRUNO, "Bruno", NO)
    await send(conv, "/declarer 1 10/01/2023", BRUNO, "Bruno")
    shown = listing(await send(conv, "/mescandidats", ADVISOR, "Martine"))
    assert "Arrivés par votre lien : 2\n" in shown and "Bruno" not in shown
    # Counting who declared would say that Bruno did (2 declared, one named): not counted.
    assert "Ont déclaré au moins un CCP" not in shown and "10 janvier 2028" not in shown
    assert "compté à partir de 3 personnes qui ne partagent pas leur progression" in shown


async def test_withdrawn_from_privacy_and_my_ccps(conv: Conv) -> None:
    code = conv.store.register_advisor("Mme Martin", ADVISOR)
    await arrive(conv, code, CHLOE, "Chloé", YES)
    await send(conv, "/declarer 1 15/01/2022", CHLOE, "Chloé")
    shown = listing(await send(conv, "/mescandidats", ADVISOR, "Martine"))
    assert "⚠️ Chloé — CCP 1\n  15 janvier 2027" in shown and "J-47" in shown  # within 3 months

    mine = await send(conv, "/mesccp", CHLOE, "Chloé")
    assert "👥 Partage avec mon conseiller" in buttons_of(mine[0])
    info = await send(conv, "/confidentialite", CHLOE, "Chloé")
    assert "seulement un conseiller avec qui vous avez choisi de les partager" in text_of(info[0])
    [more] = await press(conv, info[0], "➕ Détails", CHLOE, "Chloé")
    assert "dont vous avez suivi le lien voit seulement des comptes anonymes" in text_of(more)
    [overview] = await press(conv, info[0], "👥 Partage avec mon conseiller", CHLOE, "Chloé")
    assert "Mme Martin : partagé, sous le nom « Chloé »" in text_of(overview)
    stop = "🚫 Arrêter de partager avec Mme Martin"
    [stopped] = await press(conv, overview, stop, CHLOE, "Chloé")
    assert "rien n'est partagé avec Mme Martin" in text_of(stopped)
    shown = listing(await send(conv, "/mescandidats", ADVISOR, "Martine"))
    assert "Chloé" not in shown and "2027" not in shown

    # /mesdonnees says who sees what.
    export = await send(conv, "/mesdonnees", CHLOE, "Chloé")
    assert any("Conseiller " + code + " : rien n'est partagé" in text_of(m) for m in export)


async def test_a_forgotten_candidate_disappears_at_once(conv: Conv) -> None:
    code = conv.store.register_advisor("Mme Martin", ADVISOR)
    await arrive(conv, code, DIMITRI, "Dimitri", YES)
    await send(conv, "/declarer 3 01/06/2023", DIMITRI, "Dimitri")
    page = await send(conv, "/mescandidats", ADVISOR, "Martine")
    assert "Dimitri — CCP 3" in listing(page)
    forget = await send(conv, "/oublier", DIMITRI, "Dimitri")
    await press(conv, forget[-1], "🗑 Oui, tout effacer", DIMITRI, "Dimitri")
    shown = listing(await send(conv, "/mescandidats", ADVISOR, "Martine"))
    assert "Dimitri" not in shown and "Arrivés par votre lien : 0" in shown
    # His old button under the advisor's earlier list shows nothing of him.
    [gone] = await press(conv, page[-1], "Dimitri", ADVISOR, "Martine")
    assert "ne partage plus sa progression" in text_of(gone) and "Dimitri" not in text_of(gone)


async def test_an_advisor_is_told_what_erasing_costs_before_choosing(conv: Conv) -> None:
    code = conv.store.register_advisor("Mme Martin", ADVISOR)
    await arrive(conv, code, AICHA, "Aïcha", YES)
    [confirm] = await send(conv, "/oublier", ADVISOR, "Martine")
    assert "votre lien et votre code cesseront de fonctionner" in text_of(confirm)
    assert "(aujourd'hui : 1)" in text_of(confirm)
    # A candidate is not told about an advisor's link they do not have.
    [theirs] = await send(conv, "/oublier", AICHA, "Aïcha")
    assert "Tout effacer ?" in text_of(theirs) and "votre lien" not in text_of(theirs)
    await press(conv, confirm, "🗑 Oui, tout effacer", ADVISOR, "Martine")
    [after] = await send(conv, "/mescandidats", ADVISOR, "Martine")
    assert "réservée aux conseillers" in text_of(after)


async def test_an_advisor_never_sees_others(conv: Conv) -> None:
    """Every message the advisor ever receives is scanned for the names and ids of the people
    who did not consent, of another advisor's candidate, and for any candidate's id."""
    code = conv.store.register_advisor("Mme Martin", ADVISOR)
    other = conv.store.register_advisor("M. Bernard", OTHER_ADVISOR)
    await arrive(conv, code, AICHA, "Aïcha", YES)
    await arrive(conv, code, BRUNO, "Bruno", NO)
    await arrive(conv, code, CHLOE, "Chloé", None)
    said = await send(conv, f"/start ref-{other}", ZOE, "Zoé")
    await press(conv, said[-1], YES, ZOE, "Zoé")
    for uid, day in ((AICHA, "01/02/2022"), (BRUNO, "02/02/2022"), (CHLOE, "03/02/2022"),
                     (ZOE, "04/02/2022")):
        await send(conv, f"/declarer 1 {day}", uid, "x")
    page = await send(conv, "/mescandidats", ADVISOR, "Martine")
    assert "Aïcha — CCP 1" in listing(page)
    [opened] = await press(conv, page[-1], "Aïcha", ADVISOR, "Martine")  # one candidate
    assert "CCP 1 : obtenu le 1er février 2022" in text_of(opened)
    await press(conv, opened, "◀ La liste", ADVISOR, "Martine")
    await press(conv, page[-1], "🔕 Ne plus recevoir le résumé de la semaine", ADVISOR, "Martine")
    await conv.press_data("adv:open:4", chat_id=ADVISOR, user_id=ADVISOR)  # Zoé's share id
    await conv.press_data("adv:open:2", chat_id=ADVISOR, user_id=ADVISOR)  # Bruno's (a no)
    seen = json.dumps(conv.api.visible(chat_id=ADVISOR), ensure_ascii=False)
    seen += json.dumps(list(conv.api.callback_answers.values()), ensure_ascii=False)
    assert "Aïcha" in seen and "1er février 2022" in seen  # the one who said yes
    for name in ("Bruno", "Chloé", "Zoé", "2 février 2022", "3 février 2022", "4 février 2022"):
        assert name not in seen
    for uid in (AICHA, BRUNO, CHLOE, ZOE):
        assert str(uid) not in seen
    # And the other advisor sees Zoé only.
    shown = listing(await send(conv, "/mescandidats", OTHER_ADVISOR, "Bernard"))
    assert "Zoé — CCP 1" in shown and "Aïcha" not in shown


async def test_pages_english_and_the_digest_switch(conv: Conv) -> None:
    code = conv.store.register_advisor("Mme Martin", ADVISOR)
    now = conv.app.bot_data.services.now()
    for i in range(10):
        uid = 717_171_300 + i
        conv.store.offer_consent(uid, code, now=now)
        conv.store.set_consent(uid, code, True, shown_name=f"Cand{i:02d}", now=now)
        conv.store.declare(uid, 1, date(2022, 1, 1 + i), now=now)
    page = await send(conv, "/mycandidates", ADVISOR, "Martine", language_code="en")
    shown = listing(page)
    assert "Share their progress with you: 10</b>" not in shown
    assert "Share their progress with you: 10 (page 1/2" in shown
    assert shown.index("Cand00") < shown.index("Cand07") and "Cand08" not in shown
    assert "33 days left" in shown  # 1 Jan 2027
    [second] = await press(conv, page[-1], "Next ▶", ADVISOR, "Martine", "en")
    assert "(page 2/2" in text_of(second) and "Cand09" in text_of(second)
    assert conv.store.digest_enabled(ADVISOR)
    await press(conv, second, "🔕 Stop the weekly summary", ADVISOR, "Martine", "en")
    assert not conv.store.digest_enabled(ADVISOR)
    assert "🔔 Get the weekly summary" in buttons_of(conv.api.current(second))


async def test_a_chosen_name_is_kept_before_sharing_and_after_a_stop(conv: Conv) -> None:
    """A tester's pseudonym was lost when she stopped and shared again: the advisor saw her
    Telegram first name. The name chosen with /pseudo is hers until she changes it."""
    code = conv.store.register_advisor("Mme Martin", ADVISOR)
    [later] = await send(conv, "/pseudo Julie M.", CHLOE, "Chloé")
    assert "si vous partagez un jour votre progression" in text_of(later)
    assert "« Julie M. »" in text_of(later) and "ne sert à rien" not in text_of(later)
    [cut] = await send(conv, "/pseudo " + "Julie " * 20, CHLOE, "Chloé")
    assert "Raccourci à 32 caractères" in text_of(cut)
    await send(conv, "/pseudo Julie M.", CHLOE, "Chloé")
    said = await send(conv, f"/start ref-{code}", CHLOE, "Chloé")
    assert "« Julie M. »" in text_of(said[-1]) and "Chloé" not in text_of(said[-1])
    await press(conv, said[-1], YES, CHLOE, "Chloé")
    await send(conv, "/declarer 1 15/01/2022", CHLOE, "Chloé")
    assert "Julie M. — CCP 1" in listing(await send(conv, "/mescandidats", ADVISOR, "Martine"))
    [overview] = await send(conv, "/conseiller", CHLOE, "Chloé")
    await press(conv, overview, "🚫 Arrêter de partager avec Mme Martin", CHLOE, "Chloé")
    [overview] = await send(conv, "/conseiller", CHLOE, "Chloé")
    [again] = await press(conv, overview, "✅ Partager avec Mme Martin", CHLOE, "Chloé")
    assert "« Julie M. »" in text_of(again)
    shown = listing(await send(conv, "/mescandidats", ADVISOR, "Martine"))
    assert "Julie M. — CCP 1" in shown and "Chloé" not in shown
    readable = await send(conv, "/mesdonnees", CHLOE, "Chloé")
    assert "Nom choisi pour vos conseillers : Julie M." in text_of(readable[0])


async def test_an_advisor_finds_their_commands_and_their_own_code(conv: Conv) -> None:
    code = conv.store.register_advisor("Mme Martin", ADVISOR)
    [advisor_help] = await send(conv, "/aide", ADVISOR, "Martine")
    assert "Pour vous, conseiller" in text_of(advisor_help)
    assert "/mescandidats" in text_of(advisor_help)
    [candidate_help] = await send(conv, "/aide", AICHA, "Aïcha")
    assert "/mescandidats" not in text_of(candidate_help)
    [own] = await send(conv, f"/conseiller {code}", ADVISOR, "Martine")
    assert "C'est votre propre code de conseiller" in text_of(own)
    assert "Je ne connais pas ce code" not in text_of(own)
