"""Writes for training (DOMAIN.md, "Training"). One function per use case: each checks role and
state, locks what it changes, writes, and records an audit event in the same transaction.

The ledger import lives in :mod:`training.imports`, the XLSX export in :mod:`training.exports`.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from core import audit, clock
from core.errors import DomainError, InvalidTransition, RoleRequired
from core.roles import is_office
from org.models import Appointment, Level, Staff
from org.scope import staff_of

from .models import (
    Course,
    Enrolment,
    ExternalCertificate,
    PackageUsage,
    Requirement,
    TrainingPackage,
    TrainingRecord,
    TrainingSession,
)

# --- catalogue and requirements ---------------------------------------------------------------


def _require_office(actor) -> None:
    if actor is not None and not is_office(actor):
        raise RoleRequired(_("Only the certification office may do this."))


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
    _require_office(actor)
    creating = course is None
    if creating:
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


@transaction.atomic
def requirement_save(
    *,
    actor,
    level: Level,
    min_credits_12m: Decimal,
    required_courses: list[Course] | None = None,
) -> Requirement:
    """Set a level's training requirement (one per level)."""
    _require_office(actor)
    requirement = Requirement.objects.select_for_update().filter(level=level).first()
    creating = requirement is None
    before = (
        {}
        if creating
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


# --- sessions ---------------------------------------------------------------------------------

SESSION_FIELDS = ("course", "start", "end", "place", "capacity", "pass_mark", "self_enrolment")


@transaction.atomic
def session_save(*, actor, session: TrainingSession | None = None, **fields) -> TrainingSession:
    """Schedule a session or change an open one. Capacity cannot drop below the enrolments."""
    _require_office(actor)
    creating = session is None
    if creating:
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
        raise DomainError(_("The session cannot end before it starts."), code="invalid_dates")
    if not creating:
        enrolled = session.enrolments.count()
        if session.capacity < enrolled:
            raise DomainError(
                _("Capacity %(capacity)s is below the %(enrolled)s enrolments.")
                % {"capacity": session.capacity, "enrolled": enrolled},
                code="capacity_below_enrolments",
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
def enrol(*, actor, session: TrainingSession, staff: Staff) -> Enrolment:
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
            code="no_self_enrolment",
        )
    if staff.status == Staff.Status.EXITED:
        raise DomainError(_("%(name)s has left the company.") % {"name": staff.name})
    if Enrolment.objects.filter(session=session, staff=staff).exists():
        raise InvalidTransition(
            _("%(name)s is already enrolled.") % {"name": staff.name}, code="already_enrolled"
        )
    taken = Enrolment.objects.filter(session=session).count()
    if taken >= session.capacity:
        raise InvalidTransition(
            _("The session is full (%(capacity)s seats).") % {"capacity": session.capacity},
            code="session_full",
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
def withdraw(*, actor, enrolment: Enrolment) -> None:
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
def record_results(*, actor, session: TrainingSession, results: list[dict]) -> int:
    """Attendance and exam scores: ``results`` is ``[{staff (id), attended, score}]``.

    Only for an open session; every staff id must be enrolled. Returns the rows changed.
    """
    _require_office(actor)
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
                code="not_enrolled",
            )
        if "attended" in row:
            enrolment.attended = bool(row["attended"])
        if "score" in row:
            score = row["score"]
            if score is not None and not (Decimal(0) <= Decimal(score) <= Decimal(100)):
                raise DomainError(_("A score lies between 0 and 100."), code="invalid_score")
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


def passes(enrolment: Enrolment, pass_mark: Decimal | None) -> bool:
    """Attended, and — when the session has an exam — scored at least the pass mark."""
    if not enrolment.attended:
        return False
    if pass_mark is None:
        return True
    return enrolment.score is not None and enrolment.score >= pass_mark


@transaction.atomic
def complete(*, actor, session: TrainingSession, on_date: dt.date | None = None) -> int:
    """Close a session: decide pass/fail per enrolment and write one training record (source
    ``session``) for each participant who passed, dated the session's end.

    Exactly once: the session row is locked, a completed session refuses a second completion
    (409), and a unique constraint (session, staff) on records backs it up. Returns the number
    of records written.
    """
    _require_office(actor)
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
        enrolment.passed = passes(enrolment, session.pass_mark)
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
def cancel(*, actor, session: TrainingSession, reason: str = "") -> TrainingSession:
    _require_office(actor)
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


# --- external certificates -------------------------------------------------------------------

# Extension → (content type, magic bytes at the start of the file).
CERTIFICATE_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


def certificate_max_bytes() -> int:
    return int(getattr(settings, "TRAINING_CERTIFICATE_MAX_BYTES", 5 * 1024 * 1024))


def check_certificate_file(upload: UploadedFile) -> tuple[str, str]:
    """``(extension, content type)`` of an acceptable certificate file, else a DomainError.

    Accepted: PDF, JPEG, PNG — by extension *and* by content (the first bytes), at most
    ``TRAINING_CERTIFICATE_MAX_BYTES`` (default 5 MiB), not empty.
    """
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in CERTIFICATE_TYPES:
        raise DomainError(
            _("Only PDF, JPEG or PNG files are accepted."),
            code="file_type",
            details={"field": "file"},
        )
    limit = certificate_max_bytes()
    if upload.size is None or upload.size == 0:
        raise DomainError(_("The file is empty."), code="file_empty")
    if upload.size > limit:
        raise DomainError(
            _("The file is larger than %(mb)s MB.") % {"mb": round(limit / 1024 / 1024, 1)},
            code="file_too_large",
        )
    content_type, magics = CERTIFICATE_TYPES[ext]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(m) for m in magics):
        raise DomainError(
            _("The file's content is not a %(ext)s file.") % {"ext": ext.upper()},
            code="file_type",
        )
    return ext, content_type


