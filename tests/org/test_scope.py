"""Who sees whom (DOMAIN.md "Who uses it"): one rule, the same answer over the API, on the
pages and in ``org.scope``; anything outside the caller's scope is a 404, never a 403."""

import pytest
from django.urls import reverse

from org import scope
from org.models import Appointment

pytestmark = pytest.mark.django_db

STAFF_URL = "/api/v1/org/staff/"
APPOINTMENTS_URL = "/api/v1/org/appointments/"


def ids(*staff):
    return {s.pk for s in staff}


def listed_ids(client, url):
    body = client.get(url, {"page_size": 500}).json()
    assert body["count"] == len(body["results"])
    return {row["id"] for row in body["results"]}


def listed_appointment_staff(client):
    body = client.get(APPOINTMENTS_URL, {"page_size": 500}).json()
    return {row["staff"] for row in body["results"]}


# --- the rule itself ---------------------------------------------------------------------


def test_staff_member_sees_only_self(company):
    assert set(scope.visible_staff(company.staff_user).values_list("pk", flat=True)) == ids(
        company.peer
    )


def test_manager_sees_own_subtree_and_direct_reports_but_not_sibling_or_parent_units(company):
    visible = set(scope.visible_staff(company.manager_user).values_list("pk", flat=True))
    # self, the unit A1, its sub-unit A1X, and a direct report sitting in branch B
    assert visible == ids(company.manager, company.peer, company.deep, company.remote)
    assert company.sibling.pk not in visible  # sibling department A2
    assert company.boss.pk not in visible  # the parent branch A
    assert company.outsider.pk not in visible  # B1 colleague of the remote report


@pytest.mark.parametrize("who", ["hr", "admin", "leader"])
def test_office_admin_and_leadership_see_everyone(company, who):
    user = getattr(company, who)
    assert set(scope.visible_staff(user).values_list("pk", flat=True)) == ids(*company.all_staff)


def test_committee_member_sees_only_self(company):
    assert set(scope.visible_staff(company.committee_user).values_list("pk", flat=True)) == ids(
        company.outsider
    )


def test_account_without_role_or_staff_record_sees_nobody(company):
    assert not scope.visible_staff(company.no_role).exists()


def test_scope_by_staff_restricts_appointments_like_staff(company):
    qs = scope.scope_by_staff(Appointment.objects.all(), company.manager_user)
    assert set(qs.values_list("staff_id", flat=True)) == ids(
        company.manager, company.peer, company.deep, company.remote
    )


# --- API ---------------------------------------------------------------------------------


def test_staff_token_reading_another_staff_members_record_gets_404(company, api):
    api.force_authenticate(company.staff_user)
    assert api.get(f"{STAFF_URL}{company.peer.pk}/").status_code == 200
    for other in (company.manager, company.sibling, company.outsider):
        response = api.get(f"{STAFF_URL}{other.pk}/")
        assert response.status_code == 404, other


def test_staff_member_cannot_update_another_record_and_gets_403_on_own(company, as_user):
    client = as_user(company.staff_user)
    # Staff may not write at all (403) …
    assert client.patch(f"{STAFF_URL}{company.peer.pk}/", {"name": "x"}).status_code == 403
    # … and the permission check comes before the object lookup, so no id leaks either way.
    assert client.patch(f"{STAFF_URL}{company.sibling.pk}/", {"name": "x"}).status_code == 403


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("staff_user", ["peer"]),
        ("manager_user", ["manager", "peer", "deep", "remote"]),
        ("committee_user", ["outsider"]),
        ("hr", ["boss", "manager", "peer", "deep", "remote", "sibling", "outsider"]),
        ("admin", ["boss", "manager", "peer", "deep", "remote", "sibling", "outsider"]),
        ("leader", ["boss", "manager", "peer", "deep", "remote", "sibling", "outsider"]),
        ("no_role", []),
    ],
)
def test_staff_and_appointment_lists_are_scoped_per_role(company, as_user, who, expected):
    client = as_user(getattr(company, who))
    want = ids(*(getattr(company, name) for name in expected))
    assert listed_ids(client, STAFF_URL) == want
    assert listed_appointment_staff(client) == want


