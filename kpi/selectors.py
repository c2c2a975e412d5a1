"""Reads of the KPI app, scoped through ``org.scope`` and joined (one query per list)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Value

from org.models import Staff
from org.scope import scope_by_staff

from .models import Actual, AnnualScore, Indicator, Period, PeriodScore, Scheme


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


def team_scores(*, staff_qs: QuerySet[Staff], period: Period | None, year: int) -> QuerySet[Staff]:
    """The team table as one query: each staff member with the period total
    (``period_total``), the annual score, grade and grade by thresholds (``annual_score``,
    ``annual_grade``, ``threshold_grade``) — columns to sort, filter and page on in SQL."""
    annual = AnnualScore.objects.filter(staff=OuterRef("pk"), year=year)
    qs = staff_qs.select_related("level", "unit").annotate(
        annual_score=Subquery(annual.values("score")[:1]),
        annual_grade=Subquery(annual.values("grade")[:1]),
        threshold_grade=Subquery(annual.values("threshold_grade")[:1]),
    )
    if period is None:
        return qs.annotate(period_total=Value(None, output_field=DecimalField()))
    totals = PeriodScore.objects.filter(staff=OuterRef("pk"), period=period)
    return qs.annotate(period_total=Subquery(totals.values("total")[:1]))
