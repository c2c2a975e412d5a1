"""The assessment cycle of a KPI period (DOMAIN.md, "KPI" — the five stages): preparation →
mobilisation → assessment → analysis and grading → feedback → closed. HR moves a period one
stage at a time; every move is audited with its reason. Leaving the assessment stage is the
period lock (open → locked), and locking a period directly (:func:`period_lock`, the API's
``lock``) ends its assessment stage the same way."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from core import audit, clock
from core.errors import InvalidTransition
from notifications.services import notify
from org.models import Staff

from .. import events, rules
from ..models import Appraisal, Period, PeriodStage, Stage
from .common import require_office


def participants(period: Period):
    """Staff in a period's cycle: active, with a user, at a level that has a scheme of the
    period's type."""
    return Staff.objects.filter(
        status=Staff.Status.ACTIVE,
        user__isnull=False,
        level__kpi_schemes__period_type=period.period_type,
    ).distinct()


def stage_rows_ensure(period: Period) -> None:
    """Create the period's stage rows with their planned dates if it has none (one query when
    they exist)."""
    if PeriodStage.objects.filter(period=period).exists():
        return
    PeriodStage.objects.bulk_create(
        PeriodStage(period=period, stage=stage, starts=starts, ends=ends)
        for stage, (starts, ends) in rules.planned_dates(
            period.period_type, period.start, period.end
        ).items()
    )


def _planned(period: Period, stage: str) -> PeriodStage | None:
    return PeriodStage.objects.filter(period=period, stage=stage).first()


def _move(*, actor, period: Period, to: str, reason: str) -> None:
    """Set the period's stage (the row is locked by the caller), stamp the stage rows and
    write the audit event."""
    stage_rows_ensure(period)
    now = clock.now()
    current = period.stage
    skipped = [s for s in rules.STAGES if rules.ORDER[current] <= rules.ORDER[s] < rules.ORDER[to]]
    if skipped:
        PeriodStage.objects.filter(
            period=period, stage__in=skipped, started_at__isnull=True
        ).update(started_at=now)
        PeriodStage.objects.filter(period=period, stage__in=skipped).update(ended_at=now)
    if to != rules.CLOSED:
        PeriodStage.objects.filter(period=period, stage=to).update(started_at=now, ended_at=None)
    period.stage = to
    period.save(update_fields=["stage"])
    audit.record(
        actor=actor,
        obj=period,
        action="kpi.period.stage",
        from_state=current,
        to_state=to,
        reason=reason,
    )


def _lock(*, actor, period: Period, reason: str) -> None:
    period.status = Period.Status.LOCKED
    period.locked_at = clock.now()
    period.save(update_fields=["status", "locked_at"])
    audit.record(
        actor=actor,
        obj=period,
        action="kpi.period.lock",
        from_state=Period.Status.OPEN,
        to_state=Period.Status.LOCKED,
        reason=reason,
    )


@transaction.atomic
def period_lock(*, actor, period: Period, reason: str = "") -> Period:
    """open → locked. Afterwards its actuals change only through ``actual_correct``. The lock
    ends the assessment stage: a period in preparation, mobilisation or assessment moves to
    analysis and grading (audited as a stage move too)."""
    require_office(actor)
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.status != Period.Status.OPEN:
        raise InvalidTransition(_("The period %(code)s is already locked.") % {"code": period.code})
    if rules.ORDER[period.stage] < rules.ORDER[rules.ANALYSIS]:
        _move(actor=actor, period=period, to=rules.ANALYSIS, reason=reason)
    _lock(actor=actor, period=period, reason=reason)
    return period


REFUSALS = {
    "closed": lambda: _("The cycle of this period is closed."),
    "unknown": lambda: _("There is no such stage."),
    "backwards": lambda: _("A stage that has been reached or passed cannot be entered again."),
    "skips": lambda: _("Stages follow one another: the next stage is %(next)s."),
    "targets_unpublished": lambda: _(
        "Publish the targets before the preparation stage ends: staff acknowledge them."
    ),
}


