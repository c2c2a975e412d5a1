"""Server-rendered SVG (no JS, no CDN; drawn by :mod:`core.charts`, so no text under 11 px): a
cohort's score distribution with its y axis, the count on every bar and the band lines, and a
staff member's composite score by year."""

from __future__ import annotations

import math
from decimal import Decimal

from django.utils.translation import gettext as _

from core import charts
from core.numbers import round_score

BIN_WIDTH = 5
# The narrowest plot the histogram is drawn in (a 390 px phone less the page and card padding
# and the axis gutter): x labels are thinned so that each has this many px at least.
NARROWEST_PLOT_PX = 270
LABEL_PX = 26


def histogram_svg(counts: dict[int, int], *, cut=None, top_line=None) -> str:
    """Bars per ``BIN_WIDTH``-point bin (``{bin index: count}``, empty bins between drawn as 0)
    with the count on each bar, a red dashed line at the bottom band's cut score and a green one
    at the top band's line."""
    if not counts:
        return ""
    lo, hi = min(counts), max(counts)
    for line in (cut, top_line):
        if line is not None:
            lo = min(lo, int(Decimal(line)) // BIN_WIDTH)
            hi = max(hi, int(Decimal(line)) // BIN_WIDTH)
    bins = list(range(lo, hi + 1))
    x0, span = lo * BIN_WIDTH, len(bins) * BIN_WIDTH
    bars = [
        charts.Bar(
            label=str(b * BIN_WIDTH),
            value=counts.get(b, 0),
            hint=f"{b * BIN_WIDTH}–{(b + 1) * BIN_WIDTH}: {counts.get(b, 0)}",
        )
        for b in bins
    ]
    markers = [
        charts.Marker(
            at=float((Decimal(value) - x0) / span),
            text=f"{label} {round_score(value)}",
            colour=colour,
        )
        for value, colour, label in (
            (cut, "#b02a37", _("cut line")),
            (top_line, "#146c43", _("top band")),
        )
        if value is not None
    ]
    return charts.bar_chart(
        bars,
        title=_("Score distribution: staff per %(w)s-point band") % {"w": BIN_WIDTH},
        markers=markers,
        label_every=math.ceil(LABEL_PX * len(bins) / NARROWEST_PLOT_PX),
        x_caption=_("Score"),
        height=240,
    )


def trend_svg(points: list[tuple[int, Decimal, Decimal | None]]) -> str:
    """A staff member's composite score per year (``(year, score, percentile)``), as a line
    with the score (2 decimals) on each point."""
    if len(points) < 2:
        return ""
    scores = [Decimal(p[1]) for p in points]
    ticks = charts.nice_ticks(max(scores) + 5, lo=max(min(scores) - 5, Decimal(0)), max_ticks=5)
    return charts.line_chart(
        [(str(year), score) for year, score, _pct in points],
        title=_("Score trend"),
        ticks=ticks,
        unit="score",
        height=180,
    )
