"""/mescandidats through the real Application, offline (conversations/advisors.py): people
arrive by an advisor's `/start ref-<code>` link, declare CCPs; the advisor sees counts only."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.offline.model import BOT_USER, JSON
from tests.conv_support import Conv, Launch, text_of

ADVISOR = 616_161_001
OTHER_ADVISOR = 616_161_002
ARRIVALS = (616_161_101, 616_161_102, 616_161_103, 616_161_104)
NAMES = ("Aïcha", "Bruno", "Chloé", "Dimitri")
FEATURES = ("declare", "start", "advisors", "share", "ask", "stale")
NOT_REGISTERED = "Cette commande est réservée aux conseillers inscrits"


@pytest.fixture
async def conv(launch: Launch) -> AsyncIterator[Conv]:
    async with launch(features=FEATURES) as helper:
        yield helper


async def send(
    conv: Conv, text: str, user_id: int, *, name: str = "Camille", chat_id: int | None = None
) -> list[JSON]:
    """`user_id` writes `text` under a full name and username, none of which may be shown."""
    update = conv.api.factory.message(text, user_id=user_id, chat_id=chat_id)
    update["message"]["from"]["first_name"] = name
    update["message"]["from"]["last_name"] = "Dupont"
    update["message"]["from"]["username"] = f"{name.lower()}_dupont"
    return await conv.feed(update)


async def test_counts_of_people_who_came_through_the_link(conv: Conv) -> None:
    code = conv.store.register_advisor("Mme Martin", ADVISOR)
    other = conv.store.register_advisor("M. Bernard", OTHER_ADVISOR)
    for user, name in zip(ARRIVALS, NAMES, strict=True):
        await send(conv, f"/start ref-{code}", user, name=name)
    await send(conv, f"/start ref-{other}", 616_161_201)  # someone else's candidate
    await send(conv, "/start", 616_161_202)  # came by the plain link
    await send(conv, "/start ref-inconnu", 616_161_203)  # a code nobody has
    await send(conv, f"/start ref-{other}", ARRIVALS[0])  # the first link counts, not a later one

    said = await send(conv, "/declarer 2 15/03/2024", ARRIVALS[0], name=NAMES[0])
    assert "C'est noté : CCP 2 obtenu le 15 mars 2024" in text_of(said[0])
    await send(conv, "/declarer 1 12/03/2022", ARRIVALS[1], name=NAMES[1])
    conv.store.set_reminders_enabled(ARRIVALS[1], False)  # declared, but reminders off

    shown = text_of((await send(conv, "/mescandidats", ADVISOR))[-1])
    assert "Arrivés par votre lien : 4\n" in shown
    assert "Ont déclaré au moins un CCP : 2\n" in shown
    assert "Ont les rappels activés : 1\n" in shown
    assert f"Votre lien : https://t.me/{BOT_USER['username']}?start=ref-{code}" in shown
    # Nothing that identifies a candidate: no id, name, username or date.
    for user, name in zip(ARRIVALS, NAMES, strict=True):
        assert str(user) not in shown and name not in shown
        assert f"{name.lower()}_dupont" not in shown
    assert "Dupont" not in shown and "2024" not in shown and "2022" not in shown

    shown = text_of((await send(conv, "/mescandidats", OTHER_ADVISOR))[-1])
    assert "Arrivés par votre lien : 1\n" in shown
    # One person, not named: whether they declared is not counted (it would be them).
    assert "Ont déclaré au moins un CCP" not in shown and "compté à partir de 3 personnes" in shown


async def test_non_advisor_is_told_it_is_reserved(conv: Conv) -> None:
    code = conv.store.register_advisor("Mme Martin", ADVISOR)
    await send(conv, f"/start ref-{code}", ARRIVALS[0])
    refused = await send(conv, "/mescandidats", ARRIVALS[0])
    assert len(refused) == 1 and text_of(refused[0]).startswith(NOT_REGISTERED)
    assert not any(ch.isdigit() for ch in text_of(refused[0]))


async def test_in_a_group_the_counts_go_private(conv: Conv) -> None:
    code = conv.store.register_advisor("Mme Martin", ADVISOR)
    await send(conv, f"/start ref-{code}", ARRIVALS[0])
    said = await send(conv, "/mescandidats", ADVISOR, chat_id=-100_616_161)
    assert said and all("Arrivés par votre lien" not in text_of(m) for m in said)
    assert "privé" in text_of(said[-1])
