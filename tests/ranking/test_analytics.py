"""Workforce analytics: the competency heat map (units × competencies), the flows of the ladder
and the ladder match, with hand-computed figures, in constant queries at two sizes."""

import datetime as dt
import io
from decimal import Decimal as D

import openpyxl
import pytest
from django.conf import settings
from django.test import Client

from competency.models import Assessment, AssessmentResult, AssessmentRound, Competency
from competency.models import CompetencyModel as Model
from core.roles import Role
from kpi.models import AnnualScore
from org import services as org_services
from org.models import Appointment
from ranking import analytics
from ranking.models import RecertificationCase
from tests.clock import FROZEN_TODAY, LAST_YEAR, THIS_YEAR, days
from tests.factories import StaffFactory, UserFactory, make_ladder, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    root = make_unit("ROOT", name="公司")
    gz = make_unit("GZ", root, "广州分公司")
    sz = make_unit("SZ", root, "深圳分公司")
    ladder = make_ladder()
    model = Model.objects.create(track=ladder[0].track, version=1, status="published")
    comps = [
        Competency.objects.create(model=model, code=code, category="skill", kind="basic", order=i)
        for i, code in enumerate(("C1", "C2", "C3"))
    ]
    return {
        "gz": make_unit("GZ-KA", gz, "大客户部"),
        "sz": sz,
        "hq": make_unit("HQ", root, "总部"),
        "ladder": ladder,
        "model": model,
        "comps": comps,
    }


def _assess(company, staff, level, actual, required, *, finalized_on=None, index=D("70")):
    """A finalized assessment of ``staff`` with results ``actual[i]`` against ``required[i]``
    for the model's competencies C1..C3."""
    rnd = AssessmentRound.objects.create(name=f"R{staff.pk}-{finalized_on}", model=company["model"])
    a = Assessment.objects.create(
        round=rnd,
        staff=staff,
        model=company["model"],
        level=level,
        status="finalized",
        index=index,
        finalized_on=finalized_on or days(-30),
    )
    for comp, act, req in zip(company["comps"], actual, required, strict=True):
        AssessmentResult.objects.create(
            assessment=a,
            competency=comp,
            actual=D(act),
            required_level=req,
            gap=max(D(req) - D(act), D(0)),
        )
    return a


def heat_build(company, extra: int = 0):
    """广州大客户部: two L1 staff (C1 3 and 4 against 3 → mean 3.50 vs 3, gap −0.50; C2 2 and
    2.5 against 3 → 2.25, gap 0.75; C3 1 and 2 against 3 and 4 (an L2) → 1.50 vs 3.50, gap 2.00)
    plus ``extra`` staff whose only assessment is older than another one. An older assessment
    of the first person (all 1s) is ignored: the latest counts. 深圳分公司: one L2 (C1 4 vs 4,
    gap 0; C2 3.33 vs 4, gap 0.67; C3 5 vs 4, gap −1.00). An exited person is left out."""
    ladder = company["ladder"]
    a = StaffFactory(unit=company["gz"], level=ladder[0])
    b = StaffFactory(unit=company["gz"], level=ladder[1])
    _assess(company, a, ladder[0], ["1", "1", "1"], [3, 3, 3], finalized_on=days(-400))
    _assess(company, a, ladder[0], ["3", "2", "1"], [3, 3, 3])
    _assess(company, b, ladder[0], ["4", "2.5", "2"], [3, 3, 4])
    c = StaffFactory(unit=company["sz"], level=ladder[1])
    _assess(company, c, ladder[1], ["4", "3.33", "5"], [4, 4, 4])
    gone = StaffFactory(unit=company["sz"], level=ladder[1])
    _assess(company, gone, ladder[1], ["1", "1", "1"], [4, 4, 4])
    gone.status = "exited"
    gone.save()
    for _ in range(extra):
        s = StaffFactory(unit=company["sz"], level=ladder[1])
        _assess(company, s, ladder[1], ["4", "3.33", "5"], [4, 4, 4])


