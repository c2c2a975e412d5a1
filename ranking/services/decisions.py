"""Re-certification outcomes (DOMAIN.md, "Annual ranking", re-certification procedure and
outcomes), never decided by one person:

1. the office **proposes** the outcome from the committee score (pass → kept; fail → demoted one
   level; fail at the lowest level, under the elimination line or a second failure in a row →
   eliminated) and the proposal is **published** for ``RECERT_PUBLICITY_WORKDAYS`` working days,
   in which any staff member may object (:mod:`.appeals` keeps objections and appeals);
2. after the publicity, with no objection open, the **leadership group approves** it (the
   proposer never approves: two-person rule) or refuses it with a reason (back to scoring);
3. a kept level is final at approval; a demotion or elimination waits for the **appeal window**
   (``RECERT_APPEAL_WORKDAYS`` working days after approval) and any open appeal, then
   :func:`recertification_outcomes_apply` (run nightly) gives it effect: a new appointment one
   level down, or the appointment closed. The letter of an outcome (kept, demotion notice,
   elimination notice) is issued at approval, so that it can state the appeal deadline and the
   date the decision takes effect.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from committee.panels import min_panel_size, panel_size_require
from core import audit, clock, transitions
from core.errors import DomainError, ErrorCode, InvalidTransition, RoleRequired
from core.roles import Role, has_role
from core.workdays import workday_window
from letters.services import Grounds, letter_issue_for
from org import services as org_services
from org.models import Appointment, Level, Staff

from .. import events
from ..models import (
    RankingRun,
    RecertificationAppeal,
    RecertificationCase,
    RecertificationObjection,
)
from .common import require_office
from .recertification import committee_score

logger = logging.getLogger(__name__)

Status = RecertificationCase.Status
Outcome = RecertificationCase.Outcome


def publicity_workdays() -> int:
    return max(1, int(settings.RECERT_PUBLICITY_WORKDAYS))


def appeal_workdays() -> int:
    return max(1, int(settings.RECERT_APPEAL_WORKDAYS))


def _previous_failure(case: RecertificationCase) -> bool:
    """Whether the staff member failed the re-certification of the year before (a second
    failure in a row eliminates): a run's case of that year, or a referred case decided in it."""
    return (
        RecertificationCase.objects.filter(
            staff_id=case.staff_id,
            status=Status.DECIDED,
            outcome__in=[Outcome.DEMOTED],
        )
        .filter(Q(run__year=case.year - 1) | Q(run__isnull=True, decided_on__year=case.year - 1))
        .exists()
    )


def outcome_for(
    case: RecertificationCase, score: Decimal
) -> tuple[RecertificationCase.Outcome, RecertificationCase.Ground]:
    """DOMAIN.md's outcomes: pass → kept; fail → demoted one level; fail at the lowest level,
    under the elimination line, or a second failure in a row → eliminated."""
    ground = RecertificationCase.Ground
    if score >= case.pass_line:
        return Outcome.KEPT, ground.PASSED
    if score < case.elimination_line:
        return Outcome.ELIMINATED, ground.UNDER_ELIMINATION_LINE
    if _lower_level(case.level) is None:
        return Outcome.ELIMINATED, ground.LOWEST_LEVEL
    if _previous_failure(case):
        return Outcome.ELIMINATED, ground.SECOND_FAILURE
    return Outcome.DEMOTED, ground.FAILED


def _lower_level(level: Level) -> Level | None:
    return (
        Level.objects.filter(track_id=level.track_id, order__lt=level.order)
        .order_by("-order")
        .first()
    )


def lock_case(case: RecertificationCase, *states: str, action: str) -> RecertificationCase:
    case = (
        RecertificationCase.objects.select_for_update(of=("self",))
        .select_related("run", "level", "staff")
        .get(pk=case.pk)
    )
    if case.status not in states:
        raise InvalidTransition(
            _("Cannot %(action)s: the case is %(status)s.")
            % {"action": action, "status": case.get_status_display()}
        )
    return case


