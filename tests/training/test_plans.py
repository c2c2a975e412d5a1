"""Annual training plans per unit: the need from competency gaps (one aggregate query), lines,
totals against the budget, approval refused over budget; pages and API in scope."""

from decimal import Decimal

import pytest

from competency.models import Assessment, AssessmentResult, AssessmentRound
from core.errors import InvalidTransition
from tests.clock import days
from tests.competency.factories import make_model
from training import selectors, services
from training.models import TrainingPlan

from .factories import CourseFactory

pytestmark = pytest.mark.django_db
D = Decimal
URL = "/api/v1/training/plans/"


def _assess(model, staff, gaps: dict[str, str], *, on=-30):
    """A finalized assessment of ``staff`` with the given gap per competency code."""
    rnd = AssessmentRound.objects.get_or_create(name=f"评估 {on}", model=model)[0]
    assessment = Assessment.objects.create(
        round=rnd,
        staff=staff,
        model=model,
        level=staff.level,
        status=Assessment.Status.FINALIZED,
        index=D("80"),
        finalized_on=days(on),
    )
    comps = {c.code: c for c in model.competencies.all()}
    for code, gap in gaps.items():
        AssessmentResult.objects.create(
            assessment=assessment,
            competency=comps[code],
            actual=D(3) - D(gap),
            required_level=3,
            weight=D(1),
            gap=D(gap),
        )
    return assessment


@pytest.fixture
def gaps(world):
    model = make_model(ladder=world.levels)
    _assess(model, world.alice, {"C1": "1.0", "C2": "0", "C3": "0.5"})
    _assess(model, world.bob, {"C1": "0.5", "C2": "-0.5", "C3": "0"})
    _assess(model, world.carol, {"C1": "2", "C2": "1", "C3": "0"})
    _assess(model, world.dave, {"C1": "1", "C2": "1", "C3": "1"})
    old = _assess(model, world.mgr, {"C1": "1"}, on=-400)
    _assess(model, world.mgr, {"C1": "0"}, on=-10)  # the latest shows no gap any more
    assert old.pk
    return model


def test_the_need_counts_staff_with_a_gap_in_the_unit_and_below(
    world, gaps, hr_user, django_assert_num_queries
):
    gz = services.plan_save(actor=hr_user, year=2027, unit=world.gz, budget=D("50000"))
    ka = services.plan_save(actor=hr_user, year=2027, unit=world.gz_ka, budget=D("20000"))
    sz = services.plan_save(actor=hr_user, year=2027, unit=world.sz, budget=D("10000"))
    c1 = gaps.competencies.get(code="C1")
    services.plan_line_add(
        actor=hr_user, plan=gz, course=CourseFactory(), competency=c1, participants=2, cost=D(1)
    )
    with django_assert_num_queries(3):
        needs = selectors.plan_needs(plans=[gz, ka, sz], on_date=days(0))

    def table(plan):
        return [(r.code, r.staff_with_gap, r.planned) for r in needs[plan.pk]]

    # GZ (alice, bob in GZ-KA; carol in GZ-GOV; mgr in GZ with no gap in the latest).
    assert table(gz) == [("C1", 3, 2), ("C2", 1, 0), ("C3", 1, 0)]
    assert table(ka) == [("C1", 2, 0), ("C3", 1, 0)]
    assert table(sz) == [("C1", 1, 0), ("C2", 1, 0), ("C3", 1, 0)]


