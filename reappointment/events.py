"""What term-end re-appointment tells the staff member concerned (docs/reappointment.md): that
the review of their term is opened, and how it was decided. Raised by the services right after
the state change, inside their transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from certification.events import iso, lazy_format
from core.terms import last_day
from notifications.registry import EventType, register
from notifications.services import Message, notify, notify_each

from .models import ReappointmentCase, ReappointmentReview

REVIEW_OPENED = "reappointment.review_opened"
REVIEW_DECIDED = "reappointment.review_decided"

EVENTS = (
    EventType(
        REVIEW_OPENED,
        _("Re-appointment review opened"),
        _("The re-appointment review of your term at %(level)s has started"),
        _(
            "Your term at %(level)s ends on %(term_end)s. The certification office opened its "
            "re-appointment review (%(review)s).\n"
            "It checks the conditions of re-appointment — among them your training credits "
            "and required courses — and decides: renewal for a new term, renewal with "
            "conditions to meet by a deadline, or referral to re-certification at your level. "
            "Completing missing training before the decision helps; you will be told the "
            "outcome."
        ),
    ),
    EventType(
        REVIEW_DECIDED,
        _("Re-appointment decided"),
        _("Re-appointment at %(level)s: %(outcome)s"),
        _(
            "The certification office decided the re-appointment of your term at %(level)s "
            "(ending %(term_end)s): %(outcome)s.\n"
            "%(next)s"
        ),
    ),
)


def register_events() -> None:
    register(*EVENTS)


def review_opened(review: ReappointmentReview, cases: Iterable[ReappointmentCase]) -> None:
    """Each staff member whose term joined ``review`` (cases loaded with their appointment's
    staff and level)."""
    notify_each(
        event=REVIEW_OPENED,
        messages=[
            Message(
                case.appointment.staff.user_id,
                {
                    "level": case.appointment.level.code,
                    "term_end": iso(last_day(case.term_end)),
                    "review": review.name,
                },
            )
            for case in cases
        ],
    )


RENEWED_NEXT = _(
    "Your new term at %(level)s starts on %(start)s and ends on %(end)s; the appointment letter "
    "follows."
)
CONDITIONS_NEXT = _(
    "Your new term at %(level)s starts on %(start)s. Conditions to meet by %(deadline)s: "
    "%(conditions)s"
)
REFERRED_NEXT = _(
    "Your term is not renewed for now: a re-certification case at %(level)s has been opened "
    "for you; a separate message explains what it means and what comes next."
)


def review_decided(case: ReappointmentCase, *, staff, level) -> None:
    """The staff member told of the decision on their term, with what it means for them."""
    new = case.new_appointment
    if case.outcome == ReappointmentCase.Outcome.RENEWED:
        after = lazy_format(
            RENEWED_NEXT, level=level.code, start=iso(new.start), end=iso(last_day(new.end))
        )
    elif case.outcome == ReappointmentCase.Outcome.RENEWED_WITH_CONDITIONS:
        after = lazy_format(
            CONDITIONS_NEXT,
            level=level.code,
            start=iso(new.start),
            deadline=iso(case.condition_deadline),
            conditions=case.conditions,
        )
    else:
        after = lazy_format(REFERRED_NEXT, level=level.code)
    notify(
        event=REVIEW_DECIDED,
        recipients=[staff.user_id],
        context={
            "level": level.code,
            "term_end": iso(last_day(case.term_end)),
            "outcome": ReappointmentCase.Outcome(case.outcome).label,
            "next": after,
        },
    )
