"""Writes of the pay app (docs/pay.md): policies, coefficients, deferral rules, the yearly pay
run (draft → computed → approved) and the forfeiture of deferred instalments.

``run_compute`` is set-based: one ``INSERT … SELECT`` writes every pay line (the population,
the level at year end, the grade, every figure in whole fen rounded half-up) and a second one
the instalment schedule, whatever the number of staff. ``pay.rules`` states the same rules per
person; the tests check that both agree.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from core import audit, clock
from core.errors import DomainError, ErrorCode, InvalidTransition, RoleRequired
from core.roles import Role, has_role, require_office
from kpi.models import AnnualScore
from org.models import Appointment, Level, Staff

from .models import DeferralRule, DeferredInstalment, GradeCoefficient, PayLine, PayPolicy, PayRun

GRADES = tuple(AnnualScore.Grade.values)
DEFAULT_COEFFICIENTS = {
    "A": Decimal("1.50"),
    "B": Decimal("1.20"),
    "C": Decimal("1.00"),
    "D": Decimal("0.50"),
    "E": Decimal("0.00"),
}
Status = PayRun.Status


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


# --- policies ---------------------------------------------------------------------------------


@transaction.atomic
def policy_set(
    *, actor, level: Level, year: int, monthly_base: Decimal, performance_base: Decimal
) -> PayPolicy:
    """Set what ``level`` pays in ``year`` (created or changed). The monthly level allowance is
    the level's own (``Level.allowance``). A year with an approved pay run is closed."""
    require_office(actor, _("Only the certification office (HR) sets pay policies."))
    _require_open_year(year)
    policy = PayPolicy.objects.select_for_update().filter(level=level, year=year).first()
    before = None if policy is None else (str(policy.monthly_base), str(policy.performance_base))
    if policy is None:
        policy = PayPolicy(level=level, year=year)
    policy.monthly_base = monthly_base
    policy.performance_base = performance_base
    policy.full_clean()
    policy.save()
    audit.record(
        actor=actor,
        obj=policy,
        action="pay_policy_set",
        changes={
            "before": before,
            "monthly_base": monthly_base,
            "performance_base": performance_base,
        },
    )
    return policy


@transaction.atomic
def coefficients_set(
    *, actor, year: int, coefficients: dict[str, Decimal]
) -> list[GradeCoefficient]:
    """Set the performance coefficient of every grade A–E for ``year`` (all five at once)."""
    require_office(actor, _("Only the certification office (HR) sets pay policies."))
    _require_open_year(year)
    if set(coefficients) != set(GRADES):
        raise DomainError(
            _("Give a coefficient for each grade A, B, C, D and E."), code=ErrorCode.INVALID
        )
    rows = []
    for grade in GRADES:
        row, _created = GradeCoefficient.objects.update_or_create(
            year=year, grade=grade, defaults={"coefficient": coefficients[grade]}
        )
        row.full_clean()
        rows.append(row)
    audit.record(
        actor=actor,
        obj=rows[0],
        action="pay_coefficients_set",
        changes={"year": year, **{g: coefficients[g] for g in GRADES}},
    )
    return rows


@transaction.atomic
def deferral_set(*, actor, year: int, share_pct: Decimal, years: int) -> DeferralRule:
    """Set the deferred share of the performance pay of ``year`` and the years it is paid
    over (share 0: nothing deferred)."""
    require_office(actor, _("Only the certification office (HR) sets pay policies."))
    _require_open_year(year)
    rule = DeferralRule.objects.filter(year=year).first() or DeferralRule(year=year)
    rule.share_pct, rule.years = share_pct, years
    rule.full_clean()
    rule.save()
    audit.record(
        actor=actor,
        obj=rule,
        action="pay_deferral_set",
        changes={"share_pct": share_pct, "years": years},
    )
    return rule


def _require_open_year(year: int) -> None:
    if PayRun.objects.filter(year=year, status=Status.APPROVED).exists():
        raise InvalidTransition(
            _("The pay of %(year)s is approved; its policy can no longer change.") % {"year": year}
        )


# --- the pay run ------------------------------------------------------------------------------


@transaction.atomic
def run_create(*, actor, year: int) -> PayRun:
    """Open the pay run of ``year`` (a draft). One run per year."""
    require_office(actor, _("Only the certification office (HR) computes pay."))
    if PayRun.objects.filter(year=year).exists():
        raise InvalidTransition(_("The pay run of %(year)s exists already.") % {"year": year})
    run = PayRun(year=year, created_by=actor if actor is not None else None)
    run.full_clean()
    run.save()
    audit.record(actor=actor, obj=run, action="create", to_state=run.status)
    return run


def _lock(run: PayRun) -> PayRun:
    return PayRun.objects.select_for_update().get(pk=run.pk)