def test_manager_reads_report_in_other_unit_but_not_sibling_department(company, as_user):
    client = as_user(company.manager_user)
    assert client.get(f"{STAFF_URL}{company.remote.pk}/").status_code == 200
    assert client.get(f"{STAFF_URL}{company.deep.pk}/").status_code == 200
    assert client.get(f"{STAFF_URL}{company.sibling.pk}/").status_code == 404
    assert client.get(f"{STAFF_URL}{company.boss.pk}/").status_code == 404


def test_appointment_detail_outside_scope_is_404(company, as_user):
    theirs = Appointment.objects.get(staff=company.sibling)
    mine = Appointment.objects.get(staff=company.peer)
    client = as_user(company.staff_user)
    assert client.get(f"{APPOINTMENTS_URL}{mine.pk}/").status_code == 200
    assert client.get(f"{APPOINTMENTS_URL}{theirs.pk}/").status_code == 404


def test_filtering_by_an_out_of_scope_id_does_not_reveal_rows(company, as_user):
    client = as_user(company.staff_user)
    body = client.get(APPOINTMENTS_URL, {"staff": company.sibling.pk}).json()
    assert body["count"] == 0


def test_staff_me_returns_own_record(company, as_user):
    body = as_user(company.staff_user).get(f"{STAFF_URL}me/").json()
    assert body["id"] == company.peer.pk
    assert body["employee_no"] == "S003"
    assert as_user(company.manager_user).get(f"{STAFF_URL}me/").json()["id"] == (company.manager.pk)


def test_staff_me_is_404_for_an_account_without_staff_record(company, as_user):
    assert as_user(company.hr).get(f"{STAFF_URL}me/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        STAFF_URL,
        f"{STAFF_URL}me/",
        APPOINTMENTS_URL,
        "/api/v1/org/units/",
        "/api/v1/org/tracks/",
        "/api/v1/org/levels/",
        "/api/v1/audit/events/",
    ],
)
def test_anonymous_api_requests_get_401(company, api, url):
    response = api.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


# --- pages -------------------------------------------------------------------------------


def test_staff_detail_page_outside_scope_is_404(company, client):
    client.force_login(company.staff_user)
    assert client.get(reverse("org:staff-detail", args=[company.peer.pk])).status_code == 200
    assert client.get(reverse("org:staff-detail", args=[company.sibling.pk])).status_code == 404
    assert client.get(reverse("org:staff-detail", args=[999999])).status_code == 404


def test_manager_staff_list_page_shows_exactly_the_subtree_and_reports(company, client):
    client.force_login(company.manager_user)
    response = client.get(reverse("org:staff-list"))
    assert response.status_code == 200
    assert {s.pk for s in response.context["page"]} == ids(
        company.manager, company.peer, company.deep, company.remote
    )
    client.force_login(company.manager_user)
    assert client.get(reverse("org:staff-detail", args=[company.sibling.pk])).status_code == 404


def test_staff_list_unit_filter_cannot_reach_outside_scope(company, client):
    client.force_login(company.manager_user)
    response = client.get(reverse("org:staff-list"), {"unit": company.units.a2.pk})
    # A2 is not among the manager's units: the filter is ignored, the scope still applies.
    assert company.sibling.pk not in {s.pk for s in response.context["page"]}


def test_staff_me_page_redirects_to_own_record(company, client):
    client.force_login(company.staff_user)
    response = client.get(reverse("org:me"))
    assert response.status_code == 302
    assert response.url == reverse("org:staff-detail", args=[company.peer.pk])


@pytest.mark.parametrize(
    "name", ["home", "org:staff-list", "org:ladder", "org:me", "org:staff-detail"]
)
def test_anonymous_pages_redirect_to_login(company, client, name):
    url = reverse(name, args=[company.peer.pk]) if name == "org:staff-detail" else reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")
