"""Server-rendered SVG charts that stay readable at every width (no JavaScript, no CDN; the same
markup renders in WeasyPrint PDFs).

The rule that keeps text readable: a chart has **no viewBox**, so it is never scaled — text drawn
at ``FONT_PX`` is ``FONT_PX`` on the screen and in the PDF, whatever the width. The chart is
``width="100%"`` of its container and a fixed height in px; horizontal positions are percentages
of the plot width (the SVG's content box, inside the padding that holds the axis labels), vertical
positions are px. Only the radar (``competency.charts``), which must keep its shape, scales; its
font size is computed from the smallest width it is shown at (:func:`min_font_for`).

Every chart says what it shows: ``role="img"``, an ``aria-label`` and ``<title>``, and a
``<desc>`` listing the values, so a screen reader and a PDF text search read the figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape

MIN_FONT_PX = 11  # no chart text is ever rendered smaller
FONT_PX = 12
AXIS_COLOUR = "#5c636a"  # 6:1 on white: axis text stays legible (WCAG AA)
GRID_COLOUR = "#dee2e6"
SERIES_COLOUR = "#0a58ca"
TEXT_COLOUR = "#212529"
PAD_LEFT = 40  # px: room for the y-axis tick labels
PAD_RIGHT = 12


def min_font_for(*, drawn_width: float, min_rendered_width: float) -> int:
    """Font size in drawing units that renders at ≥ ``MIN_FONT_PX`` when a drawing
    ``drawn_width`` wide is scaled down to ``min_rendered_width`` px."""
    return math.ceil(MIN_FONT_PX * drawn_width / min_rendered_width)


def nice_ticks(hi, *, lo=0, max_ticks: int = 6, min_step=None) -> list[Decimal]:
    """Evenly spaced round ticks (step 1, 2 or 5 × 10ⁿ, at least ``min_step``) from ``lo`` down
    to a multiple of the step, up to the first tick ≥ ``hi``: ``nice_ticks(7, max_ticks=5)`` →
    0, 2, 4, 6, 8; ``nice_ticks(0)`` → 0, 1 (counts use ``min_step=1``)."""
    lo, hi = Decimal(lo), Decimal(hi)
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / max(max_ticks - 1, 1)
    if min_step is not None:
        raw = max(raw, Decimal(min_step))
    exponent = Decimal(10) ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        step = exponent * factor
        if step >= raw:
            break
    first = (lo / step).to_integral_value(rounding="ROUND_FLOOR") * step
    ticks = [first]
    while ticks[-1] < hi:
        ticks.append(ticks[-1] + step)
    return ticks


def fmt(value, unit: str = "score") -> str:
    """A figure as the product shows it: ``score`` with 2 decimals, ``count`` whole, ``decimal``
    (credits, hours) with up to 2 decimals, ``percent`` whole with a % sign, ``text`` as given."""
    if value is None:
        return "—"
    if unit == "score":
        return f"{Decimal(value):.2f}"
    if unit == "count":
        return f"{int(value)}"
    if unit == "decimal":  # credits, hours: up to 2 decimals, no trailing zeros (2.5, 4)
        text = f"{Decimal(value):.2f}".rstrip("0").rstrip(".")
        return text or "0"
    if unit == "percent":
        return f"{Decimal(value):.0f}%"
    return str(value)


def pct(fraction: float) -> str:
    return f"{fraction * 100:.2f}%"


def _text(x: str, y: float, content: str, *, anchor="middle", fill=AXIS_COLOUR, extra="") -> str:
    return (
        f'<text x="{x}" y="{y:.1f}" font-size="{FONT_PX}" text-anchor="{anchor}" '
        f'fill="{fill}"{extra}>{escape(content)}</text>'
    )


def _open(*, height: int, title: str, desc: str, kind: str) -> list[str]:
    # The style attribute (allowed by the CSP: it cannot run code) makes the padding the plot
    # gutters; WeasyPrint honours it too. ``overflow`` lets the y labels sit in the padding.
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="{height}" '
        f'class="chart chart-{kind}" data-chart="{kind}" role="img" aria-label="{escape(title)}" '
        f'overflow="visible" style="display:block;overflow:visible;box-sizing:border-box;'
        f'padding:0 {PAD_RIGHT}px 0 {PAD_LEFT}px">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(desc)}</desc>",
    ]


@dataclass(frozen=True)
class YAxis:
    """The vertical scale: ``ticks`` (from :func:`nice_ticks`) over ``top``–``bottom`` px."""

    ticks: list
    top: float
    bottom: float

    def y(self, value) -> float:
        lo, hi = float(self.ticks[0]), float(self.ticks[-1])
        v = max(lo, min(float(value), hi))
        return self.bottom - (self.bottom - self.top) * (v - lo) / ((hi - lo) or 1)

    def svg(self, *, unit: str, solid=()) -> list[str]:
        parts = []
        for tick in self.ticks:
            y = self.y(tick)
            dash = "" if (tick == self.ticks[0] or tick in solid) else ' stroke-dasharray="3 3"'
            colour = AXIS_COLOUR if tick == self.ticks[0] else GRID_COLOUR
            parts.append(
                f'<line x1="0%" y1="{y:.1f}" x2="100%" y2="{y:.1f}" stroke="{colour}"{dash}/>'
                + _text("-6", y + 4, fmt(tick, unit if unit == "count" else "text"), anchor="end")
            )
        return parts


def line_chart(
    points: list[tuple[str, object]],
    *,
    title: str,
    ticks: list,
    unit: str = "score",
    solid=(),
    height: int = 220,
) -> str:
    """A line over time: ``points`` are ``(x label, value)`` oldest first, each point a circle
    with its value written above (or below, alternately, so neighbours never overlap on a
    phone), the x labels under the axis, gridlines at ``ticks`` (solid at ``solid``)."""
    axis = YAxis(ticks=ticks, top=22, bottom=height - 26)
    desc = "; ".join(f"{label}: {fmt(value, unit)}" for label, value in points)
    parts = _open(height=height, title=title, desc=desc, kind="line")
    parts += axis.svg(unit=unit, solid=solid)
    n = len(points)
    xs = [pct((i + 0.5) / n) for i in range(n)]
    ys = [axis.y(value) for _label, value in points]
    for i in range(n - 1):
        parts.append(
            f'<line x1="{xs[i]}" y1="{ys[i]:.1f}" x2="{xs[i + 1]}" y2="{ys[i + 1]:.1f}" '
            f'stroke="{SERIES_COLOUR}" stroke-width="2"/>'
        )
    for i, ((label, value), x, y) in enumerate(zip(points, xs, ys, strict=True)):
        above = i % 2 == 0 or y + 20 > axis.bottom
        parts.append(
            f'<circle cx="{x}" cy="{y:.1f}" r="4" fill="{SERIES_COLOUR}">'
            f"<title>{escape(label)}: {escape(fmt(value, unit))}</title></circle>"
            + _text(
                x,
                y - 8 if above else y + 17,
                fmt(value, unit),
                fill=TEXT_COLOUR,
                extra=' data-value="1"',
            )
            + _text(x, height - 8, label)
        )
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class Bar:
    label: str  # under the bar
    value: int
    hint: str = ""  # the tooltip (defaults to "label: value")


@dataclass(frozen=True)
class Marker:
    """A reference line: vertical at ``at`` (a fraction of the plot width) when ``bar`` is None,
    else horizontal across bar number ``bar`` at value ``at``."""

    at: float
    text: str
    colour: str = "#b02a37"
    bar: int | None = None


def bar_chart(
    bars: list[Bar],
    *,
    title: str,
    markers: Sequence[Marker] = (),
    unit: str = "count",
    label_every: int = 1,
    x_caption: str = "",
    height: int = 220,
    fill: str = SERIES_COLOUR,
    show_zero: bool = False,
) -> str:
    """Bars with the value written on each (on the empty ones too when ``show_zero``; the
    ``<desc>`` lists them all), a y axis of round ticks, the x labels (every
    ``label_every``-th), an x caption at the right end and the reference ``markers``."""
    peak = max([b.value for b in bars] + [m.at for m in markers if m.bar is not None] + [1])
    bottom = height - (40 if x_caption else 26)
    axis = YAxis(ticks=nice_ticks(peak, max_ticks=5, min_step=1), top=28, bottom=bottom)
    desc = "; ".join(f"{b.label}: {fmt(b.value, unit)}" for b in bars)
    parts = _open(height=height, title=title, desc=desc, kind="bar")
    parts += axis.svg(unit="count")
    n = len(bars)
    slot = 1 / n
    for i, bar in enumerate(bars):
        y = axis.y(bar.value)
        centre = pct((i + 0.5) * slot)
        hint = bar.hint or f"{bar.label}: {fmt(bar.value, unit)}"
        parts.append(
            f'<rect x="{pct((i + 0.12) * slot)}" y="{y:.1f}" width="{pct(0.76 * slot)}" '
            f'height="{axis.bottom - y:.1f}" fill="{fill}" fill-opacity="0.8">'
            f"<title>{escape(hint)}</title></rect>"
        )
        if bar.value or show_zero:
            value = fmt(bar.value, unit)
            parts.append(_text(centre, y - 5, value, fill=TEXT_COLOUR, extra=' data-value="1"'))
        if i % label_every == 0:
            parts.append(_text(centre, bottom + 16, bar.label))
    if x_caption:
        parts.append(_text("100%", height - 6, x_caption, anchor="end"))
    for m in markers:
        if m.bar is None:
            x = pct(m.at)
            parts.append(
                f'<line x1="{x}" y1="14" x2="{x}" y2="{bottom}" stroke="{m.colour}" '
                f'stroke-width="2" stroke-dasharray="5 3" data-line="{escape(m.text)}"/>'
                + _text(x, 11, m.text, anchor="end" if m.at > 0.5 else "start", fill=m.colour)
            )
        else:
            y = axis.y(m.at)
            left, right = pct((m.bar + 0.02) * slot), pct((m.bar + 0.98) * slot)
            parts.append(
                f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{m.colour}" '
                f'stroke-width="2" stroke-dasharray="5 3" data-line="{escape(m.text)}"/>'
                + _text(pct((m.bar + 0.98) * slot), y - 4, m.text, anchor="end", fill=m.colour)
            )
    parts.append("</svg>")
    return "".join(parts)
