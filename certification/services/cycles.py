"""Cycle set-up and the cycle state machine (DOMAIN.md, "Certification"):
``draft → open → qualification → review → publicity → approval → closed``.

Each transition is one function: role check, row lock, state check (409 with the reason
otherwise), change, audit record; side effects on other apps run on commit. A transition
asked again once made (a double click, a resent request) answers the cycle as it is: no
second audit record, no second side effect.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from committee.panels import min_panel_size, panel_size_require
from core import audit, clock
from core.errors import DomainError, ErrorCode, InvalidTransition
from core.roles import Role, is_office
from core.workdays import workday_window
from letters.services import letter_issue_for
from org.models import Appointment, Level, Staff
from org.services import AppointmentRequest, appointments_make
from training.services import package_grant

from .. import events, selectors, sources
from ..models import (
    Application,
    Cycle,
    CycleOffer,
    Dimension,
    DimensionValue,
    LeadershipDecision,
    Panel,
)
from ..scoring import scale_to_max
from .approval import approval_require, leadership_decisions_clear
from .common import check_state, move, move_many, require_office, require_role

logger = logging.getLogger(__name__)
S = Cycle.Status
CYCLE_FIELDS = (
    "name",
    "track",
    "window_start",
    "window_end",
    "reference_date",
    "same_unit_conflict",
    "quorum_numerator",
    "quorum_denominator",
    "spread_threshold",
    "publicity_days",
    "appointment_start",
    "strict_eligibility",
)


def _lock(cycle: Cycle) -> Cycle:
    return Cycle.objects.select_for_update().get(pk=cycle.pk)


def _validate_setup(cycle: Cycle, offers: list[dict] | None, dimensions: list[dict] | None):
    if cycle.window_end < cycle.window_start:
        raise DomainError(_("The window must end on or after its start."), code=ErrorCode.INVALID)
    if offers is not None:
        levels = [o["level"] for o in offers]
        if len({lv.pk for lv in levels}) != len(levels):
            raise DomainError(_("A level is offered twice."), code=ErrorCode.INVALID)
        for level in levels:
            if level.track_id != cycle.track_id:
                raise DomainError(
                    _("Level %(level)s is not on the cycle's track.") % {"level": level.code},
                    code=ErrorCode.INVALID,
                )
    if dimensions is not None:
        codes = [d["code"] for d in dimensions]
        if len(set(codes)) != len(codes):
            raise DomainError(_("Dimension codes must be unique."), code=ErrorCode.INVALID)


def check_ready_to_open(cycle: Cycle) -> None:
    offers = list(cycle.offers.all())
    dims = list(cycle.dimensions.all())
    if not offers:
        raise InvalidTransition(_("The cycle offers no target level."))
    if not dims:
        raise InvalidTransition(_("The scoring sheet has no dimensions."))
    total = sum((d.weight for d in dims), Decimal(0))
    if total != Decimal(100):
        raise InvalidTransition(
            _("The dimension weights sum to %(total)s, not 100.") % {"total": total}
        )


def _replace_children(cycle: Cycle, offers, dimensions) -> None:
    if offers is not None:
        cycle.offers.all().delete()
        CycleOffer.objects.bulk_create(CycleOffer(cycle=cycle, **o) for o in offers)
    if dimensions is not None:
        cycle.dimensions.all().delete()
        Dimension.objects.bulk_create(
            Dimension(cycle=cycle, order=i, **d) for i, d in enumerate(dimensions)
        )


@transaction.atomic
def cycle_create(*, actor, offers=None, dimensions=None, **fields) -> Cycle:
    """Create a draft cycle with its offers and scoring sheet."""
    require_office(actor)
    cycle = Cycle(**{k: v for k, v in fields.items() if k in CYCLE_FIELDS})
    _validate_setup(cycle, offers, dimensions)
    cycle.full_clean()
    cycle.save()
    _replace_children(cycle, offers, dimensions)
    audit.record(
        actor=actor,
        obj=cycle,
        action="create",
        to_state=cycle.status,
        changes=audit.snapshot(cycle),
    )
    return cycle


@transaction.atomic
def cycle_update(*, actor, cycle: Cycle, offers=None, dimensions=None, **fields) -> Cycle:
    """Change a cycle's set-up; only while it is a draft (its rules are fixed once open)."""
    require_office(actor)
    cycle = _lock(cycle)
    check_state(cycle, (S.DRAFT,), _("edit the cycle"))
    before = audit.snapshot(cycle)
    for name, value in fields.items():
        if name in CYCLE_FIELDS:
            setattr(cycle, name, value)
    _validate_setup(cycle, offers, dimensions)
    cycle.full_clean()
    cycle.save()
    _replace_children(cycle, offers, dimensions)
    changes = audit.diff(before, audit.snapshot(cycle))
    if offers is not None:
        changes["offers"] = [[o["level"].code, o["quota"], str(o["pass_line"])] for o in offers]
    if dimensions is not None:
        changes["dimensions"] = [[d["code"], str(d["weight"]), d["source"]] for d in dimensions]
    audit.record(actor=actor, obj=cycle, action="update", changes=changes)
    return cycle


