"""Training rules as pure functions (DOMAIN.md, "Training"): who passes a session, which
appointment grants a training package, what mentoring and job rotation earn."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

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


#: Mentoring and job rotation (docs/training.md, "Mentoring and job rotation"): one credit per
#: this many hours, as the catalogue's on-the-job courses roughly earn, capped per activity.
ACTIVITY_HOURS_PER_CREDIT = Decimal(8)
ACTIVITY_MAX_CREDITS = Decimal("10.00")


def activity_credits(hours: Decimal) -> Decimal:
    """Credits of a mentoring or rotation record: ``hours / 8``, half-up to 2 places, at most
    10. 45 hours → 5.63; 4 hours → 0.50; 0.1 hour → 0.01; 80 hours → 10.00; 200 → 10.00."""
    if hours < 0:
        raise ValueError("hours cannot be negative")
    credits = (hours / ACTIVITY_HOURS_PER_CREDIT).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return min(credits, ACTIVITY_MAX_CREDITS)


#: Course evaluation (docs/training.md, "Course evaluation"): aggregates are shown from this
#: many evaluations on, so that no single participant's rating can be read off; a participant
#: rates within this many days after the session's end.
EVALUATION_MIN_SHOWN = 3
EVALUATION_WINDOW_DAYS = 60
EVALUATION_SCORES = range(1, 6)


def evaluation_mean(total: int, count: int) -> Decimal | None:
    """The mean of ``count`` ratings summing to ``total``, half-up to 2 places; ``None`` when
    fewer than :data:`EVALUATION_MIN_SHOWN` (not shown). 13/3 → 4.33; 14/3 → 4.67;
    9/4 → 2.25; 19/8 → 2.38 (2.375 half-up)."""
    if count < EVALUATION_MIN_SHOWN:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
