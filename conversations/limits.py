"""Telegram's limits as Telegram counts them: one place that measures, splits and cuts.

Telegram counts a message's length in UTF-16 code units *after* parsing its entities (the
HTML tags are not counted, `&amp;` is one character, an emoji outside the BMP counts two).
Python's `len` counts code points of the HTML source: wrong both ways. Every reply, edit,
caption, button answer and quotation of the user goes through these helpers.
"""

from __future__ import annotations

import html
import re
from typing import Final

MESSAGE_UNITS: Final = 4096  # text of a message, after entities
CAPTION_UNITS: Final = 1024  # caption of a photo or a document
CALLBACK_ANSWER_UNITS: Final = 200  # the little notice of answerCallbackQuery
INLINE_QUERY_UNITS: Final = 256  # what a user can type after @bot
EXCERPT_UNITS: Final = 60  # a refusal quotes at most this much of what the user wrote

_TAG = re.compile(r"<[^<>]*>")
_ELLIPSIS = "…"


def utf16_units(text: str) -> int:
    """Length in UTF-16 code units (lone surrogates count one, as sanitised text has none)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def visible_units(html_text: str) -> int:
    """What Telegram counts for an HTML message: the text without tags, entities decoded."""
    return utf16_units(html.unescape(_TAG.sub("", html_text)))


def fits(html_text: str, limit: int = MESSAGE_UNITS) -> bool:
    return visible_units(html_text) <= limit


def cut(text: str, limit: int) -> str:
    """The longest prefix of plain `text` within `limit` units, never half a surrogate pair."""
    if utf16_units(text) <= limit:
        return text
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return text[:index]
    return text


def shorten(text: str, limit: int) -> str:
    """Plain `text` within `limit` units, with an ellipsis when something was cut."""
    if utf16_units(text) <= limit:
        return text
    return cut(text, limit - 1).rstrip() + _ELLIPSIS


def excerpt(user_text: str, limit: int = EXCERPT_UNITS) -> str:
    """A short quotation of what the user wrote, on one line (for refusals)."""
    return shorten(" ".join(user_text.split()), limit)


def split_message(text: str, limit: int = MESSAGE_UNITS) -> list[str]:
    """Split HTML on paragraph, then line, then word boundaries so that no part exceeds
    `limit` as Telegram counts it. Templates keep each tag inside one paragraph, so no part
    opens a tag it does not close; a single word longer than a message is cut hard."""
    if fits(text, limit):
        return [text]
    for separator in ("\n\n", "\n", " "):
        if separator in text:
            break
    else:
        parts = []
        while text:
            head = cut(text, limit)
            parts.append(head)
            text = text[len(head):]
        return parts
    parts = []
    current = ""
    for chunk in text.split(separator):
        pieces = [chunk] if fits(chunk, limit) else split_message(chunk, limit)
        for piece in pieces:
            candidate = f"{current}{separator}{piece}" if current else piece
            if fits(candidate, limit):
                current = candidate
            else:
                if current:
                    parts.append(current)
                current = piece
    if current:
        parts.append(current)
    return parts