@transaction.atomic
def cycle_open(*, actor, cycle: Cycle, reason: str = "") -> Cycle:
    """draft → open: needs at least one offer and dimension weights summing to exactly 100."""
    require_office(actor)
    cycle = _lock(cycle)
    if cycle.status == S.OPEN:  # a repeated request: already done
        return cycle
    check_state(cycle, (S.DRAFT,), _("open the cycle"))
    check_ready_to_open(cycle)
    move(actor=actor, obj=cycle, to=S.OPEN, action="open", reason=reason)
    return cycle


@transaction.atomic
def cycle_qualification_start(*, actor, cycle: Cycle, reason: str = "") -> Cycle:
    """open → qualification: the window closes; unsubmitted drafts can no longer be sent."""
    require_office(actor)
    cycle = _lock(cycle)
    if cycle.status == S.QUALIFICATION:  # a repeated request: already done
        return cycle
    check_state(cycle, (S.OPEN,), _("start the qualification review"))
    move(actor=actor, obj=cycle, to=S.QUALIFICATION, action="start_qualification", reason=reason)
    return cycle


def effective_members(cycle: Cycle, applications: list[Application]) -> dict[int, int]:
    """``{application_id: members not recused}`` — the scorers each candidate's panel has."""
    from ..conflicts import recusals

    return {
        app_id: sum(1 for kinds in members.values() if not kinds)
        for app_id, members in recusals(cycle, applications).items()
    }


def panel_sizes_require(cycle: Cycle, applications: list[Application]) -> None:
    """Refuse (``panel_too_small``) when a candidate's panel has fewer effective members
    (after recusals) than ``COMMITTEE_MIN_PANEL``; the message names the candidates."""
    sizes = effective_members(cycle, applications)
    needed = min_panel_size()
    short = [a for a in applications if sizes.get(a.pk, 0) < needed]
    if not short:
        return
    try:
        panel_size_require(effective=min(sizes.get(a.pk, 0) for a in short))
    except DomainError as exc:
        names = ", ".join(
            f"{a.staff.name} ({a.target_level.code}: {sizes.get(a.pk, 0)})" for a in short
        )
        raise InvalidTransition(
            f"{exc.message} {names}",
            code=ErrorCode.PANEL_TOO_SMALL,
            details={**exc.details, "applications": [a.pk for a in short]},
        ) from exc


