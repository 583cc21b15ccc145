"""The picture of the user's window, made for a phone: first CCP → closing date, today.

1080 px wide (three times a phone's width in points, so Telegram shows it sharp), text about
3 % of the width (twice the old picture's share), the state in words (open, provisional,
closed, complete) and every date in a list under the bar rather than on it: labels never
collide, whatever the dates. Drawn with matplotlib's object API on the Agg canvas (no pyplot:
no global figure registry, no GUI backend), imported inside the functions so that start-up and
every other command do not pay for it (about half a second).
"""

from __future__ import annotations

import html
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from conversations.i18n import Catalogue
from knowledge.model import Lang

if TYPE_CHECKING:
    from matplotlib.figure import Figure

WIDTH_PX = 1080
DPI = 200
FONT_PT = 12.0  # 33 px: 3.1 % of the width (the old picture: 11 px of 720, 1.5 %)
TITLE_PT = 14.0
MARGIN_PX = 70
ROW_PX = 62
BAR_Y = 215
LIST_TOP = 320
State = Literal["open", "provisional", "closed", "target_passed", "complete"]
COLORS: Mapping[State, str] = {
    "open": "#1f6f43", "provisional": "#8a5a00", "closed": "#a32a1f", "complete": "#1f6f43",
    "target_passed": "#8a5a00",
}  # fmt: skip
CCP_COLOR = "#2e8b57"
TODAY_COLOR = "#333333"


@dataclass(frozen=True, slots=True)
class TimelineTexts:
    """The picture's words, from the message catalogue (`timeline.*`)."""

    title: str
    today: str
    closes: str
    target: str  # the prudent date of the rule in force: a target, not a closing
    target_passed: str  # the same date once gone by: no longer a date to aim for
    months: tuple[str, ...]  # twelve short month names
    states: Mapping[State, str]  # "Fenêtre ouverte", "Date provisoire", "Fermée", "Complet"…

    @classmethod
    def from_catalogue(cls, catalogue: Catalogue, lang: Lang) -> TimelineTexts:
        def t(key: str) -> str:
            return html.unescape(catalogue.t(key, lang))

        months = tuple(m.strip() for m in t("timeline.months").split(","))
        if len(months) != 12:
            raise ValueError("timeline.months must list twelve month names")
        states: dict[State, str] = {
            s: t(f"timeline.state.{s}")
            for s in ("open", "provisional", "closed", "complete", "target_passed")
        }
        return cls(t("timeline.title"), t("timeline.today"), t("timeline.closes"),
                   t("timeline.target"), t("timeline.target_passed"), months,
                   states)  # fmt: skip

    def short_date(self, d: date) -> str:
        """'3 mars 2027' / '3 Mar 2027'."""
        return f"{d.day} {self.months[d.month - 1]} {d.year}"


def ccp_marks(declared: Mapping[int, date]) -> dict[str, date]:
    """The marks of /mesccp: one per CCP obtained, "CCP n" (the same in both languages)."""
    return {f"CCP {number}": obtained for number, obtained in sorted(declared.items())}


def window_state(closes_on: date, today: date, *, provisional: bool, complete: bool) -> State:
    if complete:
        return "complete"
    if provisional:  # a prudent date gone by closes nothing: the CCPs may still count
        return "provisional" if today <= closes_on else "target_passed"
    return "open" if today <= closes_on else "closed"


def timeline_figure(
    marks: Mapping[str, date],
    *,
    closes_on: date,
    today: date,
    texts: TimelineTexts,
    provisional: bool = False,
    complete: bool = False,
) -> Figure:
    """The drawing (for `timeline_png` and for tests that measure its text boxes)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    state = window_state(closes_on, today, provisional=provisional, complete=complete)
    color = COLORS[state]
    ordered = sorted(marks.items(), key=lambda kv: (kv[1], kv[0]))
    rows: list[tuple[date, int, str, str, str]] = [  # (date, order, marker, colour, words)
        (d, 0, "o", CCP_COLOR, f"{label} · {texts.short_date(d)}") for label, d in ordered
    ]
    rows.append((today, 1, "v", TODAY_COLOR, f"{texts.today} · {texts.short_date(today)}"))
    if state != "complete":
        end_word = {"provisional": texts.target, "target_passed": texts.target_passed}.get(
            state, texts.closes)
        rows.append((closes_on, 2, "D", color, f"{end_word} · {texts.short_date(closes_on)}"))
    rows.sort(key=lambda r: (r[0], r[1]))
    height = LIST_TOP + ROW_PX * len(rows) + MARGIN_PX // 2

    fig = Figure(figsize=(WIDTH_PX / DPI, height / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, WIDTH_PX)
    ax.set_ylim(height, 0)  # pixels, y downwards
    ax.axis("off")
    ax.text(WIDTH_PX / 2, 45, texts.title, ha="center", va="center", fontsize=TITLE_PT,
            fontweight="bold", color="#222222")  # fmt: skip
    ax.text(WIDTH_PX / 2, 120, texts.states[state], ha="center", va="center", fontsize=FONT_PT,
            fontweight="bold", color="white",
            bbox={"boxstyle": "round,pad=0.4", "facecolor": color, "edgecolor": color})  # fmt: skip

    start = ordered[0][1] if ordered else today
    last = ordered[-1][1] if ordered else today
    end = last if state == "complete" else closes_on
    lo, hi = min(start, today, end), max(start, today, end)
    span = max((hi - lo).days, 1)

    def x(d: date) -> float:
        return MARGIN_PX + (WIDTH_PX - 2 * MARGIN_PX) * (d - lo).days / span

    ax.plot([x(start), x(end)], [BAR_Y, BAR_Y], color="#c9d6e3", linewidth=9,
            solid_capstyle="round")  # fmt: skip
    used = min(max(today, start), end)
    ax.plot([x(start), x(used)], [BAR_Y, BAR_Y], color="#4a7bb7", linewidth=9,
            solid_capstyle="round")  # fmt: skip
    for _, d in ordered:
        ax.plot([x(d)], [BAR_Y], marker="o", markersize=9, color=CCP_COLOR, zorder=3)
    if state != "complete":
        ax.plot([x(closes_on)], [BAR_Y], marker="D", markersize=9, color=color, zorder=3)
    ax.plot([x(today)], [BAR_Y - 26], marker="v", markersize=10, color=TODAY_COLOR, zorder=4)

    for i, (_, _, marker, row_color, words) in enumerate(rows):
        y = LIST_TOP + ROW_PX * i
        ax.plot([MARGIN_PX + 15], [y], marker=marker, markersize=9, color=row_color)
        ax.text(MARGIN_PX + 50, y, words, ha="left", va="center", fontsize=FONT_PT,
                color=row_color)  # fmt: skip
    return fig


def timeline_png(
    marks: Mapping[str, date],
    *,
    closes_on: date,
    today: date,
    texts: TimelineTexts,
    provisional: bool = False,
    complete: bool = False,
) -> bytes:
    """PNG bytes, WIDTH_PX wide; `marks` maps a label ("CCP 2", "Premier CCP") to its date,
    the earliest opening the window. `provisional`: the end is the prudent target of the rule
    in force ("Date à viser"), never a closing; `complete`: every CCP is held, no closing."""
    fig = timeline_figure(marks, closes_on=closes_on, today=today, texts=texts,
                          provisional=provisional, complete=complete)  # fmt: skip
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()
