"""The competency demo: the seed's KAM model, finished rounds, idempotent."""

import datetime as dt

from competency import demo, selectors
from competency.models import Assessment, AssessmentRound, Competency, CompetencyModel, Rating
from org import demo as org_demo
from org.models import Staff

TODAY = dt.date(2026, 11, 29)


def test_demo_builds_the_seed_model_and_indexes(db):
    org_demo.build(today=TODAY, staff_count=60)
    summary = demo.build(today=TODAY, stdout=None)
    assert summary.startswith("Competency:")
    model = CompetencyModel.objects.get(track__code="KAM")
    assert model.status == "published"
    comps = {c.code: c for c in Competency.objects.filter(model=model)}
    assert {
        "驾驶技术",
        "普通话和粤语",
        "电脑操作",
        "商务礼仪",
        "客户走访",
        "方案编制与演示",
        "目标与计划管理",
        "商务谈判",
        "行业知识",
    } <= {c.name for c in comps.values()}
    assert {c.category for c in comps.values()} == {"attitude", "knowledge", "skill"}
    assert {c.kind for c in comps.values()} == {"basic", "professional"}
    for c in comps.values():
        levels = list(c.levels.order_by("level"))
        assert [pl.level for pl in levels] == [1, 2, 3, 4, 5]
        assert all(pl.description and pl.description_en for pl in levels)
    assert model.requirements.values("level").distinct().count() == 5
    assert model.requirements.count() == 5 * len(comps)

    staff_ids = list(Staff.objects.filter(track__code="KAM").values_list("pk", flat=True))
    indexes = selectors.competency_indexes(staff_ids=staff_ids, on_date=TODAY)
    assert len(indexes) >= 0.8 * len(staff_ids)
    assert all(0 <= v <= 100 for v in indexes.values())
    a_year_ago = selectors.competency_indexes(
        staff_ids=staff_ids, on_date=TODAY - dt.timedelta(days=100)
    )
    assert len(a_year_ago) == len(indexes)  # the 2025 round is the latest before that date

    rounds = {r.name: r for r in AssessmentRound.objects.all()}
    open_name = demo.open_round_name(TODAY)
    assert {r.status for name, r in rounds.items() if name != open_name} == {"closed"}
    open_round = rounds[open_name]
    assert open_round.assessments.filter(status="open").exists()
    assert selectors.pending_ratings(user=Staff.objects.get(user__username="manager").user).exists()

    counts = (Assessment.objects.count(), Rating.objects.count())
    assert demo.build(today=TODAY, stdout=None)  # idempotent
    assert (Assessment.objects.count(), Rating.objects.count()) == counts
