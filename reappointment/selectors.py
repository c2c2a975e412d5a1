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
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module

from django.db.models import Exists, OuterRef, Q, QuerySet

from org.models import Appointment, Level, OrgUnit
from org.scope import scope_by_staff
from org.selectors import appointment_list, appointments_ending

from . import conditions
from .models import ReappointmentCase, ReappointmentReview

logger = logging.getLogger(__name__)

DEFAULT_MONTHS = 3
MAX_MONTHS = 24


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months; the 31st falls back to the month's last day."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month0 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def window(today: dt.date, months: int = DEFAULT_MONTHS) -> tuple[dt.date, dt.date]:
    """``(first, bound)``: expiring means ``first ≤ end < bound``."""
    return today, add_months(today, months)


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
    first, bound = window(today, months)
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


def _selector(module: str, name: str):
    try:
        return getattr(import_module(module), name)
    except (ImportError, AttributeError):
        return None


def training_summaries(staff_list: list, on_date: dt.date) -> dict[int, object] | None:
    """``{staff_id: TrainingSummary}`` for many staff in four queries, with the same meaning as
    ``training.selectors.training_summary`` (credits of the last 12 months from its
    ``credits_12m``; required courses passed or completed on or before ``on_date``).
    ``None`` while the training app has not landed."""
    credits_fn = _selector("training.selectors", "credits_12m")
    summary_cls = _selector("training.selectors", "TrainingSummary")
    window_fn = _selector("training.selectors", "window_12m")
    if credits_fn is None or summary_cls is None or window_fn is None:
        return None
    from training.models import Course, Requirement, TrainingRecord

    if not staff_list:
        return {}
    credits = credits_fn([s.pk for s in staff_list], on_date)
    level_ids = {s.level_id for s in staff_list if s.level_id}
    requirements = {
        r.level_id: r
        for r in Requirement.objects.filter(level_id__in=level_ids).prefetch_related(
            _courses_prefetch(Course)
        )
    }
    required_ids = {c.pk for r in requirements.values() for c in r.required_courses.all()}
    done: dict[int, set[int]] = defaultdict(set)
    if required_ids:
        for staff_id, course_id in TrainingRecord.objects.filter(
            staff_id__in=[s.pk for s in staff_list],
            course_id__in=required_ids,
            result__in=TrainingRecord.CREDITING_RESULTS,
            date__lte=on_date,
        ).values_list("staff_id", "course_id"):
            done[staff_id].add(course_id)
    first, _last = window_fn(on_date)
    result = {}
    zero = Decimal(0)
    for staff in staff_list:
        requirement = requirements.get(staff.level_id)
        earned = credits.get(staff.pk, zero)
        if requirement is None:
            result[staff.pk] = summary_cls(
                staff_id=staff.pk,
                on_date=on_date,
                window_start=first,
                level=staff.level,
                credits_12m=earned,
                required_credits=None,
            )
            continue
        required = list(requirement.required_courses.all())
        missing = [c for c in required if c.pk not in done[staff.pk]]
        shortfall = max(requirement.min_credits_12m - earned, zero)
        result[staff.pk] = summary_cls(
            staff_id=staff.pk,
            on_date=on_date,
            window_start=first,
            level=staff.level,
            credits_12m=earned,
            required_credits=requirement.min_credits_12m,
            missing_courses=missing,
            required_courses=required,
            met=shortfall == zero and not missing,
            shortfall=shortfall,
        )
    return result


def _courses_prefetch(course_model):
    from django.db.models import Prefetch

    return Prefetch("required_courses", queryset=course_model.objects.order_by("code"))


def grades_by_year(staff_ids: list[int], years: Iterable[int]) -> dict[int, dict[int, str]] | None:
    """``{staff_id: {year: grade}}`` from ``kpi.selectors.annual_scores`` (one call per year);
    ``None`` while the KPI app has not landed."""
    fn = _selector("kpi.selectors", "annual_scores")
    if fn is None:
        return None
    result: dict[int, dict[int, str]] = {pk: {} for pk in staff_ids}
    if not staff_ids:
        return result
    for year in sorted(set(years)):
        for staff_id, score in (fn(staff_ids, year) or {}).items():
            grade = getattr(score, "grade", None) or ""
            if staff_id in result and grade:
                result[staff_id][year] = grade
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


def readiness(appointments: Iterable[Appointment], on_date: dt.date) -> list[Readiness]:
    """Each appointment's conditions as of ``on_date``, evaluated with a fixed number of
    queries (training: four; grades: one per appraisal year in the terms)."""
    appointments = list(appointments)
    staff_list = [a.staff for a in appointments]
    for appointment in appointments:  # the condition applies to the level of the term
        appointment.staff.level = appointment.level
    summaries = training_summaries(staff_list, on_date)
    years: set[int] = set()
    for a in appointments:
        years.update(conditions.term_years(a.start, a.end, on_date))
    grades = grades_by_year([s.pk for s in staff_list], years) if years else {}
    if grades is None:
        grades = None
    result = []
    for a in appointments:
        evaluation = conditions.evaluate(
            staff=a.staff,
            level=a.level,
            start=a.start,
            end=a.end,
            on_date=on_date,
            summary=None if summaries is None else summaries.get(a.staff_id),
            grades=None if grades is None else grades.get(a.staff_id, {}),
        )
        result.append(Readiness(a, evaluation))
    return result


def readiness_of(appointment: Appointment, on_date: dt.date) -> conditions.Evaluation:
    return readiness([appointment], on_date)[0].evaluation
