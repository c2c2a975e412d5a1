"""The leadership group's approval list (DOMAIN.md, "Certification", step 5), candidate by
candidate: each recommended candidate is approved or returned with a comment; the cycle's
approval (:func:`.cycles.cycle_approve`) then appoints the approved ones (and the ones not yet
decided: approving the list approves every remaining candidate) and records the returned ones
as not appointed, with the comment as the reason.

The same gates as the approval itself: only during publicity, after its last day, with every
objection resolved, by the leadership group — and never by the person who published the
results (two-person rule). :func:`approval_blocker` says what stands in the way and from when,
so that pages disable the buttons with the reason instead of refusing after the click.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit, clock
from core.errors import DomainError, ErrorCode, InvalidTransition
from core.models import AuditEvent
from core.roles import Role, has_role

from ..models import Application, Cycle, LeadershipDecision, Objection
from .common import require_reason, require_role

S = Cycle.Status


@dataclass(frozen=True)
class Blocker:
    """Why an action cannot be taken now, and the first day it can (None: no date applies)."""

    code: ErrorCode
    message: str
    from_date: dt.date | None = None


def publisher_id(cycle: Cycle) -> int | None:
    """The user who published the cycle's current results (the last ``publish`` event)."""
    return (
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Cycle),
            object_id=str(cycle.pk),
            action="publish",
        )
        .order_by("-at", "-pk")
        .values_list("actor_id", flat=True)
        .first()
    )


def approval_blocker(
    *, user, cycle: Cycle, today: dt.date | None = None, open_objections: int | None = None
) -> Blocker | None:
    """What keeps ``user`` from approving ``cycle`` (or deciding one of its candidates) on
    ``today``, or None. ``open_objections`` may be passed when the caller already counted."""
    if not has_role(user, Role.LEADERSHIP, Role.ADMIN):
        return Blocker(
            ErrorCode.PERMISSION_DENIED, _("Only the leadership group approves the results.")
        )
    if cycle.status != S.PUBLICITY:
        return Blocker(
            ErrorCode.INVALID_TRANSITION,
            _("The results are not in publicity (the cycle is %(state)s).")
            % {"state": cycle.get_status_display()},
        )
    today = today or clock.today()
    if cycle.publicity_end and today <= cycle.publicity_end:
        start = cycle.publicity_end + dt.timedelta(days=1)
        return Blocker(
            ErrorCode.PUBLICITY_NOT_OVER,
            _("The publicity period runs until %(end)s; approval is possible from %(start)s.")
            % {"end": cycle.publicity_end.isoformat(), "start": start.isoformat()},
            start,
        )
    if open_objections is None:
        open_objections = Objection.objects.filter(
            application__cycle=cycle, status=Objection.Status.OPEN
        ).count()
    if open_objections:
        return Blocker(
            ErrorCode.OBJECTIONS_OPEN,
            _("%(n)s objection(s) are not resolved yet.") % {"n": open_objections},
        )
    published_by = publisher_id(cycle)
    if published_by is not None and published_by == user.pk:
        return Blocker(
            ErrorCode.TWO_PERSON_RULE,
            _("You published these results; another member of the leadership group approves."),
        )
    return None


def approval_require(*, actor, cycle: Cycle, today: dt.date | None = None) -> None:
    """Raise the refusal :func:`approval_blocker` names (403, 409 or 400 two_person_rule)."""
    if actor is None:  # the system itself (demo build, a command)
        if cycle.status != S.PUBLICITY:
            raise InvalidTransition(_("The results are not in publicity."))
        return
    blocker = approval_blocker(user=actor, cycle=cycle, today=today)
    if blocker is None:
        return
    if blocker.code == ErrorCode.PERMISSION_DENIED:
        require_role(actor, Role.LEADERSHIP, Role.ADMIN)
    if blocker.code == ErrorCode.TWO_PERSON_RULE:
        raise DomainError(blocker.message, code=ErrorCode.TWO_PERSON_RULE)
    raise InvalidTransition(blocker.message, code=blocker.code)


@transaction.atomic
def application_leadership_decide(
    *,
    actor,
    application: Application,
    approve: bool,
    comment: str = "",
    today: dt.date | None = None,
) -> Application:
    """Approve or return one recommended candidate of the approval list. Returning needs a
    comment (shown to the office, and the reason recorded when the cycle is approved). A
    decision may be changed until the cycle is approved; each one is audited."""
    require_role(actor, Role.LEADERSHIP, Role.ADMIN)
    cycle = Cycle.objects.select_for_update().get(pk=application.cycle_id)
    approval_require(actor=actor, cycle=cycle, today=today)
    app = Application.objects.select_for_update().get(pk=application.pk)
    if app.status != Application.Status.QUALIFIED or not app.recommended:
        raise InvalidTransition(
            _("Only a recommended candidate of the approval list is approved or returned."),
            code=ErrorCode.INVALID_TRANSITION,
        )
    comment = (comment or "").strip()
    if not approve:
        comment = require_reason(comment)
    decision = LeadershipDecision.APPROVED if approve else LeadershipDecision.RETURNED
    before = app.leadership_decision
    app.leadership_decision, app.leadership_comment = decision, comment
    app.leadership_by, app.leadership_at = actor, clock.now()
    app.save(
        update_fields=[
            "leadership_decision",
            "leadership_comment",
            "leadership_by",
            "leadership_at",
            "updated_at",
        ]
    )
    audit.record(
        actor=actor,
        obj=app,
        action="leadership_approve" if approve else "leadership_return",
        reason=comment,
        changes={"leadership_decision": [before, decision]},
    )
    return app


def leadership_decisions_clear(cycle: Cycle) -> None:
    """The results go back to review (an objection upheld): decisions on the old list lapse."""
    Application.objects.filter(cycle=cycle).exclude(leadership_decision="").update(
        leadership_decision="", leadership_comment="", leadership_by=None, leadership_at=None
    )
