"""Objections (异议) during a re-certification outcome's publicity, and the staff member's appeal
(申诉) after the leadership's approval (DOMAIN.md, "Annual ranking", re-certification
procedure).

- Any staff member may object to a **published** outcome while its publicity runs; anything
  else answers 404 like an id out of scope. The office resolves an objection: dismissed, or
  upheld → the case goes back to scoring.
- The staff member may appeal an approved demotion or elimination until ``appeal_until`` (the
  ``RECERT_APPEAL_WORKDAYS`` working days after approval), with a reason and materials checked
  like certification materials. An open appeal holds the effect. The office resolves it with a
  reason: upheld → re-scored by a new panel with none of the previous members, or the outcome
  changed to kept; dismissed → the outcome stands (and takes effect once the window is over).
"""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from certification.services.applications import material_check
from core import audit, clock, transitions
from core.errors import DomainError, ErrorCode, InvalidTransition, NotInScope, RoleRequired
from letters.services import letter_revoke
from org.scope import staff_of

from .. import events
from ..models import (
    AppealMaterial,
    RecertificationAppeal,
    RecertificationCase,
    RecertificationObjection,
)
from .common import require_office
from .decisions import Status, clear_proposal, lock_case, recertification_letter_issue


def published_cases(*, today=None):
    """Cases whose proposed outcome is in publicity today — the published result list every
    signed-in user may see and object to."""
    today = today or clock.today()
    return RecertificationCase.objects.filter(
        status=Status.PUBLISHED, publicity_start__lte=today, publicity_end__gte=today
    )


@transaction.atomic
def recertification_objection_file(*, actor, case_id: int, text: str) -> RecertificationObjection:
    """File an objection against a published outcome in its publicity window; any other case
    (not published, publicity over, nonexistent) is out of scope (404)."""
    case = published_cases().select_for_update(of=("self",)).filter(pk=case_id).first()
    if case is None or not getattr(actor, "is_authenticated", False):
        raise NotInScope()
    text = transitions.require_reason(text)
    objection = RecertificationObjection.objects.create(case=case, filed_by=actor, text=text)
    audit.record(actor=actor, obj=case, action="object", changes={"objection": objection.pk})
    return objection


@transaction.atomic
def recertification_objection_resolve(
    *, actor, objection: RecertificationObjection, upheld: bool, reason: str
) -> RecertificationObjection:
    """The office resolves an open objection with a reason: dismissed, or upheld → the case
    goes back to scoring (the proposal is withdrawn). The same decision again answers the
    objection as it is and records nothing."""
    require_office(actor)
    reason = transitions.require_reason(reason)
    objection = RecertificationObjection.objects.select_for_update().get(pk=objection.pk)
    status = RecertificationObjection.Status
    if objection.status == (status.UPHELD if upheld else status.DISMISSED):
        return objection  # a repeated request: already done
    if objection.status != status.OPEN:
        raise InvalidTransition(_("This objection is already resolved."))
    objection.status = status.UPHELD if upheld else status.DISMISSED
    objection.resolution, objection.resolved_by = reason, actor
    objection.save(update_fields=["status", "resolution", "resolved_by"])
    audit.record(
        actor=actor,
        obj=objection,
        action="resolve",
        from_state=status.OPEN,
        to_state=objection.status,
        reason=reason,
    )
    if upheld:
        case = lock_case(objection.case, Status.PUBLISHED, action=_("uphold the objection"))
        clear_proposal(case)
        case.save()
        audit.record(
            actor=actor,
            obj=case,
            action="objection_upheld",
            from_state=Status.PUBLISHED,
            to_state=Status.OPEN,
            reason=reason,
        )
    return objection