@transaction.atomic
def run_compute(*, actor, run: PayRun) -> PayRun:
    """Compute (or compute again) every pay line of the run's year and the instalment schedule
    of the deferred parts, set-based. Only the office; not once approved; the year must be
    over and every grade must have a coefficient."""
    require_office(actor, _("Only the certification office (HR) computes pay."))
    run = _lock(run)
    if run.status == Status.APPROVED:
        raise InvalidTransition(_("An approved pay run cannot be computed again."))
    if run.year >= clock.today().year:
        raise InvalidTransition(
            _("The year %(year)s is not over; its pay is computed after its grades.")
            % {"year": run.year}
        )
    coefficients = GradeCoefficient.objects.filter(year=run.year).count()
    if coefficients != len(GRADES):
        raise DomainError(
            _("Set the performance coefficient of every grade for %(year)s first.")
            % {"year": run.year},
            code=ErrorCode.INVALID,
        )
    rule = DeferralRule.objects.filter(year=run.year).first()
    share_pct = rule.share_pct if rule is not None else Decimal("0")
    years = rule.years if rule is not None else 1
    instalments = DeferredInstalment.objects.filter(line__run=run)
    instalments._raw_delete(instalments.db)
    lines = PayLine.objects.filter(run=run)
    lines._raw_delete(lines.db)
    _insert_lines(run, share_pct)
    if share_pct > 0:
        _insert_instalments(run, years)
        _forfeit_out_of_post(run)
    from_state = run.status
    run.status = Status.COMPUTED
    run.computed_by = actor if getattr(actor, "is_authenticated", False) else None
    run.computed_at = clock.now()
    run.summary = _summary(run, share_pct=share_pct, years=years)
    run.save()
    audit.record(
        actor=actor,
        obj=run,
        action="compute",
        from_state=from_state,
        to_state=run.status,
        changes=run.summary,
    )
    return run


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def population_sql(year: int) -> tuple[str, list]:
    """The staff in post at the end of ``year`` with a pay policy for their level, and the
    fen figures of their line: ``staff_id, level_id, unit_id, grade, months, b, a, pb, c``."""
    end, start = year_end(year), dt.date(year, 1, 1)
    if connection.vendor == "postgresql":
        month = "CAST(EXTRACT(MONTH FROM s.hire_date) AS INTEGER)"
    else:
        month = "CAST(strftime('%%m', s.hire_date) AS INTEGER)"
    sql = f"""
SELECT s.id AS staff_id, ap.level_id AS level_id, s.unit_id AS unit_id,
       COALESCE(k.grade, '') AS grade,
       CASE WHEN s.hire_date < %s THEN 12 ELSE 13 - {month} END AS months,
       CAST(ROUND(p.monthly_base * 100) AS BIGINT) AS b,
       CAST(ROUND(lv.allowance * 100) AS BIGINT) AS a,
       CAST(ROUND(p.performance_base * 100) AS BIGINT) AS pb,
       CAST(ROUND(COALESCE(g.coefficient, 0) * 100) AS BIGINT) AS c
FROM {_q(Staff._meta.db_table)} s
JOIN {_q(Appointment._meta.db_table)} ap ON ap.staff_id = s.id AND ap.start <= %s
     AND (ap.closed_on IS NULL OR ap.closed_on > %s)
JOIN {_q(Level._meta.db_table)} lv ON lv.id = ap.level_id
JOIN {_q(PayPolicy._meta.db_table)} p ON p.level_id = ap.level_id AND p.year = %s
LEFT JOIN {_q(AnnualScore._meta.db_table)} k ON k.staff_id = s.id AND k.year = %s
LEFT JOIN {_q(GradeCoefficient._meta.db_table)} g ON g.year = %s AND g.grade = k.grade
"""  # noqa: S608 - quoted identifiers only
    return sql, [start, end, end, year, year, year]


LINE_COLUMNS = (
    "run_id",
    "staff_id",
    "level_id",
    "unit_id",
    "grade",
    "months",
    "monthly_base",
    "monthly_allowance",
    "base_pay",
    "allowance_pay",
    "performance_base",
    "coefficient",
    "performance_pay",
    "deferred",
    "paid_now",
)


def lines_sql(run: PayRun, share_pct: Decimal) -> tuple[str, list]:
    """The SELECT of every pay line of ``run`` (columns :data:`LINE_COLUMNS`), in whole fen:
    performance pay = (pb × c + 50) div 100 (base in fen × coefficient in hundredths, half-up),
    deferred = (perf × share in hundredths of % + 5000) div 10000 (half-up)."""
    population, params = population_sql(run.year)
    share = int((Decimal(share_pct) * 100).to_integral_value())
    deferred = f"((x.perf * {share} + 5000) / 10000)"
    sql = f"""
SELECT %s, x.staff_id, x.level_id, x.unit_id, x.grade, x.months,
       x.b / 100.0, x.a / 100.0, x.b * x.months / 100.0, x.a * x.months / 100.0,
       x.pb / 100.0, x.c / 100.0, x.perf / 100.0, {deferred} / 100.0,
       (x.perf - {deferred}) / 100.0
FROM (SELECT y.*, (y.pb * y.c + 50) / 100 AS perf FROM ({population}) y) x
"""  # noqa: S608 - integers and quoted identifiers only
    return sql, [run.pk, *params]


def _insert_lines(run: PayRun, share_pct: Decimal) -> None:
    select, params = lines_sql(run, share_pct)
    columns = ", ".join(_q(c) for c in LINE_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_q(PayLine._meta.db_table)} ({columns}) {select}",
            params,
        )


