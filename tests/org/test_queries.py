"""Every org list (API and pages) runs a fixed, small number of queries: the count with 60+
rows is the same as with a handful, and under a fixed maximum (an N+1 would add ~60)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import audit
from org.models import Level, Track
from tests.factories import StaffFactory, make_unit

pytestmark = pytest.mark.django_db


def grow(company, n=60):
    """60 more units, tracks with levels, staff (with managers and appointments), events."""
    for i in range(n):
        make_unit(f"U{i:03d}", company.units.a1, name=f"组{i}")
    tracks = Track.objects.bulk_create(Track(code=f"T{i:03d}", name=f"序列{i}") for i in range(12))
    Level.objects.bulk_create(
        Level(track=t, order=o, code=f"{t.code}-{o}", name=f"{t.name}{o}级")
        for t in tracks
        for o in range(1, 6)
    )
    for i in range(n):
        staff = StaffFactory(
            employee_no=f"G{i:03d}",
            unit=company.units.a1,
            manager=company.manager,
            level=company.levels[i % 3],
            level_since=dt.date(2020, 1, 1),
        )
        if i % 2:  # a closed term for half of them: more appointments than staff
            from org import services

            services.appoint(
                actor=None,
                staff=staff,
                level=company.levels[i % 3 + 1],
                start=dt.date(2023, 1, 1),
                reason="promotion",
            )
        audit.record(actor=company.hr, obj=staff, action="note")


def count(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response


API_LISTS = {
    # url: (who, fixed maximum, minimum rows after growing)
    "/api/v1/org/units/": ("staff_user", 6, 60),
    "/api/v1/org/tracks/": ("staff_user", 6, 12),
    "/api/v1/org/levels/": ("staff_user", 6, 60),
    "/api/v1/org/staff/": ("manager_user", 6, 60),
    "/api/v1/org/appointments/": ("manager_user", 6, 60),
    "/api/v1/audit/events/": ("hr", 6, 60),
}


@pytest.mark.parametrize("url", list(API_LISTS))
def test_org_list_endpoints_run_a_fixed_number_of_queries(
    company, as_user, django_assert_max_num_queries, url
):
    who, maximum, rows = API_LISTS[url]
    client = as_user(getattr(company, who))
    client.get(url)  # the forced user object caches its roles and staff record after this
    small, _ = count(client, url, {"page_size": 500})
    grow(company)
    with django_assert_max_num_queries(maximum):
        response = client.get(url, {"page_size": 500})
    assert len(response.json()["results"]) >= rows
    big, _ = count(client, url, {"page_size": 500})
    assert big == small


PAGES = {
    "org:staff-list": ("hr", 8),
    "org:ladder": ("staff_user", 8),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_org_pages_run_a_fixed_number_of_queries(
    company, client, django_assert_max_num_queries, name
):
    who, maximum = PAGES[name]
    client.force_login(getattr(company, who))
    small, _ = count(client, reverse(name))
    grow(company)
    with django_assert_max_num_queries(maximum):
        response = client.get(reverse(name))
    big, _ = count(client, reverse(name))
    assert big == small
    if name == "org:staff-list":
        assert len(response.context["page"]) == 50  # a full page of the 67 staff
        assert response.context["page"].paginator.count == 67


def test_manager_staff_list_page_queries_do_not_grow(
    company, client, django_assert_max_num_queries
):
    client.force_login(company.manager_user)
    small, _ = count(client, reverse("org:staff-list"))
    grow(company)
    # one of them: the manager's unit ids, to link names to the files he may open
    with django_assert_max_num_queries(9):
        response = client.get(reverse("org:staff-list"))
    assert response.context["page"].paginator.count == 64  # 4 + 60 new reports
    assert count(client, reverse("org:staff-list"))[0] == small


def test_staff_detail_page_queries_do_not_grow_with_reports_and_history(
    company, client, django_assert_max_num_queries
):
    client.force_login(company.hr)
    url = reverse("org:staff-detail", args=[company.manager.pk])
    small, _ = count(client, url)
    grow(company)
    # the overview's few queries and about one per tab of the employee file (training's
    # summary takes four: credits, requirement, required courses, records)
    with django_assert_max_num_queries(24):
        response = client.get(url)
    assert len(response.context["reports"]) == 50
    assert count(client, url)[0] == small
