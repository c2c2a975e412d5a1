"""Gaps link to the courses that develop them (training app), and finalize is race-safe."""

import threading
from decimal import Decimal as D

import pytest
from django.db import connection

from competency import assessments as svc
from competency import selectors
from competency.models import Assessment, AssessmentResult
from core.errors import InvalidTransition
from tests.competency.factories import make_model
from tests.competency.test_assessments import rate
from tests.conftest import client_for

training_models = pytest.importorskip("training.models")
Course = training_models.Course


@pytest.fixture
def finalized(ladder, team, hr_user):
    model = make_model(ladder=ladder, profile={"L2": {"C1": (3, 2), "C2": (4, 1), "C3": (2, 1)}})
    round_ = svc.round_create(actor=hr_user, model=model, name="2026", staff=[team["alice"]])
    a = round_.assessments.get()
    rate(a, team["boss_user"], "manager", {"C1": 4, "C2": 3, "C3": 2})
    svc.assessment_finalize(actor=hr_user, assessment=a)
    return a


@pytest.mark.skipif(not hasattr(Course, "competencies"), reason="training has no course links yet")
def test_gaps_list_the_courses_that_develop_them(finalized, team):
    c2 = finalized.model.competencies.get(code="C2")
    course = Course.objects.create(
        code="P02",
        title="方案编制与演示",
        category="professional",
        form="off_job",
        hours=16,
        credits=6,
    )
    course.competencies.add(c2)
    retired = Course.objects.create(
        code="X01",
        title="旧课程",
        category="basic",
        form="on_job",
        hours=1,
        credits=1,
        active=False,
    )
    retired.competencies.add(c2)
    gaps = selectors.gaps_with_courses(profile=selectors.competency_profile(staff=team["alice"]))
    assert [(g["competency"].code, g["gap"], [c.code for c in g["courses"]]) for g in gaps] == [
        ("C2", D("1.00"), ["P02"])
    ]
    r = client_for(team["alice_user"]).get(
        f"/api/v1/org/staff/{team['alice'].pk}/competency-profile/"
    )
    item = next(i for i in r.data["items"] if i["code"] == "C2")
    assert item["courses"] == [{"id": course.pk, "code": "P02", "title": "方案编制与演示"}]
    from django.test import Client

    c = Client()
    c.force_login(team["alice_user"])
    assert "P02" in c.get(f"/competency/staff/{team['alice'].pk}/").content.decode()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_finalize_finalizes_once(ladder, team, hr_user):
    if connection.vendor != "postgresql":
        pytest.skip("select_for_update is a no-op on SQLite")
    model = make_model(ladder=ladder, profile={"L2": {"C1": (3, 1)}}, codes=("C1",))
    round_ = svc.round_create(actor=hr_user, model=model, name="race", staff=[team["alice"]])
    a = round_.assessments.get()
    rate(a, team["boss_user"], "manager", {"C1": 3})
    outcomes, barrier = [], threading.Barrier(2)

    def work():
        try:
            barrier.wait()
            svc.assessment_finalize(actor=hr_user, assessment=a)
            outcomes.append("ok")
        except InvalidTransition:
            outcomes.append("409")
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["409", "ok"]
    assert Assessment.objects.get(pk=a.pk).status == "finalized"
    assert AssessmentResult.objects.filter(assessment=a).count() == 1
