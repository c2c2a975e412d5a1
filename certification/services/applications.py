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

from .. import eligibility, events, hooks
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


def live_applications(staff_id: int):
    """The staff member's live applications in any cycle: not withdrawn, rejected or closed
    out (promoted / not promoted), and not a draft left in a cycle no longer open."""
    return (
        Application.objects.filter(staff_id=staff_id)
        .exclude(status__in=Application.ENDED)
        .exclude(status=A.DRAFT, cycle__status__in=[s for s in C.values if s != C.OPEN])
    )


def application_allowed(*, staff: Staff, level, exclude_pk: int | None = None) -> None:
    """Refuse a second live application for ``level`` (across concurrent cycles) and an
    application a registered blocker refuses (e.g. under re-certification). The caller holds
    the staff row's lock (``select_for_update``), so two requests cannot both pass."""
    other = (
        live_applications(staff.pk)
        .filter(target_level=level)
        .exclude(pk=exclude_pk)
        .select_related("cycle")
        .first()
    )
    if other is not None:
        raise InvalidTransition(
            _(
                "%(name)s already has a live application for %(level)s in %(cycle)s "
                "(%(status)s); one application per level at a time."
            )
            % {
                "name": staff.name,
                "level": level.code,
                "cycle": other.cycle.name,
                "status": other.get_status_display(),
            },
            code=ErrorCode.LIVE_APPLICATION_EXISTS,
            details={"application": other.pk},
        )
    blocked = hooks.application_blocked(staff, level)
    if blocked:
        raise InvalidTransition(blocked, code=ErrorCode.APPLICATION_BLOCKED)


def _lock_staff(staff_id: int) -> Staff:
    """The staff row, locked: serialises a person's applications across cycles."""
    return Staff.objects.select_for_update(of=("self",)).select_related("level").get(pk=staff_id)


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
    staff = _lock_staff(me.pk)
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
    if target is None or staff.level is None or staff.track_id != cycle.track_id:
        raise InvalidTransition(_("There is no next level on this cycle's track for you."))
    if not cycle.offers.filter(level=target).exists():
        raise InvalidTransition(_("This cycle does not offer %(level)s.") % {"level": str(target)})
    live = Application.objects.filter(cycle=cycle, staff=staff).exclude(status=A.WITHDRAWN)
    if live.exists():
        raise InvalidTransition(_("You already have an application in this cycle."))
    application_allowed(staff=staff, level=target)
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


def material_check(*, upload) -> tuple[str, CheckedUpload]:
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
    name, checked = material_check(upload=upload)
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
def application_submit(
    *, actor, application: Application, today: dt.date | None = None
) -> Application:
    """draft/returned → submitted. A draft goes in while the window is open; an application
    returned for completion may be resubmitted until the committee review starts. The
    eligibility evaluation is recorded with it. One live application per level across
    cycles, none while a blocker (re-certification) refuses; a repeated submission of an
    application already submitted answers it unchanged."""
    _require_owner(actor, application)
    staff = _lock_staff(application.staff_id)
    application = _lock(application)
    if application.status == A.SUBMITTED:
        return application
    check_state(application, Application.EDITABLE, _("submit the application"))
    application_allowed(staff=staff, level=application.target_level, exclude_pk=application.pk)
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
    events.application_submitted(application)
    return application


