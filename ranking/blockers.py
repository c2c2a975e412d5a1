"""Ranking's answer to certification's ``application_blockers``: a person under
re-certification may not apply for a promotion (DOMAIN.md, "Certification", step 2)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from org.models import Level, Staff

from .selectors import open_recertification


def under_recertification(staff: Staff, level: Level) -> str | None:
    """The refusal message when ``staff`` has an open re-certification case, else ``None``."""
    case = open_recertification(staff_id=staff.pk)
    if case is None:
        return None
    return _(
        "%(name)s is under re-certification at %(level)s since %(date)s and cannot apply for "
        "a promotion until the case is decided."
    ) % {"name": staff.name, "level": case["level"], "date": case["date"]}
