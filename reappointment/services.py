"""Writes for re-appointment (续聘). Each function is one use case: it checks the role and the
state, locks the rows it changes, writes, and records the audit event in the same transaction.

Outcomes of a term (docs/reappointment.md):

- ``renew``: every condition met → a new appointment at the same level from the old term's end
  (``org.services.appoint(reason="renewal")``) and an appointment letter;
- ``renew_with_conditions``: the same new term and letter, plus a deadline
  (:data:`conditions.CONDITION_MONTHS` after the decision by default) to make up what is
  missing, stated with the figures ("培训学分 36/40，差 4 分");
- ``refer``: no new term; a re-certification case at the current level is opened through the
  ranking app's service (when it exists) — the current appointment stays open meanwhile.

A term is decided once: the case is unique per appointment, the new appointment is unique per
case (database constraints), and a decided case refuses every further outcome (409).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core import audit, clock, roles
from core.errors import DomainError, ErrorCode, InvalidTransition, NotEligible
from letters.services import letter_issue_for
from org.models import Appointment

from . import conditions, events, selectors
from .models import ReappointmentCase, ReappointmentReview

logger = logging.getLogger(__name__)

Status = ReappointmentCase.Status
Outcome = ReappointmentCase.Outcome


def _require_office(actor) -> None:
    roles.require_office(actor, _("Only the certification office may decide re-appointments."))


def _today(today: dt.date | None) -> dt.date:
    return today or clock.today()


def _case_for(
    appointment: Appointment, *, review=None, today: dt.date, evaluation=None
) -> ReappointmentCase:
    if evaluation is None:
        evaluation = selectors.readiness_of(appointment=appointment, on_date=today)
    return ReappointmentCase(
        review=review,
        appointment=appointment,
        staff_id=appointment.staff_id,
        level_id=appointment.level_id,
        term_end=appointment.end,
        evaluated_on=today,
        evaluation=evaluation.snapshot(),
        suggested_outcome=evaluation.suggested_outcome,
    )


@transaction.atomic
def review_open(
    *,
    actor,
    appointment_ids: Iterable[int],
    name: str = "",
    note: str = "",
    today: dt.date | None = None,
) -> ReappointmentReview:
    """Open a review batch for open appointments and evaluate each one's conditions.

    An appointment already in another batch, already decided, or no longer open is refused
    (409, nothing written); one the nightly check marked overdue joins the batch.
    """
    _require_office(actor)
    today = _today(today)
    ids = list(dict.fromkeys(int(pk) for pk in appointment_ids))
    if not ids:
        raise DomainError(_("Choose at least one appointment."), code=ErrorCode.EMPTY_REVIEW)
    appointments = list(
        Appointment.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("staff", "level", "staff__level")
        .order_by("pk")
    )
    found = {a.pk for a in appointments}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise DomainError(
            _("Unknown appointments: %(ids)s") % {"ids": ", ".join(map(str, missing))},
            code=ErrorCode.NOT_FOUND,
        )
    existing = {
        c.appointment_id: c
        for c in ReappointmentCase.objects.select_for_update().filter(appointment_id__in=ids)
    }
    problems = []
    for a in appointments:
        case = existing.get(a.pk)
        if a.closed_on is not None:
            problems.append(_("%(staff)s: the appointment is no longer open") % {"staff": a.staff})
        elif case is not None and case.status == Status.DECIDED:
            problems.append(_("%(staff)s: this term is already decided") % {"staff": a.staff})
        elif case is not None and case.review_id is not None:
            problems.append(
                _("%(staff)s: already in review %(review)s")
                % {"staff": a.staff, "review": case.review_id}
            )
    if problems:
        raise InvalidTransition("; ".join(str(p) for p in problems))
    review = ReappointmentReview.objects.create(
        name=name.strip() or _("Re-appointment review %(date)s") % {"date": today.isoformat()},
        opened_by=actor if getattr(actor, "is_authenticated", False) else None,
        opened_on=today,
        note=note,
    )
    evaluations = {
        r.appointment.pk: r.evaluation
        for r in selectors.readiness(appointments=appointments, on_date=today)
    }
    cases = []
    for a in appointments:
        fresh = _case_for(a, review=review, today=today, evaluation=evaluations[a.pk])
        case = existing.get(a.pk)
        if case is None:
            fresh.save()
            case = fresh
        else:
            for name_ in ("review", "evaluated_on", "evaluation", "suggested_outcome"):
                setattr(case, name_, getattr(fresh, name_))
            case.save(update_fields=["review", "evaluated_on", "evaluation", "suggested_outcome"])
        audit.record(
            actor=actor,
            obj=case,
            action="reappointment:open",
            to_state=case.status,
            changes={"review": review.pk, "suggested_outcome": case.suggested_outcome},
        )
        case.appointment = a
        cases.append(case)
    audit.record(
        actor=actor,
        obj=review,
        action="reappointment:review_open",
        changes={"appointments": ids},
    )
    events.review_opened(review, cases)
    return review


def _lock(case: ReappointmentCase, action: str) -> tuple[ReappointmentCase, Appointment]:
    case = (
        ReappointmentCase.objects.select_for_update(of=("self",))
        .select_related("level")
        .get(pk=case.pk)
    )
    if case.status == Status.DECIDED:
        raise InvalidTransition(
            _("This term is already decided (%(outcome)s); it cannot be %(action)s again.")
            % {"outcome": case.get_outcome_display(), "action": action}
        )
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("staff", "level", "staff__level")
        .get(pk=case.appointment_id)
    )
    if appointment.closed_on is not None:
        raise InvalidTransition(
            _("The appointment was closed on %(date)s by another decision.")
            % {"date": appointment.closed_on.isoformat()}
        )
    return case, appointment


def _decide(
    *, actor, case, appointment, outcome: str, reason: str, evaluation, today, fields=()
) -> None:
    before = case.status
    case.status = Status.DECIDED
    case.outcome = outcome
    case.reason = reason
    case.evaluated_on = today
    case.evaluation = evaluation.snapshot()
    case.suggested_outcome = evaluation.suggested_outcome
    case.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    case.decided_at = clock.now()
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError as exc:  # the database constraint, should a check be bypassed
        raise InvalidTransition(_("This term is already decided.")) from exc
    audit.record(
        actor=actor,
        obj=case,
        action=f"reappointment:{outcome}",
        from_state=before,
        to_state=case.status,
        reason=reason,
        changes={
            "outcome": outcome,
            "conditions": case.conditions,
            "condition_deadline": case.condition_deadline,
            "shortfall": case.shortfall,
            "new_appointment": case.new_appointment_id,
            "recertification_case": case.recertification_case_id,
            **{name: getattr(case, name) for name in fields},
        },
    )
    events.review_decided(case, staff=appointment.staff, level=appointment.level)


def _new_term(*, actor, case, appointment) -> Appointment:
    from org.services import appoint

    new = appoint(
        actor=actor,
        staff=appointment.staff,
        level=appointment.level,
        start=appointment.end,
        reason=Appointment.Reason.RENEWAL,
        decision=_("Re-appointment case %(id)s") % {"id": case.pk},
        audit_reason=case.reason,
    )
    case.new_appointment = new
    _ask_for_letter(actor=actor, case=case, appointment=new)
    return new


def _ask_for_letter(*, actor, case, appointment) -> None:
    """The appointment letter of the new term, through the letters entry point: issued once
    the renewal commits (outside this case's row lock), then linked to the case."""
    case_id = case.pk

    def link(letter) -> None:
        ReappointmentCase.objects.filter(pk=case_id).update(
            letter=letter, letter_number=letter.number
        )

    letter_issue_for(actor=actor, appointment_ids=[appointment.pk], kind="renewal", on_issued=link)


@transaction.atomic
def review_renew(
    *, actor, case: ReappointmentCase, reason: str = "", today: dt.date | None = None
) -> ReappointmentCase:
    """Renew the term: every condition must be met on the decision day (else 409
    ``not_eligible`` — renew with conditions or refer instead)."""
    _require_office(actor)
    today = _today(today)
    case, appointment = _lock(case, _("renewed"))
    evaluation = selectors.readiness_of(appointment=appointment, on_date=today)
    if not evaluation.all_passed:
        failed = "; ".join(e.detail for e in evaluation.evidence if not e.passed)
        raise NotEligible(
            _("The conditions of re-appointment are not met: %(failed)s") % {"failed": failed},
            code=ErrorCode.CONDITIONS_NOT_MET,
        )
    case.reason = reason
    _new_term(actor=actor, case=case, appointment=appointment)
    _decide(
        actor=actor,
        case=case,
        appointment=appointment,
        outcome=Outcome.RENEWED,
        reason=reason,
        evaluation=evaluation,
        today=today,
    )
    return case


def conditions_text(evaluation: conditions.Evaluation, deadline: dt.date, note: str = "") -> str:
    """What the staff member must make up and by when, in the site language (stored text)."""
    with translation.override(settings.LANGUAGE_CODE):
        parts = [
            e.detail
            for e in evaluation.evidence
            if not e.passed and e.code in conditions.TRAINING_CODES
        ]
        text = "；".join(parts)
        if text:
            text = _("%(conditions)s; to be met by %(deadline)s") % {
                "conditions": text,
                "deadline": deadline.isoformat(),
            }
    if note.strip():
        text = f"{text}\n{note.strip()}" if text else note.strip()
    return text


@transaction.atomic
def review_renew_with_conditions(
    *,
    actor,
    case: ReappointmentCase,
    deadline: dt.date | None = None,
    note: str = "",
    reason: str = "",
    today: dt.date | None = None,
) -> ReappointmentCase:
    """Renew the term with a deadline to make up the training shortfall.

    The conditions are the failed training conditions with their figures (credits x/y and the
    shortfall, missing courses); ``note`` adds HR's own. With nothing missing and no note there
    is no condition to set (400 ``no_conditions``: renew instead). The deadline defaults to
    :data:`conditions.CONDITION_MONTHS` months after the decision day and must be after it.
    """
    _require_office(actor)
    today = _today(today)
    case, appointment = _lock(case, _("renewed"))
    evaluation = selectors.readiness_of(appointment=appointment, on_date=today)
    deadline = deadline or selectors.add_months(day=today, months=conditions.CONDITION_MONTHS)
    if deadline <= today:
        raise DomainError(_("The deadline must be after today."), code=ErrorCode.INVALID_DEADLINE)
    text = conditions_text(evaluation, deadline, note)
    if not text:
        raise DomainError(
            _("Every condition is met: there is nothing to set as a condition. Renew instead."),
            code=ErrorCode.NO_CONDITIONS,
        )
    case.reason = reason
    case.conditions = text
    case.condition_deadline = deadline
    case.shortfall = evaluation.shortfall if evaluation.shortfall else Decimal(0)
    _new_term(actor=actor, case=case, appointment=appointment)
    _decide(
        actor=actor,
        case=case,
        appointment=appointment,
        outcome=Outcome.RENEWED_WITH_CONDITIONS,
        reason=reason,
        evaluation=evaluation,
        today=today,
    )
    return case


def _open_recertification(*, actor, case, appointment, reason):
    """The ranking app's service opening a re-certification case at the current level, linked
    to this review (``ranking.services.recertification_case_open``)."""
    from ranking.services import recertification_case_open

    return recertification_case_open(
        actor=actor,
        staff=appointment.staff,
        reason=reason,
        review=case,
    )


@transaction.atomic
def review_refer(
    *, actor, case: ReappointmentCase, reason: str = "", today: dt.date | None = None
) -> ReappointmentCase:
    """Refer the staff member to re-certification at the current level (no new term; no
    demotion here — that is the re-certification's outcome)."""
    _require_office(actor)
    today = _today(today)
    case, appointment = _lock(case, _("referred"))
    evaluation = selectors.readiness_of(appointment=appointment, on_date=today)
    recert = _open_recertification(actor=actor, case=case, appointment=appointment, reason=reason)
    case.recertification_case_id = recert.pk
    _decide(
        actor=actor,
        case=case,
        appointment=appointment,
        outcome=Outcome.REFERRED,
        reason=reason,
        evaluation=evaluation,
        today=today,
    )
    return case


@transaction.atomic
def reviews_mark_overdue(
    *, appointment_id: int, today: dt.date, evaluation=None
) -> ReappointmentCase | None:
    """Nightly check for one appointment: open, past its end date (``end < today``) and
    undecided → its case is marked overdue (created without a batch if needed). Idempotent;
    nothing else changes: no expiry, no demotion."""
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("staff", "level", "staff__level")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None or appointment.closed_on is not None or appointment.end >= today:
        return None
    case = ReappointmentCase.objects.select_for_update().filter(appointment=appointment).first()
    if case is not None and case.status != Status.PENDING:
        return case
    if case is None:
        case = _case_for(appointment, today=today, evaluation=evaluation)
        case.status = Status.OVERDUE
        case.overdue_since = today
        case.save()
    else:
        case.status = Status.OVERDUE
        case.overdue_since = today
        case.save(update_fields=["status", "overdue_since"])
    audit.record(
        actor=None,
        obj=case,
        action="reappointment:overdue",
        from_state=Status.PENDING,
        to_state=Status.OVERDUE,
        changes={"term_end": appointment.end, "checked_on": today},
    )
    return case
