"""The KPI demo shows the assessment cycle: last month in feedback with reviews, this month in
the assessment stage; building it again changes nothing."""

from kpi import demo
from kpi.models import Appraisal, Period
from org import demo as org_demo
from tests.clock import FROZEN_TODAY, LAST_YEAR, days


def test_demo_has_a_period_in_feedback_with_reviews(db):
    day = FROZEN_TODAY
    org_demo.build(today=day, staff_count=60)
    demo.build(today=day, stdout=None)
    feedback = Period.objects.get(stage="feedback")
    last_month = days(-FROZEN_TODAY.day).strftime("%Y-%m")
    assert (feedback.code, feedback.status) == (last_month, "locked")
    assert Period.objects.get(code=FROZEN_TODAY.strftime("%Y-%m")).stage == "assessment"
    assert not Period.objects.filter(year=LAST_YEAR).exclude(stage="closed").exists()
    reviews = Appraisal.objects.filter(period=feedback, reviewed_at__isnull=False)
    assert reviews.exists()
    assert reviews.filter(response="agreed").exists()
    assert reviews.filter(response="disagreed").exclude(response_comment="").exists()
    assert reviews.filter(responded_at__isnull=True).exists()
    before = list(Appraisal.objects.order_by("pk").values_list("pk", "reviewed_at", "response"))
    demo.build(today=day, stdout=None)
    assert list(Appraisal.objects.order_by("pk").values_list("pk", "reviewed_at", "response")) == (
        before
    )


def test_demo_has_profiles_and_multi_source_ratings(db):
    from kpi.models import Actual, AssessmentProfile, QualitativeRating, RaterAssignment

    day = FROZEN_TODAY
    org_demo.build(today=day, staff_count=60)
    demo.build(today=day, stdout=None)
    assert set(AssessmentProfile.objects.values_list("name", flat=True)) == {"销售导向", "服务导向"}
    assert RaterAssignment.objects.exists()
    assert Actual.objects.filter(source="ratings").exists()
    counts = (
        AssessmentProfile.objects.count(),
        RaterAssignment.objects.count(),
        QualitativeRating.objects.count(),
    )
    demo.build(today=day, stdout=None)  # idempotent
    assert (
        AssessmentProfile.objects.count(),
        RaterAssignment.objects.count(),
        QualitativeRating.objects.count(),
    ) == counts


def test_demo_has_a_unit_variant_of_the_l1_framework(db):
    from collections import Counter
    from decimal import Decimal

    from kpi import score_recompute
    from kpi.models import Scheme
    from org.models import Staff

    day = FROZEN_TODAY
    org_demo.build(today=day, staff_count=60)
    demo.build(today=day, stdout=None)
    [variant] = Scheme.objects.filter(parent__isnull=False)
    assert variant.parent.parent_id is None and variant.level.order == min(
        Scheme.objects.filter(parent__isnull=True).values_list("level__order", flat=True)
    )
    # The unit with the most account managers of that level, so the variant scores them.
    per_unit = Counter(
        Staff.objects.filter(track__code="KAM", level=variant.level)
        .exclude(status=Staff.Status.EXITED)
        .values_list("unit_id", flat=True)
    )
    assert per_unit[variant.unit_id] == max(per_unit.values()) > 1
    period = Period.objects.get(code=FROZEN_TODAY.strftime("%Y-%m"))
    scored = score_recompute.resolve_schemes(
        list(Staff.objects.values_list("pk", flat=True)), [period]
    )
    assert sum(1 for s in scored.values() if s == variant.pk) >= per_unit[variant.unit_id]
    framework = dict(variant.parent.items.values_list("indicator__code", "weight"))
    weights = dict(variant.items.values_list("indicator__code", "weight"))
    assert weights == {
        **framework,
        "NEW_CONTRACT": Decimal(35),
        "CLIENT_VISITS": Decimal(5),
    }
    assert sum(weights.values()) == Decimal(100)
    demo.build(today=day, stdout=None)  # idempotent
    assert Scheme.objects.filter(parent__isnull=False).count() == 1
