"""Mentoring and job rotation as training forms (篇3): HR records one, and the record earns
credits in the ledger like a course (docs/training.md, "Mentoring and job rotation")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core import audit, clock
from core.errors import DomainError, ErrorCode
from org.models import OrgUnit, Staff

from .. import rules
from ..models import TrainingActivity, TrainingRecord
from .common import require_office

SOURCES = {
    TrainingActivity.Kind.MENTORING: TrainingRecord.Source.MENTORING,
    TrainingActivity.Kind.ROTATION: TrainingRecord.Source.ROTATION,
}


@transaction.atomic
def activity_record(
    *,
    actor,
    kind: str,
    staff: Staff,
    start: dt.date,
    end: dt.date,
    hours: Decimal,
    goals: str = "",
    mentor: Staff | None = None,
    host_unit: OrgUnit | None = None,
) -> TrainingActivity:
    """HR records a finished mentoring (``mentor`` required, not the mentee) or job rotation
    (``host_unit`` required). It writes one ledger record dated ``end``, result ``completed``,
    with :func:`training.rules.activity_credits` of ``hours``."""
    require_office(actor)
    kind = TrainingActivity.Kind(kind)
    if end < start:
        raise DomainError(
            _("The activity cannot end before it starts."), code=ErrorCode.INVALID_DATES
        )
    if end > clock.today():
        raise DomainError(
            _("Record the activity once it is over: the end date lies in the future."),
            code=ErrorCode.FUTURE_DATE,
        )
    if hours <= 0:
        raise DomainError(_("Give the hours spent."), code=ErrorCode.INVALID_AMOUNT)
    if kind == TrainingActivity.Kind.MENTORING:
        if mentor is None:
            raise DomainError(_("Name the mentor."), code=ErrorCode.INVALID_STAFF)
        if mentor.pk == staff.pk:
            raise DomainError(_("Nobody mentors themselves."), code=ErrorCode.INVALID_STAFF)
        host_unit = None
        title = _("Mentoring by %(mentor)s") % {"mentor": mentor.name}
    else:
        if host_unit is None:
            raise DomainError(_("Name the host unit."), code=ErrorCode.INVALID)
        mentor = None
        title = _("Job rotation in %(unit)s") % {"unit": host_unit.name}
    credits = rules.activity_credits(hours)
    record = TrainingRecord.objects.create(
        staff=staff,
        title=title[:200],
        date=end,
        hours=hours,
        credits=credits,
        result=TrainingRecord.Result.COMPLETED,
        source=SOURCES[kind],
    )
    activity = TrainingActivity.objects.create(
        kind=kind,
        staff=staff,
        mentor=mentor,
        host_unit=host_unit,
        start=start,
        end=end,
        goals=goals,
        hours=hours,
        record=record,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        obj=activity,
        action="create",
        changes={
            "kind": kind.value,
            "staff": staff.pk,
            "mentor": mentor.pk if mentor else None,
            "host_unit": host_unit.pk if host_unit else None,
            "start": start,
            "end": end,
            "hours": hours,
            "credits": credits,
            "record": record.pk,
        },
    )
    return activity
