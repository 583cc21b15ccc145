"""The QR code of /partager as a picture to print: the code, and under it in large letters
the bot's name (or the advisor's label) and the link written out for those who cannot scan.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Final

import matplotlib
import qrcode
from PIL import Image, ImageDraw, ImageFont
from qrcode.constants import ERROR_CORRECT_M

MIN_WIDTH: Final = 1200  # px: 10 cm at 300 dpi, a poster's corner or a full A5 sheet
BORDER: Final = 4  # modules of white around the code (the QR standard's quiet zone)
TITLE_RATIO: Final = 16  # title letters are 1/16 of the width: ~75 px, ~6 mm printed
LINK_RATIO: Final = 28
MAX_TITLE_LINES: Final = 3

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def qr_png(url: str, title: str) -> bytes:
    """PNG: the QR code of `url`, `title` below it (wrapped, never cut), then `url`."""
    code = qrcode.QRCode(border=BORDER, error_correction=ERROR_CORRECT_M, box_size=1)
    code.add_data(url)
    code.make(fit=True)
    modules = code.modules_count + 2 * BORDER
    code.box_size = max(10, math.ceil(MIN_WIDTH / modules))
    picture = code.make_image().get_image().convert("RGB")
    width = picture.width
    margin = width // 12
    title_font = _font(width // TITLE_RATIO)
    link_font = _font(width // LINK_RATIO)
    lines = wrap(title, title_font, width - 2 * margin)
    if len(lines) > MAX_TITLE_LINES:  # a very long label: smaller letters rather than cut
        title_font = _font(width // (TITLE_RATIO + 8))
        lines = wrap(title, title_font, width - 2 * margin)
    link_text = url.removeprefix("https://")
    link_size = width // LINK_RATIO
    while link_size > 12 and _length(link_font, link_text) > width - margin:
        link_size -= 2
        link_font = _font(link_size)
    gap = width // 60
    heights = [_height(title_font, line) for line in lines] + [_height(link_font, link_text)]
    band = sum(heights) + gap * len(heights) + width // 25  # and a margin at the bottom
    canvas = Image.new("RGB", (width, picture.height + band), "white")
    canvas.paste(picture, (0, 0))
    draw = ImageDraw.Draw(canvas)
    y = picture.height - width // 40  # the quiet zone is white already: start inside it
    for line, font, height in zip(
        [*lines, link_text], [title_font] * len(lines) + [link_font], heights, strict=True
    ):
        left = (width - draw.textlength(line, font=font)) / 2
        draw.text((left, y), line, font=font, fill="black")
        y += height + gap
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG", dpi=(300, 300))
    return buffer.getvalue()


def wrap(text: str, font: Font, width: int) -> list[str]:
    """Words on lines no wider than `width`; a word too long alone keeps a line to itself."""
    lines: list[str] = []
    for word in text.split():
        if lines and _length(font, f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _font(size: int) -> Font:
    """DejaVu Sans (shipped with matplotlib, a dependency): accents and dashes print right,
    which Pillow's own default font does not do."""
    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    if path.is_file():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def _length(font: Font, text: str) -> float:
    left, _, right, _ = font.getbbox(text)
    return float(right - left)


def _height(font: Font, text: str) -> int:
    _, top, _, bottom = font.getbbox(text or "Ag")
    return int(bottom) + max(0, int(top)) // 2
