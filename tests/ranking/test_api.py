"""``/api/v1/ranking/…`` and ``/api/v1/certification/recertifications/`` (API.md)."""

import datetime as dt

import pytest

from core.roles import Role
from ranking import services
from ranking.models import RankingRun, RecertificationCase
from tests.conftest import client_for
from tests.factories import StaffFactory, UserFactory, make_unit, make_user_for
from tests.ranking.factories import band_case, committee_members, staff_with_scores

RUNS = "/api/v1/ranking/runs/"
CASES = "/api/v1/certification/recertifications/"


def payload(track_, **extra):
    return {"track": track_.pk, "year": 2025, "cohort": "track", "bottom_pct": "5", **extra}


def test_post_computes_a_preview(scores, ladder, hr_api):
    staff_with_scores(scores, ladder[1], [50 + i for i in range(21)])
    response = hr_api.post(RUNS, payload(ladder[0].track, min_months=6, min_cohort=10))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "preview" and body["kpi_weight"] == "1.0000"
    assert body["summary"]["population"] == 21 and body["summary"]["bottom_band"] == 2
    entries = hr_api.get(f"{RUNS}{body['id']}/entries/?in_bottom_band=true&ordering=-rank").json()
    assert entries["count"] == 2
    row = entries["results"][0]
    assert {"staff", "cohort", "score", "rank", "in_bottom_band", "in_top_band", "excluded"} <= set(
        row
    )
    assert "reason" in row and row["score"] == "50.00" and row["rank"] == 21


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"bottom_pct": "abc"}, "bottom_pct"),
        ({"year": "x"}, "year"),
        ({"cohort": "galaxy"}, "cohort"),
        ({"kpi_weight": "1.5"}, "kpi_weight"),
        ({"track": 999999}, "track"),
    ],
)
def test_garbage_is_a_400(ladder, hr_api, extra, field):
    response = hr_api.post(RUNS, payload(ladder[0].track, **extra))
    assert response.status_code == 400 and field in response.json()


