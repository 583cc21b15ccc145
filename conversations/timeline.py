"""A small picture of the user's window: first CCP → closing date, CCPs obtained, today.

Drawn with matplotlib's object API on the Agg canvas (no pyplot: no global figure registry,
no GUI backend). matplotlib is imported inside the function so that the bot's start-up and
every other command do not pay for it (about half a second).
"""

from __future__ import annotations

import html
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from conversations.i18n import Catalogue
from knowledge.model import Lang

WIDTH_PX = 720
HEIGHT_PX = 200
DPI = 100
LABEL_PX = 125  # width of one "CCP n · 12 avr. 2023" label at 8 pt

@dataclass(frozen=True, slots=True)
class TimelineTexts:
    """The picture's words, from the message catalogue (`timeline.*`)."""

    title: str
    today: str
    closes: str
    target: str  # the prudent date of the rule in force: a target, not a closing
    months: tuple[str, ...]  # twelve short month names

    @classmethod
    def from_catalogue(cls, catalogue: Catalogue, lang: Lang) -> TimelineTexts:
        months = tuple(m.strip() for m in catalogue.t("timeline.months", lang).split(","))
        if len(months) != 12:
            raise ValueError("timeline.months must list twelve month names")
        return cls(
            title=html.unescape(catalogue.t("timeline.title", lang)),
            today=html.unescape(catalogue.t("timeline.today", lang)),
            closes=html.unescape(catalogue.t("timeline.closes", lang)),
            target=html.unescape(catalogue.t("timeline.target", lang)),
            months=tuple(html.unescape(m) for m in months),
        )

    def short_date(self, d: date) -> str:
        """'3 mars 2027' / '3 Mar 2027': short enough to sit under a marker."""
        return f"{d.day} {self.months[d.month - 1]} {d.year}"


def ccp_marks(declared: Mapping[int, date]) -> dict[str, date]:
    """The marks of /mesccp: one per CCP obtained, "CCP n" (the same in both languages)."""
    return {f"CCP {number}": obtained for number, obtained in sorted(declared.items())}


def timeline_png(
    marks: Mapping[str, date],
    *,
    closes_on: date,
    today: date,
    texts: TimelineTexts,
    provisional: bool = False,
) -> bytes:
    """PNG bytes (WIDTH_PX × HEIGHT_PX) of the window; `marks` maps a label ("CCP 2",
    "Premier CCP") to its date, the earliest one opening the window. `provisional`: the end
    is the prudent target of the rule in force, drawn as "Date à viser", never as a closing."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    start = min(marks.values()) if marks else today
    end = closes_on
    lo = min(start, today)
    hi = max(end, today)
    span = max((hi - lo).days, 1)
    margin = timedelta(days=max(span // 12, 1))

    def x(d: date) -> float:
        """Days from the left end: plain numbers, no matplotlib date converters."""
        return float((d - lo).days)

    fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.03, 0.02, 0.94, 0.8))
    ax.set_xlim(-margin.days, span + margin.days)
    ax.set_ylim(-1.2, 1.5)
    ax.axis("off")
    fig.suptitle(texts.title, fontsize=10, y=0.97)

    # The window itself, and the part already used.
    for until, color in ((end, "#c9d6e3"), (min(max(today, start), end), "#4a7bb7")):
        ax.plot([x(start), x(until)], [0, 0], color=color, linewidth=8, solid_capstyle="round")

    # Greedy placement: each CCP label takes the lowest level where it does not touch the
    # previous label on that level (three levels fit three CCPs obtained on nearby dates).
    px_per_day = 0.94 * WIDTH_PX / (span + 2 * margin.days)
    levels = [0.25, 0.7, 1.15]
    last_x: list[float | None] = [None] * len(levels)
    for label, obtained in sorted(marks.items(), key=lambda kv: (kv[1], kv[0])):
        px = x(obtained) * px_per_day
        level = next(
            (i for i, prev in enumerate(last_x) if prev is None or px - prev >= LABEL_PX),
            len(levels) - 1,
        )
        last_x[level] = px
        ax.plot([x(obtained)], [0], marker="o", markersize=9, color="#2e8b57", zorder=3)
        ax.annotate(
            f"{label} · {texts.short_date(obtained)}",
            (x(obtained), 0),
            xytext=(x(obtained), levels[level]),
            ha="center", va="bottom", fontsize=8, color="#2e8b57",
            arrowprops={"arrowstyle": "-", "color": "#2e8b57", "linewidth": 0.6},
        )

    ax.plot([x(today)], [0], marker="v", markersize=10, color="#333333", zorder=4)
    ax.annotate(
        f"{texts.today}\n{texts.short_date(today)}",
        (x(today), 0),
        xytext=(x(today), -0.55),
        ha="center", va="top", fontsize=8, color="#333333",
    )
    far_from_today = abs((end - today).days) > span / 6
    closing_color = "#c0392b" if today <= end else "#7f7f7f"
    ax.plot([x(end)], [0], marker="D", markersize=9, color=closing_color, zorder=3)
    ax.annotate(
        f"{texts.target if provisional else texts.closes}\n{texts.short_date(end)}",
        (x(end), 0),
        xytext=(x(end), -0.55 if far_from_today else 0.3),
        ha="center", va="top" if far_from_today else "bottom",
        fontsize=8, color=closing_color, fontweight="bold",
    )

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()
