"""The weekly digest an advisor receives (issue 14): built here, sent by `bot.sending.digest`.

Only what consenting candidates agreed to share: the name they chose, a reminder step they
reached, a CCP they declared. Someone who stopped sharing is a number, never a name.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardMarkup

from conversations.common import callback, keyboard
from conversations.i18n import Catalogue
from conversations.reminder_settings import step_words
from knowledge.model import Lang

DIGEST_OFF = callback("adv", "digest", "off")  # handled by conversations/advisors.py
MAX_LINES = 15  # per part: a phone screen; the rest is "and N more" (all in /mescandidats)


def digest_text(
    catalogue: Catalogue,
    lang: Lang,
    *,
    sharing: int,
    soon: int,
    steps: Sequence[tuple[str, str]],
    declared: Sequence[tuple[str, Sequence[int]]],
    stopped: int,
) -> str:
    def t(key: str, **values: object) -> str:
        return catalogue.t(f"advisor_digest.{key}", lang, **values)

    def listed(lines: list[str]) -> str:
        extra = len(lines) - MAX_LINES
        shown = lines[:MAX_LINES] + ([t("more", n=extra)] if extra > 0 else [])
        return "\n".join(shown)

    parts = [t("title", sharing=sharing, soon=soon)]
    if steps:
        lines = [t("step_line", name=name, step=_when(step, lang)) for name, step in steps]
        parts.append(t("steps_head") + "\n" + listed(lines))
    if declared:
        lines = [t("declared_line", name=name, ccps=", ".join(map(str, ccps)))
                 for name, ccps in declared]  # fmt: skip
        parts.append(t("declared_head") + "\n" + listed(lines))
    if stopped:
        parts.append(t("stopped", n=stopped))
    if not (steps or declared or stopped):
        parts.append(t("quiet"))
    parts.append(t("footer"))
    return "\n\n".join(parts)


def _when(step: str, lang: Lang) -> str:
    if step[:-1].isdigit() and step[-1] in "dwm":
        return step_words(step, lang)
    return step  # the follow-up check after a prudent date


def digest_keyboard(catalogue: Catalogue, lang: Lang) -> InlineKeyboardMarkup:
    return keyboard([[(catalogue.t("advisors.button_digest_off", lang), DIGEST_OFF)]])