def test_the_heat_map_means_and_gaps(company):
    heat_build(company)
    heat = analytics.heat_map(model=company["model"])
    assert [c.code for c in heat.competencies] == ["C1", "C2", "C3"]
    gz, sz = heat.rows
    assert (gz.code, gz.unit, gz.staff) == ("GZ-KA", "广州分公司 / 大客户部", 2)
    assert [(c.actual, c.required, c.gap, c.band) for c in gz.cells] == [
        (D("3.50"), D("3.00"), D("-0.50"), "gap-none"),
        (D("2.25"), D("3.00"), D("0.75"), "gap-medium"),
        (D("1.50"), D("3.50"), D("2.00"), "gap-large"),
    ]
    assert (sz.code, sz.staff) == ("SZ", 1)
    assert [(c.actual, c.required, c.gap, c.band) for c in sz.cells] == [
        (D("4.00"), D("4.00"), D("0.00"), "gap-none"),
        (D("3.33"), D("4.00"), D("0.67"), "gap-medium"),
        (D("5.00"), D("4.00"), D("-1.00"), "gap-none"),
    ]


@pytest.mark.parametrize(
    ("gap", "band"),
    [
        ("-1", "gap-none"),
        ("0", "gap-none"),
        ("0.01", "gap-small"),
        ("0.5", "gap-small"),
        ("0.51", "gap-medium"),
        ("1", "gap-medium"),
        ("1.01", "gap-large"),
    ],
)
def test_gap_bands_at_their_bounds(gap, band):
    assert analytics.gap_band(D(gap)) == band


def flows_build(company):
    """Last year: two promotions L1→L2, one L2→L3, one renewal, one demotion L3→L2; this
    year: one promotion L1→L2 and one elimination (a decided re-certification case). An
    undecided elimination does not count."""
    l1, l2, l3 = company["ladder"][:3]
    start = dt.date(LAST_YEAR - 3, 1, 1)
    people = [
        StaffFactory(unit=company["gz"], level=lv, level_since=start)
        for lv in (l1, l1, l2, l2, l2, l1, l2, l2)
    ]

    def appoint(staff, level, on, reason):
        org_services.appoint(actor=None, staff=staff, level=level, start=on, reason=reason)

    mid = dt.date(LAST_YEAR, 6, 1)
    appoint(people[0], l2, mid, Appointment.Reason.PROMOTION)
    appoint(people[1], l2, mid, Appointment.Reason.PROMOTION)
    appoint(people[2], l3, mid, Appointment.Reason.PROMOTION)
    appoint(people[3], l2, mid, Appointment.Reason.RENEWAL)
    appoint(people[4], l3, dt.date(LAST_YEAR, 2, 1), Appointment.Reason.PROMOTION)
    appoint(people[4], l2, mid, Appointment.Reason.DEMOTION)
    appoint(people[5], l2, days(-10), Appointment.Reason.PROMOTION)
    RecertificationCase.objects.create(
        staff=people[6], level=l2, status="decided", outcome="eliminated", effective_on=days(-5)
    )
    RecertificationCase.objects.create(
        staff=people[7], level=l2, status="approved", outcome="eliminated"
    )


def test_flows_by_year(company):
    flows_build(company)
    this, last = analytics.flows()
    assert (this.year, last.year) == (THIS_YEAR, LAST_YEAR)
    assert last.promotion_lines() == [("L1", "L2", 2), ("L2", "L3", 2)]
    assert (last.promoted, last.demotions, last.renewals, last.eliminations) == (4, 1, 1, 0)
    assert this.promotion_lines() == [("L1", "L2", 1)]
    assert (this.promoted, this.demotions, this.eliminations) == (1, 0, 1)
    assert [f.year for f in analytics.flows(years=[LAST_YEAR])] == [LAST_YEAR]


def _grade(staff, grade):
    AnnualScore.objects.create(
        staff=staff,
        year=LAST_YEAR,
        score=D("80"),
        score_raw=D("80"),
        periods=12,
        grade=grade,
        threshold_grade=grade,
        unit_rank=1,
    )


def ladder_build(company, extra: int = 0):
    """L1: four staff — two meet every rule of L2 (3 years at L1, grade B or A, index ≥ 60),
    one has grade C, one has only 1 year at L1; L2: one who meets L3's rules and one without a
    competency index; L5 (the top): one, no next level. ``extra`` more eligible at L1."""
    ladder = company["ladder"]
    long_ago, recent = dt.date(LAST_YEAR - 2, 1, 1), days(-400)

    def person(level, since, grade, index=D("70")):
        s = StaffFactory(unit=company["hq"], level=level, level_since=since)
        if grade:
            _grade(s, grade)
        if index is not None:
            _assess(company, s, level, ["3", "3", "3"], [3, 3, 3], index=index)
        return s

    person(ladder[0], long_ago, "A")
    person(ladder[0], long_ago, "B", index=D("60"))
    person(ladder[0], long_ago, "C")
    person(ladder[0], recent, "A")
    person(ladder[1], long_ago, "B")
    person(ladder[1], long_ago, "A", index=None)
    person(ladder[4], long_ago, "A")
    for _ in range(extra):
        person(ladder[0], long_ago, "A")