def test_a_percentage_outside_5_to_10_is_always_refused(scores, ladder, hr_api):
    staff_with_scores(scores, ladder[1], [60])
    response = hr_api.post(RUNS, payload(ladder[0].track, bottom_pct="12"))
    assert response.status_code == 400
    assert response.json()["code"] == "bottom_pct_out_of_range"
    # no override: a reason changes nothing, the old field is not accepted
    response = hr_api.post(
        RUNS,
        payload(ladder[0].track, bottom_pct="10.01", override_reason="restructuring"),
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bottom_pct_out_of_range"
    run_id = hr_api.post(RUNS, payload(ladder[0].track, bottom_pct="10")).json()["id"]
    response = hr_api.patch(f"{RUNS}{run_id}/", {"bottom_pct": "4.99", "reason": "x"})
    assert response.status_code == 400
    assert response.json()["code"] == "bottom_pct_out_of_range"
    assert "override_reason" not in hr_api.get(f"{RUNS}{run_id}/").json()


def test_only_the_office_runs_and_commits(scores, ladder, hr_api):
    user = UserFactory(roles=[Role.STAFF, Role.MANAGER])
    response = client_for(user).post(RUNS, payload(ladder[0].track))
    assert response.status_code == 403
    run_id = hr_api.post(RUNS, payload(ladder[0].track)).json()["id"]
    assert client_for(user).post(f"{RUNS}{run_id}/commit/", {}).status_code == 403
    assert client_for(user).get(f"{RUNS}{run_id}/").status_code == 404  # a preview
    leader = UserFactory(roles=[Role.LEADERSHIP])
    assert client_for(leader).post(f"{RUNS}{run_id}/commit/", {}).status_code == 403


def test_commit_then_409_on_recommit_and_on_edits(scores, ladder, hr_api):
    staff_with_scores(scores, ladder[1], [50 + i for i in range(20)])
    run_id = hr_api.post(RUNS, payload(ladder[0].track)).json()["id"]
    # a preview can be changed (and is computed again)
    response = hr_api.patch(f"{RUNS}{run_id}/", {"bottom_pct": "10"})
    assert response.status_code == 200 and response.json()["summary"]["bottom_band"] == 2
    response = hr_api.post(f"{RUNS}{run_id}/commit/", {})
    assert response.status_code == 200 and response.json()["status"] == "committed"
    again = hr_api.post(f"{RUNS}{run_id}/commit/", {})
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    edit = hr_api.patch(f"{RUNS}{run_id}/", {"bottom_pct": "5"})
    assert edit.status_code == 409
    assert hr_api.delete(f"{RUNS}{run_id}/").status_code == 405
    # a new run for the year needs a reason, then supersedes the committed one
    assert hr_api.post(RUNS, payload(ladder[0].track)).status_code == 400
    new = hr_api.post(RUNS, payload(ladder[0].track, reason="corrected KPI")).json()
    assert hr_api.post(f"{RUNS}{new['id']}/commit/", {}).status_code == 200
    assert RankingRun.objects.get(pk=run_id).status == "superseded"


def test_staff_see_their_own_entry_only_after_commit(scores, ladder, hr_api, hr_user):
    root = make_unit("ROOT")
    team_unit = make_unit("T1", root)
    boss = StaffFactory(level=ladder[4], level_since=dt.date(2020, 1, 1), unit=team_unit)
    people = staff_with_scores(
        scores, ladder[1], [50 + i for i in range(20)], unit=team_unit, manager=boss
    )
    outsider = staff_with_scores(scores, ladder[1], [99])[0]
    me = people[3]
    my_user = make_user_for(me)
    boss_user = make_user_for(boss, Role.MANAGER)
    run_id = hr_api.post(RUNS, payload(ladder[0].track)).json()["id"]
    mine = client_for(my_user)
    assert mine.get(f"{RUNS}{run_id}/").status_code == 404
    assert mine.get(f"{RUNS}{run_id}/entries/").status_code == 404
    hr_api.post(f"{RUNS}{run_id}/commit/", {})
    rows = mine.get(f"{RUNS}{run_id}/entries/").json()["results"]
    assert [r["staff"] for r in rows] == [me.pk]
    # 21 ranked (the manager has no KPI score): 53 is 18th; (21 − 18 + 1) / 21 = 19.047… %
    assert rows[0]["rank"] == 18 and rows[0]["percentile"] == "19.05"
    team = client_for(boss_user).get(f"{RUNS}{run_id}/entries/?page_size=100").json()
    seen = {r["staff"] for r in team["results"]}
    assert {s.pk for s in people} <= seen and outsider.pk not in seen


def test_recertification_cases_are_scoped_and_decided_by_the_office(scores, ladder, hr_user):
    _run, case, staff = band_case(scores, ladder, hr_user)
    other = StaffFactory(level=ladder[1], level_since=dt.date(2020, 1, 1))
    hr = client_for(hr_user)
    own = client_for(make_user_for(staff))
    stranger = client_for(make_user_for(other))
    listing = hr.get(CASES).json()
    assert listing["count"] == 1
    row = listing["results"][0]
    assert (row["staff"], row["level"], row["status"], row["outcome"]) == (
        staff.pk,
        ladder[1].pk,
        "open",
        "",
    )
    assert row["ranking_run"] == case.run_id
    assert own.get(f"{CASES}{case.pk}/").status_code == 200
    assert stranger.get(f"{CASES}{case.pk}/").status_code == 404
    assert stranger.get(CASES).json()["count"] == 0
    assert own.post(f"{CASES}{case.pk}/propose/", {}).status_code == 403
    members = committee_members(3)
    response = hr.post(f"{CASES}{case.pk}/assign/", {"members": [m.pk for m in members]})
    assert response.status_code == 200, response.json()
    assert hr.post(f"{CASES}{case.pk}/propose/", {}).status_code == 409  # no quorum yet
    parts = response.json()["sheet_definition"]
    assert [p["code"] for p in parts] == ["performance", "training", "competency"]
    for member, part_scores in zip(
        members[:2],
        [
            {"performance": "60", "training": "50", "competency": "60"},
            {"performance": "57", "training": "57", "competency": "57"},
        ],
        strict=True,
    ):
        response = client_for(member).post(
            f"{CASES}{case.pk}/score/", {"scores": part_scores}, format="json"
        )
        assert response.status_code == 200, response.json()
    # (40 × 60/100 + 20 × 50/100 + 40 × 60/100) / 100 × 100 = 58
    again = client_for(members[0]).post(
        f"{CASES}{case.pk}/score/",
        {"scores": {"performance": "90", "training": "90", "competency": "90"}},
        format="json",
    )
    assert again.status_code == 409
    sheets = client_for(members[0]).get(f"{CASES}{case.pk}/sheets/").json()
    assert {x["total"] for x in sheets} == {"58.0000", "57.0000"}
    assert {line["code"]: line["score"] for line in sheets[0]["lines"]} == {
        "performance": "60.0000",
        "training": "50.0000",
        "competency": "60.0000",
    }
    response = hr.post(f"{CASES}{case.pk}/propose/", {"reason": "panel"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["outcome"], body["committee_score"]) == (
        "published",
        "demoted",
        "57.50",
    )
    assert body["new_level"] is None  # nothing takes effect before approval and appeal
    again = hr.post(f"{CASES}{case.pk}/propose/", {})  # a repeat answers the same state
    assert again.status_code == 200 and again.json() == body


def test_score_out_of_range_is_a_400(scores, ladder, hr_user):
    _run, case, _staff = band_case(scores, ladder, hr_user)
    members = committee_members(3)
    services.recertification_panel_assign(actor=hr_user, case=case, members=members)
    response = client_for(members[0]).post(
        f"{CASES}{case.pk}/score/",
        {"scores": {"performance": "101", "training": "50", "competency": "50"}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_scores"
    assert response.json()["parts"] == ["performance"]
    response = client_for(members[0]).post(
        f"{CASES}{case.pk}/score/", {"scores": {"performance": "50"}}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["parts"] == ["competency", "training"]


def test_lists_have_a_fixed_number_of_queries(
    scores, ladder, hr_user, django_assert_max_num_queries
):
    run, _case, _staff = band_case(scores, ladder, hr_user, n=60)
    hr = client_for(hr_user)
    for extra in range(3):
        hr.post(RUNS, payload(ladder[0].track, reason=f"what-if {extra}"))
    with django_assert_max_num_queries(8):
        response = hr.get(f"{RUNS}{run.pk}/entries/?page_size=100")
    assert response.json()["count"] == 60
    with django_assert_max_num_queries(8):
        assert hr.get(RUNS).json()["count"] == 4
    for each in RecertificationCase.objects.all():
        each.members.add(*committee_members(3, prefix=f"m{each.pk}-"))
    with django_assert_max_num_queries(8):
        assert hr.get(CASES).json()["count"] == 3