def _insert_instalments(run: PayRun, years: int) -> None:
    """Instalment k (1..N) of each deferred part, due in year + k: deferred ÷ N half-up to
    the fen, the last the remainder (in whole fen: q = (2d + N) div 2N)."""
    n = int(years)
    series = " UNION ALL ".join(f"SELECT {k} AS n" for k in range(1, n + 1))
    sql = f"""
INSERT INTO {_q(DeferredInstalment._meta.db_table)}
       (line_id, {_q("number")}, due_year, amount, status, forfeit_reason)
SELECT d.id, k.n, %s + k.n,
       CASE WHEN k.n < {n} THEN (2 * d.f + {n}) / {2 * n}
            ELSE d.f - {n - 1} * ((2 * d.f + {n}) / {2 * n}) END / 100.0,
       %s, ''
FROM (SELECT id, CAST(ROUND(deferred * 100) AS BIGINT) AS f
      FROM {_q(PayLine._meta.db_table)} WHERE run_id = %s AND deferred > 0) d
CROSS JOIN ({series}) k
"""  # noqa: S608 - integers and quoted identifiers only
    with connection.cursor() as cursor:
        cursor.execute(sql, [run.year, DeferredInstalment.Status.SCHEDULED, run.pk])


def _forfeit_out_of_post(run: PayRun) -> None:
    """A person no longer in post when the run is computed (eliminated, or left) never
    receives the deferred part: their new instalments are forfeited at once."""
    out = Staff.objects.filter(level__isnull=True) | Staff.objects.filter(
        status=Staff.Status.EXITED
    )
    DeferredInstalment.objects.filter(line__run=run, line__staff__in=out.values("pk")).update(
        status=DeferredInstalment.Status.FORFEITED,
        forfeited_on=clock.today(),
        forfeit_reason=DeferredInstalment.ForfeitReason.OUT_OF_POST,
    )


def _summary(run: PayRun, *, share_pct: Decimal, years: int) -> dict:
    totals = PayLine.objects.filter(run=run).aggregate(
        staff=Count("id"),
        base_pay=Sum("base_pay"),
        allowance_pay=Sum("allowance_pay"),
        performance_pay=Sum("performance_pay"),
        deferred=Sum("deferred"),
        paid_now=Sum("paid_now"),
    )
    end = year_end(run.year)
    in_post = (
        Appointment.objects.filter(start__lte=end)
        .exclude(closed_on__lte=end)
        .exclude(level__pay_policies__year=run.year)
        .count()
    )

    def fen(value) -> str:
        return str(Decimal(value or 0).quantize(Decimal("0.01")))

    return {
        "staff": totals["staff"],
        "without_policy": in_post,
        "share_pct": str(share_pct),
        "years": years,
        **{k: fen(v) for k, v in totals.items() if k != "staff"},
    }


def require_leadership(actor) -> None:
    if actor is None or not has_role(actor, Role.LEADERSHIP):
        raise RoleRequired(_("Only the leadership group approves the pay."))


@transaction.atomic
def run_approve(*, actor, run: PayRun, reason: str = "") -> PayRun:
    """The leadership group approves a computed run — never the person who computed it
    (two-person rule). The instalments due in the run's year are paid with it."""
    require_leadership(actor)
    run = _lock(run)
    if run.status != Status.COMPUTED:
        raise InvalidTransition(_("Only a computed pay run can be approved."))
    if run.computed_by_id is not None and run.computed_by_id == actor.pk:
        raise DomainError(
            _("You computed this pay; another member of the leadership group approves it."),
            code=ErrorCode.TWO_PERSON_RULE,
        )
    paid = DeferredInstalment.objects.filter(
        due_year__lte=run.year, status=DeferredInstalment.Status.SCHEDULED
    ).update(status=DeferredInstalment.Status.PAID, paid_run=run)
    run.status = Status.APPROVED
    run.approved_by = actor
    run.approved_at = clock.now()
    run.summary = {**run.summary, "instalments_paid": paid}
    run.save()
    audit.record(
        actor=actor,
        obj=run,
        action="approve",
        from_state=Status.COMPUTED,
        to_state=run.status,
        reason=reason,
        changes={"instalments_paid": paid},
    )
    return run


# --- forfeiture -------------------------------------------------------------------------------


@transaction.atomic
def instalments_forfeit(*, actor, staff: Staff, on: dt.date, reason: str) -> int:
    """Forfeit every deferred instalment of ``staff`` not yet paid (``reason``: a
    ``DeferredInstalment.ForfeitReason`` — elimination from the post or leaving the company).
    Returns how many; audited on the staff member."""
    count = DeferredInstalment.objects.filter(
        line__staff=staff, status=DeferredInstalment.Status.SCHEDULED
    ).update(status=DeferredInstalment.Status.FORFEITED, forfeited_on=on, forfeit_reason=reason)
    if count:
        audit.record(
            actor=actor,
            obj=staff,
            action="pay_forfeit",
            changes={"instalments": count, "on": on, "reason": reason},
        )
    return count
