"""Reads for the organisation, already scoped and joined (one query per list)."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db.models import OuterRef, QuerySet, Subquery

from .models import Appointment, Staff
from .scope import scope_by_staff, visible_staff


def staff_list(*, user) -> QuerySet[Staff]:
    return visible_staff(user).select_related("unit", "track", "level", "manager", "user")


def appointment_list(*, user) -> QuerySet[Appointment]:
    """Scoped appointments with ``letter_id``: the id of the appointment's latest valid issued
    letter (letters app), annotated in the same query — no extra query per row."""
    qs = scope_by_staff(Appointment.objects.all(), user).select_related(
        "staff", "level", "level__track"
    )
    if apps.is_installed("letters"):
        letter = apps.get_model("letters", "Letter")
        latest = (
            letter.objects.filter(
                appointment=OuterRef("pk"), issued_at__isnull=False, revoked_at__isnull=True
            )
            .order_by("-issued_at", "-id")
            .values("pk")[:1]
        )
        qs = qs.annotate(letter_id=Subquery(latest))
    return qs


def appointments_ending(*, user, before: dt.date, after: dt.date | None = None):
    """Open appointments whose term ends before ``before`` (and on or after ``after``)."""
    qs = appointment_list(user=user).filter(closed_on__isnull=True, end__lt=before)
    if after is not None:
        qs = qs.filter(end__gte=after)
    return qs.order_by("end", "staff__employee_no")
