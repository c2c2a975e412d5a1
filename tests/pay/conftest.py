"""The worked example of docs/pay.md ("Worked example"): year 2025, level L2 (allowance
1 200.00 a month), monthly base 8 000.00, performance-pay base 10 000.03; coefficients A 1.50,
B 1.00, C 1.00 (a tie), D 0.50, E 0.00; 35 % deferred over 3 years."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from core.roles import Role
from kpi.models import AnnualScore
from pay import services
from tests.conftest import client_for
from tests.factories import StaffFactory, UserFactory, make_ladder, make_user_for

YEAR = 2025
COEFFICIENTS = {
    "A": Decimal("1.50"),
    "B": Decimal("1.00"),
    "C": Decimal("1.00"),
    "D": Decimal("0.50"),
    "E": Decimal("0.00"),
}


def grade(staff, letter: str, year: int = YEAR) -> None:
    AnnualScore.objects.update_or_create(
        staff=staff,
        year=year,
        defaults={
            "score": Decimal("80"),
            "score_raw": Decimal("80"),
            "periods": 12,
            "grade": letter,
            "threshold_grade": letter,
            "unit_rank": 1,
        },
    )


def set_year_policy(levels, year: int = YEAR) -> None:
    l2 = levels[1]
    services.policy_set(
        actor=None,
        level=l2,
        year=year,
        monthly_base=Decimal("8000.00"),
        performance_base=Decimal("10000.03"),
    )
    services.coefficients_set(actor=None, year=year, coefficients=COEFFICIENTS)
    services.deferral_set(actor=None, year=year, share_pct=Decimal("35"), years=3)


@pytest.fixture
def world(db):
    levels = make_ladder()
    l2 = levels[1]
    l2.allowance = Decimal("1200.00")
    l2.save()
    since = dt.date(2020, 1, 1)
    zhang = StaffFactory(name="张三", level=l2, level_since=since, hire_date=since)
    li = StaffFactory(
        name="李四", level=l2, level_since=dt.date(2025, 4, 15), hire_date=dt.date(2025, 4, 15)
    )
    wang = StaffFactory(name="王五", level=l2, level_since=since, hire_date=since)
    zhao = StaffFactory(name="赵六", level=l2, level_since=since, hire_date=since)
    # in post at L3, which has no pay policy for 2025: reported, not paid here
    StaffFactory(name="钱七", level=levels[2], level_since=since, hire_date=since)
    for staff, letter in ((zhang, "A"), (li, "B"), (wang, "C"), (zhao, "E")):
        grade(staff, letter)
    set_year_policy(levels)
    hr = UserFactory(username="pay-hr", roles=[Role.HR])
    leader = UserFactory(username="pay-leader", roles=[Role.LEADERSHIP])
    return SimpleNamespace(
        levels=levels,
        zhang=zhang,
        li=li,
        wang=wang,
        zhao=zhao,
        hr=hr,
        leader=leader,
        hr_api=client_for(hr),
        leader_api=client_for(leader),
        zhang_user=make_user_for(zhang),
        li_user=make_user_for(li),
    )


def computed_run(world):
    run = world.hr_api.post("/api/v1/pay/runs/", {"year": YEAR}).json()
    response = world.hr_api.post(f"/api/v1/pay/runs/{run['id']}/compute/")
    assert response.status_code == 200, response.json()
    return response.json()


def approved_run(world):
    run = computed_run(world)
    response = world.leader_api.post(f"/api/v1/pay/runs/{run['id']}/approve/", {"reason": "ok"})
    assert response.status_code == 200, response.json()
    return response.json()
