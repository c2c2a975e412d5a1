"""The KPI part of the to-do inbox for a line manager: the team's qualitative ratings of the
current month, counted down as they are given."""

import pytest
from django.utils import translation

from kpi import services
from tests.conftest import client_for
from tests.factories import StaffFactory

from .factories import make_period

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    """The items are read in English here (the default language is Chinese)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _ratings(user):
    response = client_for(user).get("/api/v1/inbox/")
    assert response.status_code == 200
    return [item for item in response.json() if item["kind"] == "kpi.rate"]


def test_manager_rates_the_team_and_the_item_goes(world):
    nov = make_period("2026-11")
    [item] = _ratings(world.manager_user)
    assert (item["count"], item["due"]) == (2, "2026-11-30")  # Alice and Bob × RAT
    assert item["title"] == "Give 2 qualitative ratings for 2026-11"
    assert item["url"] == "/kpi/team/rate/?period=2026-11"
    assert _ratings(world.alice_user) == []
    for staff in (world.alice, world.bob):
        services.actual_enter(
            actor=world.manager_user, staff=staff, indicator=world.rat, period=nov, value="B"
        )
    assert _ratings(world.manager_user) == []


@pytest.mark.parametrize("n", [1, 15])
def test_the_ratings_item_costs_the_same_for_any_team(n, world, django_assert_max_num_queries):
    make_period("2026-11")
    for _ in range(n):
        StaffFactory(unit=world.dep1, level=world.l2, manager=world.manager)
    api = client_for(world.manager_user)
    # The whole inbox (training's sessions to rate included).
    with django_assert_max_num_queries(5):
        items = api.get("/api/v1/inbox/").json()
    assert [i["count"] for i in items if i["kind"] == "kpi.rate"] == [n + 2]
