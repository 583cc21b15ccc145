"""English commands: aliases of the French ones, in the English menu and in English replies."""

from __future__ import annotations

import re

from conversations.commands import ENGLISH
from tests.conv_support import Conv, texts

UNKNOWN_EN = "I don't know this command"
FRENCH_COMMAND = re.compile(r"/(" + "|".join(ENGLISH) + r")\b")


async def test_every_english_alias_reaches_its_command(conv: Conv) -> None:
    for english in ("help", "declare", "myccps", "deadline", "reminders", "share", "language",
                    "privacy", "mydata", "forget", "path"):
        said = texts(await conv.send(f"/{english}", language_code="en"))
        assert said, f"/{english}: no answer"
        assert UNKNOWN_EN not in said, f"/{english} is not known"
        assert not FRENCH_COMMAND.search(said), (english, said)
        await conv.send("/cancel", language_code="en")  # leave any dialogue it opened


async def test_deadline_asks_for_the_date_then_answers(conv: Conv) -> None:
    [prompt] = await conv.send("/deadline", language_code="en")
    assert "On what date did you obtain your first CCP?" in texts([prompt])
    answer = texts(await conv.send("12/03/2022", language_code="en"))
    assert "12 March 2027" in answer
    assert "get reminders before it comes: /declare" in answer
    one_line = texts(await conv.send("/deadline 12/03/2022", language_code="en"))
    assert "12 March 2027" in one_line


async def test_replies_name_the_command_of_the_users_language(conv: Conv) -> None:
    english = texts(await conv.send("/declare 1 12/03/2022", language_code="en"))
    assert "/myccps shows your deadline" in english
    assert "/mesccp" not in english
    french = texts(await conv.send("/declarer 2 12/03/2023"))
    assert "/mesccp montre votre date limite" in french
    help_en = texts(await conv.send("/help", language_code="en"))
    for command in ("/declare", "/myccps", "/deadline", "/reminders", "/share", "/privacy"):
        assert command in help_en
    assert not FRENCH_COMMAND.search(help_en)


async def test_the_english_menu_lists_the_english_commands(conv: Conv) -> None:
    english = [c["command"] for c in conv.api.profile.commands_for("en")]
    french = [c["command"] for c in conv.api.profile.commands_for("")]
    assert {"help", "declare", "myccps", "deadline", "reminders", "share", "language",
            "privacy"} <= set(english)
    assert not set(english) & {"aide", "declarer", "mesccp", "delai", "rappels", "partager"}
    assert {"aide", "declarer", "mesccp", "delai", "rappels"} <= set(french)
    assert len(english) == len(french)


async def test_a_command_tells_the_language_until_one_is_chosen(conv: Conv) -> None:
    """A tester whose Telegram was in French typed /myccps and /declare and got French: the
    command's language is used, for the dialogue it starts too, until /langue chooses."""
    mine = texts(await conv.send("/myccps"))  # a French Telegram (the default here)
    assert "My CCPs: 0/3" in mine
    await conv.send("/declare")
    [prompt] = await conv.send("1")
    assert "On what date did you obtain it?" in texts([prompt])
    said = texts(await conv.send("03/05/2021"))
    assert "Obtained on 3 May 2021" in said or "3 May 2021" in said
    french = texts(await conv.send("/mesccp"))  # a French command: the Telegram language again
    assert "Mes CCP" in french
    assert "Bonjour" in texts(await conv.send("/start"))
