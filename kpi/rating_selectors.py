"""Reads of the multi-source ratings (docs/kpi.md, "Multi-source ratings"), scoped by
``org.scope``. The rated person and their managers see aggregates only: manager and client
ratings per type; peer and subordinate ratings never with the rater, and each of those two
types on its own only when it has at least three raters — otherwise the two are merged into
one "colleagues" figure."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from core.roles import is_office
from org.scope import get_visible_staff_or_404, scope_by_staff

from . import ratings, score_recompute, scoring
from .models import (
    MIN_SHOWN,
    Actual,
    Indicator,
    Period,
    QualitativeRating,
    RaterAssignment,
    RaterType,
    Scheme,
)


def assignment_list(*, user) -> QuerySet[RaterAssignment]:
    """Assignments the caller may see: those asking them to rate, and (HR, line managers)
    those of the staff in their scope."""
    if not getattr(user, "is_authenticated", False):
        return RaterAssignment.objects.none()
    mine = RaterAssignment.objects.filter(rater=user)
    scoped = scope_by_staff(RaterAssignment.objects.all(), user).exclude(staff__user=user)
    return (
        (mine | scoped)
        .distinct()
        .select_related("period", "staff", "indicator", "rater")
        .order_by("period__start", "staff__employee_no", "indicator__code", "pk")
    )


def my_assignments(*, user) -> QuerySet[RaterAssignment]:
    """The caller's own assignments in open periods, with ``done`` (a rating given)."""
    given = QualitativeRating.objects.filter(
        period_id=OuterRef("period_id"),
        staff_id=OuterRef("staff_id"),
        indicator_id=OuterRef("indicator_id"),
        rater_id=OuterRef("rater_id"),
    )
    return (
        RaterAssignment.objects.filter(rater=user, period__status=Period.Status.OPEN)
        .annotate(done=Exists(given))
        .select_related("period", "staff", "indicator")
        .order_by("period__start", "staff__employee_no", "indicator__code", "pk")
    )


@dataclass
class BoardRow:
    """A multi-source indicator on the raters page: its assigned raters, how many of them have
    rated (a count only: which peer or subordinate rated is never shown), and the client
    ratings the caller may see individually (the ones they entered; HR all)."""

    indicator: Indicator
    assignments: list[RaterAssignment] = field(default_factory=list)
    given: int = 0
    clients: list[QualitativeRating] = field(default_factory=list)


def multi_source_indicators() -> list[Indicator]:
    """The active qualitative indicators scored by multi-source ratings."""
    return list(
        Indicator.objects.filter(
            kind=Indicator.Kind.QUALITATIVE, method=scoring.SOURCES, active=True
        ).order_by("code")
    )


def rater_board(*, user, staff, period: Period, indicators: list[Indicator]) -> list[BoardRow]:
    """Per indicator, the raters assigned to ``staff`` (already scoped by the caller) for
    ``period`` and the client ratings the caller may list — two queries at any size."""
    given = QualitativeRating.objects.filter(
        period_id=OuterRef("period_id"),
        staff_id=OuterRef("staff_id"),
        indicator_id=OuterRef("indicator_id"),
        rater_id=OuterRef("rater_id"),
    )
    rows = {ind.pk: BoardRow(ind) for ind in indicators}
    for assignment in (
        RaterAssignment.objects.filter(period=period, staff=staff, indicator__in=list(rows))
        .annotate(done=Exists(given))
        .select_related("rater__staff")
        .order_by("rater_type", "rater__staff__employee_no", "pk")
    ):
        row = rows[assignment.indicator_id]
        row.assignments.append(assignment)
        row.given += int(assignment.done)
    clients = QualitativeRating.objects.filter(
        period=period, staff=staff, indicator__in=list(rows), rater_type=RaterType.CLIENT
    )
    if not is_office(user):
        clients = clients.filter(entered_by=user)
    for rating in clients.order_by("entered_at", "pk"):
        rows[rating.indicator_id].clients.append(rating)
    return list(rows.values())


def rating_list(*, user) -> QuerySet[QualitativeRating]:
    """Individual ratings: the ones the caller gave or entered; HR sees every rating."""
    if not getattr(user, "is_authenticated", False):
        return QualitativeRating.objects.none()
    rows = QualitativeRating.objects.select_related("period", "staff", "indicator")
    if not is_office(user):
        rows = rows.filter(rater=user) | rows.filter(entered_by=user)
    return rows.order_by("period__start", "staff__employee_no", "indicator__code", "pk")


@dataclass
class Group:
    label: str
    types: tuple[str, ...]
    count: int
    mean: Decimal


@dataclass
class IndicatorResult:
    indicator: Indicator
    value: Decimal | None
    groups: list[Group] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def _label(rater_type: str) -> str:
    return str(RaterType(rater_type).label)


def groups_shown(scores: dict[str, list[Decimal]]) -> list[Group]:
    """The aggregates shown to the rated person and their managers: manager and client per
    type; peer and subordinate per type when each has ≥ 3 raters, else merged (the plain mean
    of their scores together), so no single colleague's score can be read off."""
    shown = []
    for rater_type in (RaterType.MANAGER, RaterType.CLIENT):
        values = scores.get(rater_type, [])
        if values:
            shown.append(Group(_label(rater_type), (rater_type,), len(values), _mean(values)))
    anonymous = {t: scores.get(t, []) for t in (RaterType.PEER, RaterType.SUBORDINATE)}
    present = {t: v for t, v in anonymous.items() if v}
    if present and all(len(v) >= MIN_SHOWN for v in present.values()):
        for rater_type, values in present.items():
            shown.append(Group(_label(rater_type), (rater_type,), len(values), _mean(values)))
    elif present:
        merged = [v for values in present.values() for v in values]
        shown.append(
            Group(
                _("colleagues (peers and subordinates)"), tuple(present), len(merged), _mean(merged)
            )
        )
    return shown


def _mean(values: list[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def rating_result(*, user, staff_id, period: Period | None):
    """``(staff, results, weights)``: a staff member (in the caller's scope, else 404), their
    multi-source results for a period — per indicator the actual and the aggregates shown —
    and the rater-type weights used."""
    staff = get_visible_staff_or_404(user, staff_id)
    if period is None:
        return staff, [], {}
    scores: dict[int, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    comments: dict[int, list[str]] = defaultdict(list)
    found: dict[int, Indicator] = {}
    for rating in QualitativeRating.objects.filter(period=period, staff=staff).select_related(
        "indicator"
    ):
        found[rating.indicator_id] = rating.indicator
        scores[rating.indicator_id][rating.rater_type].append(rating.score)
        if rating.comment:
            comments[rating.indicator_id].append(rating.comment)
    indicators = sorted(found.values(), key=lambda ind: ind.code)
    values = dict(
        Actual.objects.filter(period=period, staff=staff, source=Actual.Source.RATINGS).values_list(
            "indicator_id", "value"
        )
    )
    scheme_id = score_recompute.resolve_schemes([staff.pk], [period]).get((staff.pk, period.pk))
    configured = (
        Scheme.objects.filter(pk=scheme_id).values_list("rater_weights", flat=True).first()
        if scheme_id
        else None
    )
    results = [
        IndicatorResult(
            indicator=ind,
            value=values.get(ind.pk),
            groups=groups_shown(scores[ind.pk]),
            comments=sorted(comments[ind.pk]),  # sorted: never in the order raters gave them
        )
        for ind in indicators
    ]
    return staff, results, ratings.rater_weights(configured)
