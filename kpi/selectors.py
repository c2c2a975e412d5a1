"""Reads of the KPI app, scoped through ``org.scope`` and joined (one query per list)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value

from org.models import Staff
from org.scope import scope_by_staff

from . import rules, score_recompute
from .models import (
    Actual,
    AnnualScore,
    Appraisal,
    Indicator,
    Period,
    PeriodScore,
    PeriodStage,
    QuotaAllocation,
    Scheme,
    SchemeItem,
    StaffTarget,
    Stage,
    StageState,
)
from .score_recompute import Allocated, Thresholds, quota_ceilings


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


def annual_grades(*, staff_ids, years) -> dict[int, dict[int, str]]:
    """``{staff_id: {year: grade}}`` for the given staff over ``years`` — one query, whatever
    the number of years. Years without a graded annual score are absent."""
    ids, years = list(staff_ids), sorted(set(years))
    result: dict[int, dict[int, str]] = {}
    if not ids or not years:
        return result
    rows = (
        AnnualScore.objects.filter(year__in=years, staff_id__in=ids)
        .exclude(grade="")
        .values_list("staff_id", "year", "grade")
    )
    for staff_id, year, grade in rows:
        if grade:
            result.setdefault(staff_id, {})[year] = grade
    return result


def indicator_list() -> QuerySet[Indicator]:
    return Indicator.objects.all()


def scheme_list() -> QuerySet[Scheme]:
    return Scheme.objects.select_related("track", "level", "parent", "unit").prefetch_related(
        "items__indicator"
    )


def period_list() -> QuerySet[Period]:
    return Period.objects.all()


def actual_list(*, user) -> QuerySet[Actual]:
    return scope_by_staff(Actual.objects.all(), user).select_related("staff", "indicator", "period")


def score_list(*, user) -> QuerySet[PeriodScore]:
    return scope_by_staff(PeriodScore.objects.all(), user).select_related("staff", "period")


def annual_list(*, user) -> QuerySet[AnnualScore]:
    return scope_by_staff(AnnualScore.objects.all(), user).select_related("staff", "unit")


def current_period(
    *, today: dt.date, period_type: str = "month", periods: QuerySet[Period] | None = None
) -> Period | None:
    """The period of ``today``'s date, else the latest one before it; taken from ``periods``
    where given (annotated with what the caller reads with it)."""
    qs = (Period.objects.all() if periods is None else periods).filter(period_type=period_type)
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


# --- the assessment cycle -------------------------------------------------------------------


def period_stage_list() -> QuerySet[Period]:
    """Periods with their stage rows (two queries for any number of periods)."""
    return Period.objects.prefetch_related(
        Prefetch("stages", queryset=PeriodStage.objects.order_by("starts", "id"))
    )


def stage_board(*, period: Period) -> list[dict]:
    """The five stages of a period: planned dates, actual start and end, state — one query.
    Stages without a stored row show the dates the rules plan."""
    rows = {row.stage: row for row in PeriodStage.objects.filter(period=period)}
    planned = rules.planned_dates(period.period_type, period.start, period.end)
    board = []
    for stage in rules.STAGES:
        row = rows.get(stage)
        starts, ends = (row.starts, row.ends) if row else planned[stage]
        board.append(
            {
                "stage": stage,
                "label": Stage(stage).label,
                "starts": starts,
                "ends": ends,
                "started_at": row.started_at if row else None,
                "ended_at": row.ended_at if row else None,
                "state": rules.stage_state(stage, period.stage),
                "state_label": StageState(rules.stage_state(stage, period.stage)).label,
            }
        )
    return board


def appraisal_list(*, user) -> QuerySet[Appraisal]:
    """Appraisals the caller may see (own; a line manager's team; HR everyone), joined."""
    return scope_by_staff(Appraisal.objects.all(), user).select_related(
        "staff", "staff__unit", "staff__level", "period", "reviewed_by"
    )


def appraisal_of(*, staff: Staff, period: Period) -> Appraisal | None:
    """The appraisal of ``staff`` in ``period``, holding the staff record given (no second
    fetch of it by whoever reads ``appraisal.staff``)."""
    appraisal = (
        Appraisal.objects.filter(staff=staff, period=period).select_related("period").first()
    )
    if appraisal is not None:
        appraisal.staff = staff
    return appraisal


def targets_of(*, staff: Staff, period: Period) -> list[dict]:
    """The items of the scheme that scores the staff member in the period (the framework of
    their level, or its variant for their unit: ``score_recompute.resolve_schemes``) with the
    target that applies (own for the period → own for every period → the scheme's default)."""
    scheme_id = score_recompute.resolve_schemes([staff.pk], [period]).get((staff.pk, period.pk))
    if scheme_id is None:
        return []
    items = list(
        SchemeItem.objects.filter(scheme_id=scheme_id).select_related("indicator").order_by("id")
    )
    own: dict[int, dict] = {}
    for indicator_id, period_id, target in StaffTarget.objects.filter(
        staff=staff, indicator_id__in=[i.indicator_id for i in items]
    ).values_list("indicator_id", "period_id", "target"):
        own.setdefault(indicator_id, {})[period_id] = target
    result = []
    for item in items:
        mine = own.get(item.indicator_id, {})
        personal = mine.get(period.pk, mine.get(None, item.target))
        result.append({"indicator": item.indicator, "weight": item.weight, "target": personal})
    return result


def annual_by_staff_year(*, scores) -> dict[int, AnnualScore]:
    """``{staff_id: AnnualScore}`` for the staff and years of the given period scores — one
    query (staff with scores in two years keep the later year's)."""
    staff_ids = {s.staff_id for s in scores}
    years = {s.period.year for s in scores}
    if not staff_ids:
        return {}
    wanted = {(s.staff_id, s.period.year) for s in scores}
    return {
        a.staff_id: a
        for a in AnnualScore.objects.filter(staff_id__in=staff_ids, year__in=years).order_by("year")
        if (a.staff_id, a.year) in wanted
    }


def appraisal_counts(*, period: Period) -> dict[str, int]:
    """How far the period's appraisals are, for the stage board — one aggregate query."""
    return Appraisal.objects.filter(period=period).aggregate(
        total=Count("pk"),
        acknowledged=Count("pk", filter=Q(targets_acknowledged_at__isnull=False)),
        self_assessed=Count("pk", filter=Q(self_submitted_at__isnull=False)),
        reviewed=Count("pk", filter=Q(reviewed_at__isnull=False)),
        agreed=Count("pk", filter=Q(response=Appraisal.Response.AGREED)),
        disagreed=Count("pk", filter=Q(response=Appraisal.Response.DISAGREED)),
    )


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
    """The annual grades of ``staff_qs`` in ``year`` with the quota ceilings: the unit ceilings
    of the year's published quota allocation, else the grade policy's percentages (at most
    seven queries)."""
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
    allocated = Allocated.for_year(year) if shown else None
    max_a = max_ab = None
    if shown and (
        allocated is not None or rules.quota_a_pct is not None or rules.quota_ab_pct is not None
    ):
        unit_sizes = dict(
            AnnualScore.objects.filter(year=year, unit_id__in=[u for u in shown if u])
            .values_list("unit_id")
            .annotate(n=Count("id"))
            .values_list("unit_id", "n")
            .order_by()
        )
        caps = {
            u: allocated.ceilings[u]
            if allocated is not None and u in allocated.ceilings
            else quota_ceilings(n if u is None else unit_sizes.get(u, n), rules)
            for u, n in shown.items()
        }
        # With either quota set, the A ceiling is a number (the A+B one bounds it); with a
        # published allocation, each unit's ceilings (reserve places granted to people aside).
        max_a = sum(min(caps[u][0] or 0, n) for u, n in shown.items())
        if allocated is not None or rules.quota_ab_pct is not None:
            max_ab = sum(min(caps[u][1] or 0, n) for u, n in shown.items())
    return GradeDistribution(
        year=year,
        counts=counts,
        total=sum(counts.values()),
        max_a=max_a,
        max_ab=max_ab,
        quota_a_pct=rules.quota_a_pct,
        quota_ab_pct=rules.quota_ab_pct,
    )


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


def calibration(*, year: int) -> dict | None:
    """The calibration view of a year's published or draft quota allocation (HR): per unit the
    formula's numbers, its ceilings, the count of each grade by the thresholds and after the
    quota, and everyone whose grade the quota or a calibration moved, with why. Five queries at
    any size; ``None`` without an allocation."""
    allocation = QuotaAllocation.objects.filter(year=year).first()
    if allocation is None:
        return None
    grants = list(allocation.grants.select_related("unit", "staff"))
    exempt = {g.staff_id: g for g in grants if g.staff_id}
    extra: dict[tuple[int | None, str], int] = {}
    for g in grants:
        if g.unit_id:
            extra[(g.unit_id, g.grade)] = extra.get((g.unit_id, g.grade), 0) + 1
    reasons = dict(
        allocation.adjustments.order_by("adjusted_at", "pk").values_list("staff_id", "reason")
    )
    units: dict[int, dict] = {}
    for quota in allocation.units.select_related("unit"):
        cap_a = quota.places_a + extra.get((quota.unit_id, "A"), 0)
        units[quota.unit_id] = {
            "unit": quota.unit,
            "quota": quota,
            "reserve_a": extra.get((quota.unit_id, "A"), 0),
            "reserve_b": extra.get((quota.unit_id, "B"), 0),
            "ceiling_a": cap_a,
            "ceiling_ab": cap_a + quota.places_b + extra.get((quota.unit_id, "B"), 0),
            "before": dict.fromkeys("ABCDE", 0),
            "after": dict.fromkeys("ABCDE", 0),
            "moved": [],
            "granted": [],
        }
    for row in (
        AnnualScore.objects.filter(year=year, unit_id__in=list(units))
        .select_related("staff")
        .order_by("unit_id", "-score", "staff__employee_no")
    ):
        entry = units[row.unit_id or 0]
        entry["before"][row.threshold_grade] += 1
        entry["after"][row.grade] += 1
        if row.staff_id in exempt:
            entry["granted"].append({"row": row, "why": exempt[row.staff_id].reason})
        elif row.grade != row.threshold_grade or row.staff_id in reasons:
            entry["moved"].append({"row": row, "why": reasons.get(row.staff_id, "")})
    for entry in units.values():
        entry["used_a"] = entry["after"]["A"] - sum(
            1 for g in entry["granted"] if g["row"].grade == "A"
        )
        entry["used_ab"] = (
            entry["after"]["A"]
            + entry["after"]["B"]
            - sum(1 for g in entry["granted"] if g["row"].grade in "AB")
        )
    return {
        "allocation": allocation,
        "grants": grants,
        "reserve_left_a": allocation.reserve_a - sum(1 for g in grants if g.grade == "A"),
        "reserve_left_b": allocation.reserve_b - sum(1 for g in grants if g.grade == "B"),
        "units": sorted(units.values(), key=lambda e: e["unit"].code),
    }
