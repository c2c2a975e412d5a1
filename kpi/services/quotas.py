"""Grade quotas per unit (docs/kpi.md, "Quota allocation"; 篇18: 优秀、良好指标数每年分配一次,
按排名确定部门的指标比例, 机动指标奖励整体工作业绩突出的部门或个人).

HR saves the year's allocation (company quota, reserve, basis), which apportions the places to
the units; publishes it (the year's grades are then graded against the unit ceilings); grants
reserve places to units or people; and calibrates grades within a unit's quota. Every step is
audited, and every step that changes grades recomputes the year set-based.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from core import audit, clock
from core.errors import DomainError, ErrorCode, InvalidTransition, NotEligible
from org.models import OrgUnit, Staff

from .. import rules, score_recompute
from ..models import AnnualScore, QuotaAdjustment, QuotaAllocation, QuotaGrant, UnitQuota
from .common import require_office

PLACES = Decimal("1e-12")


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason."), code=ErrorCode.REASON_REQUIRED)
    return reason


def _over_quota(message: str) -> InvalidTransition:
    return InvalidTransition(message, code=ErrorCode.OVER_QUOTA)


def _compute(allocation: QuotaAllocation) -> None:
    """Apportion the company's places to the units from the year's annual scores."""
    sums: dict[int, list] = defaultdict(lambda: [Decimal(0), 0])
    for unit_id, score in AnnualScore.objects.filter(
        year=allocation.year, unit__isnull=False
    ).values_list("unit_id", "score"):
        sums[unit_id][0] += score
        sums[unit_id][1] += 1
    n = sum(count for _total, count in sums.values())
    total = sum((t for t, _c in sums.values()), Decimal(0))
    company_ab = int(Decimal(n) * allocation.ab_pct / 100)
    company_a = min(int(Decimal(n) * allocation.a_pct / 100), company_ab)
    company_b = company_ab - company_a
    if allocation.reserve_a > company_a or allocation.reserve_b > company_b:
        raise ValidationError(
            _("The reserve (%(a)s A, %(b)s B) exceeds the company quota (%(ca)s A, %(cb)s B).")
            % {
                "a": allocation.reserve_a,
                "b": allocation.reserve_b,
                "ca": company_a,
                "cb": company_b,
            }
        )
    mean = total / n if n else Decimal(0)
    means = {u: t / c for u, (t, c) in sums.items()}
    improvements = _improvements(allocation.year, means)
    weights = rules.quota_weights(
        allocation.basis,
        headcounts={u: c for u, (_t, c) in sums.items()},
        means=means,
        company_mean=mean,
        improvements=improvements,
    )
    codes = dict(OrgUnit.objects.filter(pk__in=list(sums)).values_list("pk", "code"))
    tie_break = {u: (-means[u], -sums[u][1], codes[u]) for u in sums}
    share_a = rules.apportion(company_a - allocation.reserve_a, weights, tie_break)
    share_b = rules.apportion(company_b - allocation.reserve_b, weights, tie_break)
    allocation.population = n
    allocation.company_a = company_a
    allocation.company_b = company_b
    allocation.company_mean = mean.quantize(PLACES)
    allocation.computed_at = clock.now()
    allocation.save()
    allocation.units.all().delete()
    UnitQuota.objects.bulk_create(
        UnitQuota(
            allocation=allocation,
            unit_id=u,
            headcount=sums[u][1],
            mean_score=means[u].quantize(PLACES),
            improvement=_quantized(improvements[u]),
            weight=weights[u].quantize(PLACES),
            share_a=share_a[u][0].quantize(PLACES),
            share_b=share_b[u][0].quantize(PLACES),
            places_a=share_a[u][1],
            places_b=share_b[u][1],
        )
        for u in sorted(sums)
    )


def _quantized(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(PLACES)


def _improvements(year: int, means: dict[int, Decimal]) -> dict[int, Decimal | None]:
    """Each unit's mean annual score this year minus its mean of last year (``None`` when
    nobody of the unit had an annual score last year). One grouped query."""
    last = {
        row["unit_id"]: row["total"] / row["n"]
        for row in AnnualScore.objects.filter(year=year - 1, unit_id__in=list(means))
        .values("unit_id")
        .annotate(total=Sum("score"), n=Count("pk"))
        .order_by()
    }
    return {u: (m - last[u]) if u in last else None for u, m in means.items()}


@transaction.atomic
def allocation_save(*, actor, year: int, **fields) -> QuotaAllocation:
    """Create or change the draft allocation of ``year`` (``basis``, ``a_pct``, ``ab_pct``,
    ``reserve_a``, ``reserve_b``) and apportion it from the year's annual scores. A published
    allocation is frozen (409)."""
    require_office(actor)
    allocation = QuotaAllocation.objects.select_for_update().filter(year=year).first()
    before = {}
    if allocation is None:
        allocation = QuotaAllocation(year=year)
    else:
        if allocation.status == QuotaAllocation.Status.PUBLISHED:
            raise InvalidTransition(_("The allocation of this year is published."))
        before = audit.snapshot(allocation)
    for name, value in fields.items():
        setattr(allocation, name, value)
    allocation.full_clean(exclude=["year"] if allocation.pk else None)
    if allocation.ab_pct < allocation.a_pct:
        raise ValidationError({"ab_pct": _("The A+B quota cannot be below the A quota.")})
    _compute(allocation)
    audit.record(
        actor=actor,
        obj=allocation,
        action="kpi.quota.allocation." + ("change" if before else "create"),
        changes=audit.diff(before, audit.snapshot(allocation)),
    )
    return allocation


@transaction.atomic
def allocation_publish(*, actor, allocation: QuotaAllocation, reason: str = "") -> QuotaAllocation:
    """draft → published: the year's grades are recomputed against the unit ceilings."""
    require_office(actor)
    allocation = QuotaAllocation.objects.select_for_update().get(pk=allocation.pk)
    if allocation.status != QuotaAllocation.Status.DRAFT:
        raise InvalidTransition(_("The allocation of this year is published."))
    allocation.status = QuotaAllocation.Status.PUBLISHED
    allocation.published_at = clock.now()
    allocation.save(update_fields=["status", "published_at"])
    audit.record(
        actor=actor,
        obj=allocation,
        action="kpi.quota.allocation.publish",
        from_state=QuotaAllocation.Status.DRAFT,
        to_state=QuotaAllocation.Status.PUBLISHED,
        reason=reason,
    )
    score_recompute.recompute_years([allocation.year])
    return allocation


