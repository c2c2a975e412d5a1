"""Committee review (评审), DOMAIN.md "Certification" step 3: panels, declared conflicts,
scoring sheets (draft → submitted, reopened only by the chair with a reason), hand-entered
values of prefilled dimensions, and the panel's decision on a tie at the quota boundary.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from committee import sheets as panel_sheets
from committee.panels import panel_size_require
from core import audit
from core.errors import DomainError, ErrorCode, InvalidTransition, RoleRequired
from core.numbers import to_decimal
from core.roles import Role, has_role

from .. import events
from ..conflicts import committee_candidates
from ..models import (
    Application,
    Cycle,
    DeclaredConflict,
    Dimension,
    DimensionValue,
    Panel,
    ScoringSheet,
)
from ..scoring import Dim, sheet_total
from .common import NotInScope, check_state, require_office, require_reason

C = Cycle.Status
Sh = ScoringSheet.Status


def _require_review(cycle: Cycle, action: str) -> None:
    if cycle.status != C.REVIEW:
        raise InvalidTransition(
            _("Cannot %(action)s: the cycle is %(state)s, not in committee review.")
            % {"action": action, "state": cycle.get_status_display()}
        )


@transaction.atomic
def panel_save(
    *,
    actor,
    cycle: Cycle,
    level,
    chair,
    members,
    panel: Panel | None = None,
    deadline: dt.date | None = None,
) -> Panel:
    """Create or change the panel of a target level (the chair is always a member), with the
    day by which its members submit their sheets (optional)."""
    require_office(actor)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status in (C.PUBLICITY, C.APPROVAL, C.CLOSED):
        raise InvalidTransition(_("Panels are fixed once the results are published."))
    if not cycle.offers.filter(level=level).exists():
        raise DomainError(_("The cycle does not offer this level."), code=ErrorCode.INVALID)
    members = {m.pk: m for m in [*members, chair]}.values()
    if panel is None:
        if Panel.objects.filter(cycle=cycle, level=level).exists():
            raise InvalidTransition(_("This level already has a panel."))
        panel = Panel.objects.create(cycle=cycle, level=level, chair=chair, deadline=deadline)
        action = "create"
    else:
        panel = Panel.objects.select_for_update().get(pk=panel.pk)
        if panel.cycle_id != cycle.pk or panel.level_id != level.pk:
            raise DomainError(_("A panel's cycle and level cannot change."), code=ErrorCode.INVALID)
        panel.chair, panel.deadline = chair, deadline
        panel.save(update_fields=["chair", "deadline"])
        action = "update"
    before = set(panel.members.values_list("pk", flat=True)) if action == "update" else set()
    panel.members.set(members)
    audit.record(
        actor=actor,
        obj=panel,
        action=action,
        changes={
            "chair": chair.pk,
            "members": sorted(m.pk for m in members),
            "deadline": deadline.isoformat() if deadline else None,
        },
    )
    panel.cycle, panel.chair = cycle, chair
    events.panel_assigned(panel, [m.pk for m in members if m.pk not in before])
    return panel


@transaction.atomic
def conflict_declare(*, actor, member, staff, kind: str, note: str = "") -> DeclaredConflict:
    """A committee member declares a conflict with a staff member, for themselves only; the
    office may record one for any member. Nobody else may declare (403): a declaration names
    the staff member, so it must not become a way to look up employee numbers."""
    office = has_role(actor, Role.HR, Role.ADMIN)
    if not office and (member.pk != actor.pk or not has_role(actor, Role.COMMITTEE)):
        raise RoleRequired(
            _("Only a committee member, for themselves, or the office may declare a conflict.")
        )

    if kind not in DeclaredConflict.Kind.values:
        raise DomainError(_("Unknown conflict type."), code=ErrorCode.INVALID)
    try:
        with transaction.atomic():
            conflict = DeclaredConflict.objects.create(
                member=member, staff=staff, kind=kind, note=note
            )
    except IntegrityError as exc:
        raise InvalidTransition(_("This conflict is already declared.")) from exc
    audit.record(actor=actor, obj=conflict, action="declare", changes={"kind": kind})
    return conflict


def dims_of(cycle: Cycle) -> list[Dim]:
    return [
        Dim(d.code, d.weight, d.max_score, d.source == Dimension.Source.COMMITTEE)
        for d in cycle.dimensions.all()
    ]


def clean_scores(cycle: Cycle, scores: dict, *, complete: bool) -> dict[str, str]:
    """Scores for committee dimensions only, each a number within 0..max."""
    if not isinstance(scores, dict):
        raise DomainError(_("Scores must be an object of dimension codes."), code=ErrorCode.INVALID)
    dims = {d.code: d for d in cycle.dimensions.all() if d.source == Dimension.Source.COMMITTEE}
    errors = {}
    clean = {}
    for code, raw in scores.items():
        dim = dims.get(code)
        if dim is None:
            errors[str(code)] = _("Not a dimension the committee scores.")
            continue
        try:
            value = to_decimal(str(raw))
            if not value.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError, TypeError):
            errors[code] = _("Not a number.")
            continue
        if value < 0 or value > dim.max_score:
            errors[code] = _("Must be between 0 and %(max)s.") % {"max": dim.max_score}
            continue
        clean[code] = str(value)
    if complete:
        for code in dims:
            if code not in clean and code not in errors:
                errors[code] = _("Not scored yet.")
    if errors:
        raise DomainError(
            _("Some scores are invalid."), code=ErrorCode.INVALID_SCORES, details={"scores": errors}
        )
    return clean


def _panel_big_enough(application: Application) -> None:
    """A sheet counts only while the candidate has ``COMMITTEE_MIN_PANEL`` members not
    recused (a recusal declared after the review started can make a panel too small); checked
    when a sheet is submitted — drafts may be saved meanwhile."""
    from .cycles import effective_members

    effective = effective_members(application.cycle, [application]).get(application.pk, 0)
    panel_size_require(effective=effective)


def _candidate(actor, application: Application) -> Application:
    """The application if the actor may score it (their panel, no conflict), else 404."""
    if not committee_candidates(actor).filter(pk=application.pk).exists():
        raise NotInScope(_("Not found."))
    return application


@transaction.atomic
def sheet_save(*, actor, application: Application, scores: dict, comment: str = "") -> ScoringSheet:
    """Create or change the actor's draft sheet for a candidate (partial scores allowed)."""
    _candidate(actor, application)
    application = (
        Application.objects.select_related("cycle", "staff", "target_level")
        .prefetch_related("cycle__dimensions")
        .get(pk=application.pk)
    )
    _require_review(application.cycle, _("score"))
    sheet, _created = ScoringSheet.objects.select_for_update().get_or_create(
        application=application, member=actor
    )
    sheet.application, sheet.member = application, actor  # loaded: the audit reads them
    check_state(sheet, (Sh.DRAFT,), _("change the sheet"))
    merged = {**sheet.scores, **clean_scores(application.cycle, scores, complete=False)}
    before = dict(sheet.scores)
    sheet.scores, sheet.comment = merged, comment or sheet.comment
    sheet.save(update_fields=["scores", "comment"])
    audit.record(actor=actor, obj=sheet, action="score", changes={"scores": [before, merged]})
    return sheet


