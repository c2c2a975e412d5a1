"""The org part of the public API contract (API.md): field names, token auth, pagination,
filters, the error shapes, and the level being read-only outside appointments."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from core.models import AuditEvent
from org import services
from org.models import Appointment, OrgUnit, Staff, Track
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

# Field names exactly as API.md lists them (more fields are allowed by the contract).
CONTRACT = {
    "/api/v1/org/units/": {"id", "code", "name", "parent"},
    "/api/v1/org/tracks/": {"id", "code", "name"},
    "/api/v1/org/levels/": {
        "id",
        "track",
        "code",
        "name",
        "order",
        "term_years",
        "allowance",
        "training_package_value",
        "honorary_title",
    },
    "/api/v1/org/staff/": {
        "id",
        "employee_no",
        "name",
        "unit",
        "manager",
        "track",
        "level",
        "hire_date",
        "level_since",
        "status",
    },
    "/api/v1/org/appointments/": {"staff", "level", "start", "end", "reason", "letter"},
}


# --- field names -------------------------------------------------------------------------


@pytest.mark.parametrize("url", list(CONTRACT))
def test_every_org_resource_has_the_field_names_of_the_contract(company, hr_api, url):
    body = hr_api.get(url).json()
    assert body["results"], url
    row = body["results"][0]
    missing = CONTRACT[url] - row.keys()
    assert not missing, f"{url} lacks {missing}"
    detail_id = row.get("id")
    if detail_id is not None:
        assert CONTRACT[url] <= hr_api.get(f"{url}{detail_id}/").json().keys()


def test_staff_values_are_ids_dates_and_status_codes(company, hr_api):
    body = hr_api.get(f"/api/v1/org/staff/{company.peer.pk}/").json()
    assert body["employee_no"] == "S003"
    assert body["unit"] == company.units.a1.pk
    assert body["manager"] == company.manager.pk
    assert body["track"] == company.peer.track_id
    assert body["level"] == company.levels[1].pk
    assert body["hire_date"] == "2020-01-01"
    assert body["level_since"] == "2023-01-01"
    assert body["status"] == "active"


def test_level_money_fields_are_two_place_decimal_strings(company, hr_api):
    body = hr_api.get(f"/api/v1/org/levels/{company.levels[0].pk}/").json()
    assert body["allowance"] == "1000.00"
    assert body["training_package_value"] == "0.00"
    assert body["term_years"] == 2
    assert body["order"] == 1


def test_appointment_rows_show_the_term_and_an_empty_letter(company, hr_api):
    body = hr_api.get("/api/v1/org/appointments/", {"staff": company.peer.pk}).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["staff"] == company.peer.pk
    assert row["level"] == company.levels[1].pk
    assert (row["start"], row["end"]) == ("2023-01-01", "2026-01-01")
    assert row["reason"] == "initial"
    assert row["letter"] is None


def test_appointments_are_read_only(company, hr_api):
    appointment = Appointment.objects.get(staff=company.peer)
    url = f"/api/v1/org/appointments/{appointment.pk}/"
    assert hr_api.patch(url, {"reason": "promotion"}).status_code == 405
    assert hr_api.delete(url).status_code == 405
    assert hr_api.post("/api/v1/org/appointments/", {}).status_code == 405


# --- token auth --------------------------------------------------------------------------


def test_token_from_username_and_password_authenticates_later_requests(company):
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/", {"username": "peer", "password": "pw"}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert set(response.json()) == {"token", "expiry"}

    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/v1/org/staff/me/")
    assert me.status_code == 200
    assert me.json()["id"] == company.peer.pk
    assert client.get(f"/api/v1/org/staff/{company.sibling.pk}/").status_code == 404


def test_wrong_password_gets_no_token(company):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "peer", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert "token" not in response.json()


def test_bogus_token_is_401(company):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    assert client.get("/api/v1/org/staff/").status_code == 401


# --- pagination --------------------------------------------------------------------------


def test_lists_are_paginated_with_count_next_previous_results(company, hr_api):
    first = hr_api.get("/api/v1/org/staff/", {"page_size": 3}).json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] == 7
    assert len(first["results"]) == 3
    assert first["previous"] is None
    assert "page=2" in first["next"]
    last = hr_api.get("/api/v1/org/staff/", {"page_size": 3, "page": 3}).json()
    assert [r["employee_no"] for r in last["results"]] == ["S007"]
    assert last["next"] is None
    assert last["previous"] is not None


def test_default_page_size_is_50_and_page_size_is_capped_at_500(hr_api):
    Track.objects.bulk_create(Track(code=f"T{i:04d}", name=f"序列{i}") for i in range(520))
    assert len(hr_api.get("/api/v1/org/tracks/").json()["results"]) == 50
    body = hr_api.get("/api/v1/org/tracks/", {"page_size": 10000}).json()
    assert body["count"] == 520
    assert len(body["results"]) == 500
    assert body["next"] is not None


def test_page_beyond_the_end_is_404_not_500(company, hr_api):
    assert hr_api.get("/api/v1/org/staff/", {"page": 99}).status_code == 404


# --- filters, search, ordering -----------------------------------------------------------


def employee_nos(response):
    assert response.status_code == 200, response.content
    return [row["employee_no"] for row in response.json()["results"]]


def test_staff_filter_by_unit_is_that_unit_only(company, hr_api):
    r = hr_api.get("/api/v1/org/staff/", {"unit": company.units.a1.pk})
    assert employee_nos(r) == ["S002", "S003"]


def test_staff_filter_within_unit_includes_every_sub_unit(company, hr_api):
    r = hr_api.get("/api/v1/org/staff/", {"within_unit": company.units.a.pk})
    assert employee_nos(r) == ["S001", "S002", "S003", "S004", "S006"]
    r = hr_api.get("/api/v1/org/staff/", {"within_unit": company.units.a1.pk})
    assert employee_nos(r) == ["S002", "S003", "S004"]


def test_staff_filter_by_level_manager_and_status(company, hr_api):
    l2 = company.levels[1]
    assert employee_nos(hr_api.get("/api/v1/org/staff/", {"level": l2.pk})) == ["S003", "S005"]
    r = hr_api.get("/api/v1/org/staff/", {"manager": company.manager.pk})
    assert employee_nos(r) == ["S003", "S005"]
    services.staff_update(actor=None, staff=company.deep, status=Staff.Status.ON_LEAVE)
    assert employee_nos(hr_api.get("/api/v1/org/staff/", {"status": "on_leave"})) == ["S004"]


def test_staff_search_matches_name_or_employee_number(company, hr_api):
    assert employee_nos(hr_api.get("/api/v1/org/staff/", {"search": "隔壁"})) == ["S006"]
    assert employee_nos(hr_api.get("/api/v1/org/staff/", {"search": "S00"})) == [
        "S001",
        "S002",
        "S003",
        "S004",
        "S005",
        "S006",
        "S007",
    ]


def test_staff_ordering_by_level_then_descending_employee_no(company, hr_api):
    r = hr_api.get("/api/v1/org/staff/", {"ordering": "-level__order,employee_no"})
    assert employee_nos(r) == ["S001", "S002", "S006", "S007", "S003", "S005", "S004"]
    r = hr_api.get("/api/v1/org/staff/", {"ordering": "-employee_no"})
    assert employee_nos(r)[:2] == ["S007", "S006"]


def test_unit_filter_search_and_ordering(company, hr_api):
    rows = hr_api.get("/api/v1/org/units/", {"parent": company.units.a.pk}).json()["results"]
    assert sorted(r["code"] for r in rows) == ["A1", "A2"]
    rows = hr_api.get("/api/v1/org/units/", {"search": "乙"}).json()["results"]
    assert sorted(r["code"] for r in rows) == ["B", "B1"]
    rows = hr_api.get("/api/v1/org/units/", {"ordering": "-code"}).json()["results"]
    assert [r["code"] for r in rows] == ["CO", "B1", "B", "A2", "A1X", "A1", "A"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"unit": 999999}, "unit"),
        ({"within_unit": 999999}, "within_unit"),
        ({"level": "abc"}, "level"),
        ({"status": "retired"}, "status"),
        ({"hire_date": "x"}, None),  # not a filter: ignored
    ],
)
def test_bad_or_unknown_filter_values_are_400_not_500(company, hr_api, params, field):
    response = hr_api.get("/api/v1/org/staff/", params)
    if field is None:
        assert response.status_code == 200
    else:
        assert response.status_code == 400
        assert isinstance(response.json()[field], list)


@pytest.fixture
def terms(company):
    """Open appointments ending on three consecutive days, plus a closed one."""
    l1, l2 = company.levels[:2]
    # Terms: S003 ends 2026-01-01 (from the fixture); three more with chosen starts.
    a = StaffFactory(employee_no="T001", level=l2, level_since=dt.date(2024, 6, 9))  # 2027-06-09
    b = StaffFactory(employee_no="T002", level=l2, level_since=dt.date(2024, 6, 10))  # 2027-06-10
    c = StaffFactory(employee_no="T003", level=l2, level_since=dt.date(2024, 6, 11))  # 2027-06-11
    # d's first term also ended 2027-06-10 but was closed by a promotion: never "open".
    d = StaffFactory(employee_no="T004", level=l1, level_since=dt.date(2025, 6, 10))  # 2027-06-10
    services.appoint(actor=None, staff=d, level=l2, start=dt.date(2026, 1, 1), reason="promotion")
    return a, b, c, d


def test_ending_before_is_exclusive_of_the_boundary_date(terms, hr_api):
    a, b, c, d = terms
    r = hr_api.get(
        "/api/v1/org/appointments/",
        {"ending_before": "2027-06-10", "ending_after": "2027-01-01"},
    )
    got = {row["staff"] for row in r.json()["results"]}
    assert got == {a.pk}  # ends 06-09; b and d end on 06-10 itself, c on 06-11
    assert not got & {b.pk, c.pk, d.pk}


def test_ending_after_is_inclusive_of_the_boundary_date(terms, hr_api):
    _a, b, _c, d = terms
    r = hr_api.get(
        "/api/v1/org/appointments/",
        {"ending_after": "2027-06-10", "ending_before": "2027-06-11"},
    )
    rows = r.json()["results"]
    # b's open term and d's closed L1 term both end on 2027-06-10
    assert sorted((row["staff"], row["level_code"]) for row in rows) == sorted(
        [(b.pk, "L2"), (d.pk, "L1")]
    )


def test_open_filter_keeps_only_current_appointments(terms, hr_api):
    _a, b, _c, d = terms
    r = hr_api.get(
        "/api/v1/org/appointments/",
        {"ending_after": "2027-06-10", "ending_before": "2027-06-11", "open": "true"},
    )
    assert [row["staff"] for row in r.json()["results"]] == [b.pk]
    closed = hr_api.get("/api/v1/org/appointments/", {"open": "false", "staff": d.pk}).json()
    assert [(row["level_code"], row["closed_on"]) for row in closed["results"]] == [
        ("L1", "2026-01-01")
    ]


def test_bad_ending_before_date_is_400(company, hr_api):
    response = hr_api.get("/api/v1/org/appointments/", {"ending_before": "2027-13-01"})
    assert response.status_code == 400
    assert "ending_before" in response.json()


# --- writes and errors -------------------------------------------------------------------


def test_hr_creates_a_staff_member_with_an_initial_appointment(company, hr_api):
    response = hr_api.post(
        "/api/v1/org/staff/",
        {
            "employee_no": "N001",
            "name": "新人",
            "unit": company.units.b1.pk,
            "track": company.levels[0].track_id,
            "hire_date": "2025-03-01",
            "level": company.levels[0].pk,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["level"] == company.levels[0].pk
    assert body["level_since"] == "2025-03-01"
    staff = Staff.objects.get(employee_no="N001")
    open_ = staff.appointments.get(closed_on__isnull=True)
    assert (open_.reason, open_.start, open_.end) == (
        "initial",
        dt.date(2025, 3, 1),
        dt.date(2027, 3, 1),
    )


def test_invalid_staff_input_is_400_with_field_messages(company, hr_api):
    response = hr_api.post(
        "/api/v1/org/staff/",
        {"employee_no": "S001", "name": "", "unit": 999999, "hire_date": "yesterday"},
    )
    assert response.status_code == 400
    body = response.json()
    for field in ("employee_no", "name", "unit", "track", "hire_date"):
        assert isinstance(body[field], list) and body[field], field
        assert all(isinstance(m, str) for m in body[field])
    assert not Staff.objects.filter(name="").exists()


def test_level_of_another_track_on_create_is_a_400_with_code(company, hr_api):
    other = Track.objects.create(code="TECH", name="技术")
    response = hr_api.post(
        "/api/v1/org/staff/",
        {
            "employee_no": "N002",
            "name": "错轨",
            "unit": company.units.b1.pk,
            "track": other.pk,
            "hire_date": "2025-03-01",
            "level": company.levels[0].pk,
        },
    )
    assert response.status_code == 400
    assert response.json()["code"] == "level_not_in_track"
    assert not Staff.objects.filter(employee_no="N002").exists()


def test_staff_member_may_not_create_a_unit(company, as_user):
    response = as_user(company.staff_user).post("/api/v1/org/units/", {"code": "X", "name": "X"})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not OrgUnit.objects.filter(code="X").exists()


@pytest.mark.parametrize("who", ["manager_user", "committee_user", "leader"])
def test_only_the_office_writes_org_data(company, as_user, who):
    client = as_user(getattr(company, who))
    assert client.post("/api/v1/org/tracks/", {"code": "X", "name": "X"}).status_code == 403
    assert (
        client.patch(f"/api/v1/org/units/{company.units.a.pk}/", {"name": "改"}).status_code == 403
    )


def test_hr_creates_and_moves_a_unit_through_the_api(company, hr_api):
    created = hr_api.post(
        "/api/v1/org/units/", {"code": "A1Y", "name": "甲一二组", "parent": company.units.a1.pk}
    )
    assert created.status_code == 201, created.content
    unit_id = created.json()["id"]
    assert created.json()["path"] == f"{company.units.a1.path}{unit_id}/"
    moved = hr_api.patch(f"/api/v1/org/units/{unit_id}/", {"parent": company.units.b1.pk})
    assert moved.status_code == 200
    assert moved.json()["path"] == f"{company.units.b1.path}{unit_id}/"
    assert moved.json()["depth"] == 3


def test_moving_a_unit_under_its_descendant_over_the_api_is_400(company, hr_api):
    response = hr_api.patch(
        f"/api/v1/org/units/{company.units.a.pk}/", {"parent": company.units.a1x.pk}
    )
    assert response.status_code == 400
    assert "detail" in response.json()
    company.units.a.refresh_from_db()
    assert company.units.a.parent_id == company.units.co.pk


def test_patch_cannot_change_the_level(company, hr_api):
    l5 = company.levels[4]
    response = hr_api.patch(
        f"/api/v1/org/staff/{company.peer.pk}/",
        {"level": l5.pk, "level_since": "2026-01-01", "name": "改名"},
    )
    assert response.status_code == 200
    assert response.json()["name"] == "改名"
    assert response.json()["level"] == company.levels[1].pk
    company.peer.refresh_from_db()
    assert company.peer.level == company.levels[1]
    assert company.peer.level_since == dt.date(2023, 1, 1)
    assert company.peer.appointments.count() == 1


def test_patch_writes_one_audit_event_with_the_change(company, hr_api, hr_user):
    before = AuditEvent.objects.count()
    hr_api.patch(f"/api/v1/org/staff/{company.peer.pk}/", {"unit": company.units.b1.pk})
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.first()
    assert event.actor == hr_user
    assert event.action == "update"
    assert event.changes == {"unit_id": [company.units.a1.pk, company.units.b1.pk]}


def test_staff_cannot_be_their_own_manager_over_the_api(company, hr_api):
    response = hr_api.patch(f"/api/v1/org/staff/{company.peer.pk}/", {"manager": company.peer.pk})
    assert response.status_code == 400
    company.peer.refresh_from_db()
    assert company.peer.manager == company.manager


def test_manager_outside_scope_for_hr_is_fine_but_unknown_manager_is_400(company, hr_api):
    response = hr_api.patch(f"/api/v1/org/staff/{company.peer.pk}/", {"manager": 999999})
    assert response.status_code == 400
    assert "manager" in response.json()


def test_unauthenticated_user_gets_401_on_writes(company):
    response = APIClient().post("/api/v1/org/units/", {"code": "X", "name": "X"})
    assert response.status_code == 401


def test_user_without_roles_reads_the_org_chart_but_no_staff(company):
    client = APIClient()
    client.force_authenticate(UserFactory(username="plain"))
    assert client.get("/api/v1/org/units/").json()["count"] == 7
    assert client.get("/api/v1/org/staff/").json()["count"] == 0
