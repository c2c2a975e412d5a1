"""Applications (个人申请) and the qualification review (资格审查), DOMAIN.md "Certification"
steps 1–2. The applicant drafts, uploads materials and submits while the window is open;
the office qualifies (after the four-point checklist), returns for completion or rejects.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import audit, clock
from core.errors import DomainError, ErrorCode, InvalidTransition, RoleRequired
from core.uploads import DOCUMENTS, CheckedUpload, check_upload
from org.models import Staff
from org.scope import staff_of

from .. import eligibility
from ..models import Application, Cycle, Material
from .common import check_state, move, require_office, require_reason

A = Application.Status
C = Cycle.Status

MAX_MATERIAL_BYTES = 10 * 1024 * 1024


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update()
        .select_related("cycle", "staff", "target_level")
        .get(pk=application.pk)
    )


def _require_owner(actor, application: Application) -> None:
    me = staff_of(actor)
    if me is None or me.pk != application.staff_id:
        raise RoleRequired(_("Only the applicant may do this."))


@transaction.atomic
def application_create(
    *, actor, cycle: Cycle, statement: str = "", today: dt.date | None = None
) -> Application:
    """Apply for the level directly above one's own, while the cycle's window is open.
    One live (not withdrawn) application per staff member and cycle."""
    me = staff_of(actor)
    if me is None:
        raise RoleRequired(_("Only staff members can apply."))
    staff = Staff.objects.select_related("level").get(pk=me.pk)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    today = today or clock.today()
    if not cycle.window_open_on(today):
        raise InvalidTransition(
            _("The application window of %(cycle)s is not open (%(start)s – %(end)s).")
            % {"cycle": cycle.name, "start": cycle.window_start, "end": cycle.window_end}
        )
    if staff.status != Staff.Status.ACTIVE:
        raise InvalidTransition(_("Only active staff can apply."))
    target = eligibility.next_level(staff)
    if target is None or staff.track_id != cycle.track_id:
        raise InvalidTransition(_("There is no next level on this cycle's track for you."))
    if not cycle.offers.filter(level=target).exists():
        raise InvalidTransition(_("This cycle does not offer %(level)s.") % {"level": str(target)})
    live = Application.objects.filter(cycle=cycle, staff=staff).exclude(status=A.WITHDRAWN)
    if live.exists():
        raise InvalidTransition(_("You already have an application in this cycle."))
    try:
        with transaction.atomic():
            app = Application.objects.create(
                cycle=cycle,
                staff=staff,
                from_level=staff.level,
                target_level=target,
                statement=statement,
            )
    except IntegrityError as exc:
        raise InvalidTransition(_("You already have an application in this cycle.")) from exc
    audit.record(actor=actor, obj=app, action="create", to_state=app.status)
    return app


@transaction.atomic
def application_update(*, actor, application: Application, statement: str) -> Application:
    application = _lock(application)
    _require_owner(actor, application)
    check_state(application, Application.EDITABLE, _("edit the application"))
    before = audit.snapshot(application, ["statement"])
    application.statement = statement
    application.save(update_fields=["statement", "updated_at"])
    audit.record(
        actor=actor,
        obj=application,
        action="update",
        changes=audit.diff(before, audit.snapshot(application, ["statement"])),
    )
    return application


def validate_material(upload) -> tuple[str, CheckedUpload]:
    """The file's original name and what it was decoded as: PDF, PNG, JPEG, DOCX or XLSX,
    at most 10 MB (:func:`core.uploads.check_upload`)."""
    name = os.path.basename(upload.name or "")
    return name, check_upload(upload, kinds=DOCUMENTS, max_bytes=MAX_MATERIAL_BYTES)


@transaction.atomic
def material_add(*, actor, application: Application, upload, kind: str, title: str = ""):
    """Attach an evidence file (only while the application is a draft or returned)."""
    application = _lock(application)
    _require_owner(actor, application)
    check_state(application, Application.EDITABLE, _("add materials"))
    if kind not in Material.Kind.values:
        raise DomainError(_("Unknown material kind."), code=ErrorCode.INVALID)
    name, checked = validate_material(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    material = Material(
        application=application,
        kind=kind,
        title=title or name,
        original_name=name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    # Named after its content and stored with the extension of what it was decoded as.
    safe = f"{digest.hexdigest()[:16]}.{checked.extension}"
    material.file.save(safe, upload, save=False)
    material.save()
    audit.record(
        actor=actor,
        obj=application,
        action="add_material",
        changes={"material": material.pk, "name": name, "sha256": material.sha256},
    )
    return material


@transaction.atomic
def submit(*, actor, application: Application, today: dt.date | None = None) -> Application:
    """draft/returned → submitted. A draft goes in while the window is open; an application
    returned for completion may be resubmitted until the committee review starts. The
    eligibility evaluation is recorded with it."""
    application = _lock(application)
    _require_owner(actor, application)
    check_state(application, Application.EDITABLE, _("submit the application"))
    cycle = application.cycle
    today = today or clock.today()
    if application.status == A.DRAFT and not cycle.window_open_on(today):
        raise InvalidTransition(_("The application window is closed."))
    if application.status == A.RETURNED and cycle.status not in (C.OPEN, C.QUALIFICATION):
        raise InvalidTransition(_("The qualification review is over."))
    if not application.statement.strip():
        raise DomainError(
            _("Write a statement before submitting."), code=ErrorCode.STATEMENT_REQUIRED
        )
    evaluation = eligibility.evaluate(application.staff, application.target_level, cycle.eval_date)
    application.eligibility, application.eligible = evaluation.snapshot(), evaluation.eligible
    application.submitted_at = clock.now()
    action = "resubmit" if application.status == A.RETURNED else "submit"
    move(
        actor=actor,
        obj=application,
        to=A.SUBMITTED,
        action=action,
        fields=("eligibility", "eligible", "submitted_at", "updated_at"),
        changes={"eligible": evaluation.eligible},
    )
    return application


@transaction.atomic
def withdraw(
    *, actor, application: Application, reason: str = "", on_exit: bool = False
) -> Application:
    """The applicant withdraws — any time before the committee review starts. With
    ``on_exit`` (the person left the company, ``org.services.staff_exit``) the certification
    office withdraws for them, with the exit's reason."""
    application = _lock(application)
    if on_exit:
        require_office(actor)
    else:
        _require_owner(actor, application)
    check_state(application, (A.DRAFT, A.SUBMITTED, A.RETURNED, A.QUALIFIED), _("withdraw"))
    if application.cycle.status not in (C.DRAFT, C.OPEN, C.QUALIFICATION):
        raise InvalidTransition(_("The committee review has started; withdrawing is closed."))
    move(
        actor=actor,
        obj=application,
        to=A.WITHDRAWN,
        action="withdraw",
        reason=reason,
        fields=("updated_at",),
    )
    return application


