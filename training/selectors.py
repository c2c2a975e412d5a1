"""Reads for training, already scoped and joined (DOMAIN.md, "Training").

The functions other apps call:

- :func:`training_summary` — credits in the last 12 months against the level's requirement
  (certification eligibility, re-appointment, the API ``org/staff/{id}/training-summary/``);
- :func:`credits_12m` — the same figure for many staff in one query (rankings, dashboards);
- :func:`courses_for_competencies` — the courses that develop given competencies (competency
  gaps recommend courses).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from competency import selectors as competency_selectors
from competency.models import Competency
from core import clock
from core.numbers import round_score
from org.models import Level, OrgUnit, Staff
from org.scope import scope_by_staff, visible_units
from org.services import add_years

from . import rules
from .models import (
    Course,
    CourseEvaluation,
    Enrolment,
    ExternalCertificate,
    Requirement,
    TrainingActivity,
    TrainingPackage,
    TrainingPlan,
    TrainingPlanLine,
    TrainingRecord,
    TrainingSession,
)

ZERO = Decimal("0.00")
logger = logging.getLogger(__name__)


# --- the trailing 12 months ----------------------------------------------------------------


def window_12m(*, on_date: dt.date) -> tuple[dt.date, dt.date]:
    """``(first, last)`` day of "the last 12 months" of ``on_date``, both inclusive.

    DOMAIN.md: the days *after* D minus 12 months up to and including D. On 2026-11-28 the
    window is 2025-11-29 … 2026-11-28. D minus 12 months of 29 February is 28 February of the
    year before (there is no 29th), so on 2028-02-29 the window starts on 2027-03-01.
    """
    return add_years(on_date, -1) + dt.timedelta(days=1), on_date


def _crediting_records() -> QuerySet[TrainingRecord]:
    return TrainingRecord.objects.filter(result__in=TrainingRecord.CREDITING_RESULTS)


def credit_standing(*, staff: Staff, on_date: dt.date) -> tuple[Subquery, Subquery]:
    """The minimum credits of the staff member's level and the credits earned in the last 12
    months of ``on_date`` (counted as in :func:`credits_12m`): two scalar subqueries that a
    caller annotates onto a query of its own, so that they cost no query of their own;
    :func:`credit_figures` reads their values."""
    # no level: no requirement (``level_id IS NULL`` matches none)
    required = (
        Requirement.objects.filter(Q(level_id=staff.level_id))
        .order_by()  # not the model's ordering by track and order: one row at most
        .values("min_credits_12m")[:1]
    )
    return Subquery(required), _credits_earned(staff_id=staff.pk, on_date=on_date)


def _credits_earned(*, staff_id: int, on_date: dt.date) -> Subquery:
    """The credits of :func:`credits_12m` for one staff member, as a scalar subquery (NULL
    when nothing counts)."""
    first, last = window_12m(on_date=on_date)
    earned = (
        _crediting_records()
        .filter(staff_id=staff_id, date__gte=first, date__lte=last)
        .order_by()
        .values("staff_id")
        .annotate(total=Sum("credits"))
        .values("total")
    )
    return Subquery(earned, output_field=DecimalField())


def credit_figures(
    *, credits_required: Decimal | None, credits_earned: Decimal | None
) -> tuple[Decimal | None, Decimal]:
    """``(minimum credits of the level, credits earned)`` from the values of
    :func:`credit_standing`'s subqueries; ``(None, 0)`` when the level has no requirement."""
    if credits_required is None:
        return None, ZERO
    # both to the stored 2 places (a subquery's decimal comes back unscaled on SQLite)
    return round_score(credits_required), round_score(credits_earned or ZERO)


def credits_12m(*, staff_ids: Iterable[int], on_date: dt.date) -> dict[int, Decimal]:
    """Credits earned in the last 12 months of ``on_date`` per staff id, in one query.

    Every id asked for is in the answer (``Decimal("0")`` when nothing counts). Only records
    with a crediting result (passed, completed) count.
    """
    ids = list(dict.fromkeys(int(pk) for pk in staff_ids))
    first, last = window_12m(on_date=on_date)
    totals = dict.fromkeys(ids, ZERO)
    if not ids:
        return totals
    rows = (
        _crediting_records()
        .filter(staff_id__in=ids, date__gte=first, date__lte=last)
        .values("staff_id")
        .annotate(total=Sum("credits"))
        .values_list("staff_id", "total")
    )
    for staff_id, total in rows:
        # Stored credits have 2 places, so the sum is exact; quantize only fixes the scale
        # (SQLite's SUM drops trailing zeros).
        totals[staff_id] = round_score(total or ZERO)
    return totals