def _store_material(appeal: RecertificationAppeal, upload) -> AppealMaterial:
    name, checked = material_check(upload=upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    material = AppealMaterial(
        appeal=appeal,
        original_name=name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=digest.hexdigest(),
    )
    # Named after its content and stored with the extension of what it was decoded as.
    material.file.save(f"{digest.hexdigest()[:16]}.{checked.extension}", upload, save=False)
    material.save()
    return material


@transaction.atomic
def recertification_appeal_file(
    *, actor, case: RecertificationCase, reason: str, uploads=()
) -> RecertificationAppeal:
    """The staff member appeals an approved demotion or elimination within the appeal window,
    with a reason and (optionally) files. One open appeal at a time."""
    reason = transitions.require_reason(reason)
    own = staff_of(actor)
    if own is None or own.pk != case.staff_id:
        raise RoleRequired(_("Only the staff member concerned may appeal."))
    case = lock_case(case, Status.APPROVED, action=_("appeal"))
    if case.appeal_until is None or clock.today() > case.appeal_until:
        raise InvalidTransition(
            _("The appeal window closed on %(day)s.") % {"day": case.appeal_until},
            code=ErrorCode.APPEAL_WINDOW_CLOSED,
        )
    if case.appeals.filter(status=RecertificationAppeal.Status.OPEN).exists():
        raise InvalidTransition(
            _("An appeal against this outcome is already open."), code=ErrorCode.APPEAL_OPEN
        )
    try:
        with transaction.atomic():
            appeal = RecertificationAppeal.objects.create(case=case, filed_by=actor, reason=reason)
    except IntegrityError as exc:  # a concurrent double submission
        raise InvalidTransition(
            _("An appeal against this outcome is already open."), code=ErrorCode.APPEAL_OPEN
        ) from exc
    materials = [_store_material(appeal, upload) for upload in uploads]
    audit.record(
        actor=actor,
        obj=case,
        action="appeal",
        reason=reason,
        changes={"appeal": appeal.pk, "materials": [m.sha256 for m in materials]},
    )
    appeal.case = case
    events.appeal_filed(appeal)
    return appeal


REMEDIES = ("dismissed", "rescore", "kept")


@transaction.atomic
def recertification_appeal_resolve(
    *, actor, appeal: RecertificationAppeal, decision: str, reason: str
) -> RecertificationAppeal:
    """The office resolves an open appeal with a reason (visible to the staff member):
    ``dismissed`` → the outcome stands; ``rescore`` → the case goes back to scoring in a new
    round by a new panel (none of the previous members); ``kept`` → the outcome becomes kept
    and the case is decided. The same decision again answers the appeal as it is and records
    nothing; another decision on a resolved appeal is refused."""
    require_office(actor)
    reason = transitions.require_reason(reason)
    if decision not in REMEDIES:
        raise DomainError(_("Unknown decision."), code=ErrorCode.INVALID)
    appeal = RecertificationAppeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status != RecertificationAppeal.Status.OPEN:
        if (appeal.remedy or "dismissed") == decision:
            return appeal  # a repeated request: already done
        raise InvalidTransition(_("This appeal is already resolved."))
    case = lock_case(appeal.case, Status.APPROVED, action=_("resolve the appeal"))
    appealed = case.outcome
    today = clock.today()
    status = RecertificationAppeal.Status
    appeal.status = status.DISMISSED if decision == "dismissed" else status.UPHELD
    appeal.remedy = "" if decision == "dismissed" else decision
    appeal.resolution, appeal.resolved_by, appeal.resolved_on = reason, actor, today
    appeal.save(update_fields=["status", "remedy", "resolution", "resolved_by", "resolved_on"])
    audit.record(
        actor=actor,
        obj=appeal,
        action="resolve",
        from_state=status.OPEN,
        to_state=appeal.status,
        reason=reason,
        changes={"remedy": appeal.remedy},
    )
    if decision != "dismissed" and case.letter is not None:
        # The demotion or elimination notice no longer stands: revoked with the resolution.
        letter_revoke(actor=actor, letter=case.letter, reason=reason)
        case.letter = None
    if decision == "rescore":
        clear_proposal(case)
        case.round += 1
        case.chair = None
        case.save()
        case.members.clear()
        audit.record(
            actor=actor,
            obj=case,
            action="rescore",
            from_state=Status.APPROVED,
            to_state=Status.OPEN,
            reason=reason,
            changes={"round": case.round},
        )
    elif decision == "kept":
        case.outcome = RecertificationCase.Outcome.KEPT
        case.status = Status.DECIDED
        case.decided_by, case.decided_on, case.effective_on = actor, today, today
        case.decision_reason = reason
        case.save()
        audit.record(
            actor=actor,
            obj=case,
            action="appeal_kept",
            from_state=Status.APPROVED,
            to_state=Status.DECIDED,
            reason=reason,
        )
        recertification_letter_issue(actor=actor, case=case)
    appeal.case = case
    events.appeal_decided(appeal, decision=decision, outcome=appealed)
    return appeal