def dimension_values_prefill(*, cycle: Cycle, applications: list[Application]) -> None:
    """Fill the prefilled dimensions of each candidate from system data (set-based: one call
    per source), keeping values the office entered by hand."""
    dims = [d for d in cycle.dimensions.all() if d.prefilled]
    if not dims or not applications:
        return
    on = cycle.eval_date
    ids = [a.staff_id for a in applications]
    figures: dict[str, dict | None] = {}
    sources_needed = {d.source for d in dims}
    if "kpi" in sources_needed:
        scores = sources.annual_scores(ids, on.year - 1)
        figures["kpi"] = None if scores is None else {k: v.score for k, v in scores.items()}
    if "training" in sources_needed:
        figures["training"] = sources.credits_12m(ids, on)
    if "competency" in sources_needed:
        figures["competency"] = sources.competency_indexes(ids, on_date=on)
    required = _required_credits(applications, on) if "training" in sources_needed else {}
    existing = {
        (v.application_id, v.dimension_id): v
        for v in DimensionValue.objects.filter(application__in=applications, dimension__in=dims)
    }
    new, changed = [], []
    for app in applications:
        for dim in dims:
            data = figures.get(dim.source)
            raw = None if data is None else data.get(app.staff_id)
            value = scale_to_max(dim.source, raw, dim.max_score, required.get(app.pk))
            row = existing.get((app.pk, dim.pk))
            if row is None:
                new.append(
                    DimensionValue(application=app, dimension=dim, source_value=raw, value=value)
                )
            elif not row.manual:
                row.source_value, row.value = raw, value
                changed.append(row)
    DimensionValue.objects.bulk_create(new)
    DimensionValue.objects.bulk_update(changed, ["source_value", "value"])


def _required_credits(applications, on) -> dict[int, Decimal | None]:
    """Credits required for each candidate's target level (policy, else training rules)."""
    from ..eligibility import Policy

    result = {}
    by_level: dict[int, Decimal | None] = {}
    for app in applications:
        if app.target_level_id not in by_level:
            by_level[app.target_level_id] = Policy.for_level(app.target_level).min_credits_12m
        required = by_level[app.target_level_id]
        if required is None:
            summary = sources.training_summary(app.staff, on, level=app.target_level)
            required = getattr(summary, "required_credits", None) if summary else None
        result[app.pk] = required
    return result


@transaction.atomic
def cycle_review_start(*, actor, cycle: Cycle, reason: str = "") -> Cycle:
    """qualification → review: every application decided, a panel for each level with
    candidates; the prefilled dimensions are taken from system data now."""
    require_office(actor)
    cycle = _lock(cycle)
    if cycle.status == S.REVIEW:  # a repeated request: already done
        return cycle
    check_state(cycle, (S.QUALIFICATION,), _("start the committee review"))
    pending = cycle.applications.filter(
        status__in=(Application.Status.SUBMITTED, Application.Status.RETURNED)
    ).count()
    if pending:
        raise InvalidTransition(
            _("%(n)s application(s) still await a qualification decision.") % {"n": pending}
        )
    candidates = list(
        cycle.applications.filter(status=Application.Status.QUALIFIED).select_related(
            "staff", "target_level"
        )
    )
    panel_levels = set(Panel.objects.filter(cycle=cycle).values_list("level_id", flat=True))
    missing = sorted(
        {a.target_level.code for a in candidates if a.target_level_id not in panel_levels}
    )
    if missing:
        raise InvalidTransition(
            _("No panel for target level(s) %(levels)s.") % {"levels": ", ".join(missing)}
        )
    panel_sizes_require(cycle, candidates)
    dimension_values_prefill(cycle=cycle, applications=candidates)
    move(actor=actor, obj=cycle, to=S.REVIEW, action="start_review", reason=reason)
    return cycle


