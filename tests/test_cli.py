"""`python -m bot …` as DESIGN.md states it: what a script or an operator reads back.

The contracts whose output is the point (`ask`, `run` failing without a token) run in a
subprocess, exactly as typed; the others go through `bot.cli.commands.main` in-process (faster, and
under the network guard of conftest.py: a dry run must not need Telegram at all).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import commands as cli

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).parent / "fixtures" / "mini-titre.yaml"
ASK_KEYS = {"question", "status", "topic", "confidence", "text", "suggestions", "source"}
STATUSES = {"answer", "clarify", "fallback"}
OUT_OF_SCOPE = "qui a écrit Les Misérables ?"


def bot_command(
    *args: str, tmp_path: Path, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot ARGS` from the repository root, with no token and no network."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "BOT_"))
    }
    environment.update(BOT_DB=str(tmp_path / "bot.sqlite3"), PYTHONIOENCODING="utf-8")
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """`cli.main` with a fresh database, no token, and pytest's logging left alone."""
    for key in list(os.environ):
        if key.startswith(("TELEGRAM_", "BOT_")):
            monkeypatch.delenv(key)
    monkeypatch.setenv("BOT_DB", str(tmp_path / "bot.sqlite3"))
    monkeypatch.setattr(cli, "setup_logging", lambda: None)
    return tmp_path


# ---- ask ------------------------------------------------------------------------------------
def check_ask_object(line: str) -> dict[str, object]:
    answer = json.loads(line)
    assert set(answer) == ASK_KEYS
    assert answer["status"] in STATUSES
    assert isinstance(answer["confidence"], int | float) and 0 <= answer["confidence"] <= 1
    assert isinstance(answer["text"], str) and answer["text"].strip()
    assert "<b>" not in answer["text"]  # plain text, not Telegram HTML
    suggestions = answer["suggestions"]
    assert isinstance(suggestions, list) and len(suggestions) <= 3
    assert all(set(s) == {"topic", "title"} for s in suggestions)
    return answer  # type: ignore[no-any-return]


@pytest.mark.slow
def test_ask_json_gives_the_design_object(tmp_path: Path) -> None:
    run = bot_command("ask", "--json", "c koi la VAE ?", tmp_path=tmp_path)
    assert run.returncode == 0, run.stderr
    [line] = run.stdout.splitlines()
    answer = check_ask_object(line)
    assert answer["question"] == "c koi la VAE ?"
    assert (answer["status"], answer["topic"]) == ("answer", "vae")
    assert "trois ans" in str(answer["text"])
    assert answer["source"]


@pytest.mark.slow
def test_ask_reads_one_question_a_line_and_writes_one_answer_a_line(tmp_path: Path) -> None:
    questions = ["bonjour", "c'est quoi le CCP 2 ?", OUT_OF_SCOPE]
    plain = bot_command("ask", tmp_path=tmp_path, stdin="\n".join(questions) + "\n")
    assert plain.returncode == 0, plain.stderr
    lines = plain.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("Bonjour")
    assert "CCP 2" in lines[1]

    as_json = bot_command("ask", "--json", tmp_path=tmp_path, stdin="\n".join(questions))
    assert as_json.returncode == 0, as_json.stderr
    answers = [check_ask_object(line) for line in as_json.stdout.splitlines()]
    assert [a["question"] for a in answers] == questions
    assert answers[1]["topic"] == "ccp2"
    assert answers[2]["status"] != "answer"  # out of scope: never a confident answer


# ---- faq ------------------------------------------------------------------------------------
def test_faq_json_is_a_list_of_topics(in_process: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["faq", "--format", "json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert isinstance(entries, list) and len(entries) >= 30
    for entry in entries:
        assert set(entry) == {"topic", "title", "questions", "answer"}
        assert isinstance(entry["questions"], list) and entry["questions"]
        assert all(isinstance(q, str) and q for q in entry["questions"])
        assert entry["answer"].strip()
    by_topic = {e["topic"]: e for e in entries}
    assert {"vae", "ccp1", "ccp2", "ccp3", "delai"} <= by_topic.keys()
    assert "trois ans" in by_topic["vae"]["answer"]


def test_faq_markdown(in_process: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["faq", "--format", "md"]) == 0
    text = capsys.readouterr().out
    assert text.lstrip().startswith("#")
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert len(headings) >= 30
    assert "trois ans" in text and "CCP 2" in text


# ---- check ----------------------------------------------------------------------------------
@pytest.mark.slow
def test_check_on_the_shipped_file(in_process: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check"]) == 0
    assert capsys.readouterr().out.startswith("ok")


def test_check_names_each_problem_with_file_and_line(
    in_process: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = MINI.read_text(encoding="utf-8")
    for old, new in (
        ("  short_name: RCV\n", "  short_name: RCV\n  colour: blue\n"),  # unknown key
        ("      - id: atelier.roues", "      - id: atelier.freins"),  # duplicate id
        ("    in_force: 2020-01-01", "    in_force: 2020-13-45"),  # no such date
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    bad = in_process / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    lines = text.splitlines()

    assert cli.main(["check", str(bad)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3
    for problem, needle in zip(out, ("colour", "id: atelier.freins", "2020-13-45"), strict=True):
        file, line, message = problem.split(":", 2)
        assert file == str(bad)
        assert needle in lines[int(line) - 1]  # the line named is the line at fault
        assert message.strip()
    assert "colour" in out[0] and "atelier.freins" in out[1] and "2020-13-45" in out[2]


# ---- run without a usable token ----------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize(
    ("token", "says"),
    [(None, "TELEGRAM_BOT_TOKEN is not set"), ("12345", "TELEGRAM_BOT_TOKEN looks malformed")],
)
def test_run_without_a_usable_token_says_so_in_one_line(
    tmp_path: Path, token: str | None, says: str
) -> None:
    env = {"TELEGRAM_BOT_TOKEN": token} if token else {}
    run = bot_command("run", tmp_path=tmp_path, env=env)
    assert run.returncode == 2
    assert run.stdout == ""
    [line] = run.stderr.strip().splitlines()
    assert says in line
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "bot.sqlite3").exists()  # refused before touching anything


# ---- remind ---------------------------------------------------------------------------------
def test_remind_dry_run_on_an_empty_database(
    in_process: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["remind", "--dry-run", "--today", "2026-11-29"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith("due=0 sent=0 skipped=0 failed=0")
    assert "dry_run=1" in line


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["json", "md"])
def test_faq_into_a_pipe_closed_early_ends_quietly(fmt: str) -> None:
    """`python -m bot faq --format json | head`: no BrokenPipeError traceback."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "faq", "--format", fmt],
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the first line is written
    errors = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0
    assert "BrokenPipeError" not in errors and "Traceback" not in errors
