"""The re-certification panel (DOMAIN.md, "Annual ranking", re-certification procedure): the
same panel rules as promotion certification, run by the committee engine — a case is opened
(by a committed run, or by a term-end review's referral), the office sets its panel and chair,
each member scores every part of the certification sheet at the current level and submits it,
the chair alone reopens a sheet with a reason, and the committee score is the trimmed mean once
the quorum has submitted.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from certification.models import Cycle, DeclaredConflict, Dimension
from certification.scoring import Dim, sheet_total
from committee import arithmetic
from committee import sheets as panel_sheets
from committee.conflicts import conflict_kinds, person_of_staff, person_of_user
from committee.panels import panel_size_require
from core import audit, transitions
from core.errors import (
    ConflictOfInterest,
    DomainError,
    ErrorCode,
    InvalidTransition,
    RoleRequired,
)
from core.roles import Role, has_role
from org.models import Level, Staff

from .. import events
from ..models import RecertificationCase, RecertificationSheet, RecertificationSheetLine
from .common import require_office

# Same-unit colleagues do not score each other in a re-certification (回避).
SAME_UNIT_CONFLICT = True


# The seed's parts of the scoring sheet (评分表), used when no promotion cycle of the track has
# offered the level yet: work performance 工作业绩, training and development 培训发展, competency
# assessment 素质评估.
DEFAULT_SHEET = (
    ("performance", "Work performance", Decimal("40"), Decimal("100")),
    ("training", "Training and development", Decimal("20"), Decimal("100")),
    ("competency", "Competency assessment", Decimal("40"), Decimal("100")),
)


def sheet_definition_for(level: Level) -> list[dict]:
    """The parts a member scores for a re-certification at ``level``: the dimensions (code,
    name, weight, maximum) of the scoring sheet of the latest promotion cycle of the track that
    offered ``level`` — the sheet promotion candidates to that level were scored on — or the
    seed's three parts when no cycle offered it."""
    cycle_id = (
        Cycle.objects.filter(track_id=level.track_id, offers__level=level)
        .order_by("-window_start", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    rows = (
        list(
            Dimension.objects.filter(cycle_id=cycle_id)
            .order_by("order", "id")
            .values_list("code", "name", "weight", "max_score")
        )
        if cycle_id is not None
        else []
    )
    if not rows:
        rows = [(code, _(name), w, m) for code, name, w, m in DEFAULT_SHEET]
    return [
        {"code": code, "name": str(name), "weight": str(weight), "max": str(max_score)}
        for code, name, weight, max_score in rows
    ]


def dims_of(case: RecertificationCase) -> list[Dim]:
    """The case's sheet as the certification arithmetic's dimensions (every part is scored by
    the panel)."""
    return [
        Dim(d["code"], Decimal(d["weight"]), Decimal(d["max"]), True) for d in case.sheet_definition
    ]


def former_members(case: RecertificationCase) -> set[int]:
    """Members who scored the case in an earlier round (they never sit on its new panel)."""
    return set(
        case.sheets.filter(round__lt=case.round).values_list("member_id", flat=True).distinct()
    )


def lock_open_case(case: RecertificationCase) -> RecertificationCase:
    case = (
        RecertificationCase.objects.select_for_update(of=("self",))
        .select_related("run", "level", "staff")
        .get(pk=case.pk)
    )
    if case.status != RecertificationCase.Status.OPEN:
        raise InvalidTransition(_("This re-certification case is already closed."))
    return case


@transaction.atomic
def recertification_case_open(
    *, actor, staff: Staff, reason: str, review=None
) -> RecertificationCase:
    """Open a re-certification case at the staff member's current level outside a ranking run
    — a term-end review referred them (DOMAIN.md: "A term-end review may refer a person to
    re-certification, which opens a case in the same way"). ``review``: the referring
    re-appointment case, whose id the case keeps (then the reason may be left empty: the review
    is the ground); without one a reason is required. A person never has two open cases; the
    decision later uses the default pass and elimination lines of a ranking run."""
    require_office(actor)
    if review is None:
        reason = transitions.require_reason(reason)
    staff = Staff.objects.select_for_update().get(pk=staff.pk)
    if staff.level_id is None:
        raise InvalidTransition(
            _("%(staff)s holds no level to be re-certified at.") % {"staff": staff}
        )
    if RecertificationCase.objects.filter(
        staff=staff, status__in=RecertificationCase.ACTIVE
    ).exists():
        raise InvalidTransition(
            _("%(staff)s already has an open re-certification case.") % {"staff": staff}
        )
    case = RecertificationCase.objects.create(
        staff=staff, level_id=staff.level_id, reappointment_case_id=getattr(review, "pk", None)
    )
    audit.record(
        actor=actor,
        obj=case,
        action="open",
        to_state=RecertificationCase.Status.OPEN,
        reason=reason,
        changes={"staff": staff.pk, "level": staff.level_id, "review": case.reappointment_case_id},
    )
    events.case_referred(case)
    return case


def conflicts_with(member, staff: Staff) -> list[str]:
    """Conflict types between a panel member and the staff member re-certified: the committee
    engine's rule with the members' declared conflicts (kept by the certification app)."""
    declared = dict(
        DeclaredConflict.objects.filter(member=member, staff=staff).values_list("staff_id", "kind")
    )
    return conflict_kinds(
        person_of_user(member),
        person_of_staff(staff),
        same_unit=SAME_UNIT_CONFLICT,
        declared=declared,
    )


@transaction.atomic
def recertification_panel_assign(
    *, actor, case: RecertificationCase, members: list, chair=None
) -> RecertificationCase:
    """Set the panel of a case: committee members without a conflict of interest, and its
    chair — one of them (by default the current chair if still a member, else the first
    listed). A member who already submitted a sheet cannot be removed."""
    require_office(actor)
    case = lock_open_case(case)
    former = former_members(case)
    for member in members:
        if member.pk in former:
            raise DomainError(
                _(
                    "%(user)s scored this case before the appeal; the new panel has none of the "
                    "previous members."
                )
                % {"user": member.get_username()},
                code=ErrorCode.FORMER_PANEL_MEMBER,
            )
        if not has_role(member, Role.COMMITTEE):
            raise DomainError(
                _("%(user)s is not a committee member.") % {"user": member.get_username()},
                code=ErrorCode.NOT_COMMITTEE_MEMBER,
            )
        kinds = conflicts_with(member, case.staff)
        if kinds:
            raise ConflictOfInterest(
                _("%(user)s has a conflict of interest with %(staff)s (%(kinds)s).")
                % {"user": member.get_username(), "staff": case.staff, "kinds": ", ".join(kinds)}
            )
    new_ids = {m.pk for m in members}
    submitted = set(
        case.sheets.filter(
            status=RecertificationSheet.Status.SUBMITTED, round=case.round
        ).values_list("member_id", flat=True)
    )
    if submitted - new_ids:
        raise InvalidTransition(_("A member who has submitted a sheet cannot be removed."))
    if chair is not None and chair.pk not in new_ids:
        raise DomainError(
            _("The chair must be a member of the panel."), code=ErrorCode.CHAIR_NOT_MEMBER
        )
    if chair is None and members:
        chair = case.chair if case.chair_id in new_ids else members[0]
    before = sorted(case.members.values_list("pk", flat=True))
    before_chair = case.chair_id
    case.members.set(members)
    case.chair = chair
    if not case.sheet_definition:
        case.sheet_definition = sheet_definition_for(case.level)
    case.save(update_fields=["chair", "sheet_definition"])
    audit.record(
        actor=actor,
        obj=case,
        action="assign_panel",
        changes={
            "members": [before, sorted(new_ids)],
            "chair": [before_chair, chair.pk if chair else None],
        },
    )
    events.panel_assigned(case, sorted(new_ids - set(before)))
    return case


@transaction.atomic
def recertification_sheet_reopen(
    *, actor, sheet: RecertificationSheet, reason: str
) -> RecertificationSheet:
    """submitted → draft, by the chair of the case's panel only, with a reason (the committee
    engine's rule); the member's total stays as their draft and they score again."""
    reason = transitions.require_reason(reason)
    sheet = RecertificationSheet.objects.select_for_update().get(pk=sheet.pk)
    case = lock_open_case(sheet.case)
    return panel_sheets.sheet_reopen(
        actor=actor, sheet=sheet, chair_id=case.chair_id, reason=reason, keep_total=True
    )


def clean_scores(case: RecertificationCase, scores: dict) -> dict[str, Decimal]:
    """Every part of the case's sheet scored within its maximum (``invalid_scores``)."""
    parts = {d["code"]: Decimal(d["max"]) for d in case.sheet_definition}
    cleaned: dict[str, Decimal] = {}
    errors = []
    for code, maximum in parts.items():
        value = scores.get(code)
        try:
            number = Decimal(str(value)) if value not in (None, "") else None
        except ArithmeticError:
            number = None
        if number is None or not (Decimal(0) <= number <= maximum):
            errors.append(code)
        else:
            cleaned[code] = number
    unknown = set(scores) - set(parts)
    if errors or unknown:
        raise DomainError(
            _("Score every part of the sheet within its maximum: %(parts)s.")
            % {"parts": ", ".join(sorted(set(errors) | unknown))},
            code=ErrorCode.INVALID_SCORES,
            details={"parts": sorted(set(errors) | unknown)},
        )
    return cleaned


@transaction.atomic
def recertification_sheet_score(
    *, actor, case: RecertificationCase, scores: dict, comment: str = "", submit: bool = True
) -> RecertificationSheet:
    """A panel member scores each part of the sheet (``{code: score}`` within the part's
    maximum) as a draft, or submits it (the committee engine locks the sheet). The total is
    the certification arithmetic's sheet total (Σ wᵢ·sᵢ/maxᵢ / Σ wᵢ × 100), stored unrounded
    to 4 places; the lines are stored per part."""
    case = lock_open_case(case)
    if not case.members.filter(pk=actor.pk).exists():
        raise RoleRequired(_("Only a member of this case's panel may score it."))
    if conflicts_with(actor, case.staff):
        raise ConflictOfInterest(_("You have a conflict of interest with this staff member."))
    panel_size_require(effective=case.members.count())
    cleaned = clean_scores(case, scores)
    total = sheet_total(cleaned, dims_of(case)).quantize(Decimal("0.0001"))
    sheet = (
        RecertificationSheet.objects.select_for_update()
        .filter(case=case, member=actor)
        .order_by("pk")  # not the model's ordering, which joins the case's (nullable) run
        .first()
    )
    if panel_sheets.is_submitted(sheet):
        raise InvalidTransition(_("Your sheet is already submitted."))
    if sheet is None:
        sheet = RecertificationSheet(case=case, member=actor, total=total, round=case.round)
    sheet.total, sheet.comment = total, comment
    sheet.save()
    definition = {d["code"]: d for d in case.sheet_definition}
    sheet.lines.all().delete()
    RecertificationSheetLine.objects.bulk_create(
        [
            RecertificationSheetLine(
                sheet=sheet,
                code=code,
                name=definition[code]["name"],
                weight=Decimal(definition[code]["weight"]),
                max_score=Decimal(definition[code]["max"]),
                score=value,
            )
            for code, value in cleaned.items()
        ]
    )
    if submit:
        return panel_sheets.sheet_submit(actor=actor, sheet=sheet, total=total)
    audit.record(
        actor=actor,
        obj=sheet,
        action="save",
        to_state=sheet.status,
        changes={"scores": {k: str(v) for k, v in cleaned.items()}, "total": total},
    )
    return sheet


def _submitted_totals(case: RecertificationCase) -> list[Decimal]:
    return list(
        case.sheets.filter(
            status=RecertificationSheet.Status.SUBMITTED, round=case.round
        ).values_list("total", flat=True)
    )


def spread(case: RecertificationCase, totals=None) -> tuple[Decimal | None, bool]:
    """(population std dev of the submitted totals, rounded; whether it is above the case's
    threshold — the case is then flagged for discussion). ``None`` under two sheets. ``totals``
    may be given when the sheets are already loaded."""
    if totals is None:
        totals = _submitted_totals(case)
    return arithmetic.spread(totals, case.spread_threshold)


def committee_score(case: RecertificationCase) -> tuple[Decimal | None, int, int]:
    """(rounded trimmed mean or ``None`` before the quorum, submitted, quorum) — the committee
    engine's tally over the panel (conflicted members cannot sit on it: none is recused)."""
    result = arithmetic.tally(_submitted_totals(case), non_recused=case.members.count())
    return result.committee_score, result.submitted, result.quorum


@transaction.atomic
def recertification_cases_withdraw_on_exit(*, actor, staff, reason: str) -> int:
    """A person who leaves the company is no longer re-certified: every active case of theirs
    (scoring, proposed, or approved with its effect still to come) is withdrawn, audited with
    the exit's reason. Decided cases stay as they are. Returns how many were withdrawn."""
    Status = RecertificationCase.Status
    cases = (
        RecertificationCase.objects.select_for_update()
        .filter(staff=staff, status__in=RecertificationCase.ACTIVE)
        .order_by("pk")
    )
    count = 0
    for case in cases:
        before = case.status
        case.status = Status.WITHDRAWN
        case.decision_reason = reason
        case.save(update_fields=["status", "decision_reason"])
        audit.record(
            actor=actor,
            obj=case,
            action="withdraw",
            from_state=before,
            to_state=Status.WITHDRAWN,
            reason=reason,
            changes={"on_exit": True},
        )
        count += 1
    return count