def test_approval_is_refused_over_budget(world, hr_user):
    plan = services.plan_save(actor=hr_user, year=2027, unit=world.gz, budget=D("10000.00"))
    with pytest.raises(InvalidTransition):  # no line yet
        services.plan_approve(actor=hr_user, plan=plan)
    services.plan_line_add(
        actor=hr_user, plan=plan, topic="大客户营销沙盘", participants=20, cost=D("6000.005")
    )
    services.plan_line_add(
        actor=hr_user, plan=plan, course=CourseFactory(), participants=10, cost=D("4000.00")
    )
    assert services.plan_total(plan) == D("10000.01")  # 6000.005 → 6000.01 half-up
    with pytest.raises(InvalidTransition) as exc:
        services.plan_approve(actor=hr_user, plan=plan)
    assert exc.value.code == "over_budget"
    assert "0.01" in exc.value.message
    plan = services.plan_save(
        actor=hr_user, year=2027, unit=world.gz, budget=D("10000.01"), plan=plan
    )
    approved = services.plan_approve(actor=hr_user, plan=plan)  # exactly the budget passes
    assert approved.status == TrainingPlan.Status.APPROVED
    with pytest.raises(InvalidTransition):
        services.plan_line_add(actor=hr_user, plan=plan, topic="x", participants=1, cost=D(1))
    with pytest.raises(InvalidTransition):  # one plan per unit and year
        services.plan_save(actor=hr_user, year=2027, unit=world.gz, budget=D(1))


def test_the_api(world, gaps, hr_api, mgr_api, alice_api):
    created = hr_api.post(URL, {"year": 2027, "unit": world.gz.pk, "budget": "8000"}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    line = hr_api.post(
        f"{URL}{pk}/lines/",
        {"topic": "政企方案沙龙", "participants": 12, "cost": "9000.50"},
        format="json",
    )
    assert line.status_code == 201, line.json()
    body = line.json()
    figures = (body["planned"], body["remaining"], body["budget"])
    assert figures == ("9000.50", "-1000.50", "8000.00")
    assert body["need"][0] == {"code": "C1", "name": "素质C1", "staff_with_gap": 3, "planned": 0}
    refused = hr_api.post(f"{URL}{pk}/approve/")
    assert (refused.status_code, refused.json()["code"]) == (409, "over_budget")
    assert hr_api.patch(f"{URL}{pk}/", {"budget": "9500"}, format="json").status_code == 200
    assert hr_api.post(f"{URL}{pk}/approve/").json()["status"] == "approved"
    # Scope: the GZ manager sees GZ's plan; SZ's plan is out of his subtree.
    sz = hr_api.post(URL, {"year": 2027, "unit": world.sz.pk, "budget": "1"}, format="json")
    assert [p["unit"] for p in mgr_api.get(URL).json()["results"]] == [world.gz.pk]
    assert mgr_api.get(f"{URL}{sz.json()['id']}/").status_code == 404
    assert mgr_api.post(f"{URL}{pk}/approve/").status_code == 403
    mine = alice_api.post(URL, {"year": 2028, "unit": world.gz.pk, "budget": "1"})
    assert mine.status_code == 403


def test_pages(world, gaps, client, hr_user, django_assert_max_num_queries):
    client.force_login(hr_user)
    response = client.post(
        "/training/plans/?year=2027", {"year": 2027, "unit": world.gz.pk, "budget": "5000"}
    )
    assert response.status_code == 302
    plan = TrainingPlan.objects.get()
    c1 = gaps.competencies.get(code="C1")
    response = client.post(
        f"/training/plans/{plan.pk}/",
        {"topic": "谈判工作坊", "competency": c1.pk, "participants": 3, "cost": "4800"},
    )
    assert response.status_code == 302
    for n, unit in enumerate((world.sz, world.gz_ka, world.gz_gov)):
        p = services.plan_save(actor=hr_user, year=2027, unit=unit, budget=D(1000))
        services.plan_line_add(actor=hr_user, plan=p, topic=f"专题{n}", participants=1, cost=D(10))
    with django_assert_max_num_queries(15):
        html = client.get("/training/plans/?year=2027", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html.count("/training/plans/") >= 4
    with django_assert_max_num_queries(15):
        page = client.get(f"/training/plans/{plan.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "Planned ¥4,800.00 of a budget of ¥5,000.00; remaining ¥200.00." in html or (
        "4,800.00" in html and "200.00" in html
    )
    response = client.post(f"/training/plans/{plan.pk}/approve/")
    plan.refresh_from_db()
    assert plan.status == "approved"
    client.force_login(world.dave.user)
    assert client.get(f"/training/plans/{plan.pk}/").status_code == 404
