"""Home-page reminders (core/dashboard.py): the staff member's own term, the manager's team,
HR's company-wide figures. A few aggregate queries each, whatever the headcount."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q

from core.roles import Role, has_role
from org.models import Appointment
from org.scope import staff_of, visible_staff

from . import selectors
from .models import ReappointmentCase


def _counts(appointments, today: dt.date) -> dict:
    first, bound = selectors.window(today=today)
    decided = ReappointmentCase.objects.filter(
        appointment_id=OuterRef("pk"), status=ReappointmentCase.Status.DECIDED
    )
    return appointments.filter(closed_on__isnull=True).aggregate(
        expiring=Count("id", filter=Q(end__gte=first, end__lt=bound)),
        overdue=Count("id", filter=Q(end__lt=today) & ~Q(Exists(decided))),
    )


def cards(user, today) -> list[dict]:
    result: list[dict] = []
    me = staff_of(user)
    if me is not None:
        own = (
            Appointment.objects.filter(staff=me, closed_on__isnull=True)
            .select_related("staff", "level", "staff__level", "reappointment_case")
            .first()
        )
        _first, bound = selectors.window(today=today)
        if own is not None and own.end < bound:
            readiness = selectors.readiness(appointments=[own], on_date=today)[0]
            result.append(
                {
                    "template": "reappointment/cards/mine.html",
                    "context": {"row": readiness, "today": today},
                    "order": 15,
                }
            )
    if has_role(user, Role.HR, Role.ADMIN, Role.LEADERSHIP):
        counts = _counts(Appointment.objects.all(), today)
        counts["reviews_open"] = (
            ReappointmentCase.objects.exclude(status=ReappointmentCase.Status.DECIDED)
            .filter(review__isnull=False)
            .values("review")
            .distinct()
            .count()
        )
        result.append(
            {"template": "reappointment/cards/office.html", "context": counts, "order": 40}
        )
    elif has_role(user, Role.MANAGER) and me is not None:
        team = visible_staff(user).exclude(pk=me.pk)
        counts = _counts(Appointment.objects.filter(staff__in=team), today)
        if counts["expiring"] or counts["overdue"]:
            result.append(
                {"template": "reappointment/cards/team.html", "context": counts, "order": 40}
            )
    return result