@transaction.atomic
def cycle_publish(*, actor, cycle: Cycle, today: dt.date | None = None, reason: str = "") -> Cycle:
    """review → publicity: freeze the results and open the objection window of N working
    days. Refused while a candidate lacks quorum or data, or a quota tie is undecided."""
    from ..results import compute_results, flag_label

    require_office(actor)
    cycle = _lock(cycle)
    if cycle.status == S.PUBLICITY:  # a repeated request: already done
        return cycle
    check_state(cycle, (S.REVIEW,), _("publish the results"))
    rows = compute_results(cycle)
    blocking = [r for r in rows if r.blocking]
    if blocking:
        names = ", ".join(
            f"{r.application.staff.name} ({', '.join(flag_label(f) for f in r.blocking)})"
            for r in blocking
        )
        raise InvalidTransition(_("Results are not complete: %(list)s.") % {"list": names})
    for row in rows:
        app = row.application
        app.committee_score, app.final_score = row.committee_score, row.final_score
        app.rank, app.passed, app.recommended = row.rank, row.passed, bool(row.recommended)
        app.flags = row.flags
    Application.objects.bulk_update(
        [r.application for r in rows],
        ["committee_score", "final_score", "rank", "passed", "recommended", "flags"],
    )
    # Applications taken off the list (an objection upheld with rejection) lose their figures.
    Application.objects.filter(cycle=cycle).exclude(pk__in=[r.application.pk for r in rows]).update(
        committee_score=None, final_score=None, rank=None, passed=None, recommended=None
    )
    today = today or clock.today()
    cycle.publicity_start, cycle.publicity_end = workday_window(today, cycle.publicity_days)
    move(
        actor=actor,
        obj=cycle,
        to=S.PUBLICITY,
        action="publish",
        reason=reason,
        fields=("publicity_start", "publicity_end"),
        changes={
            "publicity": [cycle.publicity_start, cycle.publicity_end],
            "recommended": [r.application.pk for r in rows if r.recommended],
        },
    )
    events.publicity_open(cycle, [r.application for r in rows])
    return cycle


def cycle_review_reopen(*, actor, cycle: Cycle, reason: str) -> None:
    """publicity → review after an upheld objection (caller holds the lock)."""
    cycle.publicity_start = cycle.publicity_end = None
    leadership_decisions_clear(cycle)
    move(
        actor=actor,
        obj=cycle,
        to=S.REVIEW,
        action="back_to_review",
        reason=reason,
        fields=("publicity_start", "publicity_end"),
    )


@transaction.atomic
def cycle_approve(*, actor, cycle: Cycle, today: dt.date | None = None, reason: str = "") -> Cycle:
    """publicity → approval by the leadership group, once the publicity window has ended with
    no open objection, never by the person who published the results (two-person rule).
    Each recommended candidate is appointed to the target level (org service, in this
    transaction) unless the leadership group returned them (:mod:`.approval`): those are not
    promoted, with the comment as the reason; candidates not decided one by one are approved
    with the list. Training packages and letters are requested on commit."""
    require_role(actor, Role.LEADERSHIP, Role.ADMIN)
    cycle = _lock(cycle)
    if cycle.status == S.APPROVAL:  # a repeated request: already done
        return cycle
    check_state(cycle, (S.PUBLICITY,), _("approve the results"))
    today = today or clock.today()
    approval_require(actor=actor, cycle=cycle, today=today)
    start = cycle.appointment_start or today
    apps = list(
        Application.objects.select_for_update()
        .filter(cycle=cycle, status=Application.Status.QUALIFIED)
        .select_related("staff", "target_level")
        .order_by("pk")
    )
    exited, returned, appointed, moves = [], [], [], []
    for app in apps:
        app.cycle = cycle  # for the audit events' text, without a query per candidate
        promoted = bool(app.recommended)
        app_reason = reason
        if promoted and app.leadership_decision == LeadershipDecision.RETURNED:
            # Returned by the leadership group: not appointed, their comment is the reason.
            promoted = False
            returned.append(app.pk)
            app_reason = app.leadership_comment
        elif promoted and not app.leadership_decision:
            # Approving the list approves every candidate not decided one by one.
            app.leadership_decision = LeadershipDecision.APPROVED
            app.leadership_by, app.leadership_at = actor, clock.now()
        if promoted and app.staff.status == Staff.Status.EXITED:
            # Left after the review: not appointed (org refuses it); recorded on the cycle.
            promoted = False
            exited.append(app.pk)
        if promoted:
            appointed.append(app)
        to = Application.Status.PROMOTED if promoted else Application.Status.NOT_PROMOTED
        moves.append((app, to, app_reason))
    # Every appointment at once (org's rule, set-based): the cost does not grow with the list.
    decision = f"{cycle.name} (#{cycle.pk})"[:200]
    appointments = appointments_make(
        actor=actor,
        items=[
            AppointmentRequest(
                staff=app.staff,
                level=app.target_level,
                start=start,
                reason=Appointment.Reason.PROMOTION,
                decision=decision,
                audit_reason=reason,
            )
            for app in appointed
        ],
    )
    for app, appointment in zip(appointed, appointments, strict=True):
        app.appointment = appointment
    appointment_ids = [appointment.pk for appointment in appointments]
    move_many(
        actor=actor,
        moves=moves,
        action="approve",
        fields=(
            "appointment",
            "leadership_decision",
            "leadership_by",
            "leadership_at",
            "updated_at",
        ),
    )
    cycle.approved_on = today
    move(
        actor=actor,
        obj=cycle,
        to=S.APPROVAL,
        action="approve",
        reason=reason,
        fields=("approved_on",),
        changes={
            "appointments": appointment_ids,
            "not_appointed_exited": exited,
            "not_appointed_returned": returned,
        },
    )
    events.results_approved(cycle, apps, start=start)
    transaction.on_commit(
        lambda: approval_packages_grant(actor=actor, appointment_ids=appointment_ids)
    )
    letter_issue_for(
        actor=actor, appointment_ids=appointment_ids, kind="promotion", background=True
    )
    return cycle