@dataclass
class TrainingSummary:
    """A staff member's training standing on ``on_date`` against one level's requirement."""

    staff_id: int
    on_date: dt.date
    window_start: dt.date
    level: Level | None
    credits_12m: Decimal
    required_credits: Decimal | None
    missing_courses: list[Course] = field(default_factory=list)
    required_courses: list[Course] = field(default_factory=list)
    met: bool = True
    shortfall: Decimal = ZERO

    @property
    def has_requirement(self) -> bool:
        return self.required_credits is not None

    @property
    def percent(self) -> int:
        """Progress towards the credit requirement, 0–100, for progress bars."""
        if not self.required_credits:
            return 100
        return int(min(self.credits_12m / self.required_credits, Decimal(1)) * 100)


def training_summary(
    *, staff: Staff, on_date: dt.date | None = None, level: Level | None = None
) -> TrainingSummary:
    """Credits in the last 12 months and the requirement of ``level`` (default: the staff
    member's current level) on ``on_date`` (default: today).

    ``met`` holds when the credits reach the minimum and every required course has a passed
    (or completed) record dated on or before ``on_date``; ``shortfall`` is the credits still
    missing (never negative). A level without a requirement is met by definition
    (``required_credits`` is ``None``). Two queries whatever the history's length.
    """
    on_date = on_date or clock.today()
    first, _last = window_12m(on_date=on_date)
    level_id = level.pk if level is not None else staff.level_id
    requirement = None
    if level_id is not None:  # the requirement with the credits earned
        requirement = (
            Requirement.objects.filter(level_id=level_id)
            .select_related("level")
            .annotate(credits_earned=_credits_earned(staff_id=staff.pk, on_date=on_date))
            .first()
        )
    if requirement is None:
        if level is None and level_id is not None:
            level = staff.level
        return TrainingSummary(
            staff_id=staff.pk,
            on_date=on_date,
            window_start=first,
            level=level,
            credits_12m=credits_12m(staff_ids=[staff.pk], on_date=on_date)[staff.pk],
            required_credits=None,
        )
    level = requirement.level
    credits = round_score(requirement.credits_earned or ZERO)
    # the required courses, each marked when passed or completed on or before ``on_date``
    courses = list(
        requirement.required_courses.order_by("code").annotate(
            done=Exists(
                _crediting_records().filter(staff=staff, course=OuterRef("pk"), date__lte=on_date)
            )
        )
    )
    required: list[Course] = list(courses)
    missing: list[Course] = [course for course in courses if not course.done]
    shortfall = max(requirement.min_credits_12m - credits, ZERO)
    return TrainingSummary(
        staff_id=staff.pk,
        on_date=on_date,
        window_start=first,
        level=level,
        credits_12m=credits,
        required_credits=requirement.min_credits_12m,
        missing_courses=missing,
        required_courses=required,
        met=shortfall == ZERO and not missing,
        shortfall=shortfall,
    )


