"""``/api/v1/kpi/…``: contract, scope (own / subtree / all, 404 outside), errors, query counts."""

from decimal import Decimal as D

import pytest

from core.models import AuditEvent
from kpi import score_recompute
from kpi.models import Actual, AnnualScore, Period, Scheme
from tests.conftest import client_for
from tests.factories import StaffFactory

from .factories import make_period, put_actual

API = "/api/v1/kpi"


@pytest.fixture
def scored(world):
    for staff, rev in ((world.alice, "90"), (world.bob, "80"), (world.carol, "70")):
        put_actual(staff, world.rev, world.mar, rev)
        put_actual(staff, world.rat, world.mar, grade="B")
    score_recompute.recompute([world.mar.pk])
    return world


def test_indicator_contract_and_validation(world, hr_api):
    body = hr_api.get(f"{API}/indicators/?code=REV").json()["results"][0]
    assert {"id", "code", "name", "unit", "kind", "method", "params"} <= set(body)
    assert body["params"] == {"cap": "1.2"}
    response = hr_api.post(
        f"{API}/indicators/",
        {
            "code": "B2",
            "name": "b",
            "kind": "quantitative",
            "method": "bands",
            "params": {"bands": [["1", "100"], ["0.8", "60"]]},
        },
        format="json",
    )
    assert response.status_code == 400
    assert "params" in response.json()
    response = hr_api.post(
        f"{API}/indicators/",
        {"code": "RT2", "name": "r", "kind": "qualitative", "method": "rating"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["params"]["map"]["B"] == "85"


def test_scheme_api_refuses_weights_not_100(world, hr_api):
    level = world.levels[0]
    payload = {
        "level": level.pk,
        "period_type": "month",
        "items": [
            {"indicator": world.rev.pk, "weight": "60.00", "target": "100"},
            {"indicator": world.rat.pk, "weight": "30.00"},
        ],
    }
    response = hr_api.post(f"{API}/schemes/", payload, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "exactly 100 (they add up to 90.00)" in str(response.json())
    payload["items"][1]["weight"] = "40.00"
    response = hr_api.post(f"{API}/schemes/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["track"] == level.track_id
    assert body["items"] == [
        {"indicator": world.rev.pk, "weight": "60.00", "target": "100.0000"},
        {"indicator": world.rat.pk, "weight": "40.00", "target": None},
    ]
    assert Scheme.objects.filter(level=level).count() == 1


def test_period_create_and_lock_409(world, hr_api):
    response = hr_api.post(f"{API}/periods/", {"code": "2026-Q1"}, format="json")
    assert response.status_code == 201
    assert response.json()["start"] == "2026-01-01"
    assert response.json()["end"] == "2026-03-31"
    assert hr_api.post(f"{API}/periods/", {"code": "2026-Q9"}, format="json").status_code == 400
    url = f"{API}/periods/{world.mar.pk}/lock/"
    response = hr_api.post(url, {"reason": "closed"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "locked"
    response = hr_api.post(url, {}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_lock_is_for_hr_only(world):
    response = client_for(world.manager_user).post(f"{API}/periods/{world.mar.pk}/lock/")
    assert response.status_code == 403


def test_correction_api_with_reason_audited(world, hr_api):
    actual = put_actual(world.alice, world.rev, world.mar, "80")
    hr_api.post(f"{API}/periods/{world.mar.pk}/lock/")
    response = hr_api.post(
        f"{API}/actuals/",
        {"staff": world.alice.pk, "indicator": world.rev.pk, "period": world.mar.pk, "value": "90"},
        format="json",
    )
    assert response.status_code == 409
    url = f"{API}/actuals/{actual.pk}/correct/"
    assert hr_api.post(url, {"value": "90"}, format="json").status_code == 400
    response = hr_api.post(url, {"value": "90", "reason": "late contract"}, format="json")
    assert response.status_code == 201
    assert response.json()["new_value"] == "90.0000"
    assert AuditEvent.objects.filter(action="kpi.actual.correct", reason="late contract").exists()


def test_scores_contract(scored, hr_api):
    body = hr_api.get(f"{API}/scores/?staff={scored.alice.pk}").json()
    assert body["count"] == 1
    score = body["results"][0]
    # REV 90 ×40 + RAT B 85 ×10 → (3600 + 850) / 50 = 89.00
    assert score["total"] == "89.00"
    assert score["period"] == scored.mar.pk
    assert score["items"][0] == {
        "indicator": scored.rev.pk,
        "actual": "90.0000",
        "target": "100.0000",
        "score": "90.00",
        "weight": "40.00",
    }
    annual = hr_api.get(f"{API}/annual-scores/?staff={scored.alice.pk}&year=2026").json()
    assert annual["results"][0]["score"] == "89.00"
    assert annual["results"][0]["grade"] == "B"


def test_staff_sees_own_scores_only(scored):
    api = client_for(scored.alice_user)
    results = api.get(f"{API}/scores/").json()["results"]
    assert {r["staff"] for r in results} == {scored.alice.pk}
    bob_score = scored.bob.kpi_scores.get()
    assert api.get(f"{API}/scores/{bob_score.pk}/").status_code == 404
    bob_annual = AnnualScore.objects.get(staff=scored.bob)
    assert api.get(f"{API}/annual-scores/{bob_annual.pk}/").status_code == 404
    bob_actual = Actual.objects.filter(staff=scored.bob).first()
    assert api.get(f"{API}/actuals/{bob_actual.pk}/").status_code == 404
    assert api.get(f"{API}/scores/?staff={scored.bob.pk}").status_code == 400


def test_manager_sees_subtree(scored):
    api = client_for(scored.manager_user)
    staff = {r["staff"] for r in api.get(f"{API}/annual-scores/").json()["results"]}
    assert staff == {scored.alice.pk, scored.bob.pk}
    carol = AnnualScore.objects.get(staff=scored.carol)
    assert api.get(f"{API}/annual-scores/{carol.pk}/").status_code == 404


def test_manager_enters_rating_for_team_via_api(scored):
    api = client_for(scored.manager_user)
    payload = {
        "staff": scored.alice.pk,
        "indicator": scored.rat.pk,
        "period": scored.mar.pk,
        "value": "A",
    }
    assert api.post(f"{API}/actuals/", payload, format="json").status_code == 201
    payload["staff"] = scored.carol.pk
    assert api.post(f"{API}/actuals/", payload, format="json").status_code == 404
    payload.update(staff=scored.alice.pk, indicator=scored.rev.pk, value="5")
    assert api.post(f"{API}/actuals/", payload, format="json").status_code == 403


@pytest.mark.parametrize(
    "query", ["?staff=999999", "?period=abc", "?year=x", "?grade=Z", "?page_size=0&page=x"]
)
def test_garbage_filters_are_not_500(scored, hr_api, query):
    for path in ("scores", "annual-scores", "actuals"):
        assert hr_api.get(f"{API}/{path}/{query}").status_code in (200, 400, 404)


def test_lists_have_constant_queries(world, hr_api, django_assert_max_num_queries):
    periods = [world.mar, world.apr] + [make_period(f"2026-{m:02d}") for m in (5, 6)]
    for i in range(30):
        staff = StaffFactory(unit=world.dep1, level=world.l2, manager=world.manager)
        for period in periods:
            put_actual(staff, world.rev, period, str(80 + i))
            put_actual(staff, world.rat, period, grade="B")
    score_recompute.recompute([p.pk for p in periods])
    for path in (
        "scores",
        "annual-scores",
        "actuals",
        "indicators",
        "schemes",
        "periods",
        "corrections",
        "staff-targets",
        "grade-policies",
    ):
        with django_assert_max_num_queries(8):
            response = hr_api.get(f"{API}/{path}/?page_size=200")
        assert response.status_code == 200, path
    assert Period.objects.count() == 4


def test_annual_scores_selector_one_query(scored, django_assert_num_queries):
    from kpi.selectors import annual_scores

    ids = [scored.alice.pk, scored.bob.pk, scored.carol.pk, 999999]
    with django_assert_num_queries(1):
        result = annual_scores(staff_ids=ids, year=2026)
    assert result[scored.alice.pk].score == D("89.00")
    assert result[scored.alice.pk].grade == "B"
    assert 999999 not in result
    assert annual_scores(staff_ids=ids, year=2025) == {}
