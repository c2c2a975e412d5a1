"""Reads of the competency app, scoped through ``org.scope``.

For other apps:
- :func:`competency_indexes` — the stored index of each staff member's latest finalized
  assessment (certification's eligibility and scoring sheet, the annual ranking);
- :func:`competency_profile` — index and per-competency ``{competency, required, actual, gap}``
  (training's gap-based recommendations, the profile API and page).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from decimal import Decimal
from typing import Protocol

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber

from org.models import Staff
from org.scope import scope_by_staff, staff_of

from .models import (
    Assessment,
    AssessmentResult,
    AssessmentRound,
    Competency,
    CompetencyModel,
    ProficiencyLevel,
    Rater,
    RaterType,
    Rating,
    Requirement,
)

logger = logging.getLogger(__name__)

FINALIZED = Assessment.Status.FINALIZED
SERVING = (Staff.Status.ACTIVE, Staff.Status.ON_LEAVE)


# --- models -----------------------------------------------------------------------------------


def model_list() -> QuerySet[CompetencyModel]:
    """Competency models are reference data: every signed-in user reads them."""
    return CompetencyModel.objects.select_related("track", "based_on")


def competency_list() -> QuerySet[Competency]:
    return Competency.objects.select_related("model").prefetch_related(
        Prefetch("levels", queryset=ProficiencyLevel.objects.order_by("level"))
    )


def requirement_list() -> QuerySet[Requirement]:
    return Requirement.objects.select_related("level", "competency", "model")


def published_model(*, track_id: int) -> CompetencyModel | None:
    return CompetencyModel.objects.filter(
        track_id=track_id, status=CompetencyModel.Status.PUBLISHED
    ).first()


def requirement_grid(*, model: CompetencyModel) -> dict:
    """``{levels, competencies, cells: {(level_id, competency_id): Requirement}}``."""
    from org.models import Level

    levels = list(Level.objects.filter(track_id=model.track_id).order_by("order"))
    competencies = list(model.competencies.order_by("order", "code"))
    cells = {(r.level_id, r.competency_id): r for r in model.requirements.all()}
    return {"levels": levels, "competencies": competencies, "cells": cells}


# --- assessments ------------------------------------------------------------------------------


def assessment_list(*, user) -> QuerySet[Assessment]:
    """Assessments of the staff the caller may see (own, team, all for HR)."""
    qs = Assessment.objects.select_related("staff", "model", "round", "level")
    return scope_by_staff(qs, user)


def rateable_assessments(*, user) -> QuerySet[Assessment]:
    """Assessments the caller may see or has been invited to rate."""
    if not getattr(user, "is_authenticated", False):
        return Assessment.objects.none()
    from org.scope import visible_staff_filter

    return (
        Assessment.objects.filter(
            visible_staff_filter(user, prefix="staff__") | Q(raters__user=user)
        )
        .distinct()
        .select_related("staff", "model", "round", "level")
    )


def pending_ratings(*, user) -> QuerySet[Rater]:
    """The caller's invitations on open assessments that are not complete yet."""
    return (
        Rater.objects.filter(
            user=user, completed_at__isnull=True, assessment__status=Assessment.Status.OPEN
        )
        .select_related("assessment__staff", "assessment__round")
        .order_by("assessment__round__due_date", "assessment_id")
    )


def round_list() -> QuerySet[AssessmentRound]:
    from django.db.models import Count

    return AssessmentRound.objects.select_related("model", "model__track").annotate(
        assessment_count=Count("assessments", distinct=True),
        finalized_count=Count(
            "assessments", filter=Q(assessments__status=FINALIZED), distinct=True
        ),
    )


def sees_rater_identity(*, user, assessment: Assessment, rater_type: str) -> bool:
    """Peer ratings are anonymous to the rated person (DOMAIN.md): whoever is the staff
    member of ``assessment`` never learns which peer said what."""
    if rater_type != RaterType.PEER:
        return True
    staff_user_id = assessment.staff.user_id
    return not (staff_user_id is not None and getattr(user, "pk", None) == staff_user_id)