@transaction.atomic
def application_withdraw(
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


def failed_rules(evaluation: eligibility.Evaluation) -> list[dict]:
    """The rules ``evaluation`` fails, as stored (code, key, params) — the override's evidence."""
    return [r.as_dict() for r in evaluation.rules if not r.passed]


def _failed_details(failed: list[dict]) -> list[dict]:
    return [
        {"code": r.code, "label": r.label, "detail": r.detail}
        for r in map(eligibility.RuleResult.from_dict, failed)
    ]


def qualification_check(*, cycle: Cycle, evaluation: eligibility.Evaluation, reason: str) -> None:
    """Refuse qualifying an application that fails a rule: always in a strict cycle
    (``eligibility_override_forbidden``), otherwise without a written reason
    (``eligibility_reason_required``, 400). ``details["failed_rules"]`` lists the rules."""
    failed = failed_rules(evaluation)
    if not failed:
        return
    details = {"failed_rules": _failed_details(failed)}
    if cycle.strict_eligibility:
        raise InvalidTransition(
            _("This cycle allows no eligibility override; %(n)s rule(s) are not met: %(rules)s.")
            % {"n": len(failed), "rules": ", ".join(r["label"] for r in details["failed_rules"])},
            code=ErrorCode.ELIGIBILITY_OVERRIDE_FORBIDDEN,
            details=details,
        )
    if not (reason or "").strip():
        raise DomainError(
            _(
                "%(n)s eligibility rule(s) are not met (%(rules)s): qualifying is an override "
                "and needs a written reason."
            )
            % {"n": len(failed), "rules": ", ".join(r["label"] for r in details["failed_rules"])},
            code=ErrorCode.ELIGIBILITY_REASON_REQUIRED,
            details=details,
        )


@transaction.atomic
def application_qualify(
    *,
    actor,
    application: Application,
    eligibility_ok: bool,
    materials_complete: bool,
    facts_truthful: bool,
    procedure_regular: bool,
    reason: str = "",
) -> Application:
    """submitted → qualified once the office has ticked all four checks. An application that
    fails an eligibility rule is qualified only as an override: with a written reason (the
    reason, the failed rules and who decided are stored and audited), and never in a cycle
    with ``strict_eligibility``. Qualifying an application already qualified answers it as it
    is (a repeated request changes nothing)."""
    require_office(actor)
    application = _lock(application)
    if application.status == A.QUALIFIED:
        return application
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
    reason = (reason or "").strip()
    qualification_check(cycle=application.cycle, evaluation=evaluation, reason=reason)
    application.eligibility, application.eligible = evaluation.snapshot(), evaluation.eligible
    application.decision_reason = reason
    changes: dict = {"eligible": evaluation.eligible}
    fields = [
        "check_eligibility",
        "check_materials",
        "check_facts",
        "check_procedure",
        "eligibility",
        "eligible",
        "decision_reason",
        "updated_at",
    ]
    if not evaluation.eligible:
        application.override_reason = reason
        application.override_rules = failed_rules(evaluation)
        application.override_by = actor
        application.override_at = clock.now()
        fields += ["override_reason", "override_rules", "override_by", "override_at"]
        changes["override"] = {
            "reason": reason,
            "failed_rules": [r["code"] for r in application.override_rules],
        }
    move(
        actor=actor,
        obj=application,
        to=A.QUALIFIED,
        action="qualify_override" if not evaluation.eligible else "qualify",
        reason=reason,
        fields=tuple(fields),
        changes=changes,
    )
    events.application_decided(application)
    return application


def applications_qualify(
    *, actor, applications: list[Application], reasons: dict[int, str]
) -> list[Application]:
    """Qualify several applications at once, all or nothing: every ineligible one needs its own
    reason in ``reasons`` (``{application_id: reason}``). Refused as a whole with one message
    per refused application (``details["rows"]``: ``{application_id: message}``)."""
    require_office(actor)
    rows: dict[int, str] = {}
    with transaction.atomic():
        done = []
        for app in sorted(applications, key=lambda a: a.pk):
            try:
                with transaction.atomic():
                    done.append(
                        application_qualify(
                            actor=actor,
                            application=app,
                            eligibility_ok=True,
                            materials_complete=True,
                            facts_truthful=True,
                            procedure_regular=True,
                            reason=reasons.get(app.pk, ""),
                        )
                    )
            except DomainError as exc:
                rows[app.pk] = exc.message
        if rows:  # raised inside the block: the ones already qualified are rolled back
            raise DomainError(
                _("Nothing was qualified: %(n)s application(s) were refused.") % {"n": len(rows)},
                code=ErrorCode.BULK_REFUSED,
                details={"rows": {str(k): v for k, v in rows.items()}},
            )
    return done


@transaction.atomic
def application_return(*, actor, application: Application, reason: str) -> Application:
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
    events.application_decided(application)
    return application


@transaction.atomic
def application_reject(*, actor, application: Application, reason: str) -> Application:
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
    events.application_decided(application)
    return application