@transaction.atomic
def certificate_submit(
    *,
    actor,
    staff: Staff,
    title: str,
    issuer: str,
    issued_on: dt.date,
    file: UploadedFile,
    course: Course | None = None,
    hours: Decimal = Decimal(0),
    credits: Decimal = Decimal(0),
) -> ExternalCertificate:
    """A staff member (or the office on their behalf) submits an external certificate."""
    own = staff_of(actor) if actor is not None else None
    if not (actor is None or is_office(actor) or (own and own.pk == staff.pk)):
        raise RoleRequired(_("Only the certification office may submit for someone else."))
    ext, content_type = check_certificate_file(file)
    if issued_on > clock.today():
        raise DomainError(_("The issue date lies in the future."), code="future_date")
    original = (file.name or "").rsplit("/", 1)[-1][:255]
    cert = ExternalCertificate(
        staff=staff,
        title=title,
        issuer=issuer,
        issued_on=issued_on,
        course=course,
        hours=hours,
        credits=credits,
        original_name=original,
        content_type=content_type or mimetypes.types_map.get(f".{ext}", ""),
        size=file.size,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    # A random name: the original name is kept as data, never used as a path.
    cert.file.save(f"{staff.pk}/{uuid.uuid4().hex}.{ext}", file, save=False)
    cert.full_clean()
    cert.save()
    audit.record(
        actor=actor,
        obj=cert,
        action="submit",
        to_state=cert.status,
        changes={"title": title, "issuer": issuer, "credits": credits, "file": original},
    )
    return cert


@transaction.atomic
def certificate_verify(
    *, actor, certificate: ExternalCertificate, credits: Decimal | None = None, reason: str = ""
) -> TrainingRecord:
    """HR verifies a submitted certificate: it becomes a training record (source ``external``)
    dated the issue date, with the credits HR accepts (default: the credits claimed)."""
    _require_office(actor)
    cert = ExternalCertificate.objects.select_for_update().get(pk=certificate.pk)
    if cert.status != ExternalCertificate.Status.SUBMITTED:
        raise InvalidTransition(
            _("The certificate is already %(status)s.") % {"status": cert.get_status_display()}
        )
    accepted = cert.credits if credits is None else credits
    if accepted < 0:
        raise DomainError(_("Credits cannot be negative."))
    record = TrainingRecord.objects.create(
        staff_id=cert.staff_id,
        course=cert.course,
        title=cert.title[:200],
        date=cert.issued_on,
        hours=cert.hours,
        credits=accepted,
        result=TrainingRecord.Result.PASSED,
        source=TrainingRecord.Source.EXTERNAL,
        certificate=cert,
    )
    cert.status = ExternalCertificate.Status.VERIFIED
    cert.credits = accepted
    cert.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    cert.reviewed_at = clock.now()
    cert.review_reason = reason
    cert.save(update_fields=["status", "credits", "reviewed_by", "reviewed_at", "review_reason"])
    audit.record(
        actor=actor,
        obj=cert,
        action="verify",
        from_state=ExternalCertificate.Status.SUBMITTED,
        to_state=cert.status,
        reason=reason,
        changes={"record": record.pk, "credits": accepted},
    )
    return record


@transaction.atomic
def certificate_reject(
    *, actor, certificate: ExternalCertificate, reason: str
) -> ExternalCertificate:
    _require_office(actor)
    if not (reason or "").strip():
        raise DomainError(_("Give a reason for the rejection."), code="reason_required")
    cert = ExternalCertificate.objects.select_for_update().get(pk=certificate.pk)
    if cert.status != ExternalCertificate.Status.SUBMITTED:
        raise InvalidTransition(
            _("The certificate is already %(status)s.") % {"status": cert.get_status_display()}
        )
    cert.status = ExternalCertificate.Status.REJECTED
    cert.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    cert.reviewed_at = clock.now()
    cert.review_reason = reason
    cert.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_reason"])
    audit.record(
        actor=actor,
        obj=cert,
        action="reject",
        from_state=ExternalCertificate.Status.SUBMITTED,
        to_state=cert.status,
        reason=reason,
    )
    return cert


# --- training packages ------------------------------------------------------------------------

PACKAGE_MIN_LEVEL_ORDER = 3  # "senior (L3) or above" (DOMAIN.md, "Training")
PACKAGE_REASONS = (Appointment.Reason.PROMOTION,)


def package_applies(appointment: Appointment) -> bool:
    level = appointment.level
    return (
        appointment.reason in PACKAGE_REASONS
        and level.order >= PACKAGE_MIN_LEVEL_ORDER
        and level.training_package_value > 0
    )


def grant_package_for_appointment(
    appointment: Appointment, *, actor=None
) -> TrainingPackage | None:
    """Grant the training package of a promotion to L3 or above, worth the level's
    ``training_package_value``, valid for the appointment's term.

    Idempotent per appointment: calling it again (a retried approval) returns the package
    already granted; a unique constraint on the appointment backs this up under concurrency.
    Returns ``None`` when the appointment grants nothing (not a promotion, below L3, value 0).
    """
    appointment = Appointment.objects.select_related("level", "staff").get(pk=appointment.pk)
    if not package_applies(appointment):
        return None
    existing = TrainingPackage.objects.filter(appointment=appointment).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            package = TrainingPackage.objects.create(
                staff=appointment.staff,
                appointment=appointment,
                level=appointment.level,
                value=appointment.level.training_package_value,
                granted_on=appointment.start,
                valid_until=appointment.end,
            )
            audit.record(
                actor=actor,
                obj=package,
                action="grant",
                to_state=package.status,
                changes={"appointment": appointment.pk, "value": package.value},
            )
    except IntegrityError:
        return TrainingPackage.objects.get(appointment=appointment)
    return package


def package_used(package: TrainingPackage) -> Decimal:
    return package.usages.aggregate(total=Sum("amount"))["total"] or Decimal(0)


@transaction.atomic
def package_choose(
    *, actor, package: TrainingPackage, programme: str, course: Course | None = None
) -> TrainingPackage:
    """The staff member (or HR for them) picks the programme the package pays for. It can be
    changed until the first use is recorded."""
    package = TrainingPackage.objects.select_for_update().get(pk=package.pk)
    own = staff_of(actor) if actor is not None else None
    if not (actor is None or is_office(actor) or (own and own.pk == package.staff_id)):
        raise RoleRequired(_("Only the staff member or the office may choose the programme."))
    if package.usages.exists():
        raise InvalidTransition(_("The package is in use; the programme can no longer change."))
    programme = (programme or "").strip() or (course.display_title if course else "")
    if not programme:
        raise DomainError(_("Name the programme."), code="programme_required")
    before = package.status
    package.programme = programme[:200]
    package.course = course
    package.chosen_at = clock.now()
    package.status = TrainingPackage.Status.CHOSEN
    package.save(update_fields=["programme", "course", "chosen_at", "status"])
    audit.record(
        actor=actor,
        obj=package,
        action="choose",
        from_state=before,
        to_state=package.status,
        changes={"programme": package.programme, "course": course.pk if course else None},
    )
    return package


@transaction.atomic
def package_use(
    *, actor, package: TrainingPackage, amount: Decimal, date: dt.date, description: str
) -> PackageUsage:
    """HR records a use of the package; the total used never exceeds its value. When the
    value is used up the package is marked used."""
    _require_office(actor)
    package = TrainingPackage.objects.select_for_update().get(pk=package.pk)
    if package.status == TrainingPackage.Status.GRANTED:
        raise InvalidTransition(_("No programme has been chosen yet."), code="no_programme")
    if package.status == TrainingPackage.Status.USED:
        raise InvalidTransition(_("The package is used up."))
    if amount <= 0:
        raise DomainError(_("The amount must be positive."), code="invalid_amount")
    remaining = package.value - package_used(package)
    if amount > remaining:
        raise DomainError(
            _("Only %(remaining)s is left on the package.") % {"remaining": remaining},
            code="exceeds_balance",
        )
    usage = PackageUsage.objects.create(
        package=package,
        amount=amount,
        date=date,
        description=description,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    before = package.status
    if amount == remaining:
        package.status = TrainingPackage.Status.USED
        package.save(update_fields=["status"])
    audit.record(
        actor=actor,
        obj=package,
        action="use",
        from_state=before,
        to_state=package.status,
        changes={"amount": amount, "date": date, "description": description},
    )
    return usage