def is_rated_person(*, user, assessment: Assessment) -> bool:
    me = staff_of(user)
    return me is not None and me.pk == assessment.staff_id


def ratings_for(*, user, assessment: Assessment) -> QuerySet[Rating]:
    """Ratings the caller may read: all for HR and managers; the rated person reads their own
    self-ratings while the assessment is open and everyone's (peers anonymous) once final."""
    qs = Rating.objects.filter(assessment=assessment).select_related("competency", "rater__user")
    if is_rated_person(user=user, assessment=assessment) and assessment.status != FINALIZED:
        qs = qs.filter(rater__user=user)
    return qs.order_by("competency__order", "competency__code", "rater__rater_type", "pk")


# --- for other apps ---------------------------------------------------------------------------


def _latest_finalized(staff_ids: Iterable[int], on_date: dt.date | None) -> QuerySet[Assessment]:
    qs = Assessment.objects.filter(staff_id__in=list(staff_ids), status=FINALIZED)
    if on_date is not None:
        qs = qs.filter(finalized_on__lte=on_date)
    return qs.annotate(
        row=Window(
            RowNumber(),
            partition_by=[F("staff_id")],
            order_by=[F("finalized_on").desc(), F("id").desc()],
        )
    ).filter(row=1)


def competency_indexes(
    *, staff_ids: Iterable[int], on_date: dt.date | None = None
) -> dict[int, Decimal]:
    """``{staff_id: index}``: the stored index (rounded, as shown) of each staff member's
    latest assessment finalized on or before ``on_date``. One query; staff without one are
    absent."""
    ids = list(staff_ids)
    if not ids:
        return {}
    return {
        staff_id: index
        for staff_id, index in _latest_finalized(ids, on_date).values_list("staff_id", "index")
        if index is not None
    }


def latest_assessment(*, staff: Staff, on_date: dt.date | None = None) -> Assessment | None:
    qs = Assessment.objects.filter(staff=staff, status=FINALIZED)
    if on_date is not None:
        qs = qs.filter(finalized_on__lte=on_date)
    return qs.select_related("model", "level", "round").order_by("-finalized_on", "-id").first()


def competency_profile(*, staff: Staff, on_date: dt.date | None = None) -> dict:
    """``{index, assessment, items: [{competency, required, actual, gap}]}`` from the latest
    finalized assessment; without one, the current requirement profile with empty actuals."""
    assessment = latest_assessment(staff=staff, on_date=on_date)
    if assessment is not None:
        results = AssessmentResult.objects.filter(assessment=assessment).select_related(
            "competency"
        )
        items = [
            {
                "competency": r.competency,
                "required": r.required_level,
                "weight": r.weight,
                "actual": r.actual,
                "gap": r.gap if r.required_level is not None else None,
                "by_type": r.by_type,
            }
            for r in results
        ]
        return {"index": assessment.index, "assessment": assessment, "items": items}
    items = []
    model = published_model(track_id=staff.track_id)
    if model is not None and staff.level_id is not None:
        for r in (
            Requirement.objects.filter(model=model, level_id=staff.level_id)
            .select_related("competency")
            .order_by("competency__order", "competency__code")
        ):
            items.append(
                {
                    "competency": r.competency,
                    "required": r.required_level,
                    "weight": r.weight,
                    "actual": None,
                    "gap": None,
                    "by_type": {},
                }
            )
    return {"index": None, "assessment": None, "items": items}


# Training sits above competency: it registers the courses that develop each competency
# (``TrainingConfig.ready``) — ``finder(*, competency_ids) -> {competency_id: [course, …]}``.
class CourseFinder(Protocol):
    def __call__(self, *, competency_ids: Iterable[int]) -> dict[int, list]: ...


_course_finders: list[CourseFinder] = []


def register_course_finder(*, finder: CourseFinder) -> None:
    if finder not in _course_finders:
        _course_finders.append(finder)