def training_summaries(
    *, staff_list: list[Staff], on_date: dt.date, levels: dict[int, Level] | None = None
) -> dict[int, TrainingSummary]:
    """``{staff_id: TrainingSummary}`` against each staff member's ``level`` (or
    ``levels[staff_id]`` where given: a promotion's target level), for many staff in four
    queries, with the meaning of :func:`training_summary` (credits of the last 12 months;
    required courses passed or completed on or before ``on_date``)."""
    if not staff_list:
        return {}
    levels = levels or {}

    def level_of(staff: Staff) -> Level | None:
        return levels.get(staff.pk, staff.level)

    credits = credits_12m(staff_ids=[s.pk for s in staff_list], on_date=on_date)
    level_ids = {lv.pk for s in staff_list if (lv := level_of(s)) is not None}
    requirements = {
        r.level_id: r
        for r in Requirement.objects.filter(level_id__in=level_ids).prefetch_related(
            Prefetch("required_courses", queryset=Course.objects.order_by("code"))
        )
    }
    required_ids = {c.pk for r in requirements.values() for c in r.required_courses.all()}
    done: dict[int, set[int]] = defaultdict(set)
    if required_ids:
        for staff_id, course_id in TrainingRecord.objects.filter(
            staff_id__in=[s.pk for s in staff_list],
            course_id__in=required_ids,
            result__in=TrainingRecord.CREDITING_RESULTS,
            date__lte=on_date,
        ).values_list("staff_id", "course_id"):
            done[staff_id].add(course_id)
    first, _last = window_12m(on_date=on_date)
    result = {}
    zero = Decimal(0)
    for staff in staff_list:
        level = level_of(staff)
        requirement = requirements.get(level.pk) if level is not None else None
        earned = credits.get(staff.pk, zero)
        if requirement is None:
            result[staff.pk] = TrainingSummary(
                staff_id=staff.pk,
                on_date=on_date,
                window_start=first,
                level=level,
                credits_12m=earned,
                required_credits=None,
            )
            continue
        required = list(requirement.required_courses.all())
        missing = [c for c in required if c.pk not in done[staff.pk]]
        shortfall = max(requirement.min_credits_12m - earned, zero)
        result[staff.pk] = TrainingSummary(
            staff_id=staff.pk,
            on_date=on_date,
            window_start=first,
            level=level,
            credits_12m=earned,
            required_credits=requirement.min_credits_12m,
            missing_courses=missing,
            required_courses=required,
            met=shortfall == zero and not missing,
            shortfall=shortfall,
        )
    return result


def short_of_credits(*, staff_qs: QuerySet[Staff], on_date: dt.date) -> tuple[int, int]:
    """``(short, with_requirement)``: how many of ``staff_qs`` (active) are below their
    level's minimum credits. Two queries, whatever the headcount."""
    minimum = dict(Requirement.objects.values_list("level_id", "min_credits_12m"))
    people = list(
        staff_qs.filter(status=Staff.Status.ACTIVE, level_id__in=list(minimum)).values_list(
            "pk", "level_id"
        )
    )
    if not people:
        return 0, 0
    first, last = window_12m(on_date=on_date)
    earned = dict(
        _crediting_records()
        .filter(date__gte=first, date__lte=last, staff__in=staff_qs)
        .values("staff_id")
        .annotate(total=Sum("credits"))
        .values_list("staff_id", "total")
    )
    short = sum(1 for pk, level_id in people if earned.get(pk, ZERO) < minimum[level_id])
    return short, len(people)


# --- course evaluation ----------------------------------------------------------------------


def evaluations_to_give(*, staff: Staff, today: dt.date) -> QuerySet[Enrolment]:
    """The staff member's attended sessions of completed runs not rated yet, still open for
    rating (ended at most ``EVALUATION_WINDOW_DAYS`` days ago)."""
    since = today - dt.timedelta(days=rules.EVALUATION_WINDOW_DAYS)
    return (
        Enrolment.objects.filter(
            staff=staff,
            attended=True,
            evaluated=False,
            session__status=TrainingSession.Status.COMPLETED,
            session__end__gte=since,
        )
        .select_related("session", "session__course")
        .order_by("-session__end", "session_id")
    )


@dataclass
class EvaluationRow:
    """The aggregate of one course's (or one trainer's) evaluations. The means are ``None``
    (not shown) below :data:`training.rules.EVALUATION_MIN_SHOWN` evaluations."""

    key: str
    label: str
    count: int
    content: Decimal | None
    trainer: Decimal | None
    usefulness: Decimal | None
    comments: list[str] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.content is not None

    @property
    def overall(self) -> Decimal | None:
        """The mean of the three means, half-up to 2 places."""
        if self.content is None or self.trainer is None or self.usefulness is None:
            return None
        return round_score((self.content + self.trainer + self.usefulness) / 3)


