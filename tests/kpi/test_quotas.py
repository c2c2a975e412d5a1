"""Grade quotas allocated per unit, the reserve and calibration, through the API (docs/kpi.md,
"Quota allocation" — the worked example)."""

from decimal import Decimal as D

import pytest
from django.conf import settings
from django.test import Client

from core.audit import AuditEvent
from core.roles import Role
from kpi import rules, score_recompute, selectors
from kpi.models import AnnualScore, GradePolicy
from org.models import Staff
from tests.conftest import client_for
from tests.factories import StaffFactory, UserFactory, make_unit

from .factories import put_actual

URL = "/api/v1/kpi/quota-allocations/"

# The worked example of docs/kpi.md: three units, eleven people.
EXAMPLE = {
    "P": ["95", "90", "87", "80"],  # Σ 352, mean 88
    "Q": ["92", "75", "70", "60", "55"],  # Σ 352, mean 70.4
    "R": ["97", "93"],  # Σ 190, mean 95
}


def _people(w, scores_by_unit):
    people = {}
    for code, scores in scores_by_unit.items():
        unit = make_unit(code, w.root)
        for i, score in enumerate(scores, start=1):
            staff = StaffFactory(employee_no=f"{code}{i}", unit=unit, level=w.l2)
            put_actual(staff, w.rev, w.mar, score)
            people[f"{code}{i}"] = staff
    score_recompute.recompute([w.mar.pk])
    return people


def _grades():
    return dict(AnnualScore.objects.filter(year=2026).values_list("staff__employee_no", "grade"))


@pytest.fixture
def example(world):
    AnnualScore.objects.all().delete()
    world.people = _people(world, EXAMPLE)
    world.units = {code: world.people[f"{code}1"].unit for code in EXAMPLE}
    return world


def _save(hr_api, **overrides):
    body = {
        "year": 2026,
        "basis": "performance",
        "a_pct": "30",
        "ab_pct": "60",
        "reserve_a": 2,
        "reserve_b": 0,
        **overrides,
    }
    return hr_api.post(URL, body, format="json")


def test_apportion_largest_remainder_with_a_tie():
    # 1 place, remainders P = Q = 0.3937…, R = 0.2125…: the tie goes to the better mean (P).
    weights = {1: D(352), 2: D(352), 3: D(190)}
    result = rules.apportion(1, weights, {1: (-88,), 2: (D("-70.4"),), 3: (-95,)})
    assert [result[k][1] for k in (1, 2, 3)] == [1, 0, 0]
    assert result[1][0].quantize(D("0.0001")) == D("0.3937")
    assert rules.apportion(0, weights, {1: (), 2: (), 3: ()})[1] == (D(0), 0)


def test_worked_example_allocation(example, hr_api):
    response = _save(hr_api)
    assert response.status_code == 201, response.json()
    body = response.json()
    # N = 11: ⌊11 × 30 %⌋ = 3 A, ⌊11 × 60 %⌋ = 6 A or B → 3 B; 2 A held in reserve.
    assert (body["population"], body["company_a"], body["company_b"]) == (11, 3, 3)
    assert D(body["company_mean"]).quantize(D("0.0001")) == D("81.2727")
    units = {u["unit_code"]: u for u in body["units"]}
    # weight = headcount × unit mean / company mean = Σ scores / 81.27…: P 4.3311, Q 4.3311,
    # R 2.3378. A: 1 place → exact shares 0.3937, 0.3937, 0.2125 → P (tie with Q, higher mean).
    # B: 3 places → 1.1812, 1.1812, 0.6376 → 1, 1, then the last place to R (0.6376).
    assert {c: (u["places_a"], u["places_b"]) for c, u in units.items()} == {
        "P": (1, 1),
        "Q": (0, 1),
        "R": (0, 1),
    }
    assert D(units["P"]["weight"]).quantize(D("0.0001")) == D("4.3311")
    assert D(units["R"]["share_b"]).quantize(D("0.0001")) == D("0.6376")
    assert D(units["Q"]["mean_score"]) == D("70.4")
    # Not published yet: the grade policy's rule (no quota) still grades.
    assert _grades()["P2"] == "A"