def courses_for(*, competency_ids: Iterable[int]) -> dict[int, list]:
    """Courses that develop each competency (``{}`` when no finder is registered)."""
    ids = list(competency_ids)
    result: dict[int, list] = {}
    if not ids:
        return result
    for finder in _course_finders:
        for pk, courses in finder(competency_ids=ids).items():
            result.setdefault(pk, []).extend(courses)
    return result


def gaps_with_courses(*, profile: dict) -> list[dict]:
    """The profile's gaps, largest first (ties in the model's order), with their courses."""
    gaps = [item for item in profile["items"] if item["gap"] and item["gap"] > 0]
    gaps.sort(key=lambda i: (-i["gap"], i["competency"].order, i["competency"].code))
    courses = courses_for(competency_ids=(item["competency"].pk for item in gaps))
    return [{**item, "courses": courses.get(item["competency"].pk, [])} for item in gaps]


def history(*, staff: Staff) -> list[Assessment]:
    """The staff member's finalized assessments, oldest first."""
    return list(
        Assessment.objects.filter(staff=staff, status=FINALIZED)
        .select_related("round", "model", "level")
        .order_by("finalized_on", "id")
    )


def unit_competency_sums(*, model: CompetencyModel, on_date: dt.date | None = None) -> list[tuple]:
    """``[(unit_id, competency_id, staff, sum of actual, sum of required)]``: the finalized
    results of ``model`` of each serving staff member's latest assessment on that model
    (finalized on or before ``on_date``), summed by the staff member's current unit and
    competency — one aggregate query. The requirement is the one the result recorded (the
    level assessed against); results without a requirement are left out."""
    latest = Assessment.objects.filter(model=model, status=FINALIZED, staff__status__in=SERVING)
    if on_date is not None:
        latest = latest.filter(finalized_on__lte=on_date)
    latest = latest.annotate(
        row=Window(
            RowNumber(),
            partition_by=[F("staff_id")],
            order_by=[F("finalized_on").desc(), F("id").desc()],
        )
    ).filter(row=1)
    return list(
        AssessmentResult.objects.filter(
            assessment_id__in=latest.values("id"), required_level__isnull=False
        )
        .values_list("assessment__staff__unit_id", "competency_id")
        .annotate(
            n=Count("id"),
            actual=Sum("actual"),
            required=Sum("required_level"),
        )
        .values_list("assessment__staff__unit_id", "competency_id", "n", "actual", "required")
        .order_by()
    )


def staff_gap_counts(
    *, unit_paths: Iterable[str], on_date: dt.date | None = None
) -> dict[str, dict[int, int]]:
    """``{unit_path: {competency_id: n}}``: for each unit (with its sub-units), how many serving
    staff have a gap (``gap > 0``) on the competency in their latest assessment finalized on or
    before ``on_date`` — the "need" a training plan answers. One aggregate query, whatever the
    number of units and competencies; a competency without a gap is absent."""
    paths = sorted(set(unit_paths))
    result: dict[str, dict[int, int]] = {path: {} for path in paths}
    if not paths:
        return result
    latest = Assessment.objects.filter(status=FINALIZED, staff__status__in=SERVING)
    if on_date is not None:
        latest = latest.filter(finalized_on__lte=on_date)
    latest = latest.annotate(
        row=Window(
            RowNumber(),
            partition_by=[F("staff_id")],
            order_by=[F("finalized_on").desc(), F("id").desc()],
        )
    ).filter(row=1)
    under = Q()
    for path in paths:
        under |= Q(assessment__staff__unit__path__startswith=path)
    rows = (
        AssessmentResult.objects.filter(under, assessment_id__in=latest.values("id"), gap__gt=0)
        .values_list("assessment__staff__unit__path", "competency_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for unit_path, competency_id, n in rows:
        for path in paths:
            if unit_path.startswith(path):
                counts = result[path]
                counts[competency_id] = counts.get(competency_id, 0) + n
    return result
