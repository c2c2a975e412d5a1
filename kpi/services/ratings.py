"""Multi-source ratings of qualitative indicators (多维度评价; docs/kpi.md, "Multi-source
ratings"): the line manager (or HR) assigns raters of a type to a staff member's indicator for
a period; each rater gives a score 0–100; the manager or HR enters client ratings. Every change
rewrites the indicator's actual (source ``ratings``) and the period's scores (``kpi.ratings``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from core import audit, clock
from core.errors import DomainError, ErrorCode, InvalidTransition, NotInScope, RoleRequired
from core.roles import Role, has_role, is_office
from org.models import Staff
from org.scope import staff_of, visible_staff

from .. import ratings, scoring
from ..models import Indicator, Period, QualitativeRating, RaterAssignment, RaterType

TWO_PLACES = Decimal("0.01")


def _may_manage(actor, staff: Staff) -> None:
    """HR, or a line manager for someone in their scope other than themselves (404 outside)."""
    if is_office(actor):
        return
    if not has_role(actor, Role.MANAGER):
        raise RoleRequired(_("Only HR or the line manager may do this."))
    if not visible_staff(actor).filter(pk=staff.pk).exists():
        raise NotInScope
    me = staff_of(actor)
    if me is not None and me.pk == staff.pk:
        raise RoleRequired(_("You cannot rate yourself."))


def _check_indicator(indicator: Indicator) -> None:
    if indicator.kind != Indicator.Kind.QUALITATIVE or indicator.method != scoring.SOURCES:
        raise DomainError(
            _("Only a qualitative indicator scored by multi-source ratings takes ratings."),
            code=ErrorCode.KIND_MISMATCH,
        )


def _open_period(period: Period) -> Period:
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.is_locked:
        raise InvalidTransition(
            _("The period %(code)s is locked: ratings can no longer change.")
            % {"code": period.code}
        )
    return period


def _score(raw) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(
            _("A rating is a score from 0 to 100."), code=ErrorCode.INVALID_SCORE
        ) from exc
    if not value.is_finite() or value < 0 or value > 100 or value != value.quantize(TWO_PLACES):
        raise DomainError(
            _("A rating is a score from 0 to 100 (at most 2 decimals)."),
            code=ErrorCode.INVALID_SCORE,
        )
    return value.quantize(TWO_PLACES)


@transaction.atomic
def rater_assign(
    *, actor, period: Period, staff: Staff, indicator: Indicator, rater_type: str, rater
) -> RaterAssignment:
    """Ask ``rater`` (a user) to rate ``staff``'s ``indicator`` for ``period`` as a manager,
    peer or subordinate. Client ratings have no rater account: they are entered directly."""
    _may_manage(actor, staff)
    _check_indicator(indicator)
    if rater_type not in (RaterType.MANAGER, RaterType.PEER, RaterType.SUBORDINATE):
        raise DomainError(
            _("Assign a manager, peer or subordinate; the manager or HR enters client ratings."),
            code=ErrorCode.INVALID_RATER_TYPE,
        )
    if rater is None or (staff.user_id is not None and rater.pk == staff.user_id):
        raise DomainError(_("Nobody rates themselves."), code=ErrorCode.INVALID_RATER)
    period = _open_period(period)
    if RaterAssignment.objects.filter(
        period=period, staff=staff, indicator=indicator, rater=rater
    ).exists():
        raise DomainError(
            _("This rater is already assigned to this indicator."),
            code=ErrorCode.DUPLICATE_RATER,
        )
    assignment = RaterAssignment.objects.create(
        period=period,
        staff=staff,
        indicator=indicator,
        rater_type=rater_type,
        rater=rater,
        assigned_by=actor if getattr(actor, "is_authenticated", False) else None,
        assigned_at=clock.now(),
    )
    audit.record(
        actor=actor,
        obj=assignment,
        action="kpi.rating.assign",
        changes={"rater_type": [None, rater_type]},
    )
    return assignment


@transaction.atomic
def rating_submit(*, actor, assignment: RaterAssignment, score, comment: str = ""):
    """The assigned rater gives (or changes) their score 0–100 while the period is open."""
    if assignment.rater_id != getattr(actor, "pk", None):
        raise NotInScope
    value = _score(score)
    period = _open_period(assignment.period)
    rating, created = QualitativeRating.objects.select_for_update().get_or_create(
        period=period,
        staff_id=assignment.staff_id,
        indicator_id=assignment.indicator_id,
        rater=actor,
        defaults={
            "rater_type": assignment.rater_type,
            "score": value,
            "comment": (comment or "").strip(),
            "entered_by": actor,
            "entered_at": clock.now(),
        },
    )
    old = None if created else f"{rating.score:f}"
    if not created:
        rating.rater_type = assignment.rater_type
        rating.score = value
        rating.comment = (comment or "").strip()
        rating.entered_at = clock.now()
        rating.save(update_fields=["rater_type", "score", "comment", "entered_at"])
    audit.record(
        actor=actor,
        obj=rating,
        action="kpi.rating.submit",
        changes={"score": [old, f"{value:f}"]},
    )
    ratings.apply([period.pk], staff_ids=[assignment.staff_id], actor=actor)
    return rating


@transaction.atomic
def rating_client_enter(
    *, actor, period: Period, staff: Staff, indicator: Indicator, score, comment: str = ""
) -> QualitativeRating:
    """The manager or HR enters a client's score (no rater account; every entry counts)."""
    _may_manage(actor, staff)
    _check_indicator(indicator)
    value = _score(score)
    period = _open_period(period)
    rating = QualitativeRating.objects.create(
        period=period,
        staff=staff,
        indicator=indicator,
        rater_type=RaterType.CLIENT,
        rater=None,
        score=value,
        comment=(comment or "").strip(),
        entered_by=actor if getattr(actor, "is_authenticated", False) else None,
        entered_at=clock.now(),
    )
    audit.record(
        actor=actor,
        obj=rating,
        action="kpi.rating.client",
        changes={"score": [None, f"{value:f}"]},
    )
    ratings.apply([period.pk], staff_ids=[staff.pk], actor=actor)
    return rating
