"""Reads for re-appointment, scoped through ``org.scope`` and loaded in bulk.

The expiring-terms window (documented in docs/reappointment.md): an open appointment is
*expiring within N months* on day D when ``D ≤ end < D + N months`` — the end date D + N months
itself is outside (exclusive, like ``org/appointments/?ending_before=``), D itself is inside.
"D + N months" keeps the day of the month, or falls back to the month's last day
(2026-11-30 + 3 months = 2027-02-28). An appointment whose end is before D and that has no
decision is *overdue* (listed separately, never silently expired).
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from kpi.selectors import annual_grades
from org.models import Appointment, Level, OrgUnit
from org.scope import scope_by_staff
from org.selectors import appointment_list, appointments_ending
from training.selectors import training_summaries

from . import conditions
from .models import ReappointmentCase, ReappointmentReview

logger = logging.getLogger(__name__)

DEFAULT_MONTHS = 3
MAX_MONTHS = 24


def add_months(*, day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months; the 31st falls back to the month's last day."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month0 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def window(*, today: dt.date, months: int = DEFAULT_MONTHS) -> tuple[dt.date, dt.date]:
    """``(first, bound)``: expiring means ``first ≤ end < bound``."""
    return today, add_months(day=today, months=months)


def _decided_case():
    return ReappointmentCase.objects.filter(
        appointment_id=OuterRef("pk"), status=ReappointmentCase.Status.DECIDED
    )


def expiring(
    *,
    user,
    today: dt.date,
    months: int = DEFAULT_MONTHS,
    unit: OrgUnit | None = None,
    level: Level | None = None,
) -> QuerySet[Appointment]:
    """Open appointments of the caller's scope whose term ends within ``months`` of ``today``,
    by end date then employee number, with the staff member's unit and the case (if any)."""
    first, bound = window(today=today, months=months)
    qs = appointments_ending(user=user, before=bound, after=first).select_related(
        "staff__unit", "staff__manager", "reappointment_case"
    )
    if unit is not None:
        qs = qs.filter(staff__unit__path__startswith=unit.path)
    if level is not None:
        qs = qs.filter(level=level)
    return qs


def overdue(*, user, today: dt.date) -> QuerySet[Appointment]:
    """Open appointments whose end date is before ``today`` without a decided case: on the end
    date itself a term is not overdue yet (the renewal may start that day)."""
    return (
        appointment_list(user=user)
        .filter(closed_on__isnull=True, end__lt=today)
        .exclude(Exists(_decided_case()))
        .select_related("staff__unit", "reappointment_case")
        .order_by("end", "staff__employee_no")
    )


def overdue_ids(*, today: dt.date) -> list[int]:
    """Ids of every overdue appointment not yet marked overdue (for the nightly job)."""
    return list(
        Appointment.objects.filter(closed_on__isnull=True, end__lt=today)
        .exclude(
            Exists(
                ReappointmentCase.objects.filter(
                    Q(status=ReappointmentCase.Status.DECIDED)
                    | Q(status=ReappointmentCase.Status.OVERDUE),
                    appointment_id=OuterRef("pk"),
                )
            )
        )
        .order_by("end", "pk")
        .values_list("pk", flat=True)
    )


def case_list(*, user) -> QuerySet[ReappointmentCase]:
    return scope_by_staff(ReappointmentCase.objects.all(), user).select_related(
        "staff", "staff__unit", "level", "appointment", "review", "new_appointment", "decided_by"
    )


def review_list() -> QuerySet[ReappointmentReview]:
    from django.db.models import Count

    decided = Q(cases__status=ReappointmentCase.Status.DECIDED)
    return (
        ReappointmentReview.objects.select_related("opened_by")
        .order_by("-opened_on", "-id")
        .annotate(
            total=Count("cases"),
            decided=Count("cases", filter=decided),
            renewed=Count("cases", filter=Q(cases__outcome="renewed")),
            conditional=Count("cases", filter=Q(cases__outcome="renewed_with_conditions")),
            referred=Count("cases", filter=Q(cases__outcome="referred")),
        )
    )


# --- readiness (evaluated in bulk) ---------------------------------------------------------


def grades_by_year(*, staff_ids: list[int], years: Iterable[int]) -> dict[int, dict[int, str]]:
    """``{staff_id: {year: grade}}`` from ``kpi.selectors.annual_grades`` (one query, whatever
    the number of years)."""
    result: dict[int, dict[int, str]] = {pk: {} for pk in staff_ids}
    for staff_id, grades in annual_grades(staff_ids=staff_ids, years=years).items():
        if staff_id in result:
            result[staff_id].update(grades)
    return result


@dataclass
class Readiness:
    appointment: Appointment
    evaluation: conditions.Evaluation

    @property
    def staff(self):
        return self.appointment.staff

    @property
    def case(self) -> ReappointmentCase | None:
        try:
            return self.appointment.reappointment_case
        except ReappointmentCase.DoesNotExist:
            return None


def readiness(*, appointments: Iterable[Appointment], on_date: dt.date) -> list[Readiness]:
    """Each appointment's conditions as of ``on_date``, evaluated with a fixed number of
    queries (training: four; grades: one)."""
    appointments = list(appointments)
    staff_list = [a.staff for a in appointments]
    for appointment in appointments:  # the condition applies to the level of the term
        appointment.staff.level = appointment.level
    summaries = training_summaries(staff_list=staff_list, on_date=on_date)
    years: set[int] = set()
    for a in appointments:
        years.update(conditions.term_years(a.start, a.end, on_date))
    grades = grades_by_year(staff_ids=[s.pk for s in staff_list], years=years) if years else {}
    result = []
    for a in appointments:
        evaluation = conditions.evaluate(
            staff=a.staff,
            level=a.level,
            start=a.start,
            end=a.end,
            on_date=on_date,
            summary=summaries.get(a.staff_id),
            grades=grades.get(a.staff_id, {}),
        )
        result.append(Readiness(a, evaluation))
    return result


def readiness_of(*, appointment: Appointment, on_date: dt.date) -> conditions.Evaluation:
    return readiness(appointments=[appointment], on_date=on_date)[0].evaluation


def referral_link(*, case_id: int) -> dict | None:
    """The review page of the re-appointment case ``case_id`` that referred a staff member to
    re-certification — what the re-certification case links back to."""
    review_id = (
        ReappointmentCase.objects.filter(pk=case_id).values_list("review_id", flat=True).first()
    )
    if review_id is None:
        return None
    return {
        "label": _("Re-appointment review #%(review)s") % {"review": review_id},
        "url": reverse("reappointment:review-detail", args=[review_id]),
    }