def test_ladder_match_counts(company):
    ladder_build(company)
    rows = analytics.ladder_match(on_date=FROZEN_TODAY)
    got = [
        (r.level.code, r.staff, r.next_level and r.next_level.code, r.eligible, r.percent)
        for r in rows
    ]
    assert got == [
        ("L1", 4, "L2", 2, 50),
        ("L2", 2, "L3", 1, 50),
        ("L3", 0, "L4", 0, None),
        ("L4", 0, "L5", 0, None),
        ("L5", 1, None, 0, None),
    ]


def test_bulk_eligibility_agrees_with_the_single_engine(company):
    from certification import eligibility
    from org.models import Staff

    ladder_build(company)
    staff = list(Staff.objects.select_related("level"))
    bulk = eligibility.evaluate_many(staff_list=staff, on_date=FROZEN_TODAY)
    for person in staff:
        target = eligibility.next_level(person)
        if target is None:
            assert person.pk not in bulk
            continue
        single = eligibility.evaluate(person, target, FROZEN_TODAY)
        assert bulk[person.pk].snapshot() == single.snapshot()


def _web(user):
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize("extra", [0, 12])
def test_the_analytics_page_and_api_in_constant_queries(
    company, extra, django_assert_max_num_queries
):
    heat_build(company, extra)
    flows_build(company)
    ladder_build(company, extra)
    leader = _web(UserFactory(username="an-leader", roles=[Role.LEADERSHIP]))
    with django_assert_max_num_queries(30):
        res = leader.get("/ranking/analytics/")
    assert res.status_code == 200
    page = res.content.decode()
    cell = page[page.index(f'data-unit="{company["gz"].pk}"') :]
    cell = cell[: cell.index("</tr>")]
    assert 'data-competency="C3"' in cell and "2.00" in cell and "gap-large" in cell
    assert 'data-testid="ladder-L1"' in page
    with django_assert_max_num_queries(30):
        body = leader.get("/api/v1/ranking/analytics/ladder/").json()
    # L1: the four of the ladder (two eligible) + ``extra`` eligible, and the first person of
    # the heat map (no annual grade: not eligible); the flows' L1 staff were all promoted.
    assert body["levels"][0] == {
        "level": company["ladder"][0].pk,
        "code": "L1",
        "staff": 5 + extra,
        "next_level": "L2",
        "eligible": 2 + extra,
        "percent": round(100 * (2 + extra) / (5 + extra)),
    }
    with django_assert_max_num_queries(20):
        heat = leader.get("/api/v1/ranking/analytics/heat-map/").json()
    assert heat["competencies"] == ["C1", "C2", "C3"]
    assert heat["rows"][0]["cells"][1] == {
        "competency": "C2",
        "staff": 2,
        "actual": "2.25",
        "required": "3.00",
        "gap": "0.75",
    }
    with django_assert_max_num_queries(20):
        flows = leader.get("/api/v1/ranking/analytics/flows/").json()
    assert flows["years"][1]["promotions"] == [
        {"from": "L1", "to": "L2", "count": 2},
        {"from": "L2", "to": "L3", "count": 2},
    ]
    with django_assert_max_num_queries(20):
        xlsx = leader.get("/ranking/analytics/heat-map.xlsx")
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == (
        "Unit",
        "Unit code",
        "Staff",
        "C1 · mean proficiency",
        "C1 · requirement",
        "C1 · gap",
    )
    assert rows[1][:3] == ("广州分公司 / 大客户部", "GZ-KA", 2)
    assert [float(v) for v in rows[1][3:]] == [3.5, 3, -0.5, 2.25, 3, 0.75, 1.5, 3.5, 2]


def test_who_sees_the_analytics(company):
    heat_build(company)
    for role in (Role.HR, Role.COMMITTEE, Role.LEADERSHIP):
        client = _web(UserFactory(username=f"an-{role}", roles=[role]))
        assert client.get("/ranking/analytics/").status_code == 200
        assert client.get("/api/v1/ranking/analytics/heat-map/").status_code == 200
    staff = _web(UserFactory(username="an-staff", roles=[Role.STAFF]))
    assert staff.get("/ranking/analytics/").status_code == 403
    assert staff.get("/api/v1/ranking/analytics/heat-map/").status_code == 403
