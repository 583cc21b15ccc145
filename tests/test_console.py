"""`python -m bot chat` (what `make run` starts without a token): the bot in a terminal.

Run as a person would, with text piped in: no token, no network, a database in tmp_path.
Buttons appear as numbered choices; typing the number presses the button.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHOICE = re.compile(r"^\[(\d+)\] (.+)$")


def chat(lines: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "BOT_"))
    }
    environment.update(
        BOT_DB=str(tmp_path / "bot.sqlite3"),
        PYTHONIOENCODING="utf-8",
        # Anything not on this machine is unreachable: the console must not need it.
        TELEGRAM_BASE_URL="http://127.0.0.1:9/bot",
        HTTPS_PROXY="http://127.0.0.1:9",
        HTTP_PROXY="http://127.0.0.1:9",
    )
    return subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        cwd=ROOT,
        input="".join(line + "\n" for line in lines),
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )


def choices(block: list[str]) -> dict[int, str]:
    return {int(m.group(1)): m.group(2) for m in map(CHOICE.match, block) if m}


def test_chat_answers_and_shows_buttons_as_numbered_choices(tmp_path: Path) -> None:
    run = chat(["/start", "c koi la VAE ?", "1"], tmp_path)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    out = run.stdout.splitlines()

    # /start: the welcome, then the menu as [1]..[5]
    assert out[0].startswith("👋 Bonjour Camille !")
    vae_at = out.index("La VAE")
    menu = choices(out[:vae_at])
    assert menu == {
        1: "📚 Les 3 CCP et leurs compétences",
        2: "🧭 Les voies pour obtenir le titre",
        3: "🙋 Quel parcours pour moi ?",
        4: "📅 Mon délai pour finir le titre",
        5: "💬 Poser une question",
    }
    # the question: the VAE answer in readable text (no HTML), with its own choices
    after_vae = out[vae_at:]
    first_choice = next(i for i, line in enumerate(after_vae) if CHOICE.match(line))
    answer_text = "\n".join(after_vae[:first_choice])
    assert "trois ans" in answer_text
    assert "<b>" not in answer_text and "&amp;" not in answer_text
    last_choice = first_choice
    while last_choice + 1 < len(after_vae) and CHOICE.match(after_vae[last_choice + 1]):
        last_choice += 1
    follow_ups = choices(after_vae[first_choice : last_choice + 1])
    assert follow_ups[1] == "VAE : l'expérience demandée"
    assert follow_ups[max(follow_ups)] == "☰ Menu"
    # "1" pressed the first button under the answer, not the first of the welcome menu
    pressed = after_vae[last_choice + 1 :]
    assert pressed[0] == "VAE : l'expérience demandée"
    assert any("trois ans" in line for line in pressed)
    assert not any("Les 3 CCP du titre" in line for line in pressed)


def test_chat_ends_cleanly_on_end_of_input(tmp_path: Path) -> None:
    run = chat([], tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    assert "Application.stop() complete" in run.stderr  # a clean stop, not a kill


def test_chat_with_a_number_and_no_buttons_is_just_a_message(tmp_path: Path) -> None:
    run = chat(["7", "/quitter", "bonjour"], tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip()  # "7" got an answer of some kind
    assert "Bonjour !" not in run.stdout  # /quitter ended the session before "bonjour"