def clear_proposal(case: RecertificationCase) -> None:
    """Back to scoring: the proposal and its publicity are cleared (the audit keeps them)."""
    case.status = Status.OPEN
    case.committee_score = None
    case.outcome = case.ground = ""
    case.proposed_by, case.proposed_on = None, None
    case.publicity_start = case.publicity_end = None
    case.approved_by, case.approved_on, case.appeal_until = None, None, None


@transaction.atomic
def recertification_case_propose(
    *, actor, case: RecertificationCase, reason: str = ""
) -> RecertificationCase:
    """scoring → published: the office proposes the outcome from the committee score (the
    quorum must have submitted) and publishes it for ``RECERT_PUBLICITY_WORKDAYS`` working days
    from today (``core.workdays.workday_window``). A repeated request (the case is already
    published) answers the case as it is and records nothing."""
    require_office(actor)
    case = lock_case(case, Status.OPEN, Status.PUBLISHED, action=_("propose the outcome"))
    if case.status == Status.PUBLISHED:  # a repeated request: already done
        return case
    if case.run is not None and case.run.status != RankingRun.Status.COMMITTED:
        raise InvalidTransition(_("The ranking run of this case is no longer committed."))
    panel_size_require(effective=case.members.count())
    score, submitted, needed = committee_score(case)
    if score is None:
        raise InvalidTransition(
            _("The quorum is not reached: %(n)s of %(q)s sheets submitted.")
            % {"n": submitted, "q": needed},
            code=ErrorCode.QUORUM_NOT_REACHED,
        )
    if Staff.objects.filter(pk=case.staff_id).values_list("level_id", flat=True).first() != (
        case.level_id
    ):
        raise InvalidTransition(_("The staff member's level changed since the case was opened."))
    outcome, ground = outcome_for(case, score)
    first, last = workday_window(clock.today(), publicity_workdays())
    case.status = Status.PUBLISHED
    case.committee_score, case.outcome, case.ground = score, outcome, ground
    case.proposed_by = actor if getattr(actor, "is_authenticated", False) else None
    case.proposed_on = clock.today()
    case.publicity_start, case.publicity_end = first, last
    case.decision_reason = reason
    case.save()
    audit.record(
        actor=actor,
        obj=case,
        action="propose",
        from_state=Status.OPEN,
        to_state=Status.PUBLISHED,
        reason=reason,
        changes={
            "committee_score": score,
            "outcome": outcome,
            "ground": ground,
            "sheets": submitted,
            "publicity": [first, last],
        },
    )
    events.outcome_proposed(case)
    return case


@transaction.atomic
def recertification_results_publish(
    *, actor, run: RankingRun, reason: str = ""
) -> list[RecertificationCase]:
    """Propose and publish, as one result list, every case of ``run`` still in scoring whose
    panel is large enough and whose quorum has submitted (the others stay in scoring); all get
    the same publicity window. Returns the cases published now (a repeat publishes none)."""
    require_office(actor)
    published = []
    cases = RecertificationCase.objects.filter(run=run, status=Status.OPEN).order_by("pk")
    for case in cases:
        if case.members.count() < min_panel_size() or committee_score(case)[0] is None:
            continue
        published.append(recertification_case_propose(actor=actor, case=case, reason=reason))
    return published


def require_leadership(actor) -> None:
    if actor is None or not has_role(actor, Role.LEADERSHIP):
        raise RoleRequired(
            _("Only the leadership group approves re-certification outcomes."),
        )


