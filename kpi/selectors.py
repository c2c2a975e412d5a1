"""Reads of the KPI app, scoped through ``org.scope`` and joined (one query per list)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet

from org.models import Staff
from org.scope import scope_by_staff

from .models import Actual, AnnualScore, Indicator, Period, PeriodScore, Scheme
from .score_recompute import Thresholds, quota_ceilings


@dataclass(frozen=True)
class AnnualResult:
    """What certification and ranking read: the rounded annual score and the grade."""

    score: Decimal
    grade: str
    periods: int = 0


def annual_scores(*, staff_ids, year: int) -> dict[int, AnnualResult]:
    """``{staff_id: AnnualResult(score, grade)}`` for the given staff in ``year`` — one query.

    Staff without an annual score in that year are absent from the result.
    """
    ids = list(staff_ids)
    if not ids:
        return {}
    rows = AnnualScore.objects.filter(year=year, staff_id__in=ids).values_list(
        "staff_id", "score", "grade", "periods"
    )
    return {pk: AnnualResult(score, grade, n) for pk, score, grade, n in rows}


def indicator_list() -> QuerySet[Indicator]:
    return Indicator.objects.all()


def scheme_list() -> QuerySet[Scheme]:
    return Scheme.objects.select_related("track", "level").prefetch_related("items__indicator")


def period_list() -> QuerySet[Period]:
    return Period.objects.all()


def actual_list(*, user) -> QuerySet[Actual]:
    return scope_by_staff(Actual.objects.all(), user).select_related("staff", "indicator", "period")


def score_list(*, user) -> QuerySet[PeriodScore]:
    return scope_by_staff(PeriodScore.objects.all(), user).select_related("staff", "period")


def annual_list(*, user) -> QuerySet[AnnualScore]:
    return scope_by_staff(AnnualScore.objects.all(), user).select_related("staff", "unit")


def current_period(*, today: dt.date, period_type: str = "month") -> Period | None:
    """The period of ``today``'s date, else the latest one before it."""
    qs = Period.objects.filter(period_type=period_type)
    return (
        qs.filter(start__lte=today, end__gte=today).first()
        or qs.filter(start__lte=today).order_by("-start").first()
    )


def staff_kpi(*, staff: Staff, period: Period | None, year: int) -> dict:
    """Everything the staff KPI page shows — a constant number of queries."""
    score = None
    if period is not None:
        score = PeriodScore.objects.filter(staff=staff, period=period).first()
    indicators = {}
    if score is not None:
        ids = [item["indicator"] for item in score.items]
        indicators = Indicator.objects.in_bulk(ids)
    items = [
        {**item, "indicator_obj": indicators.get(item["indicator"])}
        for item in (score.items if score else [])
    ]
    trend = list(
        PeriodScore.objects.filter(staff=staff, period__year=year, period__period_type="month")
        .select_related("period")
        .order_by("period__start")
        .values_list("period__code", "period__start", "total")
    )
    annual = AnnualScore.objects.filter(staff=staff, year=year).first()
    previous = AnnualScore.objects.filter(staff=staff, year=year - 1).first()
    return {
        "score": score,
        "items": items,
        "trend": trend,
        "annual": annual,
        "previous": previous,
    }


def team_table(*, staff_qs: QuerySet[Staff], period: Period | None, year: int) -> list[dict]:
    """One row per staff member: the period total, the annual score and grade (3 queries)."""
    staff = list(staff_qs.select_related("level", "unit").order_by("unit__path", "employee_no"))
    totals = {}
    if period is not None:
        totals = dict(
            PeriodScore.objects.filter(period=period, staff__in=staff_qs).values_list(
                "staff_id", "total"
            )
        )
    annual = {a.staff_id: a for a in AnnualScore.objects.filter(year=year, staff__in=staff_qs)}
    return [{"staff": s, "total": totals.get(s.pk), "annual": annual.get(s.pk)} for s in staff]


@dataclass(frozen=True)
class GradeDistribution:
    """How many of a population got each annual grade of ``year``, and the quota ceilings.

    ``max_a`` / ``max_ab``: the most A (A or B) grades the quotas allow these staff — per quota
    unit ⌊N × A% / 100⌋ of the unit's whole scored population N, at most as many as the unit
    has among them, summed over the units (None: no quota that year)."""

    year: int
    counts: dict[str, int]
    total: int
    max_a: int | None
    max_ab: int | None
    quota_a_pct: Decimal | None
    quota_ab_pct: Decimal | None


def grade_distribution(*, staff_qs: QuerySet[Staff], year: int) -> GradeDistribution:
    """The annual grades of ``staff_qs`` in ``year`` with the quota ceilings (three queries)."""
    rows = list(
        AnnualScore.objects.filter(year=year, staff__in=staff_qs)
        .values_list("unit_id", "grade")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = dict.fromkeys(AnnualScore.Grade.values, 0)
    shown: dict[int | None, int] = {}
    for unit_id, grade, n in rows:
        counts[grade] += n
        shown[unit_id] = shown.get(unit_id, 0) + n
    rules = Thresholds.for_year(year)
    max_a = max_ab = None
    if shown and (rules.quota_a_pct is not None or rules.quota_ab_pct is not None):
        unit_sizes = dict(
            AnnualScore.objects.filter(year=year, unit_id__in=[u for u in shown if u])
            .values_list("unit_id")
            .annotate(n=Count("id"))
            .values_list("unit_id", "n")
            .order_by()
        )
        caps = {u: quota_ceilings(unit_sizes.get(u, n), rules) for u, n in shown.items()}
        max_a = sum(min(caps[u][0], n) for u, n in shown.items())  # set by either quota
        if rules.quota_ab_pct is not None:
            max_ab = sum(min(caps[u][1], n) for u, n in shown.items())
    return GradeDistribution(
        year=year,
        counts=counts,
        total=sum(counts.values()),
        max_a=max_a,
        max_ab=max_ab,
        quota_a_pct=rules.quota_a_pct,
        quota_ab_pct=rules.quota_ab_pct,
    )