def approval_packages_grant(*, actor, appointment_ids: list[int]) -> None:
    """After the approval commits: the training packages of the new levels. A failure is
    logged, never undoes the approval (the letters are asked for by the approval itself)."""
    for appointment in Appointment.objects.filter(pk__in=appointment_ids).select_related(
        "level", "staff"
    ):
        try:
            package_grant(appointment=appointment)
        except Exception:  # blind on purpose (logged): one failed package must not stop the others
            logger.exception("Training package for appointment %s failed", appointment.pk)


@transaction.atomic
def cycle_close(*, actor, cycle: Cycle, reason: str = "") -> Cycle:
    """approval → closed: the cycle is archived; nothing in it changes any more."""
    require_office(actor)
    cycle = _lock(cycle)
    if cycle.status == S.CLOSED:  # a repeated request: already done
        return cycle
    check_state(cycle, (S.APPROVAL,), _("close the cycle"))
    move(actor=actor, obj=cycle, to=S.CLOSED, action="close", reason=reason)
    return cycle


def levels_offered(cycle: Cycle) -> list[Level]:
    return [o.level for o in cycle.offers.select_related("level")]


# Every transition of a cycle: the service that makes it and the state it starts from.
CYCLE_TRANSITIONS = {
    "open": (cycle_open, S.DRAFT),
    "start_qualification": (cycle_qualification_start, S.OPEN),
    "start_review": (cycle_review_start, S.QUALIFICATION),
    "publish": (cycle_publish, S.REVIEW),
    "approve": (cycle_approve, S.PUBLICITY),
    "close": (cycle_close, S.APPROVAL),
}


def may_approve(user) -> bool:
    """The leadership group (and administrators) approve the result list (DOMAIN.md, step 5;
    :func:`certification.selectors.approves_results`)."""
    return selectors.approves_results(user=user)


def cycle_transitions_for(*, user, cycle: Cycle) -> list[str]:
    """The transitions ``user`` may trigger on ``cycle`` now: the leadership group approves;
    the office runs every other step."""
    office = is_office(user)
    return [
        name
        for name, (_service, state) in CYCLE_TRANSITIONS.items()
        if state == cycle.status and (may_approve(user) if name == "approve" else office)
    ]
