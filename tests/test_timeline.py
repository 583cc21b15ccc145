"""The window picture: a real PNG for a phone, small, in both languages, every state in words,
every text inside the canvas and no two texts overlapping."""

from __future__ import annotations

import struct
import subprocess
import sys
from datetime import date

import pytest
from matplotlib.text import Text

from conversations.i18n import Catalogue
from conversations.timeline import (
    DPI,
    FONT_PT,
    WIDTH_PX,
    TimelineTexts,
    ccp_marks,
    timeline_figure,
    timeline_png,
)
from knowledge.model import Lang

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_a_png_of_the_expected_size_under_100_kb() -> None:
    data = timeline_png(
        ccp_marks({1: date(2023, 4, 12), 2: date(2023, 6, 1), 3: date(2023, 9, 5)}),
        closes_on=date(2028, 4, 12),
        today=date(2026, 11, 29),
        texts=TimelineTexts.from_catalogue(Catalogue.load(), "fr"),
    )
    assert png_size(data)[0] == WIDTH_PX
    assert len(data) < 100_000
    assert data.endswith(b"IEND\xaeB`\x82")  # complete file


def test_english_labels_and_odd_cases_draw() -> None:
    cases = [
        ({1: date(2023, 4, 12)}, date(2028, 4, 12), date(2028, 4, 12)),  # last day
        ({2: date(2020, 1, 1)}, date(2025, 1, 1), date(2026, 11, 29)),  # already closed
        ({1: date(2026, 11, 29)}, date(2031, 11, 29), date(2026, 11, 29)),  # declared today
        ({}, date(2031, 11, 29), date(2026, 11, 29)),  # nothing declared yet
    ]
    for declared, closes_on, today in cases:
        texts = TimelineTexts.from_catalogue(Catalogue.load(), "en")
        data = timeline_png(ccp_marks(declared), closes_on=closes_on, today=today, texts=texts)
        assert png_size(data)[0] == WIDTH_PX


@pytest.mark.slow
def test_matplotlib_is_not_imported_until_a_picture_is_drawn() -> None:
    code = (
        "import sys, conversations.timeline; "
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


TODAY = date(2026, 12, 5)
STATES = {
    # state: (marks, closes_on, today, provisional, complete)
    "open": ({1: date(2022, 3, 12), 2: date(2022, 3, 13), 3: date(2022, 3, 14)},
             date(2027, 3, 12), date(2027, 3, 11), False, False),  # everything crowded
    "provisional": ({1: date(2023, 11, 30)}, date(2028, 11, 30), TODAY, True, False),
    # a prudent date gone by (first CCP 2019): not "to aim for", not "closed" either
    "target_passed": ({1: date(2019, 3, 22)}, date(2024, 3, 22), TODAY, True, False),
    "closed": ({2: date(2020, 1, 1)}, date(2025, 1, 1), TODAY, False, False),
    "complete": ({1: date(2023, 4, 12), 2: date(2023, 6, 1), 3: date(2023, 9, 5)},
                 date(2028, 4, 12), TODAY, False, True),
}  # fmt: skip
WORDS = {"open": "Fenêtre ouverte", "provisional": "Date provisoire", "closed": "Fenêtre fermée",
         "complete": "Complet", "target_passed": "Date prudente passée"}  # fmt: skip


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("state", list(STATES))
def test_each_state_in_words_texts_inside_and_never_overlapping(state: str, lang: Lang) -> None:
    declared, closes_on, today, provisional, complete = STATES[state]
    texts = TimelineTexts.from_catalogue(Catalogue.load(), lang)
    fig = timeline_figure(ccp_marks(declared), closes_on=closes_on, today=today, texts=texts,
                          provisional=provisional, complete=complete)  # fmt: skip
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    drawn = [t for t in fig.findobj(Text) if t.get_text() and t.get_visible()]
    words = [t.get_text() for t in drawn]
    assert texts.states[state] in words  # type: ignore[index]
    if lang == "fr":
        assert any(w.startswith(WORDS[state]) for w in words)
    closing = [w for w in words
               if w.startswith((texts.closes, texts.target, texts.target_passed + " ·"))]
    assert len(closing) == (0 if complete else 1)  # no "Clôture" once every CCP is held
    width, height = fig.canvas.get_width_height()
    boxes = [t.get_window_extent(renderer) for t in drawn]
    for text, box in zip(words, boxes, strict=True):
        assert box.x0 >= 0 and box.x1 <= width and box.y0 >= 0 and box.y1 <= height, text
        assert box.height >= 2 * 11, text  # the old picture's text was 11 px high
    for i, a in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            assert not a.overlaps(boxes[j]), (words[i], words[j])


def test_text_is_at_least_twice_the_old_share_of_the_width() -> None:
    assert FONT_PT / 72 * DPI / WIDTH_PX >= 2 * 11 / 720