def _office_decision_state(application: Application, action: str, allowed=(A.SUBMITTED,)):
    check_state(application, allowed, action)
    if application.cycle.status not in (C.OPEN, C.QUALIFICATION):
        raise InvalidTransition(
            _("Qualification decisions are taken while the cycle is open or in qualification.")
        )


@transaction.atomic
def qualify(
    *,
    actor,
    application: Application,
    eligibility_ok: bool,
    materials_complete: bool,
    facts_truthful: bool,
    procedure_regular: bool,
    reason: str = "",
) -> Application:
    """submitted → qualified once the office has ticked all four checks."""
    require_office(actor)
    application = _lock(application)
    _office_decision_state(application, _("qualify"))
    application.check_eligibility = eligibility_ok
    application.check_materials = materials_complete
    application.check_facts = facts_truthful
    application.check_procedure = procedure_regular
    if not application.checklist_complete:
        raise DomainError(
            _("Every point of the checklist must be confirmed to qualify."),
            code=ErrorCode.CHECKLIST_INCOMPLETE,
        )
    evaluation = eligibility.evaluate(
        application.staff, application.target_level, application.cycle.eval_date
    )
    application.eligibility, application.eligible = evaluation.snapshot(), evaluation.eligible
    application.decision_reason = reason
    move(
        actor=actor,
        obj=application,
        to=A.QUALIFIED,
        action="qualify",
        reason=reason,
        fields=(
            "check_eligibility",
            "check_materials",
            "check_facts",
            "check_procedure",
            "eligibility",
            "eligible",
            "decision_reason",
            "updated_at",
        ),
        changes={"eligible": evaluation.eligible},
    )
    return application


@transaction.atomic
def return_application(*, actor, application: Application, reason: str) -> Application:
    """submitted → returned for completion (the applicant completes and resubmits)."""
    require_office(actor)
    reason = require_reason(reason)
    application = _lock(application)
    _office_decision_state(application, _("return the application"))
    application.decision_reason = reason
    move(
        actor=actor,
        obj=application,
        to=A.RETURNED,
        action="return",
        reason=reason,
        fields=("decision_reason", "updated_at"),
    )
    return application


@transaction.atomic
def reject(*, actor, application: Application, reason: str) -> Application:
    """submitted/returned → rejected, with the reason."""
    require_office(actor)
    reason = require_reason(reason)
    application = _lock(application)
    _office_decision_state(application, _("reject"), (A.SUBMITTED, A.RETURNED))
    application.decision_reason = reason
    move(
        actor=actor,
        obj=application,
        to=A.REJECTED,
        action="reject",
        reason=reason,
        fields=("decision_reason", "updated_at"),
    )
    return application
