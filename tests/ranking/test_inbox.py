"""The ranking part of the to-do inbox, read through ``GET /api/v1/inbox/``: the bottom-band
member's case and its windows, the panel's sheets, the office's objections and appeals, the
leadership's approvals and the line manager's team — each gone once done."""

import datetime as dt

import pytest
from django.utils import translation

from core.roles import Role
from org.models import Staff
from ranking import services
from tests.conftest import client_for
from tests.factories import StaffFactory, make_user_for
from tests.ranking.factories import (
    at,
    band_case,
    committee_members,
    leader,
    parts_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    """The items are read in English here (the default language is Chinese)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _inbox(user, prefix="ranking."):
    response = client_for(user).get("/api/v1/inbox/")
    assert response.status_code == 200
    return [item for item in response.json() if item["kind"].startswith(prefix)]


def test_the_whole_procedure_shows_each_role_what_to_do_and_nothing_after(scores, ladder, hr_user):
    _run, case, staff = band_case(scores, ladder, hr_user, level_index=2)
    boss = StaffFactory(level=ladder[3])
    Staff.objects.filter(pk=staff.pk).update(manager=boss)
    person, manager = make_user_for(staff), make_user_for(boss, Role.MANAGER)

    [item] = _inbox(person)
    assert (item["kind"], item["url"]) == ("ranking.case", f"/ranking/recertifications/{case.pk}/")
    assert "keep the level, demotion by one level, or elimination" in item["why"]
    [item] = _inbox(manager)
    assert item["kind"] == "ranking.bottom_band" and item["count"] == 1
    assert item["title"] == "1 team member in the bottom band of the 2025 ranking"

    [item] = _inbox(hr_user)
    assert (item["kind"], item["count"]) == ("ranking.panels", 1)
    assert item["title"] == "Assign a panel to 1 re-certification case"
    members = committee_members(3)
    services.recertification_panel_assign(actor=hr_user, case=case, members=members)
    case.refresh_from_db()
    assert _inbox(hr_user) == []
    assert [i["kind"] for i in _inbox(members[0])] == ["ranking.sheets"]
    for member, total in zip(members, [50, 55, 52], strict=True):
        services.recertification_sheet_score(actor=member, case=case, scores=parts_for(case, total))
    assert _inbox(members[0]) == []

    case = services.recertification_case_propose(actor=hr_user, case=case, reason="panel decision")
    [item] = _inbox(person)
    assert item["due"] == case.publicity_end.isoformat()
    boss_of_all = leader()
    assert _inbox(boss_of_all) == []  # the publicity still runs
    day_after = case.publicity_end + dt.timedelta(days=1)
    with at(day_after):
        [item] = _inbox(boss_of_all)
        assert (item["kind"], item["count"]) == ("ranking.approve", 1)
        case = services.recertification_case_approve(actor=boss_of_all, case=case)
        assert _inbox(boss_of_all) == []
        [item] = _inbox(person)
        assert item["title"] == f"Appeal window open until {case.appeal_until}"
        assert item["due"] == case.appeal_until.isoformat()
        appeal = services.recertification_appeal_file(actor=person, case=case, reason="案例未计入")
        [item] = _inbox(hr_user)
        assert (item["kind"], item["count"]) == ("ranking.appeals", 1)
        services.recertification_appeal_resolve(
            actor=hr_user, appeal=appeal, decision="dismissed", reason="维持原结论"
        )
        assert _inbox(hr_user) == []
    with at(case.appeal_until + dt.timedelta(days=1)):
        assert _inbox(person) == []


@pytest.mark.parametrize("n", [1, 4])
def test_the_ranking_items_cost_the_same_for_one_as_for_many(
    n, scores, ladder, hr_user, django_assert_max_num_queries
):
    boss = StaffFactory(level=ladder[3])
    manager = make_user_for(boss, Role.MANAGER, Role.COMMITTEE)
    for i in range(n):  # one committed run a year, each with a report of the boss in the band
        _run, _case, staff = band_case(scores, ladder, hr_user, level_index=2, year=2025 - i)
        Staff.objects.filter(pk=staff.pk).update(manager=boss)
    api = client_for(manager)
    # 9: the whole inbox of a manager who sits on the committee (one of them the committee
    # member's coming defences, certification.defences; one the figures of every app), and one
    # more when the content-type cache is cold (the first test of a process)
    with django_assert_max_num_queries(10):
        items = api.get("/api/v1/inbox/").json()
    [item] = items  # the latest committed year only
    assert (item["kind"], item["count"]) == ("ranking.bottom_band", 1)
    assert "2025" in item["title"]
