"""Server-rendered SVG geometry (no JavaScript; the same markup renders in WeasyPrint PDFs).

:func:`radar` lays out a radar chart of required vs actual proficiency per competency: one axis
per competency, clockwise from the top, rings at every proficiency level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.charts import line_chart, min_font_for, nice_ticks


@dataclass(frozen=True)
class Axis:
    label: str
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str
    lines: tuple[tuple[float, str], ...] = ()  # (dy, text) of each line of the wrapped label
    required: object = None
    actual: object = None

    @property
    def gap(self):
        """How far the actual level is below the required one (None when not below)."""
        if self.required is None or self.actual is None or self.actual >= self.required:
            return None
        return Decimal(self.required) - Decimal(self.actual)


# The radar keeps its shape, so it scales with its container: it is drawn WIDTH units wide,
# shown at most WIDTH px wide and never narrower than MIN_RENDERED_PX (below that the page shows
# the list instead, see ``partials/radar.html``); its text is sized so that at the narrowest it
# still renders at 11 px (``core.charts.min_font_for``).
WIDTH = 480
MIN_RENDERED_PX = 320
FONT = min_font_for(drawn_width=WIDTH, min_rendered_width=MIN_RENDERED_PX)
LABEL_EM = 6.0  # a label line holds six Chinese characters or about twelve Latin letters
LABEL_LINES = 3


def _em(text: str) -> float:
    return sum(1.0 if ord(ch) > 0x2E7F else 0.5 for ch in text)


def wrap_label(label: str, *, width_em: float = LABEL_EM, max_lines: int = LABEL_LINES):
    """Split a competency name into lines of at most ``width_em`` ems: at spaces between Latin
    words (a single longer word keeps its line), anywhere between Chinese characters; a name
    longer than ``max_lines`` lines ends in "…" (the list and the table next to the chart, and
    the label's tooltip, give it in full)."""
    lines: list[str] = []
    current = ""
    tokens: list[str] = []
    for word in label.split(" "):
        if any(ord(ch) > 0x2E7F for ch in word):
            tokens.extend([*word, " "])
        else:
            tokens.extend([word, " "])
    for token in tokens[:-1]:
        candidate = (current + token) if current else token.lstrip()
        if current and _em(candidate.rstrip()) > width_em:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current = candidate
    if current.strip():
        lines.append(current.rstrip())
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(len(lines[-1]) - 1, 1)] + "…"
    return lines


def _point(cx: float, cy: float, radius: float, angle: float) -> tuple[float, float]:
    return cx + radius * math.sin(angle), cy - radius * math.cos(angle)


def _fmt(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def radar(
    items: list[tuple[str, Decimal | int | None, Decimal | int | None]],
    *,
    scale_max: int = 5,
) -> dict:
    """Geometry for ``competency/partials/radar.html`` from ``(label, required, actual)``.

    ``WIDTH`` units wide; the rings at every level, one axis per competency clockwise from the
    top, each label wrapped (:func:`wrap_label`) beside its axis end, the legend below."""
    n = len(items)
    line_h = round(FONT * 1.2, 1)
    label_room = LABEL_EM * FONT  # the widest label line
    radius = WIDTH / 2 - 10 - label_room - 8
    label_top = LABEL_LINES * line_h + 10  # room above (and below) the circle for labels
    cx, cy = WIDTH / 2, label_top + radius
    size = round(cy + radius + label_top + 2 * line_h)  # the legend row under the labels
    if n == 0:
        return {"size": size, "width": WIDTH, "empty": True}
    angles = [2 * math.pi * i / n for i in range(n)]
    # Neighbouring labels are (radius + 10) × 2π / n apart: as many lines as fit between them
    # (two at sixteen competencies), so that they never run into each other.
    max_lines = max(1, min(LABEL_LINES, int((radius + 10) * 2 * math.pi / n // line_h)))

    def polygon(values) -> str:
        pts = []
        for angle, value in zip(angles, values, strict=True):
            v = float(value or 0)
            v = max(0.0, min(v, scale_max))
            pts.append(_point(cx, cy, radius * v / scale_max, angle))
        return _fmt(pts)

    axes = []
    for (label, req, act), angle in zip(items, angles, strict=True):
        x, y = _point(cx, cy, radius, angle)
        lx, ly = _point(cx, cy, radius + 10, angle)
        s, c = math.sin(angle), math.cos(angle)
        anchor = "middle" if abs(s) < 0.2 else ("start" if s > 0 else "end")
        wrapped = wrap_label(label, max_lines=max_lines)
        k = len(wrapped)
        if anchor == "middle" and c > 0:  # the top: the last line sits on the axis end
            first = -(k - 1) * line_h - 4
        elif anchor == "middle":  # the bottom: the first line hangs under it
            first = FONT
        else:  # the sides: the lines are centred on the axis end
            first = FONT * 0.35 - (k - 1) * line_h / 2
        lines = tuple(
            (round(first if i == 0 else line_h, 1), text) for i, text in enumerate(wrapped)
        )
        axes.append(
            Axis(
                label=label,
                x=x,
                y=y,
                label_x=lx,
                label_y=ly,
                anchor=anchor,
                lines=lines,
                required=req,
                actual=act,
            )
        )
    rings = [
        {
            "level": level,
            "points": _fmt([_point(cx, cy, radius * level / scale_max, a) for a in angles]),
            "label_y": cy - radius * level / scale_max,
        }
        for level in range(1, scale_max + 1)
    ]
    return {
        "size": size,
        "width": WIDTH,
        "font": FONT,
        "cx": cx,
        "cy": cy,
        "empty": False,
        "axes": axes,
        "rings": rings,
        "legend_y": size - line_h,
        "legend_x2": WIDTH / 2,
        "required": polygon([req for _l, req, _a in items]),
        "actual": polygon([act for _l, _r, act in items]),
        "has_actual": any(act is not None for _l, _r, act in items),
    }


def trend(points: list[tuple[str, Decimal]], *, height: int = 180) -> dict:
    """A line of the competency index (0–100) over assessments, each point with its index
    (2 decimals) — an SVG from :func:`core.charts.line_chart`."""
    if not points:
        return {"empty": True}
    svg = line_chart(
        points,
        title=_("Competency index over time"),
        ticks=nice_ticks(100, max_ticks=6),
        unit="score",
        height=height,
    )
    return {"empty": False, "svg": mark_safe(svg)}  # noqa: S308 - escaped parts in core.charts
