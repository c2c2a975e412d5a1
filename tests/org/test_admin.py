"""Admin pages for the organisation: the office (HR) opens every page, and every save goes
through ``org.services`` — so it writes the same audit events and keeps the same rules."""

import datetime as dt
from html.parser import HTMLParser

import pytest

from core.models import AuditEvent
from org.models import Appointment, OrgUnit, Staff, Track

pytestmark = pytest.mark.django_db

MODELS = ["orgunit", "track", "level", "staff", "appointment"]


class FormFields(HTMLParser):
    """The values a browser would submit for the admin's main form."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "checkbox", "file"):
            self.data[name] = a.get("value") or ""
        elif tag == "input" and name and a.get("type") == "checkbox" and "checked" in a:
            self.data[name] = a.get("value") or "on"
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def form_data(client, url, **changes):
    response = client.get(url)
    assert response.status_code == 200, url
    parser = FormFields()
    parser.feed(response.content.decode())
    data = {k: v for k, v in parser.data.items() if "__prefix__" not in k}
    data.update({k: str(v) for k, v in changes.items()})
    return data


@pytest.fixture
def hr_client(company, client):
    client.force_login(company.hr)
    return client


def object_for(company, model):
    return {
        "orgunit": company.units.a1,
        "track": company.levels[0].track,
        "level": company.levels[0],
        "staff": company.peer,
        "appointment": Appointment.objects.get(staff=company.peer),
    }[model]


@pytest.mark.parametrize("model", MODELS)
def test_hr_opens_each_org_changelist_add_and_change_page(company, hr_client, model):
    assert hr_client.get(f"/admin/org/{model}/").status_code == 200
    assert hr_client.get(f"/admin/org/{model}/add/").status_code == 200
    obj = object_for(company, model)
    assert hr_client.get(f"/admin/org/{model}/{obj.pk}/change/").status_code == 200


def test_staff_changelist_search_finds_by_name(company, hr_client):
    html = hr_client.get("/admin/org/staff/", {"q": "隔壁"}).content.decode()
    assert "S006" in html
    assert "S003" not in html


@pytest.mark.parametrize("model", MODELS)
def test_nothing_can_be_deleted_in_the_org_admin(company, hr_client, model):
    obj = object_for(company, model)
    assert hr_client.get(f"/admin/org/{model}/{obj.pk}/delete/").status_code == 403


@pytest.mark.parametrize("who", ["staff_user", "manager_user", "leader"])
def test_non_office_users_cannot_enter_the_admin(company, client, who):
    client.force_login(getattr(company, who))
    response = client.get("/admin/org/staff/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_adding_a_unit_in_the_admin_goes_through_the_service(company, hr_client):
    data = form_data(
        hr_client, "/admin/org/orgunit/add/", code="B2", name="乙二部", parent=company.units.b.pk
    )
    response = hr_client.post("/admin/org/orgunit/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = OrgUnit.objects.get(code="B2")
    assert unit.path == f"{company.units.b.path}{unit.pk}/"
    assert unit.depth == 2
    event = AuditEvent.objects.filter(object_id=str(unit.pk), content_type__model="orgunit")
    assert [(e.action, e.actor) for e in event] == [("create", company.hr)]


def test_moving_a_unit_in_the_admin_rewrites_the_subtree_and_is_audited(company, hr_client):
    a1 = company.units.a1
    url = f"/admin/org/orgunit/{a1.pk}/change/"
    response = hr_client.post(url, form_data(hr_client, url, parent=company.units.b.pk))
    assert response.status_code == 302
    a1x = OrgUnit.objects.get(code="A1X")
    assert a1x.path == f"{company.units.b.path}{a1.pk}/{a1x.pk}/"
    event = AuditEvent.objects.filter(object_id=str(a1.pk), content_type__model="orgunit").first()
    assert event.action == "update"
    assert event.actor == company.hr
    assert event.changes["parent_id"] == [company.units.a.pk, company.units.b.pk]


def test_moving_a_unit_under_its_descendant_in_the_admin_is_refused(company, hr_client):
    a = company.units.a
    url = f"/admin/org/orgunit/{a.pk}/change/"
    response = hr_client.post(url, form_data(hr_client, url, parent=company.units.a1x.pk))
    assert response.status_code == 200  # the form again, with the rule next to the field
    assert response.context["adminform"].form.errors["parent"]
    a.refresh_from_db()
    assert a.parent == company.units.co


def test_editing_staff_in_the_admin_is_audited_and_cannot_touch_the_level(company, hr_client):
    staff = company.peer
    url = f"/admin/org/staff/{staff.pk}/change/"
    data = form_data(hr_client, url, name="改名了", level=company.levels[4].pk)
    response = hr_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    staff.refresh_from_db()
    assert staff.name == "改名了"
    assert staff.level == company.levels[1]
    event = AuditEvent.objects.filter(object_id=str(staff.pk), content_type__model="staff").first()
    assert (event.action, event.actor) == ("update", company.hr)
    assert event.changes == {"name": ["同事", "改名了"]}


def test_admin_shows_the_services_rule_next_to_the_manager_field(company, hr_client):
    staff = company.peer
    url = f"/admin/org/staff/{staff.pk}/change/"
    response = hr_client.post(url, form_data(hr_client, url, manager=staff.pk))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["manager"]
    staff.refresh_from_db()
    assert staff.manager == company.manager


def test_adding_staff_in_the_admin_goes_through_the_service(company, hr_client):
    data = form_data(
        hr_client,
        "/admin/org/staff/add/",
        employee_no="N900",
        name="新同事",
        unit=company.units.b1.pk,
        track=company.levels[0].track_id,
        hire_date="2025-02-03",
        status="active",
    )
    response = hr_client.post("/admin/org/staff/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    staff = Staff.objects.get(employee_no="N900")
    assert staff.unit == company.units.b1
    assert staff.level is None
    event = AuditEvent.objects.filter(object_id=str(staff.pk), content_type__model="staff").get()
    assert (event.action, event.actor) == ("create", company.hr)


def test_appointing_in_the_admin_closes_the_open_term_and_moves_the_level(company, hr_client):
    staff = company.peer
    data = form_data(
        hr_client,
        "/admin/org/appointment/add/",
        staff=staff.pk,
        level=company.levels[2].pk,
        start="2025-07-01",
        reason="promotion",
        decision="2025 认证",
    )
    response = hr_client.post("/admin/org/appointment/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    staff.refresh_from_db()
    assert staff.level == company.levels[2]
    assert staff.level_since == dt.date(2025, 7, 1)
    terms = staff.appointments.order_by("start")
    assert [(a.level.code, a.closed_on) for a in terms] == [
        ("L2", dt.date(2025, 7, 1)),
        ("L3", None),
    ]
    event = AuditEvent.objects.filter(object_id=str(staff.pk), content_type__model="staff").first()
    assert (event.action, event.actor, event.from_state, event.to_state) == (
        "appoint:promotion",
        company.hr,
        "L2",
        "L3",
    )


def test_an_appointment_refused_by_the_service_shows_the_reason_in_the_admin(company, hr_client):
    staff = company.peer
    data = form_data(
        hr_client,
        "/admin/org/appointment/add/",
        staff=staff.pk,
        level=company.levels[2].pk,
        start="2022-01-01",  # before the open term's start
        reason="promotion",
    )
    response = hr_client.post("/admin/org/appointment/add/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    assert staff.appointments.count() == 1


def test_adding_a_track_with_a_level_in_the_admin_audits_both(company, hr_client):
    data = form_data(
        hr_client,
        "/admin/org/track/add/",
        code="TECH",
        name="技术序列",
        **{
            "levels-TOTAL_FORMS": 1,
            "levels-0-order": 1,
            "levels-0-code": "T1",
            "levels-0-name": "助理工程师",
            "levels-0-term_years": 2,
            "levels-0-allowance": "500.00",
            "levels-0-training_package_value": "0",
        },
    )
    response = hr_client.post("/admin/org/track/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    track = Track.objects.get(code="TECH")
    assert [level.code for level in track.levels.all()] == ["T1"]
    models = list(
        AuditEvent.objects.filter(actor=company.hr)
        .order_by("id")
        .values_list("content_type__model", "action")
    )
    assert models == [("track", "create"), ("level", "create")]


def test_audit_trail_link_on_the_staff_page_is_for_the_office(company, client):
    client.force_login(company.hr)
    html = client.get(f"/org/staff/{company.peer.pk}/").content.decode()
    assert "聘任：首次聘任" in html and "appoint:initial" not in html  # the verb, not its code
    client.force_login(company.manager_user)
    assert "聘任：首次聘任" not in client.get(f"/org/staff/{company.peer.pk}/").content.decode()
