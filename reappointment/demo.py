"""Demo data for re-appointment (``manage.py seed_demo``): a few staff whose terms end within
three months — taken from the demo company, topped up with demo staff ``R9001…`` when there are
too few — and one review batch opened by the demo HR login. Idempotent and deterministic."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.roles import Role
from org.models import Appointment, Level, Staff
from org.services import add_years, staff_create

from . import selectors, services
from .models import ReappointmentCase, ReappointmentReview

REVIEW_NAME = "续聘评审（演示批次）"
MIN_EXPIRING = 6
REVIEW_SIZE = 5
DEMO_NAMES = ["程思远", "陆晓彤", "韦嘉宁", "欧阳博文", "邵雨桐", "龚子涵"]


def _top_up(today: dt.date, missing: int) -> int:
    """Demo staff ``R9001…`` whose initial appointment ends 20, 32, 44 … days from today."""
    anchor = Staff.objects.filter(level__isnull=False).select_related("unit", "track").first()
    if anchor is None:
        return 0
    levels = list(Level.objects.filter(track=anchor.track).order_by("order"))
    user_model = get_user_model()
    staff_group = Group.objects.filter(name=Role.STAFF).first()
    created = 0
    for k in range(missing):
        employee_no = f"R{9001 + k}"
        if Staff.objects.filter(employee_no=employee_no).exists():
            continue
        level = levels[min(1 + k % 3, len(levels) - 1)]
        end = today + dt.timedelta(days=20 + 12 * k)
        start = add_years(end, -level.term_years)
        user, _ = user_model.objects.get_or_create(username=employee_no.lower())
        if staff_group is not None:
            user.groups.add(staff_group)
        staff_create(
            actor=None,
            employee_no=employee_no,
            name=DEMO_NAMES[k % len(DEMO_NAMES)],
            unit=anchor.unit,
            track=anchor.track,
            hire_date=start,
            manager=anchor.manager,
            user=user,
            level=level,
            level_since=start,
        )
        created += 1
    return created


def build(*, today: dt.date, stdout=None) -> str | None:
    first, bound = selectors.window(today=today)

    def expiring():
        return Appointment.objects.filter(
            closed_on__isnull=True, end__gte=first, end__lt=bound
        ).order_by("end", "staff__employee_no")

    created = 0
    if expiring().count() < MIN_EXPIRING:
        created = _top_up(today, MIN_EXPIRING - expiring().count())
    appointments = list(expiring().select_related("staff", "level", "staff__level"))
    rows = selectors.readiness(appointments=appointments, on_date=today)
    short = sum(1 for r in rows if not r.evaluation.all_passed)

    review = ReappointmentReview.objects.filter(name=REVIEW_NAME).first()
    if review is None:
        hr = get_user_model().objects.filter(username="hr").first()
        free = [
            a.pk
            for a in appointments
            if not ReappointmentCase.objects.filter(appointment=a).exists()
        ][:REVIEW_SIZE]
        if free:
            review = services.review_open(
                actor=hr, appointment_ids=free, name=REVIEW_NAME, today=today
            )
    in_review = review.cases.count() if review else 0
    return (
        f"Re-appointment: {len(appointments)} terms end within 3 months "
        f"({short} not meeting the conditions, {created} demo staff added); "
        f"review “{REVIEW_NAME}” with {in_review} terms."
    )
