"""The leadership dashboard's figures: the KPI annual grade distribution and the ranking band
distribution by branch and year.

A branch is the unit directly under the company (the first level below the root of the org
tree; a person in the root unit itself counts under the root). Each distribution is one
aggregate query grouped by year and unit; the units are folded into their branches with one
more query of the org tree — a constant number of queries whatever the size of the company.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from kpi.models import AnnualScore
from org.models import OrgUnit

from .models import RankingEntry, RankingRun

GRADES = [g.value for g in AnnualScore.Grade]
BANDS = ("top", "middle", "bottom")


@dataclass
class Row:
    """One branch in one year: counts by key (grade or band) and the total."""

    branch_id: int
    branch: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def cells(self, keys) -> list[tuple[str, int, int]]:
        """``(key, count, percent of the row)`` in the order of ``keys``."""
        total = self.total
        return [
            (k, self.counts.get(k, 0), round(100 * self.counts.get(k, 0) / total) if total else 0)
            for k in keys
        ]


@dataclass
class YearTable:
    year: int
    rows: list[Row]
    keys: tuple[str, ...]

    @property
    def totals(self) -> Row:
        total = Row(0, "")
        for row in self.rows:
            for k, n in row.counts.items():
                total.counts[k] = total.counts.get(k, 0) + n
        return total

    def lines(self) -> list[tuple[Row, list[tuple[str, int, int]]]]:
        """Each branch with its cells, then the totals of every branch."""
        return [(row, row.cells(self.keys)) for row in [*self.rows, self.totals]]


def branches() -> dict[int, tuple[int, str]]:
    """``{unit_id: (branch_id, branch name)}`` for every unit (one query)."""
    units = list(OrgUnit.objects.only("pk", "path", "depth", "name", "name_en", "parent_id"))
    by_pk = {u.pk: u for u in units}
    out = {}
    for unit in units:
        ids = [int(p) for p in unit.path.strip("/").split("/") if p]
        branch = by_pk.get(ids[1]) if len(ids) > 1 else unit
        branch = branch or unit
        out[unit.pk] = (branch.pk, branch.display_name)
    return out


def _tables(grouped, keys, years_wanted) -> list[YearTable]:
    tree = branches()
    by_year: dict[int, dict[int, Row]] = {}
    for year, unit_id, key, n in grouped:
        if unit_id is None:
            continue
        branch_id, name = tree.get(unit_id, (unit_id, str(unit_id)))
        row = by_year.setdefault(year, {}).setdefault(branch_id, Row(branch_id, name))
        row.counts[key] = row.counts.get(key, 0) + n
    years = sorted(by_year, reverse=True)
    if years_wanted:
        years = [y for y in years if y in years_wanted]
    return [
        YearTable(y, sorted(by_year[y].values(), key=lambda r: r.branch), tuple(keys))
        for y in years
    ]


def grade_distribution(*, years: list[int] | None = None) -> list[YearTable]:
    """KPI annual grades A–E by branch and year (the grade's quota unit, else the person's
    unit), newest year first."""
    qs = AnnualScore.objects.all()
    if years:
        qs = qs.filter(year__in=years)
    grouped = (
        qs.annotate(at_unit=Coalesce("unit_id", "staff__unit_id"))
        .values_list("year", "at_unit", "grade")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _tables(grouped, GRADES, years)


def band_distribution(*, years: list[int] | None = None) -> list[YearTable]:
    """Ranked staff of the committed ranking runs in the top band, the middle and the bottom
    band, by branch (their unit at the year end) and year, newest year first."""
    qs = RankingEntry.objects.filter(run__status=RankingRun.Status.COMMITTED, excluded=False)
    if years:
        qs = qs.filter(run__year__in=years)
    grouped = []
    for year, unit_id, top, bottom, total in (
        qs.values_list("run__year", "unit_id")
        .annotate(
            top=Count("id", filter=Q(in_top_band=True)),
            bottom=Count("id", filter=Q(in_bottom_band=True)),
            total=Count("id"),
        )
        .values_list("run__year", "unit_id", "top", "bottom", "total")
        .order_by()
    ):
        grouped += [
            (year, unit_id, "top", top),
            (year, unit_id, "middle", total - top - bottom),
            (year, unit_id, "bottom", bottom),
        ]
    return _tables(grouped, BANDS, years)


def years_available() -> list[int]:
    """Years with annual grades or a committed ranking, newest first (two small queries)."""
    grade_years = set(AnnualScore.objects.values_list("year", flat=True).distinct().order_by())
    run_years = set(
        RankingRun.objects.filter(status=RankingRun.Status.COMMITTED)
        .values_list("year", flat=True)
        .distinct()
        .order_by()
    )
    return sorted(grade_years | run_years, reverse=True)


@dataclass
class Dashboard:
    """What the dashboard shows: the years there are figures for, the year asked for (None:
    the latest three) and the two distributions of the years shown."""

    years: list[int]
    year: int | None
    grades: list[YearTable]
    bands: list[YearTable]


def dashboard(*, year: str = "") -> Dashboard:
    """The dashboard for ``year`` (the request's text): that year when there are figures for
    it, else the latest three years (the page and the API answer the same)."""
    available = years_available()
    chosen = int(year) if year.isdigit() and int(year) in available else None
    years = [chosen] if chosen is not None else available[:3]
    return Dashboard(
        available,
        chosen,
        grade_distribution(years=years),
        band_distribution(years=years),
    )
