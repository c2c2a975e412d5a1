import datetime as dt

import pytest

from certification import demo
from certification.models import Application, Cycle, Panel, ScoringSheet
from certification.services.cycles import effective_members
from org import demo as org_demo

pytestmark = pytest.mark.django_db


def test_demo_builds_a_cycle_in_review_and_a_closed_one_idempotently():
    today = dt.date(2026, 11, 29)
    org_demo.build(staff_count=150, today=today)
    summary = demo.build(today=today, stdout=None)
    assert "2025" in summary and "2026" in summary
    closed = Cycle.objects.get(name="2025年度大客户经理岗位晋升认证")
    review = Cycle.objects.get(name="2026年度大客户经理岗位晋升认证")
    assert (closed.status, review.status) == ("closed", "review")
    assert Application.objects.filter(cycle=closed, status="promoted").exists()
    assert Application.objects.filter(cycle=closed, final_score__isnull=False).exists()
    assert Application.objects.filter(cycle=review, status="qualified").count() >= 5
    assert Panel.objects.filter(cycle=review, members__username="committee").exists()
    assert ScoringSheet.objects.filter(application__cycle=review, status="submitted").exists()
    # every candidate the office let through is eligible or carries a recorded override
    through = Application.objects.filter(status__in=["qualified", "promoted", "not_promoted"])
    assert through.exists()
    assert not through.filter(eligible=False, override_reason="").exists()
    assert not through.filter(eligible=False, override_by__isnull=True).exists()
    # one live application per person and level; panels of at least 3 effective scorers
    live = Application.objects.exclude(status__in=Application.ENDED).exclude(
        status="draft", cycle__status__in=["qualification", "review", "publicity"]
    )
    pairs = list(live.values_list("staff_id", "target_level_id"))
    assert len(pairs) == len(set(pairs))
    apps = list(Application.objects.filter(cycle=review, status="qualified"))
    sizes = effective_members(review, apps)
    assert min(sizes.values()) >= 3
    counts = (Cycle.objects.count(), Application.objects.count(), ScoringSheet.objects.count())
    assert demo.build(today=today, stdout=None) is None
    assert (
        Cycle.objects.count(),
        Application.objects.count(),
        ScoringSheet.objects.count(),
    ) == counts