@transaction.atomic
def recertification_case_approve(
    *, actor, case: RecertificationCase, approve: bool = True, reason: str = ""
) -> RecertificationCase:
    """The leadership group's decision on a published proposal, once its publicity is over and
    no objection is open. Never by the person who proposed it (two-person rule), never by the
    office alone. ``approve``: a kept level becomes final; a demotion or elimination opens the
    appeal window of ``RECERT_APPEAL_WORKDAYS`` working days after today and takes effect
    after it (:func:`recertification_outcomes_apply`). Refusing needs a reason and sends the
    case back to scoring. A repeated approval (the case is already approved) answers the case
    as it is and records nothing."""
    require_leadership(actor)
    case = lock_case(
        case, Status.PUBLISHED, Status.APPROVED, Status.DECIDED, action=_("approve the outcome")
    )
    if case.status != Status.PUBLISHED:
        if approve and case.approved_by_id is not None:  # a repeated request: already done
            return case
        lock_case(case, Status.PUBLISHED, action=_("approve the outcome"))  # refuses
    if case.proposed_by_id is not None and case.proposed_by_id == actor.pk:
        raise DomainError(
            _("The outcome was proposed by you; another member of the leadership group approves."),
            code=ErrorCode.TWO_PERSON_RULE,
        )
    today = clock.today()
    if case.publicity_end is not None and today <= case.publicity_end:
        raise InvalidTransition(
            _("The outcome is in publicity until %(day)s; approve it after that.")
            % {"day": case.publicity_end},
            code=ErrorCode.PUBLICITY_NOT_OVER,
        )
    if case.objections.filter(status=RecertificationObjection.Status.OPEN).exists():
        raise InvalidTransition(
            _("An objection to this outcome is still open; the office resolves it first."),
            code=ErrorCode.OBJECTIONS_OPEN,
        )
    if not approve:
        reason = transitions.require_reason(reason)
        clear_proposal(case)
        case.save()
        audit.record(
            actor=actor,
            obj=case,
            action="refuse",
            from_state=Status.PUBLISHED,
            to_state=Status.OPEN,
            reason=reason,
        )
        return case
    case.approved_by, case.approved_on, case.approval_reason = actor, today, reason
    if case.outcome == Outcome.KEPT:
        case.status = Status.DECIDED
        case.decided_by, case.decided_on, case.effective_on = actor, today, today
    else:
        case.status = Status.APPROVED
        case.appeal_until = workday_window(today + dt.timedelta(days=1), appeal_workdays())[1]
    case.save()
    audit.record(
        actor=actor,
        obj=case,
        action="approve",
        from_state=Status.PUBLISHED,
        to_state=case.status,
        reason=reason,
        changes={"outcome": case.outcome, "appeal_until": case.appeal_until},
    )
    recertification_letter_issue(actor=actor, case=case)
    events.decision_approved(case)
    return case


def _apply(case: RecertificationCase, *, today: dt.date) -> None:
    """Give an approved demotion or elimination its effect (the case row is locked)."""
    staff = Staff.objects.select_for_update().get(pk=case.staff_id)
    decision = _("Re-certification %(year)s, case %(case)s") % {
        "year": case.year,
        "case": case.pk,
    }
    if staff.level_id != case.level_id:
        logger.warning("Re-certification case %s: the level changed; not applied.", case.pk)
        return
    lower = _lower_level(case.level) if case.outcome == Outcome.DEMOTED else None
    if case.outcome == Outcome.DEMOTED and lower is None:  # outcome_for demotes only above one
        logger.warning("Re-certification case %s: no level below; not applied.", case.pk)
        return
    if case.outcome == Outcome.DEMOTED and lower is not None:
        case.new_appointment = org_services.appoint(
            actor=None,
            staff=staff,
            level=lower,
            start=today,
            reason=Appointment.Reason.DEMOTION,
            decision=decision,
            audit_reason=case.approval_reason or case.decision_reason,
        )
    else:
        case.closed_appointment = org_services.eliminate_from_post(
            actor=None,
            staff=staff,
            on=today,
            decision=decision,
            reason=case.approval_reason or case.decision_reason,
        )
    case.status = Status.DECIDED
    case.decided_by = case.approved_by
    case.decided_on = case.effective_on = today
    case.save()
    audit.record(
        actor=None,
        obj=case,
        action="apply",
        from_state=Status.APPROVED,
        to_state=Status.DECIDED,
        changes={
            "outcome": case.outcome,
            "new_appointment": case.new_appointment_id,
            "closed_appointment": case.closed_appointment_id,
        },
    )