def test_headcount_basis_gives_places_by_headcount(example, hr_api):
    body = _save(hr_api, basis="headcount").json()
    # A 1 place: 4/11, 5/11, 2/11 → Q (0.4545); B 3: 1.0909, 1.3636, 0.5455 → 1, 1, + R.
    units = {u["unit_code"]: (u["places_a"], u["places_b"]) for u in body["units"]}
    assert units == {"P": (0, 1), "Q": (1, 1), "R": (0, 1)}


def test_publish_grades_by_unit_ceilings_then_reserve_and_calibration(example, hr_api):
    w = example
    allocation = _save(hr_api).json()["id"]
    assert hr_api.post(f"{URL}{allocation}/publish/", {"reason": "2026 quotas"}).status_code == 200
    assert _grades() == {
        "P1": "A",
        "P2": "B",
        "P3": "C",
        "P4": "C",  # A ≤ 1, A+B ≤ 2
        "Q1": "B",
        "Q2": "C",
        "Q3": "C",
        "Q4": "D",
        "Q5": "E",  # A ≤ 0, A+B ≤ 1
        "R1": "B",
        "R2": "C",  # A ≤ 0, A+B ≤ 1
    }
    # The grade chart draws the unit ceilings: A ≤ 1 + 0 + 0, A or B ≤ 2 + 1 + 1.
    chart = selectors.grade_distribution(staff_qs=Staff.objects.all(), year=2026)
    assert (chart.max_a, chart.max_ab, chart.counts["A"], chart.counts["B"]) == (1, 4, 1, 3)
    # Reserve: one A to unit R (ceilings 1 and 2), one A to Q1 (graded outside Q's quota).
    r = hr_api.post(
        f"{URL}{allocation}/grant/",
        {"grade": "A", "unit": w.units["R"].pk, "reason": "Provincial award"},
    )
    assert r.status_code == 201, r.json()
    r = hr_api.post(
        f"{URL}{allocation}/grant/",
        {"grade": "A", "staff": w.people["Q1"].pk, "reason": "Won the bank account"},
    )
    assert r.status_code == 201, r.json()
    grades = _grades()
    assert (grades["R1"], grades["R2"], grades["Q1"]) == ("A", "B", "A")
    # The reserve of 2 A is spent.
    r = hr_api.post(
        f"{URL}{allocation}/grant/", {"grade": "A", "unit": w.units["P"].pk, "reason": "more"}
    )
    assert r.status_code == 409 and r.json()["code"] == "over_quota"
    assert AuditEvent.objects.filter(action="kpi.quota.grant").count() == 2

    # Calibration in P: raising P3 (87, C) to B is beyond A+B ≤ 2 → refused.
    r = hr_api.post(
        f"{URL}{allocation}/calibrate/",
        {"changes": [{"staff": w.people["P3"].pk, "grade": "B"}], "reason": "client praise"},
        format="json",
    )
    assert r.status_code == 409 and r.json()["code"] == "over_quota"
    # Above the threshold grade (87 → A) → refused.
    r = hr_api.post(
        f"{URL}{allocation}/calibrate/",
        {"changes": [{"staff": w.people["P3"].pk, "grade": "A"}], "reason": "x"},
        format="json",
    )
    assert r.status_code == 409 and r.json()["code"] == "not_eligible"
    # A swap within the quota: P3 up to B, P2 down to C.
    r = hr_api.post(
        f"{URL}{allocation}/calibrate/",
        {
            "changes": [
                {"staff": w.people["P3"].pk, "grade": "B"},
                {"staff": w.people["P2"].pk, "grade": "C"},
            ],
            "reason": "P3 led the year's largest deal",
        },
        format="json",
    )
    assert r.status_code == 200, r.json()
    grades = _grades()
    assert [grades[f"P{i}"] for i in range(1, 5)] == ["A", "C", "B", "C"]
    units = {u["unit_code"]: u for u in r.json()["units"]}
    p = units["P"]
    assert p["before"] == {"A": 2, "B": 2, "C": 0, "D": 0, "E": 0}
    assert p["after"] == {"A": 1, "B": 1, "C": 2, "D": 0, "E": 0}
    assert (p["ceiling_a"], p["ceiling_ab"], p["used_a"], p["used_ab"]) == (1, 2, 1, 2)
    assert {m["employee_no"]: m["why"] for m in p["moved"]} == {
        "P2": "P3 led the year's largest deal",
        "P3": "P3 led the year's largest deal",
        "P4": "",
    }
    assert [g["employee_no"] for g in units["Q"]["granted"]] == ["Q1"]
    assert units["R"]["reserve_a"] == 1 and units["R"]["ceiling_ab"] == 2
    # A later recompute keeps the calibration and the grants.
    score_recompute.recompute_years([2026])
    assert _grades() == grades
    assert AuditEvent.objects.filter(action="kpi.quota.calibrate").count() == 2


