"""Demo KPI data (``manage.py seed_demo``): the KAM indicators of the seed, monthly schemes for
L1–L5, monthly periods for last year and this year (last year locked), actuals for every demo
staff member with a plausible spread, and the computed period and annual scores and grades.

Deterministic (fixed seed) and idempotent: reference data is created once; actuals are only
generated for periods that have none; scores are recomputed set-based.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db.models import Count

from core import bulk, clock
from org.models import Level, Staff

from . import ratings as multi_source
from . import rules, score_recompute, scoring
from .models import (
    Actual,
    Appraisal,
    AssessmentProfile,
    GradePolicy,
    Indicator,
    Period,
    PeriodStage,
    PeriodType,
    ProfileItem,
    QualitativeRating,
    RaterAssignment,
    RaterType,
    Scheme,
    SchemeItem,
    parse_period_code,
)

SEED = 20260301
Q = Indicator.Kind.QUANTITATIVE
QL = Indicator.Kind.QUALITATIVE

# code, name, English, unit, kind, method, params, weight, targets per level L1..L5
INDICATORS = [
    (
        "NEW_CONTRACT",
        "新签合同额",
        "New-contract revenue",
        "万元",
        Q,
        scoring.RATIO,
        {"cap": "1.2"},
        30,
        ["40", "60", "90", "120", "160"],
    ),
    (
        "REV_GROWTH",
        "收入增长率",
        "Revenue growth",
        "%",
        Q,
        scoring.BANDS,
        {
            "bands": [["0", "40"], ["0.5", "60"], ["0.8", "80"], ["1", "100"], ["1.2", "110"]],
            "below": "0",
        },
        15,
        ["6", "7", "8", "9", "10"],
    ),
    (
        "KEY_RETENTION",
        "重点客户保有率",
        "Key-client retention",
        "%",
        Q,
        scoring.RATIO,
        {"cap": "1.05"},
        15,
        ["92", "93", "95", "96", "97"],
    ),
    (
        "COLLECTION",
        "回款率",
        "Collection rate",
        "%",
        Q,
        scoring.RATIO,
        {"cap": "1.05"},
        15,
        ["95", "96", "97", "98", "98"],
    ),
    (
        "CLIENT_VISITS",
        "客户走访次数",
        "Client visits",
        "次",
        Q,
        scoring.RATIO,
        {"cap": "1.2"},
        10,
        ["20", "18", "16", "14", "12"],
    ),
    (
        "COMPLAINTS",
        "客户投诉",
        "Customer complaints",
        "次",
        Q,
        scoring.DEDUCTION,
        {"points": "10"},
        5,
        [None] * 5,
    ),
    (
        "MANAGER_RATING",
        "综合评价",
        "Manager's overall rating",
        "",
        QL,
        scoring.RATING,
        {"map": dict(scoring.DEFAULT_RATING_MAP)},
        10,
        [None] * 5,
    ),
]


def _periods(today: dt.date) -> list[Period]:
    codes = [f"{year}-{m:02d}" for year in (today.year - 1, today.year) for m in range(1, 13)]
    codes = [c for c in codes if c <= f"{today.year}-{today.month:02d}"]
    existing = set(Period.objects.filter(code__in=codes).values_list("code", flat=True))
    new = []
    for code in codes:
        if code in existing:
            continue
        ptype, start, end = parse_period_code(code)
        locked = start.year < today.year
        new.append(
            Period(
                code=code,
                period_type=ptype,
                year=start.year,
                start=start,
                end=end,
                status=Period.Status.LOCKED if locked else Period.Status.OPEN,
                locked_at=clock.now() if locked else None,
            )
        )
    Period.objects.bulk_create(new)
    return list(Period.objects.filter(code__in=codes).order_by("start"))


def _actual(rng: random.Random, code: str, target, factor: float) -> tuple[Decimal | None, str]:
    noise = rng.gauss(1.0, 0.08)
    if code == "NEW_CONTRACT":
        return Decimal(str(round(float(target) * factor * noise, 2))), ""
    if code == "REV_GROWTH":
        return Decimal(str(round(float(target) * (factor * 1.6 - 0.6) * noise, 2))), ""
    if code in ("KEY_RETENTION", "COLLECTION"):
        value = min(100.0, float(target) * (0.92 + 0.08 * factor) * rng.gauss(1.0, 0.02))
        return Decimal(str(round(value, 1))), ""
    if code == "CLIENT_VISITS":
        return Decimal(max(0, round(float(target) * factor * noise))), ""
    if code == "COMPLAINTS":
        weights = [0.8, 0.15, 0.04, 0.01] if factor >= 1 else [0.6, 0.25, 0.1, 0.05]
        return Decimal(rng.choices([0, 1, 2, 3], weights)[0]), ""
    # manager's rating follows performance
    pick = factor + rng.gauss(0, 0.08)
    grade = "A" if pick > 1.05 else "B" if pick > 0.92 else "C" if pick > 0.78 else "D"
    return None, ("E" if pick < 0.62 else grade)


def build(*, today: dt.date, stdout) -> str | None:
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    indicators = {}
    for code, name, name_en, unit, kind, method, params, *_rest in INDICATORS:
        indicators[code], _ = Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "unit": unit,
                "kind": kind,
                "method": method,
                "params": scoring.validate_params(method, params),
            },
        )
    levels = list(Level.objects.filter(track__code="KAM").order_by("order"))
    if not levels:
        return None
    targets: dict[tuple[int, str], Decimal | None] = {}
    for i, level in enumerate(levels[:5]):
        scheme, created = Scheme.objects.get_or_create(
            level=level,
            period_type=PeriodType.MONTH,
            parent=None,
            defaults={"track": level.track, "name": f"{level.code} 月度KPI考核方案"},
        )
        for code, *_mid, weight, level_targets in INDICATORS:
            target = None if level_targets[i] is None else Decimal(level_targets[i])
            targets[(level.pk, code)] = target
            if created:
                SchemeItem.objects.create(
                    scheme=scheme, indicator=indicators[code], weight=weight, target=target
                )
    n_variants = _variant(levels[0]) if levels else 0
    for year in (today.year - 1, today.year):
        GradePolicy.objects.get_or_create(
            year=year, defaults={"quota_a_pct": Decimal(15), "quota_ab_pct": Decimal(45)}
        )
    periods = _periods(today)
    filled = set(Actual.objects.values_list("period_id", flat=True).distinct())
    staff = list(
        Staff.objects.filter(track__code="KAM", level__isnull=False)
        .exclude(status=Staff.Status.EXITED)
        .order_by("employee_no")
        .values_list("id", "level_id", "hire_date")
    )
    factors = {pk: max(0.5, min(1.35, rng.gauss(0.86, 0.14))) for pk, _l, _h in staff}
    now = clock.now()

    def new_actuals():
        """Every actual of the periods not filled yet, drawn in order and written as drawn:
        millions of rows at 30,000 staff, never all in memory."""
        for period in periods:
            if period.pk in filled:
                continue
            for pk, level_id, hire_date in staff:
                if hire_date and hire_date > period.end:
                    continue
                for code, *_rest in INDICATORS:
                    target = targets.get((level_id, code)) or 0
                    value, grade = _actual(rng, code, target, factors[pk])
                    yield (pk, ids[code], period.pk, value, grade, source, now)

    ids = {code: indicator.pk for code, indicator in indicators.items()}
    source = Actual.Source.IMPORT.value
    with bulk.loading(Actual):  # five million actuals at 30,000 staff
        n_actuals = bulk.copy_rows(
            Actual,
            ["staff_id", "indicator_id", "period_id", "value", "grade", "source", "updated_at"],
            new_actuals(),
        )
    n_scores = score_recompute.recompute_periods([p.pk for p in periods])
    n_annual = score_recompute.recompute_years({p.year for p in periods})
    n_reviews = _cycle(today, periods)
    sources = build_sources(today=today)
    return (
        f"KPI: {len(indicators)} indicators, {len(levels[:5])} schemes, {len(periods)} periods, "
        f"{n_actuals} new actuals, {n_scores} period scores, {n_annual} annual scores, "
        f"{n_reviews} reviews, {n_variants} unit variant, {sources}."
    )


# The unit variant (单位差异化方案) of the L1 framework for the org unit with the most L1 account
# managers: new contracts weigh more there, client visits less (each 5 points from the
# framework, Σ 100).
VARIANT_SHIFT = {"NEW_CONTRACT": 5, "CLIENT_VISITS": -5}


def _variant(level: Level) -> int:
    """Create the demo's unit variant once; ``1`` when created, ``0`` when it exists (or
    nobody holds the level)."""
    framework = Scheme.objects.filter(
        level=level, period_type=PeriodType.MONTH, parent__isnull=True
    ).first()
    busiest = (
        Staff.objects.filter(track__code="KAM", level=level)
        .exclude(status=Staff.Status.EXITED)
        .values("unit_id", "unit__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit_id")
        .first()
    )
    if framework is None or busiest is None or framework.variants.exists():
        return 0
    variant, created = Scheme.objects.get_or_create(
        parent=framework,
        unit_id=busiest["unit_id"],
        defaults={
            "track_id": framework.track_id,
            "level_id": framework.level_id,
            "period_type": framework.period_type,
            "name": f"{framework.name}（{busiest['unit__name']}）",
        },
    )
    if not created:
        return 0
    SchemeItem.objects.bulk_create(
        SchemeItem(
            scheme=variant,
            indicator_id=item.indicator_id,
            weight=item.weight + VARIANT_SHIFT.get(item.indicator.code, 0),
            target=item.target,
        )
        for item in framework.items.select_related("indicator")
    )
    return 1


REVIEWS = [
    (
        "月度目标基本达成，重点客户拜访频次偏低。",
        "每周一次客户拜访计划复盘；陪同拜访两次。",
        "提升谈判与议价能力：参加“大客户谈判技巧”课程。",
    ),
    (
        "新签合同额超额完成，回款率需关注。",
        "每两周检查应收账款与回款计划。",
        "财务知识：参加“客户信用与回款管理”课程。",
    ),
]


def _cycle(today: dt.date, periods: list[Period]) -> int:
    """The assessment cycle of the demo: last year's periods closed; last month in the
    feedback stage (locked) with reviews of the demo manager's team, some acknowledged and
    one disagreed; this month in the assessment stage with its targets published and some
    acknowledgements and self-appraisals. Only periods still in preparation (just created) are
    moved, so running the demo again changes nothing."""
    from .services import participants, stage_rows_ensure

    now = clock.now()
    previous = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    current = today.strftime("%Y-%m")
    fresh = [p for p in periods if p.stage == rules.PREPARATION]
    for period in fresh:
        stage_rows_ensure(period)
        if period.is_locked:
            stage = rules.CLOSED
        elif period.code == previous:
            stage = rules.FEEDBACK
            period.status, period.locked_at = Period.Status.LOCKED, now
        else:
            stage = rules.ASSESSMENT
        period.stage = stage
        period.targets_published_at = now
        period.save(update_fields=["stage", "status", "locked_at", "targets_published_at"])
        done = [s for s in rules.STAGES if rules.ORDER[s] < rules.ORDER[stage]]
        PeriodStage.objects.filter(period=period, stage__in=done).update(
            started_at=now, ended_at=now
        )
        if stage != rules.CLOSED:
            PeriodStage.objects.filter(period=period, stage=stage).update(started_at=now)
    reviews = 0
    for period in fresh:
        if period.code not in (previous, current):
            continue
        staff = list(participants(period).select_related("manager__user").order_by("employee_no"))
        rows = []
        for i, member in enumerate(staff):
            row = Appraisal(staff=member, period=period)
            if i % 3 != 2:
                row.targets_acknowledged_at = now
            if i % 2 == 0:
                row.self_quantitative = "本月主要指标完成情况见系统数据，新签合同额接近目标。"
                row.self_qualitative = "积极配合团队，按时提交客户拜访记录。"
                row.self_submitted_at = now
            reviewer = member.manager.user if member.manager and member.manager.user_id else None
            if period.code == previous and reviewer is not None and i % 4 != 3:
                summary, coaching, goals = REVIEWS[i % 2]
                row.review_date = today - dt.timedelta(days=2)
                row.review_summary, row.coaching_actions = summary, coaching
                row.development_goals = goals
                row.reviewed_by, row.reviewed_at = reviewer, now
                reviews += 1
                if i % 4 == 0:
                    row.response, row.responded_at = Appraisal.Response.AGREED, now
                elif i % 8 == 1:
                    row.response, row.responded_at = Appraisal.Response.DISAGREED, now
                    row.response_comment = "三月份的系统故障影响了回款数据，请核实。"
            rows.append(row)
        Appraisal.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return reviews


# Assessment profiles on every KAM framework (same indicators as INDICATORS, Σ 100).
PROFILES = {
    "销售导向": {
        "NEW_CONTRACT": 40,
        "REV_GROWTH": 20,
        "KEY_RETENTION": 10,
        "COLLECTION": 10,
        "CLIENT_VISITS": 10,
        "COMPLAINTS": 5,
        "MANAGER_RATING": 5,
    },
    "服务导向": {
        "NEW_CONTRACT": 20,
        "REV_GROWTH": 10,
        "KEY_RETENTION": 25,
        "COLLECTION": 15,
        "CLIENT_VISITS": 15,
        "COMPLAINTS": 5,
        "MANAGER_RATING": 10,
    },
}


def build_sources(*, today: dt.date) -> str:
    """The assessment profiles 销售导向 / 服务导向 on every monthly KAM framework, and a
    multi-source indicator (客户与同事多维评价) rated for this month on a demo manager's team:
    the manager, two peers each and a client entry, so the inbox, the rating page and the
    anonymous result page have something to show. Idempotent."""
    codes = {code for code, *_rest in INDICATORS}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    n_profiles = 0
    for scheme in Scheme.objects.filter(parent__isnull=True, track__code="KAM"):
        have = {i.indicator.code for i in scheme.items.select_related("indicator")}
        for name, weights in PROFILES.items():
            if set(weights) != have:
                continue
            profile, created = AssessmentProfile.objects.get_or_create(framework=scheme, name=name)
            if created:
                ProfileItem.objects.bulk_create(
                    ProfileItem(profile=profile, indicator=indicators[c], weight=w)
                    for c, w in weights.items()
                )
                n_profiles += 1
    q, _ = Indicator.objects.get_or_create(
        code="MULTI_SOURCE",
        defaults={
            "name": "客户与同事多维评价",
            "name_en": "Client and colleague ratings",
            "kind": QL,
            "method": scoring.SOURCES,
            "params": {},
        },
    )
    period = Period.objects.filter(code=today.strftime("%Y-%m"), status=Period.Status.OPEN).first()
    manager = (
        Staff.objects.filter(track__code="KAM", reports__isnull=False, user__isnull=False)
        .order_by("employee_no")
        .first()
    )
    if period is None or manager is None:
        return f"{n_profiles} profiles"
    team = list(
        Staff.objects.filter(manager=manager, user__isnull=False)
        .exclude(status=Staff.Status.EXITED)
        .order_by("employee_no")[:6]
    )
    if len(team) < 3 or RaterAssignment.objects.filter(period=period, indicator=q).exists():
        return f"{n_profiles} profiles"
    now = clock.now()
    rng = random.Random(SEED + 1)  # noqa: S311 - demo data, not security
    assignments, ratings = [], []
    for i, member in enumerate(team):
        peers = [team[(i + 1) % len(team)], team[(i + 2) % len(team)]]
        raters = [(manager.user, RaterType.MANAGER)] + [(p.user, RaterType.PEER) for p in peers]
        for n, (user, rater_type) in enumerate(raters):
            assignments.append(
                RaterAssignment(
                    period=period,
                    staff=member,
                    indicator=q,
                    rater_type=rater_type,
                    rater=user,
                    assigned_by=manager.user,
                    assigned_at=now,
                )
            )
            if i % 2 == 0 or n == 0:  # half the team fully rated; the rest await their peers
                ratings.append(
                    QualitativeRating(
                        period=period,
                        staff=member,
                        indicator=q,
                        rater_type=rater_type,
                        rater=user,
                        score=Decimal(rng.randint(65, 95)),
                        entered_by=user,
                        entered_at=now,
                    )
                )
        ratings.append(
            QualitativeRating(
                period=period,
                staff=member,
                indicator=q,
                rater_type=RaterType.CLIENT,
                score=Decimal(rng.randint(70, 98)),
                comment="客户反馈响应及时。",
                entered_by=manager.user,
                entered_at=now,
            )
        )
    RaterAssignment.objects.bulk_create(assignments)
    QualitativeRating.objects.bulk_create(ratings)
    written = multi_source.apply([period.pk], staff_ids=[m.pk for m in team])
    return f"{n_profiles} profiles, {len(ratings)} multi-source ratings, {written} actuals"