@transaction.atomic
def quota_grant(
    *,
    actor,
    allocation: QuotaAllocation,
    grade: str,
    reason: str,
    unit: OrgUnit | None = None,
    staff: Staff | None = None,
) -> QuotaGrant:
    """Grant one reserve place of ``grade`` (A or B) to a unit (its ceiling grows by one) or to
    a person (graded outside the unit's quota: they keep the grade the thresholds give them,
    which must be at least ``grade``). Refused beyond the reserve (409 ``over_quota``)."""
    require_office(actor)
    reason = _reason(reason)
    allocation = QuotaAllocation.objects.select_for_update().get(pk=allocation.pk)
    if grade not in QuotaGrant.Grade.values or (unit is None) == (staff is None):
        raise ValidationError(_("Grant an A or B place to either a unit or a person."))
    reserve = allocation.reserve_a if grade == "A" else allocation.reserve_b
    used = allocation.grants.filter(grade=grade).count()
    if used >= reserve:
        raise _over_quota(
            _("The reserve has no %(grade)s place left (%(used)s of %(reserve)s granted).")
            % {"grade": grade, "used": used, "reserve": reserve}
        )
    if staff is not None:
        row = AnnualScore.objects.filter(staff=staff, year=allocation.year).first()
        if row is None or row.threshold_grade > grade:
            raise NotEligible(
                _("A reserve place of %(grade)s goes only to someone whose score earns it.")
                % {"grade": grade}
            )
        if allocation.grants.filter(staff=staff).exists():
            raise InvalidTransition(_("This person already has a reserve place."))
    elif not allocation.units.filter(unit=unit).exists():
        raise ValidationError(_("This unit has no quota this year."))
    grant = QuotaGrant.objects.create(
        allocation=allocation,
        grade=grade,
        unit=unit,
        staff=staff,
        reason=reason,
        granted_by=actor,
        granted_at=clock.now(),
    )
    audit.record(
        actor=actor,
        obj=allocation,
        action="kpi.quota.grant",
        to_state=grade,
        reason=reason,
        changes={"unit": unit.pk if unit else None, "staff": staff.pk if staff else None},
    )
    if allocation.status == QuotaAllocation.Status.PUBLISHED:
        score_recompute.recompute_years([allocation.year])
    return grant


