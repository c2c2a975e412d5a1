"""The course catalogue and its sessions (DOMAIN.md, "Training"): courses, scheduling,
enrolment, attendance and results, completion (which writes the training records) and
cancellation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core import audit, clock
from core.errors import DomainError, ErrorCode, InvalidTransition, RoleRequired
from core.roles import is_office
from org.models import Staff
from org.scope import staff_of

from ..models import Course, Enrolment, TrainingRecord, TrainingSession
from ..rules import enrolment_passes
from .common import require_office

COURSE_FIELDS = (
    "code",
    "title",
    "title_en",
    "description",
    "category",
    "form",
    "hours",
    "credits",
    "active",
)


@transaction.atomic
def course_save(*, actor, course: Course | None = None, competencies=None, **fields) -> Course:
    """Create (``course=None``) or change a catalogue course; ``competencies`` replaces the set
    of competencies it develops when given."""
    require_office(actor)
    creating = course is None
    if course is None:
        course = Course()
        before = {}
    else:
        course = Course.objects.select_for_update().get(pk=course.pk)
        before = audit.snapshot(course)
    for name, value in fields.items():
        if name not in COURSE_FIELDS:
            raise DomainError(_("Unknown course field: %(field)s") % {"field": name})
        setattr(course, name, value)
    course.full_clean()
    course.save()
    changes = audit.diff(before, audit.snapshot(course))
    if competencies is not None and hasattr(course, "competencies"):
        old = sorted(course.competencies.values_list("pk", flat=True))
        course.competencies.set(competencies)
        new = sorted(getattr(c, "pk", c) for c in competencies)
        if old != new:
            changes["competencies"] = [old, new]
    if creating or changes:
        audit.record(
            actor=actor, obj=course, action="create" if creating else "update", changes=changes
        )
    return course


SESSION_FIELDS = (
    "course",
    "start",
    "end",
    "place",
    "trainer",
    "capacity",
    "pass_mark",
    "self_enrolment",
)


@transaction.atomic
def session_save(*, actor, session: TrainingSession | None = None, **fields) -> TrainingSession:
    """Schedule a session or change an open one. Capacity cannot drop below the enrolments."""
    require_office(actor)
    creating = session is None
    if session is None:
        session = TrainingSession()
        before = {}
    else:
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if session.status != TrainingSession.Status.OPEN:
            raise InvalidTransition(_("Only an open session can be changed."))
        before = audit.snapshot(session)
    for name, value in fields.items():
        if name not in SESSION_FIELDS:
            raise DomainError(_("Unknown session field: %(field)s") % {"field": name})
        setattr(session, name, value)
    if session.start and session.end and session.end < session.start:
        raise DomainError(
            _("The session cannot end before it starts."), code=ErrorCode.INVALID_DATES
        )
    if not creating:
        enrolled = session.enrolments.count()
        if session.capacity < enrolled:
            raise DomainError(
                _("Capacity %(capacity)s is below the %(enrolled)s enrolments.")
                % {"capacity": session.capacity, "enrolled": enrolled},
                code=ErrorCode.CAPACITY_BELOW_ENROLMENTS,
            )
    session.full_clean()
    session.save()
    changes = audit.diff(before, audit.snapshot(session))
    if creating or changes:
        audit.record(
            actor=actor, obj=session, action="create" if creating else "update", changes=changes
        )
    return session


@transaction.atomic
def session_enrol(*, actor, session: TrainingSession, staff: Staff) -> Enrolment:
    """Enrol ``staff`` in ``session``: the office for anyone, a staff member for themselves
    when the session allows self-enrolment.

    The session row is locked while counting, so two concurrent enrolments cannot both take
    the last seat; an enrolment beyond the capacity is refused (409 ``session_full``).
    """
    own = staff_of(actor) if actor is not None else None
    office = actor is None or is_office(actor)
    if not office and (own is None or own.pk != staff.pk):
        raise RoleRequired(_("Only the certification office may enrol someone else."))
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.status != TrainingSession.Status.OPEN:
        raise InvalidTransition(
            _("Enrolment is closed: the session is %(status)s.")
            % {"status": session.get_status_display()}
        )
    if not office and not session.self_enrolment:
        raise InvalidTransition(
            _("This session does not take self-enrolment; ask the certification office."),
            code=ErrorCode.NO_SELF_ENROLMENT,
        )
    if staff.status == Staff.Status.EXITED:
        raise DomainError(_("%(name)s has left the company.") % {"name": staff.name})
    if Enrolment.objects.filter(session=session, staff=staff).exists():
        raise InvalidTransition(
            _("%(name)s is already enrolled.") % {"name": staff.name},
            code=ErrorCode.ALREADY_ENROLLED,
        )
    taken = Enrolment.objects.filter(session=session).count()
    if taken >= session.capacity:
        raise InvalidTransition(
            _("The session is full (%(capacity)s seats).") % {"capacity": session.capacity},
            code=ErrorCode.SESSION_FULL,
        )
    enrolment = Enrolment.objects.create(session=session, staff=staff, enrolled_by=actor)
    audit.record(
        actor=actor,
        obj=session,
        action="enrol",
        changes={"staff": staff.pk, "employee_no": staff.employee_no, "seat": taken + 1},
    )
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, actor, enrolment: Enrolment) -> None:
    """Take an enrolment back while the session is open (the office, or the person)."""
    own = staff_of(actor) if actor is not None else None
    if not (actor is None or is_office(actor) or (own and own.pk == enrolment.staff_id)):
        raise RoleRequired(_("Only the certification office may withdraw someone else."))
    session = TrainingSession.objects.select_for_update().get(pk=enrolment.session_id)
    if session.status != TrainingSession.Status.OPEN:
        raise InvalidTransition(_("The session is no longer open."))
    audit.record(actor=actor, obj=session, action="withdraw", changes={"staff": enrolment.staff_id})
    enrolment.delete()


@transaction.atomic
def session_results_record(*, actor, session: TrainingSession, results: list[dict]) -> int:
    """Attendance and exam scores: ``results`` is ``[{staff (id), attended, score}]``.

    Only for an open session; every staff id must be enrolled. Returns the rows changed.
    """
    require_office(actor)
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.status != TrainingSession.Status.OPEN:
        raise InvalidTransition(_("Results can only be entered before completion."))
    by_staff = {e.staff_id: e for e in session.enrolments.all()}
    changed = []
    for row in results:
        staff_id = int(getattr(row["staff"], "pk", row["staff"]))
        enrolment = by_staff.get(staff_id)
        if enrolment is None:
            raise DomainError(
                _("Staff member %(id)s is not enrolled in this session.") % {"id": staff_id},
                code=ErrorCode.NOT_ENROLLED,
            )
        if "attended" in row:
            enrolment.attended = bool(row["attended"])
        if "score" in row:
            score = row["score"]
            if score is not None and not (Decimal(0) <= Decimal(score) <= Decimal(100)):
                raise DomainError(
                    _("A score lies between 0 and 100."), code=ErrorCode.INVALID_SCORE
                )
            enrolment.score = score
        changed.append(enrolment)
    Enrolment.objects.bulk_update(changed, ["attended", "score"])
    audit.record(
        actor=actor,
        obj=session,
        action="results",
        changes={
            "results": [
                [e.staff_id, e.attended, None if e.score is None else str(e.score)] for e in changed
            ]
        },
    )
    return len(changed)


@transaction.atomic
def session_complete(*, actor, session: TrainingSession, on_date: dt.date | None = None) -> int:
    """Close a session: decide pass/fail per enrolment and write one training record (source
    ``session``) for each participant who passed, dated the session's end.

    Exactly once: the session row is locked, a completed session refuses a second completion
    (409), and a unique constraint (session, staff) on records backs it up. Returns the number
    of records written.
    """
    require_office(actor)
    session = (
        TrainingSession.objects.select_for_update().select_related("course").get(pk=session.pk)
    )
    if session.status != TrainingSession.Status.OPEN:
        raise InvalidTransition(
            _("The session is already %(status)s.") % {"status": session.get_status_display()}
        )
    enrolments = list(session.enrolments.all())
    course = session.course
    records = []
    for enrolment in enrolments:
        enrolment.passed = enrolment_passes(enrolment, session.pass_mark)
        if enrolment.passed:
            records.append(
                TrainingRecord(
                    staff_id=enrolment.staff_id,
                    course=course,
                    date=session.end,
                    hours=course.hours,
                    credits=course.credits,
                    result=(
                        TrainingRecord.Result.PASSED
                        if session.pass_mark is not None
                        else TrainingRecord.Result.COMPLETED
                    ),
                    source=TrainingRecord.Source.SESSION,
                    session=session,
                )
            )
    Enrolment.objects.bulk_update(enrolments, ["passed"])
    TrainingRecord.objects.bulk_create(records)
    session.status = TrainingSession.Status.COMPLETED
    session.completed_at = clock.now()
    session.save(update_fields=["status", "completed_at"])
    audit.record(
        actor=actor,
        obj=session,
        action="complete",
        from_state=TrainingSession.Status.OPEN,
        to_state=TrainingSession.Status.COMPLETED,
        changes={"enrolled": len(enrolments), "passed": len(records)},
    )
    return len(records)


@transaction.atomic
def session_cancel(*, actor, session: TrainingSession, reason: str = "") -> TrainingSession:
    require_office(actor)
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.status != TrainingSession.Status.OPEN:
        raise InvalidTransition(_("Only an open session can be cancelled."))
    session.status = TrainingSession.Status.CANCELLED
    session.save(update_fields=["status"])
    audit.record(
        actor=actor,
        obj=session,
        action="cancel",
        from_state=TrainingSession.Status.OPEN,
        to_state=TrainingSession.Status.CANCELLED,
        reason=reason,
    )
    return session
