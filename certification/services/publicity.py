"""Publicity (公示), DOMAIN.md "Certification" step 4: objections filed by any staff member
within the window, resolved by the office (dismissed, or upheld → back to review or
rejected)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from core import audit, clock
from core.errors import InvalidTransition, NotInScope, RoleRequired
from org.scope import staff_of

from .. import events
from ..models import Application, Cycle, Objection
from ..selectors import objectable_applications
from .common import check_state, move, require_office, require_reason
from .cycles import cycle_review_reopen

OS = Objection.Status


@transaction.atomic
def objection_file(
    *, actor, application: Application, reason: str, today: dt.date | None = None
) -> Objection:
    if staff_of(actor) is None:
        raise RoleRequired(_("Only staff members can file objections."))
    reason = require_reason(reason)
    # Only a candidate on the published list, during the publicity window: anything else is
    # out of scope (404), so that ids do not reveal who applied or failed.
    found = (
        objectable_applications()
        .select_related("cycle", "staff", "target_level")
        .filter(pk=application.pk)
        .first()
    )
    if found is None:
        raise NotInScope()
    application = found
    cycle = application.cycle
    today = today or clock.today()
    if cycle.publicity_end is None or today > cycle.publicity_end:
        raise NotInScope()
    objection = Objection.objects.create(application=application, filed_by=actor, reason=reason)
    audit.record(actor=actor, obj=objection, action="file", to_state=objection.status)
    events.objection_filed(objection)
    return objection


@transaction.atomic
def objection_resolve(
    *, actor, objection: Objection, upheld: bool, reason: str, outcome: str = "review"
) -> Objection:
    """Dismiss, or uphold: the application goes back to review (the cycle returns to
    committee review to rescore and republish) or is rejected (the list is recomputed, so
    the cycle also returns to review)."""
    require_office(actor)
    reason = require_reason(reason)
    objection = (
        Objection.objects.select_for_update(of=("self",))
        .select_related("application__cycle", "application__staff", "application__target_level")
        .get(pk=objection.pk)
    )
    check_state(objection, (OS.OPEN,), _("resolve the objection"))
    cycle = Cycle.objects.select_for_update().get(pk=objection.application.cycle_id)
    if cycle.status != Cycle.Status.PUBLICITY:
        raise InvalidTransition(_("The publicity period is over."))
    objection.resolution, objection.resolved_at = reason, clock.now()
    if not upheld:
        move(
            actor=actor,
            obj=objection,
            to=OS.DISMISSED,
            action="dismiss",
            reason=reason,
            fields=("resolution", "resolved_at"),
        )
        events.objection_resolved(objection)
        return objection
    if outcome not in Objection.Outcome.values:
        outcome = Objection.Outcome.REVIEW
    objection.outcome = outcome
    move(
        actor=actor,
        obj=objection,
        to=OS.UPHELD,
        action="uphold",
        reason=reason,
        fields=("resolution", "resolved_at", "outcome"),
        changes={"outcome": outcome},
    )
    application = Application.objects.select_for_update().get(pk=objection.application_id)
    if outcome == Objection.Outcome.REJECT:
        application.decision_reason = reason
        move(
            actor=actor,
            obj=application,
            to=Application.Status.REJECTED,
            action="reject_on_objection",
            reason=reason,
            fields=("decision_reason", "updated_at"),
        )
    else:
        application.flags = [*application.flags, "objection_upheld"]
        application.save(update_fields=["flags", "updated_at"])
        audit.record(actor=actor, obj=application, action="back_to_review", reason=reason)
    # Other open objections of the cycle are re-examined after republication.
    cycle_review_reopen(actor=actor, cycle=cycle, reason=reason)
    events.objection_resolved(objection)
    return objection
