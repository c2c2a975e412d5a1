"""The competency part of the to-do inbox: invited 360° ratings, gone once complete."""

import pytest
from django.utils import translation

from competency import assessments as svc
from tests.clock import days
from tests.competency.factories import make_model
from tests.competency.test_assessments import rate
from tests.conftest import client_for
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    """The items are read in English here (the default language is Chinese)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _inbox(user):
    response = client_for(user).get("/api/v1/inbox/")
    assert response.status_code == 200
    return [item for item in response.json() if item["kind"] == "competency.rate"]


@pytest.fixture
def model(ladder):
    return make_model(ladder=ladder, profile={"L2": {"C1": (3, 2), "C2": (4, 1), "C3": (2, 1)}})


def test_self_and_manager_ratings_appear_and_go_once_complete(model, team, hr_user):
    round_ = svc.round_create(
        actor=hr_user,
        model=model,
        name="2026 360",
        staff=[team["alice"], team["bob"]],
        due_date=days(14),
    )
    [mine] = _inbox(team["alice_user"])
    assert mine["title"] == "Complete your self-assessment in 2026 360"
    assert mine["due"] == days(14).isoformat()
    alice_assessment = round_.assessments.get(staff=team["alice"])
    assert mine["url"] == f"/competency/assessments/{alice_assessment.pk}/rate/"
    [boss] = _inbox(team["boss_user"])
    assert (boss["title"], boss["count"]) == ("Rate 2 team members in 2026 360", 2)
    assert boss["url"] == "/competency/assessments/"
    assert _inbox(team["outsider_user"]) == []

    rate(alice_assessment, team["alice_user"], "self", {"C1": 3, "C2": 4, "C3": 2})
    assert _inbox(team["alice_user"]) == []
    rate(alice_assessment, team["boss_user"], "manager", {"C1": 3, "C2": 4, "C3": 2})
    [boss] = _inbox(team["boss_user"])
    assert boss["count"] == 1


@pytest.mark.parametrize("n", [1, 12])
def test_the_ratings_item_costs_the_same_for_one_as_for_many(
    n, model, team, hr_user, ladder, django_assert_max_num_queries
):
    reports = [StaffFactory(level=ladder[1], manager=team["boss"]) for _ in range(n)]
    svc.round_create(actor=hr_user, model=model, name="R", staff=reports)
    api = client_for(team["boss_user"])
    # The whole inbox of a manager: every app's provider (training's sessions to rate included).
    with django_assert_max_num_queries(7):
        items = api.get("/api/v1/inbox/").json()
    assert [i["count"] for i in items if i["kind"] == "competency.rate"] == [n]
