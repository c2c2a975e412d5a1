"""Publicity (公示), DOMAIN.md "Certification" step 4: objections filed by any staff member
within the window, resolved by the office (dismissed, or upheld → back to review or
rejected)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from core import audit, clock
from core.errors import InvalidTransition, RoleRequired
from org.scope import staff_of

from ..models import Application, Cycle, Objection
from .common import check_state, move, require_office, require_reason
from .cycles import back_to_review

OS = Objection.Status


@transaction.atomic
def objection_file(
    *, actor, application: Application, reason: str, today: dt.date | None = None
) -> Objection:
    if staff_of(actor) is None:
        raise RoleRequired(_("Only staff members can file objections."))
    reason = require_reason(reason)
    application = Application.objects.select_related("cycle").get(pk=application.pk)
    cycle = application.cycle
    today = today or clock.today()
    in_window = cycle.publicity_end is not None and today <= cycle.publicity_end
    if cycle.status != Cycle.Status.PUBLICITY or not in_window:
        raise InvalidTransition(_("Objections are accepted only during the publicity period."))
    if application.status != Application.Status.QUALIFIED:
        raise InvalidTransition(_("This application is not on the published list."))
    objection = Objection.objects.create(application=application, filed_by=actor, reason=reason)
    audit.record(actor=actor, obj=objection, action="file", to_state=objection.status)
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
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
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
    back_to_review(actor=actor, cycle=cycle, reason=reason)
    return objection
