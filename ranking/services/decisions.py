"""Re-certification decisions (DOMAIN.md, "Annual ranking", outcomes): from the committee
score, pass → kept; fail → demoted one level (a new appointment and a demotion notice); fail at
the lowest level, under the elimination line, or a second failure in a row → eliminated from
the post (``org.services.eliminate_from_post``)."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core import audit, clock
from core.errors import InvalidTransition
from letters.services import letter_issue_for
from org import services as org_services
from org.models import Appointment, Level, Staff

from ..models import RankingRun, RecertificationCase
from .common import require_office
from .recertification import committee_score, lock_open_case

logger = logging.getLogger(__name__)


def _previous_failure(case: RecertificationCase) -> bool:
    """Whether the staff member failed the re-certification of the year before (a second
    failure in a row eliminates): a run's case of that year, or a referred case decided in it."""
    return (
        RecertificationCase.objects.filter(
            staff_id=case.staff_id,
            status=RecertificationCase.Status.DECIDED,
            outcome__in=[RecertificationCase.Outcome.DEMOTED],
        )
        .filter(Q(run__year=case.year - 1) | Q(run__isnull=True, decided_on__year=case.year - 1))
        .exists()
    )


def outcome_for(
    case: RecertificationCase, score: Decimal
) -> tuple[RecertificationCase.Outcome, RecertificationCase.Ground]:
    """DOMAIN.md's outcomes: pass → kept; fail → demoted one level; fail at the lowest level,
    under the elimination line, or a second failure in a row → eliminated."""
    outcome, ground = RecertificationCase.Outcome, RecertificationCase.Ground
    if score >= case.pass_line:
        return outcome.KEPT, ground.PASSED
    if score < case.elimination_line:
        return outcome.ELIMINATED, ground.UNDER_ELIMINATION_LINE
    if _lower_level(case.level) is None:
        return outcome.ELIMINATED, ground.LOWEST_LEVEL
    if _previous_failure(case):
        return outcome.ELIMINATED, ground.SECOND_FAILURE
    return outcome.DEMOTED, ground.FAILED


def _lower_level(level: Level) -> Level | None:
    return (
        Level.objects.filter(track_id=level.track_id, order__lt=level.order)
        .order_by("-order")
        .first()
    )


@transaction.atomic
def recertification_case_decide(
    *, actor, case: RecertificationCase, reason: str = "", on: dt.date | None = None
) -> RecertificationCase:
    """Decide a case from its committee score (needs the quorum) and apply the outcome:
    kept → the current appointment stays; demoted → a new appointment one level down
    (reason ``demotion``) and a demotion notice letter; eliminated → the open appointment is
    closed and the staff member leaves the post (history kept)."""
    require_office(actor)
    case = lock_open_case(case)
    if case.run_id is not None and case.run.status != RankingRun.Status.COMMITTED:
        raise InvalidTransition(_("The ranking run of this case is no longer committed."))
    on = on or clock.today()
    score, submitted, needed = committee_score(case)
    if score is None:
        raise InvalidTransition(
            _("The quorum is not reached: %(n)s of %(q)s sheets submitted.")
            % {"n": submitted, "q": needed},
            code="quorum_not_reached",
        )
    staff = Staff.objects.select_for_update().get(pk=case.staff_id)
    if staff.level_id != case.level_id:
        raise InvalidTransition(_("The staff member's level changed since the case was opened."))
    outcome, ground = outcome_for(case, score)
    decision = _("Re-certification %(year)s, case %(case)s") % {
        "year": case.year,
        "case": case.pk,
    }
    if outcome == RecertificationCase.Outcome.DEMOTED:
        case.new_appointment = org_services.appoint(
            actor=actor,
            staff=staff,
            level=_lower_level(case.level),
            start=on,
            reason=Appointment.Reason.DEMOTION,
            decision=decision,
            audit_reason=reason,
        )
    elif outcome == RecertificationCase.Outcome.ELIMINATED:
        case.closed_appointment = org_services.eliminate_from_post(
            actor=actor, staff=staff, on=on, decision=decision, reason=reason
        )
    case.status = RecertificationCase.Status.DECIDED
    case.committee_score = score
    case.outcome, case.ground = outcome, ground
    case.decision_reason = reason
    case.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    case.decided_on = on
    case.save()
    audit.record(
        actor=actor,
        obj=case,
        action="decide",
        from_state=RecertificationCase.Status.OPEN,
        to_state=outcome,
        reason=reason,
        changes={"committee_score": score, "ground": ground, "sheets": submitted},
    )
    if case.new_appointment is not None:
        demotion_notice_issue(actor=actor, case=case)
    return case


def demotion_notice_issue(*, actor, case: RecertificationCase) -> None:
    """Ask for the demotion notice (降级通知书) of a decided case through the letters entry point:
    issued after the decision commits, linked to the case once issued. A rendering failure
    does not undo the decision; the office issues the letter again from the letters pages."""
    case_id = case.pk

    def link(letter) -> None:
        RecertificationCase.objects.filter(pk=case_id).update(letter=letter)

    letter_issue_for(
        actor=actor,
        appointment_ids=[case.new_appointment_id],
        kind="demotion",
        on_issued=link,
    )