def _rows(qs, key: str, label) -> list[EvaluationRow]:
    rows = qs.annotate(
        n=Count("pk"), c=Sum("content"), t=Sum("trainer"), u=Sum("usefulness")
    ).order_by(key)
    return [
        EvaluationRow(
            key=str(row[key]),
            label=label(row),
            count=row["n"],
            content=rules.evaluation_mean(row["c"], row["n"]),
            trainer=rules.evaluation_mean(row["t"], row["n"]),
            usefulness=rules.evaluation_mean(row["u"], row["n"]),
        )
        for row in rows
    ]


def evaluation_results(
    *, course: Course | None = None
) -> tuple[list[EvaluationRow], list[EvaluationRow]]:
    """``(per course, per trainer)`` aggregates of every evaluation (of ``course`` only when
    given): count and means to 2 places half-up, shown from three evaluations on; the
    comments of the courses shown, in alphabetical order (never in the order given). Three
    queries."""
    qs = CourseEvaluation.objects.all()
    if course is not None:
        qs = qs.filter(session__course=course)
    courses = _rows(
        qs.values("session__course_id", "session__course__code", "session__course__title"),
        "session__course__code",
        lambda r: f"{r['session__course__code']} {r['session__course__title']}",
    )
    trainers = _rows(
        qs.exclude(session__trainer="").values("session__trainer"),
        "session__trainer",
        lambda r: r["session__trainer"],
    )
    shown = [r.key for r in courses if r.shown]
    if shown:
        comments: dict[str, list[str]] = defaultdict(list)
        for code, text in (
            qs.filter(session__course__code__in=shown)
            .exclude(comment="")
            .values_list("session__course__code", "comment")
            .order_by("session__course__code", "comment")
        ):
            comments[code].append(text)
        for row in courses:
            row.comments = comments.get(row.key, [])
    return courses, trainers


# --- annual training plans ------------------------------------------------------------------


def plan_list(*, user) -> QuerySet[TrainingPlan]:
    """Plans of the units the caller may browse (all for HR and leadership, a manager's
    subtree), with their planned total, lines and units joined."""
    money = DecimalField(max_digits=12, decimal_places=2)
    return (
        TrainingPlan.objects.filter(unit__in=visible_units(user))
        .select_related("unit")
        .annotate(
            planned=Coalesce(Sum("lines__cost"), Value(ZERO), output_field=money),
            participants=Coalesce(Sum("lines__participants"), Value(0)),
        )
        .annotate(remaining=F("budget") - F("planned"))
    )


@dataclass
class NeedRow:
    """One competency of a unit's need: staff with a gap, and participants planned for it."""

    code: str
    name: str
    staff_with_gap: int
    planned: int


def plan_needs(*, plans: list[TrainingPlan], on_date: dt.date) -> dict[int, list[NeedRow]]:
    """``{plan_id: [NeedRow]}``, most staff with a gap first: for each plan's unit (with its
    sub-units), the number of serving staff with a gap on each competency (their latest
    finalized assessment, ``competency.selectors.staff_gap_counts``), beside the participants
    the plan's lines give that competency (matched by competency code, so a line naming a later
    model version's competency still meets its need). Three queries for any number of plans."""
    if not plans:
        return {}
    counts = competency_selectors.staff_gap_counts(
        unit_paths=[p.unit.path for p in plans], on_date=on_date
    )
    ids = {cid for per_unit in counts.values() for cid in per_unit}
    competencies = Competency.objects.in_bulk(ids) if ids else {}
    lines: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for plan_id, code, n in (
        TrainingPlanLine.objects.filter(plan__in=plans, competency__isnull=False)
        .values("plan_id", "competency__code")
        .annotate(n=Sum("participants"))
        .values_list("plan_id", "competency__code", "n")
    ):
        lines[plan_id][code] += n
    result = {}
    for plan in plans:
        by_code: dict[str, NeedRow] = {}
        for cid, n in counts.get(plan.unit.path, {}).items():
            comp = competencies.get(cid)
            if comp is None:
                continue
            row = by_code.setdefault(
                comp.code,
                NeedRow(comp.code, comp.display_name, 0, lines[plan.pk].get(comp.code, 0)),
            )
            row.staff_with_gap += n
        result[plan.pk] = sorted(by_code.values(), key=lambda r: (-r.staff_with_gap, r.code))
    return result


