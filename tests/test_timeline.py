"""The window picture: a real PNG of the announced size, small, in both languages."""

from __future__ import annotations

import struct
import subprocess
import sys
from datetime import date

from conversations.i18n import Catalogue
from conversations.timeline import HEIGHT_PX, WIDTH_PX, TimelineTexts, ccp_marks, timeline_png

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
    assert png_size(data) == (WIDTH_PX, HEIGHT_PX)
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
        assert png_size(data) == (WIDTH_PX, HEIGHT_PX)


def test_matplotlib_is_not_imported_until_a_picture_is_drawn() -> None:
    code = (
        "import sys, conversations.timeline; "
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
