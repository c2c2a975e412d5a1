"""Demo data: the seed's KAM competency model (篇3), published, with requirement profiles for
L1–L5; two finished annual 360° rounds for every active demo staff member (so the competency
index and its history exist for certification and ranking); and one open round in the demo
manager's department so that the ``manager`` and ``staff`` logins have ratings to give.

Deterministic (fixed random seed), idempotent (each part is skipped when it exists) and
set-based (raters and ratings are bulk-inserted; finalizing uses the set-based round service).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from core import bulk, clock
from org.models import Level, Staff, Track

from . import assessments, services
from .demo_data import CLIENTS, COMPETENCIES
from .models import (
    Assessment,
    AssessmentResult,
    AssessmentRound,
    CompetencyModel,
    Rater,
    RaterType,
    Rating,
)

SEED = 20261129
MODEL_NAME = "大客户经理岗位素质模型"
ROUNDS = [
    # days before today the round was finalized, growth of the true level
    (365, Decimal("0")),
    (40, Decimal("0.25")),
]
# The demo logins find their ratings still to give in the open round.
DEMO_PENDING = {"staff", "manager"}
RATING_FIELDS = ("rater_id", "assessment_id", "competency_id", "level", "evidence", "rated_at")


def round_name(day: dt.date, scope: str = "大客户经理") -> str:
    """A round is named after the quarter it ran in: "2026年第四季度大客户经理素质测评".

    The finished rounds lie 325 days apart, more than a quarter, so their names never clash,
    whatever the day the demo is built.
    """
    quarter = "一二三四"[(day.month - 1) // 3]
    return f"{day.year}年第{quarter}季度{scope}素质测评"


def open_round_name(today: dt.date) -> str:
    return round_name(today, "广州大客户部")


def build(*, today: dt.date | None = None, stdout=None) -> str | None:
    today = today or clock.today()
    track = Track.objects.filter(code="KAM").first()
    if track is None:
        return None
    with transaction.atomic():
        model = _model(track)
    finished = 0
    for index, (days_ago, growth) in enumerate(ROUNDS):
        on = today - dt.timedelta(days=days_ago)
        with transaction.atomic():
            finished += _finished_round(model, round_name(on), on, growth, index)
    with transaction.atomic():
        _open_round(model, today)
    with_index = (
        Assessment.objects.filter(model=model, status=Assessment.Status.FINALIZED)
        .values("staff")
        .distinct()
        .count()
    )
    return (
        f"Competency: model v{model.version} with {model.competencies.count()} competencies, "
        f"{model.requirements.count()} requirements; {finished} assessments finalized now, "
        f"{with_index} staff with a competency index"
    )


def _model(track: Track) -> CompetencyModel:
    existing = CompetencyModel.objects.filter(track=track).order_by("-version").first()
    if existing is not None:
        published = CompetencyModel.objects.filter(
            track=track, status=CompetencyModel.Status.PUBLISHED
        ).first()
        return published or existing
    model = services.model_create(
        actor=None,
        track=track,
        name=MODEL_NAME,
        name_en="Key Account Manager competency model",
        description="依据《大客户经理岗位管理体系》篇3：心态、知识、技能三类，基础素质与专业素质两种。",
        description_en="After the seed's KAM post management system: attitude, knowledge and "
        "skill; basic and professional competencies.",
    )
    levels = list(Level.objects.filter(track=track).order_by("order"))
    cells = {}
    for order, row in enumerate(COMPETENCIES):
        code, name, name_en, category, kind, desc, desc_en, weight, required, anchors = row
        comp = services.competency_create(
            actor=None,
            model=model,
            code=code,
            name=name,
            name_en=name_en,
            category=category,
            kind=kind,
            order=order,
            description=desc,
            description_en=desc_en,
            levels=[
                {"level": n, "description": zh, "description_en": en}
                for n, (zh, en) in enumerate(anchors, start=1)
            ],
        )
        for level, req in zip(levels, required, strict=False):
            cells[(level.pk, comp.pk)] = (req, Decimal(weight))
    services.requirements_save_grid(actor=None, model=model, cells=cells)
    services.model_publish(actor=None, model=model, reason="演示数据 demo data")
    model.refresh_from_db()
    return model


def _people(track: Track) -> list[Staff]:
    return list(
        Staff.objects.filter(
            track=track, status=Staff.Status.ACTIVE, level__isnull=False, user__isnull=False
        )
        .select_related("manager", "level", "unit")
        .order_by("employee_no")
    )


def _finished_round(
    model: CompetencyModel, name: str, on: dt.date, growth: Decimal, index: int
) -> int:
    if AssessmentRound.objects.filter(name=name).exists():
        return 0
    rng = random.Random(SEED + index)  # noqa: S311 - deterministic demo data
    people = _people(model.track)
    if not people:
        return 0
    round_ = assessments.round_create(
        actor=None, model=model, name=name, staff=people, due_date=on - dt.timedelta(days=7)
    )
    with bulk.loading(Rating):  # about two million ratings a round at 30,000 staff
        _rate_everyone(rng, model, round_, people, growth, complete=True)
    with bulk.loading(AssessmentResult):
        n = assessments.round_finalize(actor=None, round=round_, on=on)
    assessments.round_close(actor=None, round=round_, reason="演示数据 demo data")
    return n


def _open_round(model: CompetencyModel, today: dt.date) -> None:
    """An open round in the demo manager's department: some ratings given, some pending."""
    name = open_round_name(today)
    if AssessmentRound.objects.filter(name=name).exists():
        return
    manager = Staff.objects.filter(user__username="manager").select_related("unit").first()
    if manager is None:
        return
    people = [
        s
        for s in _people(model.track)
        if s.unit.path.startswith(manager.unit.path) and s.pk != manager.pk
    ][:25]
    if not people:
        return
    round_ = assessments.round_create(
        actor=None,
        model=model,
        name=name,
        staff=people,
        due_date=today + dt.timedelta(days=21),
    )
    rng = random.Random(SEED + 99)  # noqa: S311 - deterministic demo data
    _rate_everyone(rng, model, round_, people, Decimal("0.4"), complete=False)