# --- competencies → courses ------------------------------------------------------------------


def courses_for_competencies(*, competency_ids: Iterable[int]) -> dict[int, list[Course]]:
    """Active courses that develop each competency, ``{competency_id: [course, …]}`` by code.

    Every id asked for is a key (an empty list when no course develops it). A competency is
    matched by its track and code, so a course linked to a competency of one model version also
    develops the same competency in later versions. Two queries.
    """
    ids = list(dict.fromkeys(int(pk) for pk in competency_ids))
    result: dict[int, list[Course]] = {pk: [] for pk in ids}
    if not ids:
        return result
    keys: dict[tuple[int, str], list[int]] = defaultdict(list)
    for pk, track_id, code in Competency.objects.filter(pk__in=ids).values_list(
        "pk", "model__track_id", "code"
    ):
        keys[(track_id, code)].append(pk)
    if not keys:
        return result
    through = Course.competencies.through
    links = through.objects.filter(
        competency__code__in={code for _t, code in keys},
        competency__model__track_id__in={t for t, _c in keys},
        course__active=True,
    ).select_related("course", "competency__model")
    courses: dict[int, Course] = {}  # one object per course, whichever link brought it
    for link in links:
        course = courses.setdefault(link.course_id, link.course)
        competency = link.competency
        for pk in keys.get((competency.model.track_id, competency.code), []):
            if course not in result[pk]:
                result[pk].append(course)
    for pk in result:
        result[pk].sort(key=lambda c: c.code)
    return result


def competency_gaps(*, staff: Staff) -> list[dict]:
    """The staff member's competency gaps, from ``competency.selectors.competency_profile``.

    Returns ``[{"competency": <obj or id>, "competency_id": int, "name": str, "gap": Decimal}]``
    for competencies below the required level, largest gap first.
    """
    profile = competency_selectors.competency_profile(staff=staff)
    if profile is None:
        return []
    items = profile.get("items") if isinstance(profile, dict) else getattr(profile, "items", None)
    if callable(items):  # a dict-like object's .items method, not a list
        items = None
    gaps = []
    for item in items or []:
        get = item.get if isinstance(item, dict) else lambda k, i=item: getattr(i, k, None)
        comp = get("competency")
        gap = get("gap")
        try:
            gap = Decimal(str(gap)) if gap is not None else ZERO
        except ArithmeticError:
            gap = ZERO
        if comp is None or gap <= 0:
            continue
        comp_id = cast(int, getattr(comp, "pk", comp))
        name = getattr(comp, "display_name", None) or get("name") or str(comp)
        gaps.append({"competency": comp, "competency_id": int(comp_id), "name": name, "gap": gap})
    gaps.sort(key=lambda g: -g["gap"])
    return gaps


def recommended_courses(*, staff: Staff) -> list[dict]:
    """``[{"competency_id", "name", "gap", "courses": [Course…]}]``, largest gap first: for each
    competency gap, the courses that develop it. Courses not yet passed come first; each course
    carries ``last_taken`` (the date of the latest passed record, or ``None``) so a page can
    mark courses taken before — a gap that persists after a course is worth a refresher."""
    gaps = competency_gaps(staff=staff)
    if not gaps:
        return []
    by_competency = courses_for_competencies(competency_ids=(g["competency_id"] for g in gaps))
    last_taken = dict(
        _crediting_records()
        .filter(staff=staff, course__isnull=False)
        .values("course_id")
        .annotate(last=Max("date"))
        .values_list("course_id", "last")
    )
    result = []
    for gap in gaps:
        courses = []
        for course in by_competency.get(gap["competency_id"], []):
            course.last_taken = last_taken.get(course.pk)  # type: ignore[attr-defined]
            courses.append(course)
        courses.sort(key=lambda c: (last_taken.get(c.pk) is not None, c.code))
        result.append({**gap, "courses": courses})
    return result


# --- lists ------------------------------------------------------------------------------------


def course_list() -> QuerySet[Course]:
    return Course.objects.prefetch_related("competencies")


