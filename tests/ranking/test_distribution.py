"""The leadership dashboard: KPI annual grades and ranking bands by branch and year, counted
set-based (one aggregate query each), in the same number of queries for any company size."""

from decimal import Decimal as D

import pytest
from django.conf import settings
from django.test import Client

from core.roles import Role
from kpi.models import AnnualScore
from ranking import distribution
from ranking.models import RankingEntry, RankingRun
from tests.clock import LAST_YEAR
from tests.factories import StaffFactory, TrackFactory, UserFactory, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    root = make_unit("ROOT", name="公司")
    gz = make_unit("GZ", root, "广州分公司")
    sz = make_unit("SZ", root, "深圳分公司")
    return {
        "root": root,
        "gz": gz,
        "gz_ka": make_unit("GZ-KA", gz, "大客户部"),
        "sz": sz,
        "sz_ka": make_unit("SZ-KA", sz, "大客户部"),
    }


def _grade(staff, year, grade, unit=None):
    AnnualScore.objects.create(
        staff=staff,
        year=year,
        score=D("80"),
        score_raw=D("80"),
        periods=12,
        grade=grade,
        threshold_grade=grade,
        unit=unit,
        unit_rank=1,
    )


def build(tree, extra: int = 0):
    """Last year: 广州 A, B, B (大客户部) + C (the branch itself) + ``extra`` C; 深圳 A, E;
    the company itself D. The year before: 深圳 C. A committed ranking of last year: 广州 four
    ranked (1 top, 1 bottom), 深圳 two ranked (1 top) and one excluded; a preview run ignored."""
    track = TrackFactory()
    people = {}
    for key, grades in (
        ("gz_ka", "ABB" + "C" * extra),
        ("gz", "C"),
        ("sz_ka", "AE"),
        ("root", "D"),
    ):
        people[key] = []
        for g in grades:
            s = StaffFactory(unit=tree[key], track=track)
            _grade(s, LAST_YEAR, g, unit=tree[key] if key != "root" else None)
            people[key].append(s)
    _grade(people["sz_ka"][0], LAST_YEAR - 1, "C", unit=tree["sz_ka"])
    run = RankingRun.objects.create(track=track, year=LAST_YEAR, status="committed")
    preview = RankingRun.objects.create(track=track, year=LAST_YEAR, status="preview")
    gz = people["gz_ka"][:3] + people["gz"]
    for i, s in enumerate(gz):
        RankingEntry.objects.create(
            run=run, staff=s, unit=s.unit, in_top_band=i == 0, in_bottom_band=i == 3
        )
        RankingEntry.objects.create(run=preview, staff=s, unit=s.unit, in_bottom_band=True)
    a, e = people["sz_ka"]
    RankingEntry.objects.create(run=run, staff=a, unit=a.unit, in_top_band=True)
    RankingEntry.objects.create(run=run, staff=e, unit=e.unit)
    RankingEntry.objects.create(
        run=run, staff=people["root"][0], unit=tree["root"], excluded=True, reason="no_kpi"
    )
    return people


def test_grades_and_bands_by_branch_and_year(tree):
    build(tree)
    last, before = distribution.grade_distribution()
    assert (last.year, before.year) == (LAST_YEAR, LAST_YEAR - 1)
    assert [(r.branch, r.counts) for r in last.rows] == [
        ("公司", {"D": 1}),
        ("广州分公司", {"A": 1, "B": 2, "C": 1}),
        ("深圳分公司", {"A": 1, "E": 1}),
    ]
    assert last.totals.counts == {"D": 1, "A": 2, "B": 2, "C": 1, "E": 1}
    assert last.rows[1].cells(distribution.GRADES) == [
        ("A", 1, 25),
        ("B", 2, 50),
        ("C", 1, 25),
        ("D", 0, 0),
        ("E", 0, 0),
    ]
    assert [(r.branch, r.counts) for r in before.rows] == [("深圳分公司", {"C": 1})]
    (bands,) = distribution.band_distribution()
    assert bands.year == LAST_YEAR
    assert [(r.branch, r.counts) for r in bands.rows] == [
        ("广州分公司", {"top": 1, "middle": 2, "bottom": 1}),
        ("深圳分公司", {"top": 1, "middle": 1, "bottom": 0}),
    ]
    only = distribution.grade_distribution(years=[LAST_YEAR - 1])
    assert [t.year for t in only] == [LAST_YEAR - 1]


