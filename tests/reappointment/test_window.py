"""The expiring-terms window: today ≤ end < today + N months (upper bound exclusive)."""

import datetime as dt

import pytest

from core.roles import Role
from reappointment import selectors
from tests.conftest import client_for
from tests.factories import UserFactory, make_user_for

from .conftest import TODAY
from .factories import term_ending


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 11, 16), 3, dt.date(2027, 2, 16)),
        (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),  # no 30 February
        (dt.date(2027, 11, 30), 3, dt.date(2028, 2, 29)),  # leap year
        (dt.date(2026, 12, 31), 1, dt.date(2027, 1, 31)),
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2026, 11, 16), 12, dt.date(2027, 11, 16)),
    ],
)
def test_add_months_keeps_the_day_or_falls_back_to_the_last_day(day, months, expected):
    assert selectors.add_months(day=day, months=months) == expected


def test_expiring_boundaries_are_today_inclusive_and_today_plus_n_months_exclusive(ladder, hr):
    l2 = ladder[1]
    ended_yesterday = term_ending(l2, TODAY - dt.timedelta(days=1))
    ends_today = term_ending(l2, TODAY)
    last_day_inside = term_ending(l2, dt.date(2027, 2, 15))
    on_the_bound = term_ending(l2, dt.date(2027, 2, 16))
    later = term_ending(l2, dt.date(2027, 6, 1))

    found = {a.staff_id for a in selectors.expiring(user=hr, today=TODAY)}

    assert found == {ends_today.pk, last_day_inside.pk}
    assert ended_yesterday.pk not in found and on_the_bound.pk not in found
    assert later.pk not in found
    # one month more takes in the bound of three months
    found4 = {a.staff_id for a in selectors.expiring(user=hr, today=TODAY, months=4)}
    assert on_the_bound.pk in found4


def test_expiring_skips_closed_appointments(ladder, hr):
    from org.services import appoint

    staff = term_ending(ladder[1], dt.date(2027, 1, 10))
    appoint(
        actor=None, staff=staff, level=ladder[2], start=dt.date(2026, 10, 1), reason="promotion"
    )
    assert not selectors.expiring(user=hr, today=TODAY).filter(staff=staff).exists()


def test_expiring_filters_by_unit_subtree_and_level(ladder, units, hr):
    a = term_ending(ladder[1], dt.date(2027, 1, 10), unit=units["a"])
    b = term_ending(ladder[2], dt.date(2027, 1, 11), unit=units["b"])
    by_unit = selectors.expiring(user=hr, today=TODAY, unit=units["a"])
    assert [x.staff_id for x in by_unit] == [a.pk]
    by_level = selectors.expiring(user=hr, today=TODAY, level=ladder[2])
    assert [x.staff_id for x in by_level] == [b.pk]
    assert selectors.expiring(user=hr, today=TODAY, unit=units["root"]).count() == 2


def test_manager_sees_only_their_subtree(ladder, units):
    boss = term_ending(ladder[3], dt.date(2030, 1, 1), unit=units["a"], employee_no="M1")
    manager = make_user_for(boss, Role.MANAGER)
    mine = term_ending(ladder[1], dt.date(2027, 1, 10), unit=units["a"])
    term_ending(ladder[1], dt.date(2027, 1, 10), unit=units["b"])
    assert [x.staff_id for x in selectors.expiring(user=manager, today=TODAY)] == [mine.pk]


def test_api_expiring_uses_the_same_window(ladder, hr, grades, freeze_today):
    term_ending(ladder[1], TODAY, employee_no="T0")
    term_ending(ladder[1], dt.date(2027, 2, 15), employee_no="T1")
    term_ending(ladder[1], dt.date(2027, 2, 16), employee_no="T2")
    response = client_for(hr).get("/api/v1/certification/reappointments/expiring/")
    assert response.status_code == 200, response.data
    assert [r["employee_no"] for r in response.data["results"]] == ["T0", "T1"]
    assert response.data["results"][0]["term_end"] == "2026-11-16"


@pytest.mark.parametrize("query", ["months=0", "months=25", "months=x", "unit=999999", "level=abc"])
def test_api_expiring_rejects_bad_parameters(db, hr, query):
    response = client_for(hr).get(f"/api/v1/certification/reappointments/expiring/?{query}")
    assert response.status_code in (400, 404)


def test_api_expiring_unit_out_of_scope_is_404(ladder, units):
    boss = term_ending(ladder[3], dt.date(2030, 1, 1), unit=units["a"], employee_no="M1")
    manager = make_user_for(boss, Role.MANAGER)
    response = client_for(manager).get(
        f"/api/v1/certification/reappointments/expiring/?unit={units['b'].pk}"
    )
    assert response.status_code == 404


def test_staff_member_sees_only_their_own_row(ladder):
    me = term_ending(ladder[1], dt.date(2027, 1, 10))
    term_ending(ladder[1], dt.date(2027, 1, 11))
    user = make_user_for(me)
    assert [x.staff_id for x in selectors.expiring(user=user, today=TODAY)] == [me.pk]
    assert UserFactory(username="nobody") is not None