def test_published_allocation_is_frozen_and_office_only(example, hr_api):
    allocation = _save(hr_api).json()["id"]
    hr_api.post(f"{URL}{allocation}/publish/", {})
    assert _save(hr_api).status_code == 409
    assert hr_api.post(f"{URL}{allocation}/publish/", {}).status_code == 409
    staff_api = client_for(UserFactory(username="someone", roles=[Role.STAFF]))
    assert staff_api.get(URL).status_code == 403


def test_reserve_beyond_company_quota_is_refused(example, hr_api):
    r = _save(hr_api, reserve_a=4)
    assert r.status_code == 400


@pytest.mark.parametrize("per_unit", [2, 6])
def test_calibration_runs_constant_queries(world, hr_api, django_assert_max_num_queries, per_unit):
    AnnualScore.objects.all().delete()
    _people(world, {c: [str(90 - i) for i in range(per_unit)] for c in ("U1", "U2", "U3")})
    allocation = _save(hr_api, reserve_a=0).json()["id"]
    hr_api.post(f"{URL}{allocation}/publish/", {})
    with django_assert_max_num_queries(9):
        r = hr_api.get(f"{URL}{allocation}/calibration/")
    assert r.status_code == 200
    assert len(r.json()["units"]) == 3
    page = _page_client()
    with django_assert_max_num_queries(20):
        html = page.get("/kpi/calibration/?year=2026").content.decode()
    assert html.count('data-testid="kpi-quota-unit"') == 3


def _page_client():
    client = Client()
    client.force_login(UserFactory(username="hr-page", roles=[Role.HR]))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_calibration_page_swaps_with_a_reason_and_refuses_beyond_quota(example, hr_api):
    allocation = _save(hr_api).json()["id"]
    hr_api.post(f"{URL}{allocation}/publish/", {})
    page = _page_client()
    html = page.get("/kpi/calibration/?year=2026").content.decode()
    assert "Lowered by the unit's quota" in html
    assert "4 staff, mean 88.00, weight 4.3311; exact shares 0.3937 A and 1.1812 B" in html
    # Issue #21: the scores of the moved staff read as scores, 2 places.
    assert '<td class="text-end">90.00</td><td>A</td><td>B</td>' in html
    r = page.post(
        "/kpi/calibration/",
        {"year": "2026", "raise_no": "P3", "raise_grade": "B", "reason": "client praise"},
        follow=True,
    )
    assert "Beyond the unit&#x27;s quota: 1 A of 1 and 3 A or B of 2." in r.content.decode()
    r = page.post(
        "/kpi/calibration/",
        {
            "year": "2026",
            "raise_no": "P3",
            "raise_grade": "B",
            "lower_no": "P2",
            "lower_grade": "C",
            "reason": "Largest deal",
        },
        follow=True,
    )
    assert "Calibrated: Largest deal" in r.content.decode()
    assert _grades()["P3"] == "B"


