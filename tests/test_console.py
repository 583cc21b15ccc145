"""`python -m bot chat` (what `make run` starts without a token): the bot in a terminal.

Run as a person would, with text piped in: no token, no network, a database in tmp_path.
Buttons appear as numbered choices; typing the number presses the button.
"""

from __future__ import annotations

import os
import queue
import re
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.config import Settings
from bot.storage import Storage
from bot.storage.tracking import tracker_for
from knowledge.loader import default_titre_path, load_titre

pytestmark = pytest.mark.slow  # `python -m bot chat` in a subprocess

ROOT = Path(__file__).resolve().parent.parent
CHOICE = re.compile(r"^\[(\d+)\] (.+)$")
SOMEONE_ELSE = 424_242


def console_env(tmp_path: Path) -> dict[str, str]:
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
    return environment


def chat(lines: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    environment = console_env(tmp_path)
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
    # logs go to a file whose path is printed, not into the conversation
    log_file = tmp_path / "console.log"
    assert f"Journal / log: {log_file}" in run.stderr
    assert "Application.stop() complete" in log_file.read_text()  # a clean stop, not a kill
    assert "INFO" not in run.stderr


def test_chat_with_a_number_and_no_buttons_is_just_a_message(tmp_path: Path) -> None:
    run = chat(["7", "/quitter", "bonjour"], tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip()  # "7" got an answer of some kind
    assert "Bonjour !" not in run.stdout  # /quitter ended the session before "bonjour"


def test_a_button_pressed_twice_shows_no_error(tmp_path: Path) -> None:
    """Telegram leaves a message as it is when the second press would not change it: the
    console showed « (erreur Telegram 400 sur editmessagetext) » where a user sees nothing."""
    run = chat(["/declarer 1 12/03/2022", "/oublier", "1", "1"], tmp_path)
    assert run.returncode == 0, run.stderr
    assert "je ne garde plus rien sur vous" in run.stdout
    assert "erreur Telegram" not in run.stdout


def test_every_picture_is_written_to_the_folder_whose_path_is_printed(tmp_path: Path) -> None:
    run = chat(["/partager", "/partager"], tmp_path)
    assert run.returncode == 0, run.stderr
    images = [line for line in run.stdout.splitlines() if line.startswith("[image: ")]
    paths = [Path(line.removeprefix("[image: ").removesuffix("]")) for line in images]
    assert len(paths) == 2 and paths[0] != paths[1]  # the second does not overwrite the first
    for path in paths:
        assert path.parent == (tmp_path / "console-files").resolve()
        assert path.read_bytes().startswith(b"\x89PNG")
    assert f"Fichiers / files: {paths[0].parent}" in run.stderr


class LiveConsole:
    """`python -m bot chat` kept open: lines are typed one by one and the screen is read as it
    comes, so what the bot sends on its own (a reminder) can be seen between two lines."""

    def __init__(self, tmp_path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "chat"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=console_env(tmp_path),
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.screen: list[str] = []
        assert self.process.stdout is not None
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()

    def _read(self, stream: Any) -> None:
        for line in stream:
            self.lines.put(line.rstrip("\n"))

    def type(self, text: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()

    def wait_for(self, pattern: str, timeout: float = 30.0) -> list[str]:
        """Screen lines up to the first one matching `pattern` (those after it stay queued)."""
        seen: list[str] = []
        while True:
            line = self.lines.get(timeout=timeout)
            seen.append(line)
            self.screen.append(line)
            if re.search(pattern, line):
                return seen

    def close(self) -> subprocess.CompletedProcess[str]:
        out, err = self.process.communicate("/quit\n", timeout=30)
        return subprocess.CompletedProcess(self.process.args, self.process.returncode, out, err)


def test_a_reminder_sent_on_its_own_appears_and_its_calendar_file_is_written(
    tmp_path: Path,
) -> None:
    today = datetime.now(ZoneInfo("Europe/Paris")).date()  # the bot's day (BOT_TIMEZONE)
    ahead = 11 if (today + timedelta(days=10)).strftime("%m%d") == "0229" else 10
    closes = today + timedelta(days=ahead)
    first = closes.replace(year=closes.year - 5)  # the window is five years: closes then
    # The database may be the real one: someone else is due a reminder today too.
    titre = load_titre(default_titre_path())
    store = Storage(tmp_path / "bot.sqlite3", track=tracker_for(titre, Settings().reminder_steps))
    store.declare(SOMEONE_ELSE, 1, first, now=datetime.now(UTC))
    store.close()
    console = LiveConsole(tmp_path)
    try:
        console.type(f"/declarer 1 {first:%d/%m/%Y}")
        console.wait_for(r"^\[2\] ")  # the declaration's answer and its buttons
        # Nobody typed anything: the reminder the bot sends by itself shows up on screen.
        reminder = console.wait_for(r"Arrêter les rappels", timeout=40)
        assert any(f"Plus que {ahead} jours" in line for line in reminder)
        calendar = next(
            m.group(1) for m in map(CHOICE.match, reminder) if m and "agenda" in m.group(2)
        )
        console.type(calendar)  # its buttons can be pressed
        printed = console.wait_for(r"^\[fichier: ")[-1]
    finally:
        run = console.close()
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    path = Path(printed.removeprefix("[fichier: ").removesuffix("]"))
    assert path.parent == (tmp_path / "console-files").resolve()
    assert path.suffix == ".ics"
    calendar_file = Calendar.from_ical(path.read_bytes())
    assert [e.name for e in calendar_file.walk("VEVENT")] == ["VEVENT"]
    assert f"Fichiers / files: {path.parent}" in run.stderr
    # ... and that person's reminder was not swallowed by the console: left for the real bot
    with sqlite3.connect(tmp_path / "bot.sqlite3") as db:
        statuses = dict(db.execute("SELECT user_id, status FROM reminder_log").fetchall())
    assert statuses == {1: "sent", SOMEONE_ELSE: "failed"}
    assert not any(str(SOMEONE_ELSE) in line for line in console.screen)
