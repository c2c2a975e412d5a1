"""The org pages: the career ladder with terms and benefits, the scoped staff list with its
filters, and a staff member's record with the appointment history."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from org import services

pytestmark = pytest.mark.django_db


def listed(response):
    assert response.status_code == 200
    return [s.employee_no for s in response.context["page"]]


def test_ladder_page_shows_every_level_with_term_and_benefits(company, client):
    l3 = company.levels[2]
    l3.honorary_title = "高级大客户经理"
    l3.training_package_value = Decimal("6000.00")
    l3.save()
    client.force_login(company.staff_user)
    html = client.get(reverse("org:ladder")).content.decode()
    for code in ("L1", "L2", "L3", "L4", "L5"):
        assert code in html
    assert "高级大客户经理" in html
    assert "6,000" in html or "6000" in html


def test_staff_list_search_by_name_or_employee_number(company, client):
    client.force_login(company.hr)
    assert listed(client.get(reverse("org:staff-list"), {"q": "隔壁"})) == ["S006"]
    assert listed(client.get(reverse("org:staff-list"), {"q": "S00"})) == [
        "S001",
        "S002",
        "S003",
        "S004",
        "S005",
        "S006",
        "S007",
    ]


def test_staff_list_unit_filter_includes_sub_units(company, client):
    client.force_login(company.hr)
    response = client.get(reverse("org:staff-list"), {"unit": company.units.a1.pk})
    assert listed(response) == ["S002", "S003", "S004"]


def test_staff_list_level_and_status_filters(company, client):
    services.staff_update(actor=None, staff=company.remote, status="on_leave")
    client.force_login(company.hr)
    l2 = company.levels[1]
    assert listed(client.get(reverse("org:staff-list"), {"level": l2.pk})) == ["S003", "S005"]
    assert listed(client.get(reverse("org:staff-list"), {"status": "on_leave"})) == ["S005"]


@pytest.mark.parametrize(
    "params", [{"unit": "abc"}, {"level": "x"}, {"status": "nope"}, {"page": "999"}]
)
def test_staff_list_ignores_garbage_parameters(company, client, params):
    client.force_login(company.hr)
    assert len(listed(client.get(reverse("org:staff-list"), params))) == 7


def test_staff_detail_shows_the_appointment_history(company, client):
    services.appoint(
        actor=None,
        staff=company.peer,
        level=company.levels[2],
        start=dt.date(2025, 7, 1),
        reason="promotion",
    )
    client.force_login(company.staff_user)
    response = client.get(reverse("org:staff-detail", args=[company.peer.pk]))
    assert response.status_code == 200
    terms = [(a.level.code, a.start, a.closed_on) for a in response.context["appointments"]]
    assert terms == [
        ("L3", dt.date(2025, 7, 1), None),
        ("L2", dt.date(2023, 1, 1), dt.date(2025, 7, 1)),
    ]
    html = response.content.decode()
    assert "2025-07-01" in html
    assert "2028-06-30" in html  # last day of the three-year L3 term (end 2028-07-01 exclusive)
    assert response.context["history"] is None  # the audit trail is for the office


def test_manager_page_lists_direct_reports(company, client):
    client.force_login(company.manager_user)
    response = client.get(reverse("org:staff-detail", args=[company.manager.pk]))
    assert [s.employee_no for s in response.context["reports"]] == ["S003", "S005"]