def test_unit_without_places_keeps_the_policy_percentages(example, hr_api):
    w = example
    GradePolicy.objects.create(year=2026, quota_a_pct=D(50))
    allocation = _save(hr_api).json()["id"]
    hr_api.post(f"{URL}{allocation}/publish/", {})
    # A unit scored after the allocation was computed: ⌊2 × 50 %⌋ = 1 A by the policy.
    unit = make_unit("S", w.root)
    for no, score in (("S1", "96"), ("S2", "94")):
        put_actual(StaffFactory(employee_no=no, unit=unit, level=w.l2), w.rev, w.mar, score)
    score_recompute.recompute([w.mar.pk])
    grades = _grades()
    assert (grades["S1"], grades["S2"], grades["P1"], grades["P2"]) == ("A", "B", "A", "B")


def test_calibration_page_is_office_only(example):
    client = Client()
    client.force_login(UserFactory(username="plain", roles=[Role.STAFF]))
    assert client.get("/kpi/calibration/?year=2026").status_code == 403


def _last_year(people, scores_by_unit):
    """Annual scores of 2025 for the example's people, in the same units."""
    rows = []
    for code, scores in scores_by_unit.items():
        for i, score in enumerate(scores, start=1):
            staff = people[f"{code}{i}"]
            rows.append(
                AnnualScore(
                    staff=staff,
                    year=2025,
                    score=D(score),
                    score_raw=D(score),
                    periods=12,
                    grade="C",
                    threshold_grade="C",
                    unit_id=staff.unit_id,
                    unit_rank=i,
                )
            )
    AnnualScore.objects.bulk_create(rows)


def test_quota_weights_by_improvement_table():
    heads = {1: 4, 2: 5, 3: 2}
    means = {1: D(88), 2: D("70.4"), 3: D(95)}
    improvements = {1: D(3), 2: D(6), 3: D(-1)}
    weights = rules.quota_weights(
        "improvement",
        headcounts=heads,
        means=means,
        company_mean=D(80),
        improvements=improvements,
    )
    assert weights == {1: D(12), 2: D(30), 3: D(0)}
    # Nobody improved (or nobody was scored last year): the headcount instead.
    flat = {1: D(0), 2: None, 3: D(-2)}
    assert rules.quota_weights(
        "improvement", headcounts=heads, means=means, company_mean=D(80), improvements=flat
    ) == {1: D(4), 2: D(5), 3: D(2)}


def test_worked_example_by_improvement(example, hr_api):
    # 2025 means: P 85 (Δ = 88 − 85 = 3), Q 64.4 (Δ = 70.4 − 64.4 = 6), R 96 (Δ = −1 → 0).
    # Weights = headcount × max(Δ, 0): P 4 × 3 = 12, Q 5 × 6 = 30, R 0; Σ 42.
    # No reserve: 3 A and 3 B places. Shares 3 × 12/42 = 0.857142…, 3 × 30/42 = 2.142857…, 0
    # → floors 0, 2, 0; the last place to the largest remainder (P 0.857 > Q 0.143):
    # P 1, Q 2, R 0 — for A and for B alike.
    _last_year(
        example.people,
        {"P": ["85"] * 4, "Q": ["64.4"] * 5, "R": ["96", "96"]},
    )
    response = _save(hr_api, basis="improvement", reserve_a=0)
    assert response.status_code == 201, response.json()
    units = {u["unit_code"]: u for u in response.json()["units"]}
    assert {c: (u["places_a"], u["places_b"]) for c, u in units.items()} == {
        "P": (1, 1),
        "Q": (2, 2),
        "R": (0, 0),
    }
    assert D(units["P"]["improvement"]) == D(3)
    assert D(units["Q"]["improvement"]) == D(6)
    assert D(units["R"]["improvement"]) == D(-1)
    assert D(units["P"]["weight"]) == D(12)
    assert D(units["Q"]["share_a"]).quantize(D("0.000001")) == D("2.142857")