@transaction.atomic
def grades_calibrate(
    *, actor, allocation: QuotaAllocation, changes: dict[int, str], reason: str
) -> list[QuotaAdjustment]:
    """HR's calibration: set the final grades ``{staff_id: grade}`` of people of one unit, with
    a reason — a raise, or a swap (one up, one down) in one step. A grade is never above the
    person's threshold grade (409 ``not_eligible``), and after the change the unit's A and A+B
    counts (people with a reserve place aside) stay within its ceilings (409 ``over_quota``)."""
    require_office(actor)
    reason = _reason(reason)
    allocation = QuotaAllocation.objects.select_for_update().get(pk=allocation.pk)
    if allocation.status != QuotaAllocation.Status.PUBLISHED:
        raise InvalidTransition(_("Publish the allocation before calibrating."))
    rows = {
        r.staff_id: r
        for r in AnnualScore.objects.select_for_update().filter(
            year=allocation.year, staff_id__in=list(changes)
        )
    }
    if not changes or set(rows) != set(changes):
        raise ValidationError(_("Everyone calibrated needs an annual score of the year."))
    units = {r.unit_id for r in rows.values()}
    if len(units) != 1:
        raise ValidationError(_("Calibrate one unit at a time."))
    (unit_id,) = units
    allocated = score_recompute.Allocated.for_year(allocation.year)
    assert allocated is not None
    for staff_id, grade in changes.items():
        if grade not in score_recompute.GRADE_ORDER:
            raise ValidationError(_("Unknown grade."))
        if staff_id in allocated.exempt:
            raise InvalidTransition(_("This person holds a reserve place."))
        if grade < rows[staff_id].threshold_grade:
            raise NotEligible(_("A grade cannot be above the one the thresholds give."))
    ceiling = allocated.ceilings.get(unit_id) if unit_id is not None else None
    if ceiling is not None:
        grades = dict(
            AnnualScore.objects.filter(year=allocation.year, unit_id=unit_id)
            .exclude(staff_id__in=allocated.exempt)
            .values_list("staff_id", "grade")
        )
        grades.update(changes)
        n_a = sum(1 for g in grades.values() if g == "A")
        n_ab = sum(1 for g in grades.values() if g in "AB")
        if n_a > ceiling[0] or n_ab > ceiling[1]:
            raise _over_quota(
                _("Beyond the unit's quota: %(a)s A of %(cap_a)s and %(ab)s A or B of %(cap_ab)s.")
                % {"a": n_a, "cap_a": ceiling[0], "ab": n_ab, "cap_ab": ceiling[1]}
            )
    now = clock.now()
    made = []
    for staff_id in sorted(changes):
        row = rows[staff_id]
        made.append(
            QuotaAdjustment.objects.create(
                allocation=allocation,
                staff_id=staff_id,
                from_grade=row.grade,
                grade=changes[staff_id],
                reason=reason,
                adjusted_by=actor,
                adjusted_at=now,
            )
        )
        audit.record(
            actor=actor,
            obj=row,
            action="kpi.quota.calibrate",
            from_state=row.grade,
            to_state=changes[staff_id],
            reason=reason,
        )
    score_recompute.recompute_years([allocation.year])
    return made
