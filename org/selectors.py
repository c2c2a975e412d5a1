"""Reads for the organisation, already scoped and joined (one query per list)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import Expression, QuerySet

from .models import Appointment, Staff
from .scope import scope_by_staff, visible_staff


def staff_list(*, user) -> QuerySet[Staff]:
    return visible_staff(user).select_related("unit", "track", "level", "manager", "user")


# Columns that apps above org add to every appointment list, in the same query (the letters
# app: ``letter_id``, the latest valid letter), registered from their ``AppConfig.ready``.
APPOINTMENT_ANNOTATIONS: dict[str, Callable[[], Expression]] = {}


def register_appointment_annotation(*, name: str, expression: Callable[[], Expression]) -> None:
    APPOINTMENT_ANNOTATIONS[name] = expression


def appointment_list(*, user) -> QuerySet[Appointment]:
    """Scoped appointments with the registered annotations (``letter_id``: the id of the
    appointment's latest valid issued letter) — no extra query per row."""
    qs = scope_by_staff(Appointment.objects.all(), user).select_related(
        "staff", "level", "level__track"
    )
    annotations = {name: expression() for name, expression in APPOINTMENT_ANNOTATIONS.items()}
    return qs.annotate(**annotations) if annotations else qs


def appointments_ending(*, user, before: dt.date, after: dt.date | None = None):
    """Open appointments whose term ends before ``before`` (and on or after ``after``)."""
    qs = appointment_list(user=user).filter(closed_on__isnull=True, end__lt=before)
    if after is not None:
        qs = qs.filter(end__gte=after)
    return qs.order_by("end", "staff__employee_no")
