"""Test data for re-appointment: a unit tree, the KAM ladder, training requirements and
records, and staff whose term ends on a chosen date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from org.services import add_years
from tests.factories import StaffFactory, make_unit
from training.models import Course, Requirement, TrainingRecord


def term_ending(level, end: dt.date, **kwargs):
    """A staff member whose open appointment at ``level`` ends on ``end``."""
    start = add_years(end, -level.term_years)
    return StaffFactory(level=level, level_since=start, hire_date=start, **kwargs)


def course(code="C-REQ", credits="4"):
    return Course.objects.get_or_create(
        code=code,
        defaults={
            "title": f"课程{code}",
            "category": Course.Category.PROFESSIONAL,
            "form": Course.Form.OFF_JOB,
            "hours": Decimal("8"),
            "credits": Decimal(credits),
        },
    )[0]


def requirement(level, min_credits="40", courses=()):
    req, _ = Requirement.objects.update_or_create(
        level=level, defaults={"min_credits_12m": Decimal(min_credits)}
    )
    req.required_courses.set(courses)
    return req


def credits(staff, amount, on: dt.date, course_obj=None, result="passed"):
    return TrainingRecord.objects.create(
        staff=staff,
        course=course_obj,
        title="" if course_obj else "培训",
        date=on,
        hours=Decimal("1"),
        credits=Decimal(str(amount)),
        result=result,
        source=TrainingRecord.Source.IMPORT,
    )


__all__ = ["course", "credits", "make_unit", "requirement", "term_ending"]
