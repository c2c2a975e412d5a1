"""Training requirements per level (DOMAIN.md, "Training"): the credits of the last 12
months and the courses a level requires."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from core import audit
from org.models import Level

from ..models import Course, Requirement
from .common import require_office


@transaction.atomic
def requirement_save(
    *,
    actor,
    level: Level,
    min_credits_12m: Decimal,
    required_courses: list[Course] | None = None,
) -> Requirement:
    """Set a level's training requirement (one per level)."""
    require_office(actor)
    requirement = Requirement.objects.select_for_update().filter(level=level).first()
    creating = requirement is None
    before = (
        {}
        if requirement is None
        else {
            "min_credits_12m": str(requirement.min_credits_12m),
            "required_courses": sorted(requirement.required_courses.values_list("code", flat=True)),
        }
    )
    requirement = requirement or Requirement(level=level)
    requirement.min_credits_12m = min_credits_12m
    requirement.full_clean()
    requirement.save()
    if required_courses is not None:
        requirement.required_courses.set(required_courses)
    after = {
        "min_credits_12m": str(requirement.min_credits_12m),
        "required_courses": sorted(requirement.required_courses.values_list("code", flat=True)),
    }
    changes = audit.diff(before, after)
    if changes:
        audit.record(
            actor=actor,
            obj=requirement,
            action="create" if creating else "update",
            changes=changes,
        )
    return requirement