@transaction.atomic
def sheet_submit(*, actor, sheet: ScoringSheet) -> ScoringSheet:
    """draft → submitted (locked). Every committee dimension must be scored; the total is the
    weighted sheet total (the engine's :func:`committee.sheets.sheet_submit`)."""
    sheet = ScoringSheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.member_id != actor.pk:
        raise NotInScope(_("Not found."))
    if sheet.status == Sh.SUBMITTED:  # a repeated submission: already done
        return sheet
    application = (
        Application.objects.select_related("cycle", "staff", "target_level")
        .prefetch_related("cycle__dimensions")
        .get(pk=sheet.application_id)
    )
    sheet.application, sheet.member = application, actor  # loaded: the audit reads them
    _candidate(actor, application)
    _require_review(application.cycle, _("submit the sheet"))
    _panel_big_enough(application)
    check_state(sheet, (Sh.DRAFT,), _("submit the sheet"))
    clean = clean_scores(application.cycle, sheet.scores, complete=True)
    total = sheet_total({k: Decimal(v) for k, v in clean.items()}, dims_of(application.cycle))
    return panel_sheets.sheet_submit(actor=actor, sheet=sheet, total=total)


@transaction.atomic
def sheet_reopen(*, actor, sheet: ScoringSheet, reason: str) -> ScoringSheet:
    """submitted → draft, by the chair of the candidate's panel only, with a reason (the
    engine's :func:`committee.sheets.sheet_reopen`); the computed total is cleared."""
    reason = require_reason(reason)
    sheet = ScoringSheet.objects.select_for_update().get(pk=sheet.pk)
    application = Application.objects.select_related("cycle", "staff", "target_level").get(
        pk=sheet.application_id
    )
    chair_id = (
        Panel.objects.filter(cycle_id=application.cycle_id, level_id=application.target_level_id)
        .values_list("chair_id", flat=True)
        .first()
    )
    panel_sheets.require_chair(actor, chair_id)
    _require_review(application.cycle, _("reopen the sheet"))
    sheet = panel_sheets.sheet_reopen(
        actor=actor, sheet=sheet, chair_id=chair_id, reason=reason, keep_total=False
    )
    sheet.application = application
    events.sheet_reopened(sheet, chair=actor, reason=reason)
    return sheet


