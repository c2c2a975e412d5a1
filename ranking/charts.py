"""Server-rendered SVG: a cohort's score distribution with the cut line (no JS, no CDN)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.translation import gettext as _

BIN_WIDTH = 5
WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 640, 240, 40, 30, 16


def histogram_svg(counts: dict[int, int], *, cut=None, top_line=None) -> str:
    """Bars per ``BIN_WIDTH``-point bin (``{bin index: count}``), a red dashed line at the
    bottom band's cut score and a green one at the top band's line."""
    if not counts:
        return ""
    lo = min(counts)
    hi = max(counts)
    if cut is not None:
        lo = min(lo, int(Decimal(cut)) // BIN_WIDTH)
    bins = list(range(lo, hi + 1))
    peak = max(counts.values())
    plot_w = WIDTH - PAD_LEFT - 10
    plot_h = HEIGHT - PAD_BOTTOM - PAD_TOP
    bar_w = plot_w / len(bins)
    x0 = lo * BIN_WIDTH
    span = len(bins) * BIN_WIDTH

    def x_of(score) -> float:
        return PAD_LEFT + (float(Decimal(score)) - x0) / span * plot_w

    label = escape(_("Score distribution"))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" class="img-fluid" aria-label="{label}">',
        f"<title>{label}</title>",
        f'<line x1="{PAD_LEFT}" y1="{HEIGHT - PAD_BOTTOM}" x2="{WIDTH - 10}" '
        f'y2="{HEIGHT - PAD_BOTTOM}" stroke="#6c757d"/>',
        f'<text x="4" y="{PAD_TOP + 4}" font-size="11" fill="#6c757d">{peak}</text>',
    ]
    for i, b in enumerate(bins):
        n = counts.get(b, 0)
        h = plot_h * n / peak if peak else 0
        x = PAD_LEFT + i * bar_w
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{HEIGHT - PAD_BOTTOM - h:.1f}" width="{bar_w - 2:.1f}" '
            f'height="{h:.1f}" fill="#0d6efd" opacity="0.75"><title>'
            f"{b * BIN_WIDTH}–{(b + 1) * BIN_WIDTH}: {n}</title></rect>"
        )
        if len(bins) <= 30 or i % 2 == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - PAD_BOTTOM + 14}" font-size="10" '
                f'fill="#6c757d">{b * BIN_WIDTH}</text>'
            )
    for value, colour, label in (
        (cut, "#dc3545", _("cut line")),
        (top_line, "#198754", _("top band")),
    ):
        if value is None:
            continue
        x = x_of(value)
        parts.append(
            f'<line x1="{x:.1f}" y1="{PAD_TOP - 6}" x2="{x:.1f}" y2="{HEIGHT - PAD_BOTTOM}" '
            f'stroke="{colour}" stroke-width="2" stroke-dasharray="5,3" '
            f'data-line="{escape(label)}"/>'
            f'<text x="{x + 3:.1f}" y="{PAD_TOP}" font-size="11" fill="{colour}">'
            f"{escape(label)} {escape(str(value))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def trend_svg(points: list[tuple[int, Decimal, Decimal | None]]) -> str:
    """A staff member's composite score per year (``(year, score, percentile)``), as a line."""
    if len(points) < 2:
        return ""
    width, height, pad = 480, 160, 30
    years = [p[0] for p in points]
    lo = min(float(p[1]) for p in points) - 5
    hi = max(float(p[1]) for p in points) + 5
    span_y = (hi - lo) or 1
    span_x = (years[-1] - years[0]) or 1

    def xy(year, score) -> tuple[float, float]:
        x = pad + (year - years[0]) / span_x * (width - 2 * pad)
        y = height - pad - (float(score) - lo) / span_y * (height - 2 * pad)
        return x, y

    coords = [xy(y, s) for y, s, _p in points]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    label = escape(_("Score trend"))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'class="img-fluid" aria-label="{label}">',
        f'<polyline points="{path}" fill="none" stroke="#0d6efd" stroke-width="2"/>',
    ]
    for (year, score, _pct), (x, y) in zip(points, coords, strict=True):
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#0d6efd"/>'
            f'<text x="{x:.1f}" y="{y - 8:.1f}" font-size="11" text-anchor="middle">{score}</text>'
            f'<text x="{x:.1f}" y="{height - 8}" font-size="11" text-anchor="middle" '
            f'fill="#6c757d">{year}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
