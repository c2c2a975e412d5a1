"""Off-boarding (issue 17): ``org.services.staff_exit`` through ``POST org/staff/{id}/exit/``
and the office's page — appointment closed, login closed with its tokens and sessions, live
applications withdrawn (certification's receiver of ``org.signals.staff_exited``), every
record kept, audited."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from rest_framework.test import APIClient

from certification import services as certification
from certification.models import Application
from core.models import AuditEvent
from core.roles import Role
from org.models import Appointment, Staff
from tests.certification.factories import applicant, make_cycle
from tests.clock import FROZEN_TODAY
from tests.conftest import client_for
from tests.factories import UserFactory


@pytest.fixture
def hr(db):
    return UserFactory(username="exit-hr", roles=[Role.HR])


@pytest.fixture
def leaver(hr, ladder):
    cycle = make_cycle(hr, ladder, status="open")
    staff, user = applicant(ladder[1], username="leaver")
    application = certification.application_create(actor=user, cycle=cycle, statement="业绩")
    return staff, user, application


def exit_url(staff):
    return f"/api/v1/org/staff/{staff.pk}/exit/"


def test_exit_through_the_api_closes_everything_and_keeps_the_records(hr, leaver):
    staff, user, application = leaver
    token = (
        APIClient()
        .post("/api/v1/auth/token/", {"username": "leaver", "password": "pw"}, format="json")
        .json()["token"]
    )
    browser = Client()
    browser.force_login(user)
    assert browser.get("/org/ladder/").status_code == 200
    appointments_before = Appointment.objects.filter(staff=staff).count()

    response = client_for(hr).post(
        exit_url(staff), {"exit_date": str(FROZEN_TODAY), "reason": "辞职 resigned"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "exited"
    assert response.json()["exit_date"] == str(FROZEN_TODAY)

    staff.refresh_from_db()
    assert staff.exit_reason == "辞职 resigned"
    # the token is refused, the session is gone
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/org/staff/me/").status_code == 401
    assert browser.get("/org/ladder/").status_code == 302
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    user.refresh_from_db()
    assert user.is_active is False and not user.has_usable_password()
    # the application is withdrawn, the appointment closed on the exit date
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert Appointment.objects.get(staff=staff).closed_on == FROZEN_TODAY
    # every record is still there
    assert Staff.objects.filter(pk=staff.pk).exists()
    assert Appointment.objects.filter(staff=staff).count() == appointments_before
    assert Application.objects.filter(pk=application.pk).exists()
    # audited, with the reason
    for action, obj_id in (
        ("exit", staff.pk),
        ("deactivate", user.pk),
        ("withdraw", application.pk),
        ("close", Appointment.objects.get(staff=staff).pk),
    ):
        event = AuditEvent.objects.get(action=action, object_id=str(obj_id))
        assert event.actor_name == "exit-hr" and event.reason == "辞职 resigned", action


def test_only_the_office_records_an_exit(leaver):
    staff, user, _ = leaver
    response = client_for(user).post(
        exit_url(staff), {"exit_date": str(FROZEN_TODAY), "reason": "x"}, format="json"
    )
    assert response.status_code == 403
    staff.refresh_from_db()
    assert staff.status == Staff.Status.ACTIVE


def test_an_exit_needs_a_reason_and_happens_once(hr, leaver):
    staff, _, _ = leaver
    api = client_for(hr)
    assert (
        api.post(exit_url(staff), {"exit_date": str(FROZEN_TODAY)}, format="json").status_code
        == 400
    )
    body = {"exit_date": str(FROZEN_TODAY), "reason": "retired"}
    assert api.post(exit_url(staff), body, format="json").status_code == 200
    again = api.post(exit_url(staff), body, format="json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"


def test_an_unknown_staff_id_is_404(hr, db):
    response = client_for(hr).post(
        "/api/v1/org/staff/999999/exit/", {"exit_date": str(FROZEN_TODAY), "reason": "x"}
    )
    assert response.status_code == 404


def test_the_office_page_records_an_exit_after_confirmation(hr, leaver):
    staff, user, _ = leaver
    browser = Client()
    browser.force_login(hr)
    page = browser.get(f"/org/staff/{staff.pk}/").content.decode()
    assert 'data-testid="exit-form"' in page and "data-confirm=" in page
    response = browser.post(
        f"/org/staff/{staff.pk}/exit/", {"exit_date": str(FROZEN_TODAY), "reason": "retired"}
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.status == Staff.Status.EXITED
    user.refresh_from_db()
    assert not user.is_active
    # a staff member sees no such form
    other_staff, other_user = applicant(staff.level, username="peer2")
    peer = Client()
    peer.force_login(other_user)
    assert (
        'data-testid="exit-form"' not in peer.get(f"/org/staff/{other_staff.pk}/").content.decode()
    )


def test_an_exited_staff_member_cannot_be_appointed(hr, leaver, ladder):
    """A decision taken after the exit (a renewal, a promotion approved late) is refused with
    the reason, and nothing changes."""
    import datetime as dt

    from django.utils import translation

    from core.errors import InvalidTransition
    from org import services

    staff, _, _ = leaver
    services.staff_exit(actor=hr, staff=staff, exit_date=FROZEN_TODAY, reason="retired")
    with translation.override("en"), pytest.raises(InvalidTransition) as refused:
        services.appoint(
            actor=hr,
            staff=staff,
            level=ladder[2],
            start=FROZEN_TODAY + dt.timedelta(days=1),
            reason="promotion",
        )
    assert refused.value.message == (
        f"{staff.name} left on {FROZEN_TODAY.isoformat()}: "
        "an exited staff member cannot be appointed."
    )
    staff.refresh_from_db()
    assert staff.level == ladder[1]
    assert not Appointment.objects.filter(staff=staff, closed_on__isnull=True).exists()