@transaction.atomic
def dimension_value_set(
    *, actor, application: Application, dimension: Dimension, value, reason: str
) -> DimensionValue:
    """The office enters (or corrects) a prefilled dimension by hand, with a reason —
    e.g. while the KPI app has no data for the candidate."""
    require_office(actor)
    reason = require_reason(reason)
    application = Application.objects.select_related("cycle").get(pk=application.pk)
    _require_review(application.cycle, _("enter a dimension value"))
    if dimension.cycle_id != application.cycle_id or not dimension.prefilled:
        raise DomainError(_("Not a prefilled dimension of this cycle."), code=ErrorCode.INVALID)
    value = to_decimal(value)
    if value < 0 or value > dimension.max_score:
        raise DomainError(
            _("Must be between 0 and %(max)s.") % {"max": dimension.max_score},
            code=ErrorCode.INVALID,
        )
    row, _created = DimensionValue.objects.select_for_update().get_or_create(
        application=application, dimension=dimension
    )
    before = row.value
    row.value, row.manual, row.reason = value, True, reason
    row.save(update_fields=["value", "manual", "reason"])
    audit.record(
        actor=actor,
        obj=application,
        action="set_dimension",
        reason=reason,
        changes={dimension.code: [before, value]},
    )
    return row


@transaction.atomic
def tie_decide(*, actor, application: Application, recommended: bool, reason: str):
    """The panel chair (or the office) decides a candidate tied across the quota boundary."""
    reason = require_reason(reason)
    application = (
        Application.objects.select_for_update().select_related("cycle").get(pk=application.pk)
    )
    panel = Panel.objects.filter(
        cycle_id=application.cycle_id, level_id=application.target_level_id
    ).first()
    if not (has_role(actor, Role.HR, Role.ADMIN) or (panel and panel.chair_id == actor.pk)):
        raise RoleRequired(_("Only the panel chair or the office may decide a tie."))
    _require_review(application.cycle, _("decide the tie"))
    before = application.tie_decision
    application.tie_decision = recommended
    application.save(update_fields=["tie_decision", "updated_at"])
    audit.record(
        actor=actor,
        obj=application,
        action="decide_tie",
        reason=reason,
        changes={"tie_decision": [before, recommended]},
    )
    return application
