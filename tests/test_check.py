"""`check_files` and `python -m bot check`: what an operator sees after editing the YAML."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.check import check_files
from knowledge.problems import Problem

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).parent / "fixtures" / "mini-titre.yaml"


def variant(tmp_path: Path, *changes: tuple[str, str]) -> tuple[Path, str]:
    text = MINI.read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "edited.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def messages(problems: list[Problem]) -> list[str]:
    return [str(p) for p in problems]


def test_problem_prints_as_file_line_message() -> None:
    assert str(Problem("a.yaml", 12, "duplicate topic 'x'")) == "a.yaml:12: duplicate topic 'x'"


@pytest.mark.slow
def test_shipped_and_fixture_files_are_valid() -> None:
    assert check_files([]) == []  # no file named: the shipped référentiel(s)
    assert check_files([MINI]) == []


def test_same_example_question_under_two_topics(tmp_path: Path) -> None:
    path, text = variant(
        tmp_path, ('["Combien gagne-t-on ?"]', '["Combien de temps pour les CCP"]')
    )
    at = line_of(text, '["Combien de temps pour les CCP"]')
    assert messages(check_files([path])) == [
        f"{path}:{at}: topic 'salaire': example question 'Combien de temps pour les CCP' "
        "is also under topic 'delai'"
    ]


def test_synonym_in_two_groups_and_lonely_group(tmp_path: Path) -> None:
    groups = "  - [velo, bicyclette, bike]\n"
    path, text = variant(tmp_path, (groups, groups + "  - [Vélo, biclou]\n  - [seul]\n"))
    assert messages(check_files([path])) == [
        f"{path}:{line_of(text, '[Vélo')}: synonyms: 'Vélo' is in groups 1 and 2",
        f"{path}:{line_of(text, '[seul]')}: synonyms: group 3 needs at least two terms",
    ]


def test_status_source_and_empty_answer(tmp_path: Path) -> None:
    path, text = variant(
        tmp_path,
        ("status: P", "status: sure"),
        ('    source: "Modalités, § 2"\n    questions', '    source: ""\n    questions'),
        ('answer: "Bonjour !"', 'answer: "  "'),
    )
    source, answer = line_of(text, 'source: ""\n    questions'), line_of(text, 'answer: "  "')
    assert messages(check_files([path])) == [
        f"{path}:{line_of(text, 'status: sure')}: evolution 'X1': status 'sure' is not V, P, U "
        "or e.g. 'V / U'",
        f"{path}:{source}: topic 'delai': a fact needs its source "
        "(part of the référentiel)",
        f"{path}:{answer}: topic 'bonjour': the French answer is empty",
    ]


def test_several_files_are_checked_together(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("related: [delai]", "related: [titre]"))
    assert messages(check_files([MINI, path, tmp_path / "gone.yaml"]))[:1] == [
        f"{path}:{line_of(text, 'related: [titre]')}: topic 'titre': lists itself as related"
    ]
    assert str(check_files([tmp_path / "gone.yaml"])[0]).startswith(
        f"{tmp_path / 'gone.yaml'}:1: cannot read the file"
    )


@pytest.mark.slow
def test_bot_check_command_exits_1_with_the_problems(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("in_force: 2020-01-01", "in_force: 2020-02-30"))
    run = subprocess.run(
        [sys.executable, "-m", "bot", "check", str(MINI), str(path)],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )
    assert run.returncode == 1, run.stderr
    assert (
        f"{path}:{line_of(text, '2020-02-30')}: evolution 'X1', in_force: '2020-02-30' "
        "is not a real date"
    ) in run.stdout.splitlines()
    ok = subprocess.run(
        [sys.executable, "-m", "bot", "check"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr


def test_question_or_keyword_twice_in_one_topic(tmp_path: Path) -> None:
    path, text = variant(
        tmp_path,
        ('questions: ["Combien de temps pour les CCP ?"]',
         'questions: ["Combien de temps pour les CCP ?", "combien de temps pour les ccp"]'),
        ("keywords: [salaire]", "keywords: [salaire, Salaire]"),
    )
    questions, keywords = line_of(text, 'questions: ["Combien de temps'), line_of(
        text, "keywords: [salaire, "
    )
    assert messages(check_files([path])) == [
        f"{path}:{questions}: topic 'delai': example question 'combien de temps pour les ccp' "
        "is twice",
        f"{path}:{keywords}: topic 'salaire': keyword 'Salaire' is listed twice",
    ]


def test_a_question_written_again_with_accents_is_the_same_question(tmp_path: Path) -> None:
    path, text = variant(
        tmp_path,
        ('questions: ["Combien de temps pour les CCP ?"]',
         'questions: ["Combien de temps pour les CCP ?", "Combièn de témps, pour les CCP…"]'),
    )
    at = line_of(text, 'questions: ["Combien de temps')
    assert messages(check_files([path])) == [
        f"{path}:{at}: topic 'delai': example question 'Combièn de témps, pour les CCP…' is twice"
    ]


def test_a_question_written_again_with_quotes_and_an_emoji_is_the_same_question(
    tmp_path: Path,
) -> None:
    """Accents go at C speed, then what is still not ASCII (« », ’, an emoji) one by one."""
    path, text = variant(
        tmp_path,
        ('questions: ["Combien de temps pour les CCP ?"]',
         'questions: ["Combien de temps pour les CCP ?",'
         ' "« Combièn » de temps pour les CCP ? 😅"]'),
    )
    at = line_of(text, 'questions: ["Combien de temps')
    assert messages(check_files([path])) == [
        f"{path}:{at}: topic 'delai': example question '« Combièn » de temps pour les CCP ? 😅'"
        " is twice"
    ]


def test_topic_id_fit_for_links_and_evolution_shown_somewhere(tmp_path: Path) -> None:
    path, text = variant(
        tmp_path,
        ("  - id: salaire", "  - id: Salaire brut"),
        ("    evolutions: [X1]\n", ""),
    )
    assert messages(check_files([path])) == [
        f"{path}:{line_of(text, '- id: X1')}: evolution 'X1' is attached to no topic, so the bot "
        "would never show it",
        f"{path}:{line_of(text, 'id: Salaire brut')}: topic 'Salaire brut': an id may only hold "
        "a-z, 0-9 and _ (up to 40), as it goes into links and buttons",
    ]


def test_titre_valid_until_is_checked(tmp_path: Path) -> None:
    path, text = variant(
        tmp_path, ("titre_valid_until: 2030-12-31", "titre_valid_until: 2011-01-01")
    )
    at = line_of(text, "titre_valid_until: 2011")
    assert messages(check_files([path])) == [
        f"{path}:{at}: capitalisation: titre_valid_until 2011-01-01 is before the titre was "
        "created (2012-02-29)"
    ]
    path, text = variant(
        tmp_path,
        ("titre_valid_until: 2030-12-31", "titre_valid_until: 2015-01-01"),
        ("rule_change: null", "rule_change: 2016-06-01"),
    )
    at = line_of(text, "titre_valid_until: 2015")
    assert messages(check_files([path])) == [
        f"{path}:{at}: capitalisation: titre_valid_until 2015-01-01 is before rule_change "
        "(2016-06-01), the day the rule that uses it came into force"
    ]


def test_a_calibration_part_names_topics_of_its_titre(tmp_path: Path) -> None:
    titre = tmp_path / "mini.yaml"
    titre.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    part = tmp_path / "mini.writers.calibration.yaml"
    part.write_text('in_scope:\n  delai: ["jusqu\'à quand ?"]\n  nulle_part: ["et ça ?"]\n'
                    "out_of_scope: []\n", encoding="utf-8")  # fmt: skip
    assert messages(check_files([part])) == [f"{part}:1: unknown topic id 'nulle_part'"]


def test_a_calibration_part_s_own_cap_is_a_share(tmp_path: Path) -> None:
    titre = tmp_path / "mini.yaml"
    titre.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    part = tmp_path / "mini.stories.calibration.yaml"
    part.write_text("# long messages\nmax_wrong: 3\nin_scope: {}\nout_of_scope: []\n",
                    encoding="utf-8")  # fmt: skip
    assert messages(check_files([part])) == [
        f"{part}:2: max_wrong: 3.0 is not a share between 0 and 1 (0.03: 3%)"
    ]
    part.write_text("max_wrong: 0.03\nin_scope: {}\nout_of_scope: []\n", encoding="utf-8")
    assert messages(check_files([part])) == []


def test_an_ordinal_that_is_no_number_is_reported_at_its_line(tmp_path: Path) -> None:
    shipped = ROOT / "knowledge" / "data" / "lang" / "en.yaml"
    text = shipped.read_text(encoding="utf-8")
    old = "ordinal_words: first second third fourth fifth"
    assert text.count(old) == 1
    text = text.replace(old, old + " tenth")
    (tmp_path / "lang").mkdir()
    path = tmp_path / "lang" / "en.yaml"
    path.write_text(text, encoding="utf-8")
    assert messages(check_files([path])) == [
        f"{path}:{line_of(text, old)}: ordinal_words: not among the numbers: tenth"
    ]
    assert check_files([shipped]) == []
