"""Development goals of the review conversation: recorded by the line manager on the kpi
review page (a panel training registers in kpi's registry), shown on the employee's appraisal
page and in the staff file's training tab; scope and refusals."""

import pytest

from core import clock
from core.errors import InvalidTransition, RoleRequired
from kpi.appraisal_panels import PROVIDERS
from kpi.models import Appraisal, Period
from tests.clock import days
from tests.kpi.factories import make_period
from training import services
from training.goals_panel import goals_panel
from training.models import DevelopmentGoal

from .factories import CourseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(world):
    period = make_period("2026-10")
    Period.objects.filter(pk=period.pk).update(stage="feedback")
    period.refresh_from_db()
    appraisal = Appraisal.objects.create(staff=world.alice, period=period)
    return period, appraisal


def test_training_fills_kpi_s_panel_registry():
    assert goals_panel in PROVIDERS


def test_the_manager_adds_goals_on_the_review_page(world, review, client):
    period, appraisal = review
    course = CourseFactory(code="P03", title="商务谈判")
    client.force_login(world.mgr.user)
    page = client.get(f"/kpi/appraisal/team/{world.alice.pk}/?period={period.code}")
    assert 'data-testid="goal-form"' in page.content.decode()
    back = f"/kpi/appraisal/team/{world.alice.pk}/?period={period.code}"
    response = client.post(
        f"/training/goals/add/{appraisal.pk}/",
        {
            "text": "独立主持一次价格谈判",
            "due_on": days(90).isoformat(),
            "course": course.pk,
            "next": back,
        },
    )
    assert response.status_code == 302 and response["Location"] == back
    goal = DevelopmentGoal.objects.get()
    assert (goal.staff_id, goal.appraisal_id, goal.course_id, goal.due_on) == (
        world.alice.pk,
        appraisal.pk,
        course.pk,
        days(90),
    )
    html = client.get(back, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "独立主持一次价格谈判" in html and f"due {days(90):%Y-%m-%d}" in html

    # The employee sees it on their appraisal page, without the form.
    client.force_login(world.alice.user)
    html = client.get(f"/kpi/appraisal/?period={period.code}").content.decode()
    assert "独立主持一次价格谈判" in html
    assert 'data-testid="goal-form"' not in html
    # ... and it is in the staff file's training tab.
    client.force_login(world.mgr.user)
    html = client.get(f"/org/staff/{world.alice.pk}/").content.decode()
    assert "独立主持一次价格谈判" in html


def test_who_may_add_and_until_when(world, review, hr_user):
    _period, appraisal = review
    with pytest.raises(RoleRequired):  # the employee
        services.goal_add(
            actor=world.alice.user, appraisal=appraisal, text="x", due_on=clock.today()
        )
    with pytest.raises(RoleRequired):  # another branch's staff member without a role
        services.goal_add(
            actor=world.dave.user, appraisal=appraisal, text="x", due_on=clock.today()
        )
    goal = services.goal_add(actor=hr_user, appraisal=appraisal, text="撰写方案", due_on=days(30))
    Appraisal.objects.filter(pk=appraisal.pk).update(responded_at=clock.now())
    with pytest.raises(InvalidTransition):
        services.goal_add(actor=hr_user, appraisal=appraisal, text="y", due_on=days(30))
    with pytest.raises(InvalidTransition):
        services.goal_remove(actor=hr_user, goal=goal)


def test_out_of_scope_is_404(world, review, client):
    _period, appraisal = review
    client.force_login(world.dave.user)
    response = client.post(
        f"/training/goals/add/{appraisal.pk}/", {"text": "x", "due_on": days(5).isoformat()}
    )
    assert response.status_code == 404
    assert not DevelopmentGoal.objects.exists()


def test_the_review_page_stays_within_its_query_budget(
    world, review, client, django_assert_max_num_queries
):
    period, appraisal = review
    for n in range(6):
        services.goal_add(
            actor=None,
            appraisal=appraisal,
            text=f"目标{n}",
            due_on=days(10 + n),
            course=CourseFactory(),
        )
    client.force_login(world.mgr.user)
    with django_assert_max_num_queries(15):
        page = client.get(f"/kpi/appraisal/team/{world.alice.pk}/?period={period.code}")
    assert page.content.decode().count("目标") >= 6


def test_the_demo_adds_goals_to_recorded_reviews(world, review):
    from training import demo

    _period, appraisal = review
    Appraisal.objects.filter(pk=appraisal.pk).update(
        reviewed_at=clock.now(), review_date=days(-2), review_summary="好"
    )
    CourseFactory(code="P01", title="大客户拜访策划")
    assert demo.build_goals(today=days(0)) == (
        "Training: 1 development goals agreed in appraisal reviews."
    )
    goal = DevelopmentGoal.objects.get()
    assert (goal.appraisal_id, goal.due_on, goal.course.code) == (appraisal.pk, days(58), "P01")
    assert demo.build_goals(today=days(0)) is None


def test_the_api(world, review, mgr_api, alice_api):
    from tests.conftest import client_for

    period, appraisal = review
    url = "/api/v1/training/goals/"
    body = {"appraisal": appraisal.pk, "text": "完成方案演示", "due_on": days(45).isoformat()}
    created = mgr_api.post(url, body, format="json")
    assert created.status_code == 201, created.json()
    assert (created.json()["period"], created.json()["staff"]) == (period.code, world.alice.pk)
    assert alice_api.post(url, body, format="json").status_code == 403
    assert [g["text"] for g in alice_api.get(url).json()["results"]] == ["完成方案演示"]
    dave = client_for(world.dave.user)
    assert dave.get(f"{url}{created.json()['id']}/").status_code == 404
    assert mgr_api.delete(f"{url}{created.json()['id']}/").status_code == 204
    assert not DevelopmentGoal.objects.exists()
