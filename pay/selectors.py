"""Reads of the pay app, scoped (docs/pay.md, "Who sees what"): the office (HR, administrators)
and the leadership group see every run and line; anyone else only their own lines of approved
runs. Anything else is not found (404)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from core.roles import Role, has_role
from org.scope import staff_of

from .models import DeferralRule, DeferredInstalment, GradeCoefficient, PayLine, PayPolicy, PayRun


def sees_all_pay(user) -> bool:
    return has_role(user, Role.HR, Role.ADMIN, Role.LEADERSHIP)


def run_list(*, user) -> QuerySet[PayRun]:
    if not sees_all_pay(user):
        return PayRun.objects.none()
    return PayRun.objects.all()


def policy_list(*, user) -> QuerySet[PayPolicy]:
    if not sees_all_pay(user):
        return PayPolicy.objects.none()
    return PayPolicy.objects.select_related("level", "level__track")


def coefficient_list(*, user) -> QuerySet[GradeCoefficient]:
    if not sees_all_pay(user):
        return GradeCoefficient.objects.none()
    return GradeCoefficient.objects.all()


def deferral_list(*, user) -> QuerySet[DeferralRule]:
    if not sees_all_pay(user):
        return DeferralRule.objects.none()
    return DeferralRule.objects.all()


def line_list(*, user, run: PayRun | None = None) -> QuerySet[PayLine]:
    """Pay lines with staff, level, unit and the instalment schedule, scoped."""
    lines = PayLine.objects.select_related("run", "staff", "level", "unit").prefetch_related(
        Prefetch("instalments", queryset=DeferredInstalment.objects.order_by("number"))
    )
    if run is not None:
        lines = lines.filter(run=run)
    if sees_all_pay(user):
        return lines
    me = staff_of(user)
    if me is None:
        return PayLine.objects.none()
    return lines.filter(staff=me, run__status=PayRun.Status.APPROVED)


def instalment_list(*, user) -> QuerySet[DeferredInstalment]:
    rows = DeferredInstalment.objects.select_related("line__run", "paid_run")
    if sees_all_pay(user):
        return rows
    me = staff_of(user)
    if me is None:
        return DeferredInstalment.objects.none()
    return rows.filter(line__staff=me, line__run__status=PayRun.Status.APPROVED)


def instalments_due(*, year: int) -> QuerySet[DeferredInstalment]:
    """Instalments paid with the pay of ``year`` (scheduled or already paid, not forfeited)."""
    return DeferredInstalment.objects.filter(due_year=year).exclude(
        status=DeferredInstalment.Status.FORFEITED
    )
