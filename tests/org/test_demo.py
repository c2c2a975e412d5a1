"""The demo company (issue 2, "Demo data"): the seed's ladder, an org tree, staff with managers
and appointment history, one login per role — deterministic and idempotent."""

import datetime as dt
import io
import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.test import Client, RequestFactory

from core.roles import Role, roles_of
from org import demo, services
from org.models import Appointment, Level, OrgUnit, Staff

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 29)
EXPECTED_FIRST_ROWS = [
    ("K10001", "杨浩兰", "L4"),  # head of the first department
    ("K10002", "龙伟静", "L2"),
    ("K10003", "戴丽娜", "L2"),
    ("K10004", "张敏", "L4"),  # head of the second
]


def counts():
    return {
        "units": OrgUnit.objects.count(),
        "levels": Level.objects.count(),
        "staff": Staff.objects.count(),
        "appointments": Appointment.objects.count(),
        "users": get_user_model().objects.count(),
    }


@pytest.fixture
def small_demo():
    return demo.build(staff_count=40, today=TODAY)


def test_small_demo_builds_the_ladder_tree_and_staff(small_demo):
    assert small_demo["levels"] == 5
    assert small_demo["units"] == 1 + 1 + 4 + 4 * 3  # company, HQ dept, 4 branches × 3 depts
    assert small_demo["staff"] == 36  # 40 // 12 departments = 3 each
    levels = list(Level.objects.order_by("order").values_list("code", "name", "term_years"))
    assert levels == [
        ("L1", "助理客户经理", 2),
        ("L2", "客户经理", 3),
        ("L3", "高级客户经理", 3),
        ("L4", "资深客户经理", 3),
        ("L5", "首席客户经理", 3),
    ]
    assert OrgUnit.objects.get(code="GZ-KA").parent.code == "GZ"


def test_building_twice_changes_nothing(small_demo):
    before = counts()
    again = demo.build(staff_count=40, today=TODAY)
    assert again["created_staff"] == 0
    assert counts() == before


def test_every_staff_member_has_the_open_appointment_of_their_level(small_demo):
    for staff in Staff.objects.all():
        open_ = Appointment.objects.filter(staff=staff, closed_on__isnull=True)
        assert open_.count() == 1, staff
        term = open_.get()
        assert term.level_id == staff.level_id
        # Renewals at the same level keep the date the level was reached.
        reached = Appointment.objects.get(staff=staff, start=staff.level_since)
        assert reached.level_id == staff.level_id
        assert term.start >= staff.level_since
        assert term.start <= TODAY


def test_departments_have_a_head_who_manages_the_rest(small_demo):
    for dept in OrgUnit.objects.filter(depth=2).exclude(code="YH-HQ"):
        people = list(Staff.objects.filter(unit=dept))
        heads = [s for s in people if s.manager_id is None]
        assert len(heads) == 1, dept.code
        assert heads[0].level.order >= 4
        assert all(s.manager_id == heads[0].pk for s in people if s is not heads[0])
        if heads[0].user.username != "committee":  # the committee login took one head's record
            assert Role.MANAGER in roles_of(heads[0].user), dept.code


def test_demo_is_deterministic(small_demo):
    # A fixed random seed: the same first people every time, on every database.
    rows = list(
        Staff.objects.order_by("employee_no").values_list("employee_no", "name", "level__code")[:4]
    )
    assert rows == EXPECTED_FIRST_ROWS
    names = list(Staff.objects.values_list("name", flat=True))
    assert len(set(names)) == len(names)


def test_every_demo_login_exists_with_its_roles_and_password(small_demo):
    # one build for all six logins (a build takes seconds)
    for login in demo.DEMO_LOGINS:
        user = authenticate(
            _sign_in_request(), username=login.username, password=demo.DEMO_PASSWORD
        )
        assert user is not None, login.username
        assert roles_of(user) == frozenset(login.roles), login.username
        assert user.is_staff == (login.username in ("hr", "admin"))
        assert user.is_superuser == (login.username == "admin")


