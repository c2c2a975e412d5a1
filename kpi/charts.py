"""Server-rendered SVG trend of a staff member's period totals over a year (no JavaScript)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 16, 32
SCALE_MAX = 120


def trend_svg(points: list[tuple[str, Decimal]], *, title: str = "") -> str:
    """``points``: [(label, total)] in time order → an inline ``<svg>`` (escaped labels)."""
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def y_of(value: float) -> float:
        value = max(0.0, min(value, SCALE_MAX))
        return TOP + plot_h * (1 - value / SCALE_MAX)

    n = max(len(points), 1)
    step = plot_w / max(n - 1, 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="kpi-trend w-100" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in (0, 20, 40, 60, 80, 100, 120):
        y = y_of(tick)
        dash = "" if tick in (0, 100) else ' stroke-dasharray="3 3"'
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="#ced4da"{dash}/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#6c757d">{tick}</text>'
        )
    coords = []
    for i, (label, total) in enumerate(points):
        x = LEFT + (step * i if n > 1 else plot_w / 2)
        y = y_of(float(total))
        coords.append((x, y, label, total))
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _l, _t in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#0d6efd" stroke-width="2"/>')
    for x, y, label, total in coords:
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#0d6efd">'
            f"<title>{escape(label)}: {escape(str(total))}</title></circle>"
            f'<text x="{x:.1f}" y="{HEIGHT - 10}" font-size="11" text-anchor="middle" '
            f'fill="#6c757d">{escape(label[-2:] if len(label) == 7 else label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
