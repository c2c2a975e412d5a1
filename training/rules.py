"""Training rules as pure functions (DOMAIN.md, "Training"): who passes a session, which
appointment grants a training package."""

from __future__ import annotations

from decimal import Decimal

from org.models import Appointment

from .models import Enrolment

PACKAGE_MIN_LEVEL_ORDER = 3  # "senior (L3) or above" (DOMAIN.md, "Training")
PACKAGE_REASONS = (Appointment.Reason.PROMOTION,)


def package_applies(appointment: Appointment) -> bool:
    level = appointment.level
    return (
        appointment.reason in PACKAGE_REASONS
        and level.order >= PACKAGE_MIN_LEVEL_ORDER
        and level.training_package_value > 0
    )


def enrolment_passes(enrolment: Enrolment, pass_mark: Decimal | None) -> bool:
    """Attended, and — when the session has an exam — scored at least the pass mark."""
    if not enrolment.attended:
        return False
    if pass_mark is None:
        return True
    return enrolment.score is not None and enrolment.score >= pass_mark