def _web(user):
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize("extra", [0, 30])
def test_the_dashboard_page_in_constant_queries(tree, extra, django_assert_max_num_queries):
    build(tree, extra)
    leader = _web(UserFactory(username="dash-leader", roles=[Role.LEADERSHIP]))
    with django_assert_max_num_queries(14):
        res = leader.get("/ranking/distribution/")
    page = res.content.decode()
    assert res.status_code == 200
    row = page[page.index(f'data-testid="grade-{LAST_YEAR}"') :]
    row = row[row.index('data-branch="' + str(tree["gz"].pk) + '"') :]
    row = row[: row.index("</tr>")]
    assert 'data-key="C">' + str(1 + extra) + "</td>" in row
    assert 'data-key="total">' + str(4 + extra) + "</td>" in row
    assert "广州分公司" in row
    assert f'data-testid="band-{LAST_YEAR}"' in page
    hr = _web(UserFactory(username="dash-hr", roles=[Role.HR]))
    assert hr.get(f"/ranking/distribution/?year={LAST_YEAR - 1}").status_code == 200
    staff = _web(UserFactory(username="dash-staff", roles=[Role.STAFF]))
    assert staff.get("/ranking/distribution/").status_code == 403


API = "/api/v1/ranking/distribution/"


@pytest.mark.parametrize("extra", [0, 30])
def test_the_dashboard_api_answers_the_page_figures_in_constant_queries(
    tree, extra, django_assert_max_num_queries
):
    from tests.conftest import client_for

    build(tree, extra)
    leader = client_for(UserFactory(username="api-leader", roles=[Role.LEADERSHIP]))
    with django_assert_max_num_queries(8):
        body = leader.get(API).json()
    gz, sz = tree["gz"].pk, tree["sz"].pk
    root = tree["root"].pk
    assert (body["years"], body["year"]) == ([LAST_YEAR, LAST_YEAR - 1], None)
    last, before = body["grades"]
    assert (last["year"], last["keys"]) == (LAST_YEAR, ["A", "B", "C", "D", "E"])
    assert [(r["branch_id"], r["branch"], r["counts"], r["total"]) for r in last["rows"]] == [
        (root, "公司", {"A": 0, "B": 0, "C": 0, "D": 1, "E": 0}, 1),
        (gz, "广州分公司", {"A": 1, "B": 2, "C": 1 + extra, "D": 0, "E": 0}, 4 + extra),
        (sz, "深圳分公司", {"A": 1, "B": 0, "C": 0, "D": 0, "E": 1}, 2),
    ]
    assert last["totals"] == {
        "branch_id": 0,
        "branch": "",
        "counts": {"A": 2, "B": 2, "C": 1 + extra, "D": 1, "E": 1},
        "total": 7 + extra,
    }
    assert [(r["branch"], r["total"]) for r in before["rows"]] == [("深圳分公司", 1)]
    (bands,) = body["bands"]
    assert (bands["year"], bands["keys"]) == (LAST_YEAR, ["top", "middle", "bottom"])
    assert [(r["branch_id"], r["counts"]) for r in bands["rows"]] == [
        (gz, {"top": 1, "middle": 2, "bottom": 1}),
        (sz, {"top": 1, "middle": 1, "bottom": 0}),
    ]
    assert bands["totals"]["counts"] == {"top": 2, "middle": 3, "bottom": 1}


def test_the_dashboard_api_for_one_year_and_who_may_see_it(tree):
    from tests.conftest import client_for

    build(tree)
    hr = client_for(UserFactory(username="api-hr", roles=[Role.HR]))
    body = hr.get(f"{API}?year={LAST_YEAR - 1}").json()
    assert (body["year"], [t["year"] for t in body["grades"]], body["bands"]) == (
        LAST_YEAR - 1,
        [LAST_YEAR - 1],
        [],
    )
    # a year without figures (or no year) shows the latest three, as the page does
    assert hr.get(f"{API}?year=1999").json()["year"] is None
    admin = client_for(UserFactory(username="api-admin", roles=[Role.ADMIN]))
    assert admin.get(API).status_code == 200
    staff = client_for(UserFactory(username="api-staff", roles=[Role.STAFF]))
    res = staff.get(API)
    assert (res.status_code, res.json()["code"]) == (403, "permission_denied")
    manager = client_for(UserFactory(username="api-manager", roles=[Role.MANAGER]))
    assert manager.get(API).status_code == 403
    schema = hr.get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/ranking/distribution/"]["get"]
    assert operation["operationId"] == "ranking_distribution_retrieve"
    assert [p["name"] for p in operation["parameters"]] == ["year"]
