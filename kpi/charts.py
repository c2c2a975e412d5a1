"""Server-rendered SVG trend of a staff member's period totals over a year (no JavaScript; drawn
by :mod:`core.charts`, so its text is never smaller than 11 px, on a phone or in a PDF)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from core import charts

from .models import AnnualScore

SCALE_MAX = 120
TICKS = [Decimal(t) for t in range(0, SCALE_MAX + 1, 20)]


def trend_svg(points: list[tuple[str, Decimal]], *, title: str = "", height: int = 220) -> str:
    """``points``: [(period code, total)] in time order → an inline ``<svg>``: the totals on a
    0–120 scale (100, full target, drawn solid), each point with its total (2 decimals) written
    on it, the month under it ("2026-07" → "07")."""
    return charts.line_chart(
        [(code[-2:] if len(code) == 7 else code, total) for code, total in points],
        title=title,
        ticks=TICKS,
        solid=(Decimal(100),),
        unit="score",
        height=height,
    )


def grades_svg(dist, *, title: str = "", height: int = 200) -> str:
    """A :class:`kpi.selectors.GradeDistribution` as bars A–E with the count on each and, where a
    quota applies, a dashed line over A at the most A grades allowed and over B at the most B
    grades the A+B quota leaves beside the A grades given."""
    labels = dict(AnnualScore.Grade.choices)
    bars = [
        charts.Bar(label=g, value=n, hint=f"{labels[g]}: {n}")
        for g, n in ((g, dist.counts.get(g, 0)) for g in AnnualScore.Grade.values)
    ]
    markers = []
    if dist.max_a is not None:
        markers.append(charts.Marker(at=dist.max_a, text=f"≤ {dist.max_a}", bar=0))
    if dist.max_ab is not None:
        room_b = max(dist.max_ab - dist.counts.get("A", 0), 0)
        markers.append(charts.Marker(at=room_b, text=f"≤ {room_b}", bar=1))
    return charts.bar_chart(
        bars,
        title=title or _("KPI grades %(y)s") % {"y": dist.year},
        markers=markers,
        x_caption=_("Grade"),
        show_zero=True,
        height=height,
    )
