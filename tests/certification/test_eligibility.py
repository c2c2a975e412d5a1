"""Each eligibility rule, pass and fail, with its evidence in both languages."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import translation

from certification import eligibility as el
from certification.eligibility import Context, Policy
from certification.models import DisciplinaryRecord, EligibilityPolicy
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 12, 31)


def ctx(staff, target, policy=None, on=ON):
    return Context(staff, target, on, policy or Policy())


def detail(result, lang):
    with translation.override(lang):
        return result.detail


def test_level_directly_below_passes_and_a_skip_fails(ladder):
    l1, l2, l3, *_ = ladder
    staff = StaffFactory(level=l2, level_since=dt.date(2020, 1, 1))
    ok = el.LevelBelowRule().evaluate(ctx(staff, l3))
    assert ok.passed
    assert detail(ok, "en") == "Current level L2 客户经理 is directly below L3 高级客户经理"
    low = StaffFactory(level=l1, level_since=dt.date(2020, 1, 1))
    bad = el.LevelBelowRule().evaluate(ctx(low, l3))
    assert not bad.passed
    assert detail(bad, "zh-hans") == "现级别 L1 助理客户经理 不是 L3 高级客户经理 的下一级"


def test_years_at_level_counts_whole_years_to_the_reference_date(ladder):
    _, l2, l3, *_ = ladder
    staff = StaffFactory(level=l2, level_since=dt.date(2024, 12, 31))
    policy = Policy(min_years_at_level=2)
    on_anniversary = el.YearsAtLevelRule().evaluate(ctx(staff, l3, policy, dt.date(2026, 12, 31)))
    day_before = el.YearsAtLevelRule().evaluate(ctx(staff, l3, policy, dt.date(2026, 12, 30)))
    assert on_anniversary.passed
    assert not day_before.passed
    assert detail(day_before, "en") == (
        "1 whole years at current level since 2024-12-31 (as of 2026-12-30), 2 required, 1 short"
    )
    assert detail(day_before, "zh-hans") == (
        "现级别任职满 1 年（2024-12-31 起，截至 2026-12-30），要求 2 年，差 1 年"
    )


def test_annual_grade_b_or_better(ladder, fake):
    _, l2, l3, *_ = ladder
    good = StaffFactory(level=l2, level_since=dt.date(2020, 1, 1))
    weak = StaffFactory(level=l2, level_since=dt.date(2020, 1, 1))
    none = StaffFactory(level=l2, level_since=dt.date(2020, 1, 1))
    fake.grades = {good.pk: (D("88"), "B"), weak.pk: (D("72"), "C")}
    ok = el.AnnualGradeRule().evaluate(ctx(good, l3))
    bad = el.AnnualGradeRule().evaluate(ctx(weak, l3))
    missing = el.AnnualGradeRule().evaluate(ctx(none, l3))
    assert (ok.passed, bad.passed, missing.passed) == (True, False, False)
    assert detail(ok, "en") == "Annual grade 2025: B (B or better required)"
    assert detail(bad, "zh-hans") == "2025 年度考核等级：C，低于 B"
    assert detail(missing, "en") == "No annual grade for 2025"


def test_training_credits_shortfall_is_spelled_out(ladder, fake):
    _, l2, l3, *_ = ladder
    staff = StaffFactory(level=l2, level_since=dt.date(2020, 1, 1))
    fake.credits = {staff.pk: D("36")}
    fake.required = D("40")
    result = el.TrainingCreditsRule().evaluate(ctx(staff, l3))
    assert not result.passed
    assert detail(result, "zh-hans") == "培训学分 36/40，差 4 分"
    assert detail(result, "en") == "Training credits 36/40, 4 short"
    fake.credits = {staff.pk: D("40.0")}
    ok = el.TrainingCreditsRule().evaluate(ctx(staff, l3))
    assert ok.passed
    assert detail(ok, "en") == "Training credits 40/40"


def test_policy_credits_override_the_training_requirement(ladder, fake):
    _, l2, l3, *_ = ladder
    staff = StaffFactory(level=l2, level_since=dt.date(2020, 1, 1))
    fake.credits = {staff.pk: D("36")}
    EligibilityPolicy.objects.create(level=l3, min_credits_12m=D("30"))
    result = el.TrainingCreditsRule().evaluate(ctx(staff, l3, Policy.for_level(l3)))
    assert result.passed
    assert detail(result, "en") == "Training credits 36/30"


def test_required_courses_must_be_done(ladder, fake):
    _, l2, l3, *_ = ladder
    staff = StaffFactory(level=l2, level_since=dt.date(2020, 1, 1))
    fake.missing = {staff.pk: ["大客户营销", "方案写作"]}
    bad = el.RequiredCoursesRule().evaluate(ctx(staff, l3))
    assert not bad.passed
    assert detail(bad, "zh-hans") == "未完成必修课程：大客户营销、方案写作"
    fake.missing = {}
    assert el.RequiredCoursesRule().evaluate(ctx(staff, l3)).passed


def test_competency_index_threshold(ladder, fake):
    _, l2, l3, *_ = ladder
    staff = StaffFactory(level=l2, level_since=dt.date(2020, 1, 1))
    policy = Policy(min_competency_index=D("70"))
    fake.indexes = {staff.pk: D("69.99")}
    bad = el.CompetencyIndexRule().evaluate(ctx(staff, l3, policy))
    assert not bad.passed
    assert detail(bad, "en") == "Competency index 69.99, below 70"
    fake.indexes = {staff.pk: D("70.00")}
    ok = el.CompetencyIndexRule().evaluate(ctx(staff, l3, policy))
    assert ok.passed
    assert detail(ok, "zh-hans") == "素质指数 70（要求 70）"
    fake.indexes = {}
    assert detail(el.CompetencyIndexRule().evaluate(ctx(staff, l3, policy)), "en") == (
        "No competency index yet"
    )


def test_missing_source_reports_no_data_as_not_passed(ladder):
    _, l2, l3, *_ = ladder
    staff = StaffFactory(level=l2, level_since=dt.date(2020, 1, 1))
    from certification import sources

    c = ctx(staff, l3)
    original = sources.annual_scores, sources.training_summary, sources.competency_indexes
    try:
        sources.annual_scores = lambda ids, year: None
        sources.training_summary = lambda staff, on_date, level=None: None
        sources.competency_indexes = lambda ids, on_date=None: None
        results = [
            r.evaluate(c)
            for r in (el.AnnualGradeRule(), el.TrainingCreditsRule(), el.CompetencyIndexRule())
        ]
    finally:
        sources.annual_scores, sources.training_summary, sources.competency_indexes = original
    assert [r.passed for r in results] == [False, False, False]
    assert detail(results[0], "en") == "No data: KPI results are not available"
    assert detail(results[1], "zh-hans") == "无数据：尚无培训记录"


def test_disciplinary_record_within_twelve_months_blocks(ladder):
    _, l2, l3, *_ = ladder
    staff = StaffFactory(level=l2, level_since=dt.date(2020, 1, 1))
    DisciplinaryRecord.objects.create(staff=staff, date=dt.date(2025, 12, 31), kind="警告")
    # "the last 12 months" of 2026-12-31 start after 2025-12-31: that record no longer counts
    ok = el.NoDisciplineRule().evaluate(ctx(staff, l3))
    assert ok.passed
    assert detail(ok, "en") == "No disciplinary record since 2025-12-31"
    DisciplinaryRecord.objects.create(staff=staff, date=dt.date(2026, 1, 1), kind="警告")
    bad = el.NoDisciplineRule().evaluate(ctx(staff, l3))
    assert not bad.passed
    assert detail(bad, "zh-hans") == "2026-01-01 有纪律处分：警告"


def test_open_recertification_case_blocks(ladder, monkeypatch):
    _, l2, l3, *_ = ladder
    staff = StaffFactory(level=l2, level_since=dt.date(2020, 1, 1))
    from certification import sources

    assert el.NotUnderRecertificationRule().evaluate(ctx(staff, l3)).passed
    monkeypatch.setattr(
        sources, "open_recertification", lambda sid: {"level": "L2", "date": "2026-03-01"}
    )
    bad = el.NotUnderRecertificationRule().evaluate(ctx(staff, l3))
    assert not bad.passed
    assert detail(bad, "en") == "Under re-certification at L2 since 2026-03-01"


def test_evaluate_runs_every_rule_and_is_eligible_only_when_all_pass(ladder, fake):
    _, l2, l3, *_ = ladder
    staff = StaffFactory(level=l2, level_since=dt.date(2022, 1, 1))
    fake.grades = {staff.pk: (D("90"), "A")}
    fake.credits = {staff.pk: D("45")}
    fake.indexes = {staff.pk: D("80")}
    evaluation = el.evaluate(staff, l3, ON)
    assert [r.code for r in evaluation.rules] == [
        "level_below",
        "years_at_level",
        "annual_grade",
        "training_credits",
        "required_courses",
        "competency_index",
        "no_discipline",
        "not_recertification",
    ]
    assert evaluation.eligible
    again = el.Evaluation.from_snapshot(evaluation.snapshot())
    assert [r.detail for r in again.rules] == [r.detail for r in evaluation.rules]
    fake.credits = {staff.pk: D("39")}
    assert not el.evaluate(staff, l3, ON).eligible


def test_sources_read_the_installed_apps(ladder):
    """The apps below certification answer in the agreed shapes (empty for unknown staff)."""
    from certification import sources

    staff = StaffFactory(level=ladder[1], level_since=dt.date(2020, 1, 1))
    for answer in (
        sources.annual_scores([staff.pk], 2025),
        sources.credits_12m([staff.pk], ON),
        sources.competency_indexes([staff.pk], on_date=ON),
    ):
        assert isinstance(answer, dict)
    summary = sources.training_summary(staff, ON, level=ladder[2])
    assert hasattr(summary, "credits_12m")
    assert sources.open_recertification(staff.pk) is None