def due_cases(*, today: dt.date):
    """Approved demotions and eliminations whose appeal window closed before ``today`` and
    that have no open appeal (one query)."""
    open_appeal = RecertificationAppeal.objects.filter(
        case=OuterRef("pk"), status=RecertificationAppeal.Status.OPEN
    )
    return RecertificationCase.objects.filter(
        status=Status.APPROVED,
        outcome__in=[Outcome.DEMOTED, Outcome.ELIMINATED],
        appeal_until__lt=today,
    ).filter(~Exists(open_appeal))


@transaction.atomic
def recertification_outcomes_apply(*, today: dt.date | None = None) -> int:
    """Give effect to every approved demotion and elimination that is due (appeal window
    closed, no open appeal); returns how many. Idempotent: an applied case is decided and is
    not selected again. Run nightly (``manage.py recertification_apply_outcomes``)."""
    today = today or clock.today()
    cases = list(
        due_cases(today=today)
        .select_for_update(of=("self",))
        .select_related("run", "level", "staff")
        .order_by("pk")
    )
    for case in cases:
        _apply(case, today=today)
    return len(cases)


def letter_grounds(case: RecertificationCase) -> Grounds:
    """What the re-certification letter of ``case`` states as its grounds: the ranking that put
    the person in the bottom band (if the case came from a run), the committee score against
    the pass line, the level a demotion moves to, and the appeal window and effective date."""
    grounds: Grounds = {
        "recert_score": case.committee_score,
        "pass_line": case.pass_line,
        "elimination_line": case.elimination_line,
        "approved_on": case.approved_on,
    }
    if case.ground:
        grounds["ground"] = RecertificationCase.Ground(case.ground).label
    entry = case.entry
    if entry is not None and case.run is not None:
        from ..selectors import cohort_labels  # ranking.selectors imports ranking.services

        labels = cohort_labels(run=case.run, keys=[entry.cohort_key])
        grounds |= {
            "ranking_year": case.run.year,
            "cohort": labels.get(entry.cohort_key, ""),
            "cohort_size": entry.cohort_size,
            "rank": entry.rank,
            "band_size": entry.band_size,
            "ranking_score": entry.score,
        }
    if case.outcome in (Outcome.DEMOTED, Outcome.ELIMINATED) and case.appeal_until:
        # recertification_outcomes_apply gives effect the day after the window closes.
        grounds["appeal_until"] = case.appeal_until
        grounds["effective_on"] = case.appeal_until + dt.timedelta(days=1)
    if case.outcome == Outcome.DEMOTED:
        lower = _lower_level(case.level)
        if lower is not None:
            grounds["new_level_id"] = lower.pk
    return grounds


LETTER_KIND_OF_OUTCOME: dict[str, str] = {
    Outcome.KEPT: "kept",
    Outcome.DEMOTED: "demotion",
    Outcome.ELIMINATED: "elimination",
}


def recertification_letter_issue(*, actor, case: RecertificationCase) -> None:
    """Ask for the letter of an approved outcome through the letters entry point, for the
    appointment the person holds at approval: the kept-level letter, or the demotion / elimination
    notice (降级通知书 / 淘汰通知书) with its grounds, the appeal deadline and the date it takes
    effect after the appeal window. Issued after the approval commits and linked to the case;
    a rendering failure does not undo the decision (the office issues the letter again)."""
    kind = LETTER_KIND_OF_OUTCOME.get(case.outcome)
    current = (
        Appointment.objects.filter(staff_id=case.staff_id, closed_on__isnull=True)
        .values_list("pk", flat=True)
        .first()
    )
    if kind is None or current is None:
        return
    case_id = case.pk

    def link(letter) -> None:
        RecertificationCase.objects.filter(pk=case_id).update(letter=letter)

    letter_issue_for(
        actor=actor,
        appointment_ids=[current],
        kind=kind,
        on_issued=link,
        grounds={current: letter_grounds(case)},
    )