def test_demo_logins_are_linked_to_the_right_staff(small_demo):
    staff = Staff.objects.get(user__username="staff")
    manager = Staff.objects.get(user__username="manager")
    committee = Staff.objects.get(user__username="committee")
    assert staff.unit.code == manager.unit.code == "GZ-KA"
    assert staff.manager == manager
    assert manager.manager is None  # the department head
    assert committee.unit.code == "SZ-GOV"
    assert committee.level.order >= 4
    assert not Staff.objects.filter(user__username__in=["hr", "leader", "admin"]).exists()
    # the accounts the logins replaced are gone, so nobody else can sign in as these people
    assert not get_user_model().objects.filter(staff__isnull=True, username__startswith="k1")


def test_demo_logins_survive_a_rebuild_with_their_links(small_demo):
    linked = dict(
        Staff.objects.filter(user__username__in=["staff", "manager"]).values_list(
            "user__username", "employee_no"
        )
    )
    demo.build(staff_count=40, today=TODAY)
    again = dict(
        Staff.objects.filter(user__username__in=["staff", "manager"]).values_list(
            "user__username", "employee_no"
        )
    )
    assert again == linked


def test_rebuild_keeps_each_login_with_its_person_after_level_changes(small_demo):
    person = Staff.objects.get(user__username="staff")
    manager = Staff.objects.get(user__username="manager")
    # Another report of the manager becomes the first L2 there (as later demo steps or real
    # promotions/demotions do): the rebuild must not try to move the login to them.
    other = Staff.objects.filter(manager=manager).exclude(pk=person.pk).order_by("employee_no")[0]
    l2 = Level.objects.get(code="L2")
    services.appoint(
        actor=None, staff=other, level=l2, start=TODAY, reason=Appointment.Reason.DEMOTION
    )
    before = counts()
    demo.build(staff_count=40, today=TODAY)
    assert Staff.objects.get(user__username="staff") == person
    assert counts() == before


def test_each_demo_staff_user_can_log_in(small_demo):
    users = get_user_model().objects.filter(staff__isnull=False)
    assert users.count() == 36
    for user in users:
        assert (
            authenticate(_sign_in_request(), username=user.username, password=demo.DEMO_PASSWORD)
            == user
        ), user


def test_each_demo_login_signs_in_and_opens_the_home_page(small_demo):
    for username in ("staff", "manager", "hr", "committee", "leader", "admin"):
        client = Client()
        response = client.post("/accounts/login/", {"username": username, "password": "Demo@2026"})
        assert response.status_code == 302, username
        assert client.get("/").status_code == 200, username


def test_seed_demo_command_builds_300_staff_and_is_idempotent():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    first = counts()
    assert first["staff"] == 300
    text = out.getvalue()
    assert "300 staff (300 new)" in text
    # each part says what it took, and the build its whole time (how docs/performance.md
    # reads the build of a big company)
    assert re.search(r"300 staff \(300 new\).*\[\d+\.\d s\]", text)
    assert re.search(r"^Demo company built in \d+ min \d+ s\.$", text, re.MULTILINE)
    for login in demo.DEMO_LOGINS:
        assert login.username in text
    assert demo.DEMO_PASSWORD in text

    out = io.StringIO()
    call_command("seed_demo", "--quiet", stdout=out)
    assert counts() == first
    assert "300 staff (0 new)" in out.getvalue()
    # (later demo steps may promote the staff login's person, so no level check here)
    staff, manager = (Staff.objects.get(user__username=u) for u in ("staff", "manager"))
    assert staff.manager == manager
    assert Staff.objects.get(user__username="committee").level.order >= 4
    assert demo.DEMO_PASSWORD not in out.getvalue()
    per_level = dict(
        Staff.objects.values_list("level__code")
        .annotate(n=Count("id"))
        .values_list("level__code", "n")
    )
    assert sum(per_level.values()) == 300
    assert per_level["L1"] + per_level["L2"] > per_level["L4"] + per_level["L5"]  # a pyramid


def _sign_in_request():
    """django-axes watches every authentication: it needs the request of the sign-in."""
    return RequestFactory().post("/accounts/login/", REMOTE_ADDR="127.0.0.1")
