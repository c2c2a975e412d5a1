"""Server-rendered SVG geometry (no JavaScript; the same markup renders in WeasyPrint PDFs).

:func:`radar` lays out a radar chart of required vs actual proficiency per competency: one axis
per competency, clockwise from the top, rings at every proficiency level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Axis:
    label: str
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str


def _point(cx: float, cy: float, radius: float, angle: float) -> tuple[float, float]:
    return cx + radius * math.sin(angle), cy - radius * math.cos(angle)


def _fmt(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def radar(
    items: list[tuple[str, Decimal | int | None, Decimal | int | None]],
    *,
    scale_max: int = 5,
    size: int = 460,
    margin: int = 90,
    side: int = 50,
) -> dict:
    """Geometry for ``competency/partials/radar.html`` from ``(label, required, actual)``.

    The drawing is ``size`` high and ``size + 2 × side`` wide: the extra room left and right
    keeps long labels at the 3 and 9 o'clock axes (seven Chinese characters, or English) from
    being cut."""
    n = len(items)
    width = size + 2 * side
    cx, cy = width / 2, size / 2
    radius = size / 2 - margin
    if n == 0:
        return {"size": size, "width": width, "empty": True}
    angles = [2 * math.pi * i / n for i in range(n)]

    def polygon(values) -> str:
        pts = []
        for angle, value in zip(angles, values, strict=True):
            v = float(value or 0)
            v = max(0.0, min(v, scale_max))
            pts.append(_point(cx, cy, radius * v / scale_max, angle))
        return _fmt(pts)

    axes = []
    for (label, _req, _act), angle in zip(items, angles, strict=True):
        x, y = _point(cx, cy, radius, angle)
        lx, ly = _point(cx, cy, radius + 14, angle)
        s = math.sin(angle)
        anchor = "middle" if abs(s) < 0.2 else ("start" if s > 0 else "end")
        axes.append(Axis(label=label, x=x, y=y, label_x=lx, label_y=ly + 4, anchor=anchor))
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
        "width": width,
        "cx": cx,
        "cy": cy,
        "empty": False,
        "axes": axes,
        "rings": rings,
        "required": polygon([req for _l, req, _a in items]),
        "actual": polygon([act for _l, _r, act in items]),
        "has_actual": any(act is not None for _l, _r, act in items),
    }


def trend(points: list[tuple[str, Decimal]], *, width: int = 460, height: int = 160) -> dict:
    """A line of the competency index (0–100) over assessments."""
    pad = 28
    if not points:
        return {"empty": True, "width": width, "height": height}
    n = len(points)
    step = (width - 2 * pad) / max(n - 1, 1)
    coords = []
    for i, (label, value) in enumerate(points):
        x = pad + step * i if n > 1 else width / 2
        y = height - pad - (height - 2 * pad) * float(value) / 100
        coords.append({"x": round(x, 1), "y": round(y, 1), "label": label, "value": value})
    return {
        "empty": False,
        "width": width,
        "height": height,
        "points": coords,
        "line": " ".join(f"{c['x']},{c['y']}" for c in coords),
        "top": pad,
        "bottom": height - pad,
        "mid": height / 2,
    }