def _true_level(rng: random.Random, required: int, talent: float, growth: Decimal) -> float:
    return max(1.0, min(5.0, required + talent + float(growth) + rng.gauss(0, 0.6)))


class _Without(Sequence):
    """The people of a unit but a few (the person, their manager), without copying the unit:
    the same sequence a filtered list would be, at O(1) per look-up — a unit of 1,500 people
    is sampled 1,500 times per round."""

    def __init__(self, people: list[Staff], skip: list[int]):
        self._people = people
        self._skip = sorted(skip)

    def __len__(self) -> int:
        return len(self._people) - len(self._skip)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        for skipped in self._skip:
            if skipped <= index:
                index += 1
        return self._people[index]


def _rate_everyone(rng, model, round_, people, growth: Decimal, *, complete: bool) -> None:
    """Invite two peers (same unit) and sometimes an expert, then bulk-insert ratings."""
    competencies = list(model.competencies.prefetch_related("levels").order_by("order"))
    anchors = {c.pk: {pl.level: pl.description for pl in c.levels.all()} for c in competencies}
    required = {(r.level_id, r.competency_id): r.required_level for r in model.requirements.all()}
    by_unit: dict[int, list[Staff]] = {}
    for s in people:
        by_unit.setdefault(s.unit_id, []).append(s)
    position = {s.pk: i for unit in by_unit.values() for i, s in enumerate(unit)}
    people_by_pk = {s.pk: s for s in people}
    expert = get_user_model().objects.filter(username="hr").first()
    assessment_of = {a.staff_id: a for a in round_.assessments.all()}
    new_raters = []
    for s in people:
        a = assessment_of[s.pk]
        skip = [position[s.pk]]
        if s.manager_id in position and people_by_pk[s.manager_id].unit_id == s.unit_id:
            skip.append(position[s.manager_id])
        colleagues = _Without(by_unit[s.unit_id], skip)
        for peer in rng.sample(colleagues, k=min(2, len(colleagues))):
            new_raters.append(Rater(assessment=a, user_id=peer.user_id, rater_type=RaterType.PEER))
        if expert is not None and rng.random() < 0.3:
            new_raters.append(Rater(assessment=a, user=expert, rater_type=RaterType.EXPERT))
    Rater.objects.bulk_create(new_raters, ignore_conflicts=True)

    raters = list(
        Rater.objects.filter(assessment__round=round_)
        .order_by("pk")
        .values_list("pk", "assessment_id", "assessment__staff_id", "user__username", "rater_type")
    )
    talent = {s.pk: rng.gauss(0, 0.5) for s in people}
    level_of = {s.pk: s.level_id for s in people}
    truth: dict[tuple[int, int], float] = {}
    bias = {
        RaterType.SELF: 0.45,
        RaterType.MANAGER: 0.0,
        RaterType.PEER: 0.15,
        RaterType.EXPERT: -0.1,
    }
    done: list[int] = []
    now = clock.now()

    def ratings():
        """The raters' ratings, drawn in order and written as drawn (about two million a
        round at 30,000 staff); ``done`` collects the raters who gave theirs."""
        for rater_id, assessment_id, staff_id, username, rater_type in raters:
            if not complete and (username in DEMO_PENDING or rng.random() < 0.5):
                continue  # still pending in the open round
            for c in competencies:
                key = (staff_id, c.pk)
                if key not in truth:
                    req = required.get((level_of[staff_id], c.pk), 3)
                    truth[key] = _true_level(rng, req, talent[staff_id], growth)
                value = truth[key] + bias[rater_type] + rng.gauss(0, 0.5)
                level = max(1, min(5, round(value)))
                evidence = f"{rng.choice(CLIENTS)}：{anchors[c.pk].get(level, '')}"
                yield (rater_id, assessment_id, c.pk, level, evidence, now)
            done.append(rater_id)

    bulk.copy_rows(Rating, RATING_FIELDS, ratings())
    if complete:  # every rater of the round gave their ratings: one statement
        Rater.objects.filter(assessment__round=round_).update(completed_at=now)
        return
    for start in range(0, len(done), 500):
        Rater.objects.filter(pk__in=done[start : start + 500]).update(completed_at=now)