@transaction.atomic
def period_stage_advance(*, actor, period: Period, to: str, reason: str = "") -> Period:
    """Move a period to its next stage (``to`` names it, so a stale page cannot skip one).

    Refused (409 ``invalid_transition``, ``details.reason`` one of ``closed``, ``unknown``,
    ``backwards``, ``skips``, ``targets_unpublished``): anything but the next stage, and
    leaving preparation before the targets are published. Entering mobilisation tells the
    participants; entering assessment tells them their self-appraisal is due; leaving
    assessment locks the period."""
    require_office(actor)
    period = Period.objects.select_for_update().get(pk=period.pk)
    code = rules.refusal(
        current=period.stage, to=to, targets_published=period.targets_published_at is not None
    )
    if code:
        nxt = "" if period.stage == rules.CLOSED else rules.next_stage(period.stage)
        message = REFUSALS[code]() % {"next": Stage(nxt).label if nxt else ""}
        raise InvalidTransition(
            message, details={"reason": code, "from": period.stage, "to": to, "next": nxt}
        )
    if to == rules.ANALYSIS and period.status == Period.Status.OPEN:
        _lock(actor=actor, period=period, reason=reason)
    _move(actor=actor, period=period, to=to, reason=reason)
    if to == rules.MOBILISATION:
        _tell(period, events.MOBILISED, rules.ASSESSMENT)
    elif to == rules.ASSESSMENT:
        _tell(period, events.SELF_APPRAISAL_DUE, rules.ASSESSMENT)
    return period


def _tell(period: Period, event: str, stage: str) -> None:
    row = _planned(period, stage)
    starts, ends = (row.starts, row.ends) if row else (period.start, period.end)
    notify(
        event=event,
        recipients=participants(period).values_list("user_id", flat=True),
        context={
            "period": period.code,
            "starts": starts.isoformat(),
            "ends": ends.isoformat(),
            "due": ends.isoformat(),
        },
        url=reverse("kpi:appraisal-me") + f"?period={period.code}",
    )


@transaction.atomic
def period_targets_publish(*, actor, period: Period) -> Period:
    """Publish the scheme and targets of a period in preparation; the participants are asked
    to acknowledge their targets. Refused (409) after the preparation stage or when done."""
    require_office(actor)
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.stage != rules.PREPARATION:
        raise InvalidTransition(
            _("Targets are published in the preparation stage."),
            details={"reason": "not_preparation"},
        )
    if period.targets_published_at is not None:
        raise InvalidTransition(
            _("The targets of %(code)s are already published.") % {"code": period.code},
            details={"reason": "already_published"},
        )
    period.targets_published_at = clock.now()
    period.save(update_fields=["targets_published_at"])
    audit.record(actor=actor, obj=period, action="kpi.period.publish_targets")
    stage_rows_ensure(period)
    Appraisal.objects.bulk_create(
        [
            Appraisal(staff_id=pk, period=period)
            for pk in participants(period).values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
    )
    _tell(period, events.TARGETS_PUBLISHED, rules.PREPARATION)
    return period


@transaction.atomic
def period_stage_schedule(
    *, actor, period: Period, stage: str, starts: dt.date, ends: dt.date
) -> PeriodStage:
    """Change the planned dates of one stage (audited). The first day is not after the last."""
    require_office(actor)
    if starts > ends:
        raise ValidationError({"ends": [_("The last day cannot be before the first.")]})
    stage_rows_ensure(period)
    row = PeriodStage.objects.select_for_update().get(period=period, stage=stage)
    before = audit.snapshot(row, ["starts", "ends"])
    row.starts, row.ends = starts, ends
    row.save(update_fields=["starts", "ends"])
    audit.record(
        actor=actor,
        obj=period,
        action="kpi.period.schedule",
        changes={
            f"{stage}.{k}": v
            for k, v in audit.diff(before, audit.snapshot(row, ["starts", "ends"])).items()
        },
    )
    return row