def session_list() -> QuerySet[TrainingSession]:
    """Sessions are not personal data; everyone signed in sees the schedule."""
    return TrainingSession.objects.select_related("course").annotate(
        enrolled_count=Count("enrolments", distinct=True)
    )


def enrolment_list(*, user, session: TrainingSession | None = None) -> QuerySet[Enrolment]:
    qs = scope_by_staff(Enrolment.objects.all(), user).select_related(
        "staff", "staff__unit", "session", "session__course"
    )
    if session is not None:
        qs = qs.filter(session=session)
    return qs


def record_list(*, user) -> QuerySet[TrainingRecord]:
    return scope_by_staff(TrainingRecord.objects.all(), user).select_related(
        "staff", "staff__unit", "course", "session", "certificate"
    )


def filter_records(
    *,
    qs: QuerySet[TrainingRecord],
    unit: OrgUnit | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    course: Course | None = None,
    staff: Staff | None = None,
) -> QuerySet[TrainingRecord]:
    """The ledger filters shared by the page, the API and the XLSX export."""
    if unit is not None:
        qs = qs.filter(staff__unit__path__startswith=unit.path)
    if date_from is not None:
        qs = qs.filter(date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(date__lte=date_to)
    if course is not None:
        qs = qs.filter(course=course)
    if staff is not None:
        qs = qs.filter(staff=staff)
    return qs


def certificate_list(*, user) -> QuerySet[ExternalCertificate]:
    return scope_by_staff(ExternalCertificate.objects.all(), user).select_related(
        "staff", "course", "reviewed_by"
    )


def activity_list(*, user) -> QuerySet[TrainingActivity]:
    """Mentoring and rotation records of the staff in the caller's scope, with their ledger
    record (credits) and the people and unit they name."""
    return scope_by_staff(TrainingActivity.objects.all(), user).select_related(
        "staff", "staff__unit", "mentor", "host_unit", "record"
    )


#: The certificate list's validity filter: ``expiring`` = verified and expiring within
#: :data:`EXPIRING_WITHIN_DAYS` days (today included), ``expired`` = expiry date before today,
#: ``valid`` = no expiry date or not expired yet.
CERTIFICATE_VALIDITY = ("expiring", "expired", "valid")
EXPIRING_WITHIN_DAYS = 60


def filter_certificates_by_validity(
    *, qs: QuerySet[ExternalCertificate], validity: str, today: dt.date
) -> QuerySet[ExternalCertificate]:
    """Certificates by validity on ``today`` (:data:`CERTIFICATE_VALIDITY`); an unknown value
    filters nothing."""
    if validity == "expiring":
        return qs.filter(
            status=ExternalCertificate.Status.VERIFIED,
            expires_on__gte=today,
            expires_on__lte=today + dt.timedelta(days=EXPIRING_WITHIN_DAYS),
        )
    if validity == "expired":
        return qs.filter(expires_on__lt=today)
    if validity == "valid":
        return qs.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
    return qs


def package_list(*, user) -> QuerySet[TrainingPackage]:
    money = DecimalField(max_digits=10, decimal_places=2)
    return (
        scope_by_staff(TrainingPackage.objects.all(), user)
        .select_related("staff", "level", "course")
        .annotate(used=Coalesce(Sum("usages__amount"), Value(ZERO), output_field=money))
        .annotate(remaining=F("value") - F("used"))
    )


def requirement_list() -> QuerySet[Requirement]:
    return Requirement.objects.select_related("level", "level__track").prefetch_related(
        Prefetch("required_courses", queryset=Course.objects.order_by("code"))
    )


def records_by_staff(*, staff: Staff) -> QuerySet[TrainingRecord]:
    return staff.training_records.select_related("course", "session", "certificate").order_by(
        "-date", "-id"
    )


def credits_by_month(*, staff: Staff, on_date: dt.date) -> list[tuple[dt.date, Decimal]]:
    """Credits per calendar month over the last 12 months, oldest first (for the chart)."""
    first, last = window_12m(on_date=on_date)
    per_month: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for day, credits in (
        _crediting_records()
        .filter(staff=staff, date__gte=first, date__lte=last)
        .values_list("date", "credits")
    ):
        per_month[(day.year, day.month)] += credits
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((dt.date(year, month, 1), per_month[(year, month)]))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
