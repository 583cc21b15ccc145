"""`python -m bot stats | unanswered | backup PATH | advisor LABEL --user-id N`
(bot/cli/operators.py) through `bot.cli.commands.main`, on the database named by BOT_DB."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.cli import operators as operator_cli
from bot.cli.commands import main
from bot.config import Settings
from bot.storage import Storage
from bot.storage.tracking import tracker_for
from knowledge.loader import default_titre_path, load_titre

NOW = datetime.now(UTC)  # the CLI reads the real clock: "active over 7 days" is relative to it


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data" / "bot.sqlite3"
    monkeypatch.setenv("BOT_DB", str(path))
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.delenv("BOT_ADMINS", raising=False)
    return path


@pytest.fixture
def storage(db: Path) -> Iterator[Storage]:
    titre = load_titre(default_titre_path())
    store = Storage(db, track=tracker_for(titre, ("12m", "1m")))
    try:
        yield store
    finally:
        store.close()


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_stats(storage: Storage, capsys: pytest.CaptureFixture[str]) -> None:
    for user in (1, 2, 3):
        storage.touch_user(user, now=NOW)
    storage.declare(1, 2, date(2024, 3, 15), now=NOW)
    storage.declare(1, 3, date(2025, 1, 10), now=NOW)
    storage.log_question(topic="vae", status="answer", text=None, now=NOW)
    storage.log_question(topic="vae", status="answer", text=None, now=NOW)
    storage.log_question(topic="ccp1", status="answer", text=None, now=NOW)
    storage.log_question(topic=None, status="fallback", text="la météo ?", now=NOW)
    code, out, _ = run(["stats"], capsys)
    assert code == 0
    lines = out.splitlines()
    for expected in (
        "users: 3",
        "active_7d: 3",
        "declarations: 2",
        "users_with_declarations: 1",
        "reminders_sent: 0",
        "questions: 4",
        "top_topics: vae (2), ccp1 (1)",
        "unanswered_share: 25.0%",
        "replies_waiting: 0",
        "replies_lost_7d: 0",
        "replies_kept_hours: 24",
    ):
        assert expected in lines


def test_unanswered_most_frequent_first(
    storage: Storage, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["unanswered"], capsys)
    assert (code, out) == (0, "no unanswered question\n")
    asked = ("C'est payant ?", "c'est payant", "Horaires du centre\nde Lyon ?", "C'est payant ?")
    for text in asked:
        storage.log_question(topic=None, status="fallback", text=text, now=NOW)
    code, out, _ = run(["unanswered"], capsys)
    assert code == 0
    assert out.splitlines() == ["    3  C'est payant ?", "    1  Horaires du centre de Lyon ?"]
    code, out, _ = run(["unanswered", "--limit", "1"], capsys)
    assert out.splitlines() == ["    3  C'est payant ?"]


def test_backup_passes_integrity_check(
    storage: Storage, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    storage.declare(7, 1, date(2023, 6, 1), now=NOW)
    storage.register_advisor("Mme Martin", 99)
    target = tmp_path / "copies" / "bot-copy.sqlite3"
    code, out, _ = run(["backup", str(target)], capsys)
    assert code == 0
    assert out.startswith(f"backup written to {target} (") and "integrity_check: ok" in out
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert copy.execute("SELECT user_id, ccp, obtained FROM declarations").fetchall() == [
            (7, 1, "2023-06-01")
        ]
        assert copy.execute("SELECT label FROM advisors").fetchall() == [("Mme Martin",)]
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one file
    assert not list(target.parent.glob(".*partial"))


def test_backup_into_a_directory_and_never_over_the_database(
    storage: Storage, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    storage.touch_user(5, now=NOW)
    folder = tmp_path / "sauvegardes"
    folder.mkdir()
    code, _, _ = run(["backup", str(folder)], capsys)
    assert code == 0
    (copy,) = folder.glob("bot-*.sqlite3")
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT user_id FROM users").fetchall() == [(5,)]
    code, _, err = run(["backup", str(db)], capsys)
    assert code == 2 and "must not overwrite the database" in err


def test_reading_commands_need_an_existing_database(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for args in (["stats"], ["unanswered"], ["backup", str(tmp_path / "copy.sqlite3")]):
        code, out, err = run(args, capsys)
        assert code == 1 and out == ""
        assert f"no database at {db}" in err
    assert not db.exists() and not (tmp_path / "copy.sqlite3").exists()


def test_advisor_registration(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["advisor", "Mme Martin"], capsys)
    assert code == 2 and "--user-id is required" in err
    code, out, _ = run(["advisor", "Mme Martin", "--user-id", "4242"], capsys)
    assert code == 0
    first = out.splitlines()
    assert first[0].startswith("advisor 'Mme Martin' (user 4242): code ")
    registered = first[0].rsplit(" ", 1)[1]
    assert f"?start=ref-{registered}" in first[1]
    code, out, _ = run(["advisor", "Mme Martin (Lyon)", "--user-id", "4242"], capsys)
    assert out.splitlines()[0].endswith(f"code {registered}")  # the same code again
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT code, advisor_user_id, label FROM advisors").fetchall() == [
            (registered, 4242, "Mme Martin (Lyon)")
        ]
    # an operator tester registered "" and two "Mme Durand": refused, and said
    code, _, err = run(["advisor", "  ", "--user-id", "4343"], capsys)
    assert code == 2 and "LABEL is empty" in err
    code, out, _ = run(["advisor", "Mme Martin (Lyon)", "--user-id", "4444"], capsys)
    assert code == 0 and f"note: another advisor is also called 'Mme Martin (Lyon)' (code " \
        f"{registered})" in out


def test_advisors_listed_with_their_counts(
    storage: Storage, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(db_path=db)
    titre = load_titre(default_titre_path())
    assert operator_cli.advisors(settings, titre) == 0
    assert capsys.readouterr().out.startswith("no advisor registered")
    code = storage.register_advisor("Mme Martin", 4242)
    storage.register_advisor("M. Bernard", 4343)
    for user in (1, 2):
        storage.touch_user(user, now=NOW, referral=code)
    storage.declare(2, 1, date(2024, 5, 2), now=NOW)
    storage.offer_consent(2, code, now=NOW)  # issue 14: one shares, the operator sees a count
    storage.set_consent(2, code, True, shown_name="Aïcha", now=NOW)
    assert operator_cli.advisors(settings, titre) == 0
    out = capsys.readouterr().out
    lines = sorted(out.splitlines(), key=lambda line: "user=4242" not in line)
    assert lines[0] == (
        f"{code}  user=4242  arrived=2 declared=1 reminders_on=1 sharing=1  Mme Martin"
    )
    assert lines[1].endswith("user=4343  arrived=0 declared=0 reminders_on=0 sharing=0  M. Bernard")
    assert "Aïcha" not in out and "2024" not in out


def test_an_advisor_who_leaves_is_removed_and_sees_nothing_more(
    storage: Storage, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An operator tester found no way to remove an advisor (who left, or was registered under
    a mistyped id): they kept seeing the candidates who shared with them."""
    settings = Settings(db_path=db)
    titre = load_titre(default_titre_path())
    code = storage.register_advisor("Mme Martin", 4242)
    storage.touch_user(2, now=NOW, referral=code)
    storage.offer_consent(2, code, now=NOW)
    storage.set_consent(2, code, True, shown_name="Aïcha", now=NOW)
    assert operator_cli.remove_advisor(settings, titre, code) == 0
    assert "advisor 'Mme Martin' removed" in capsys.readouterr().out
    assert storage.advisor_code(4242) is None and storage.consents(2) == []
    assert storage.shared_candidates(code, today=NOW.date(), offset=0, limit=10) == (0, [])
    assert operator_cli.remove_advisor(settings, titre, code) == 1  # gone: said, not silent
    assert "no advisor has the code" in capsys.readouterr().err


def test_remind_dry_run_lists_who_would_get_what(
    storage: Storage, capsys: pytest.CaptureFixture[str]
) -> None:
    storage.declare(4101, 1, date(2022, 3, 12), now=NOW)  # closes 12 March 2027
    storage.declare(4102, 2, date(2022, 6, 20), now=NOW)  # closes 20 June 2027
    storage.declare(4103, 3, date(2026, 1, 5), now=NOW)  # nothing due on that day
    storage.close()
    code, out, _ = run(["remind", "--dry-run", "--today", "2027-02-12"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert [line.rsplit(" chars=", 1)[0] for line in lines[:2]] == [
        "would send: user=4101 step=1m lang=fr closes_on=2027-03-12",
        "would send: user=4102 step=6m lang=fr closes_on=2027-06-20",  # 12m was missed too
    ]
    assert all(int(line.rsplit("=", 1)[1]) > 200 for line in lines[:2])  # a real message
    assert lines[2] == "due=2 sent=0 skipped=0 failed=0 blocked=0 dry_run=1 would_send=2"
    assert "2022" not in out  # no declared dates: only ids, steps and windows
