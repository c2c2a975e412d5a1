"""Two-factor authentication (TOTP, django-otp) with recovery codes: required for the
certification office, the leadership group and administrators (TWO_FACTOR_ROLES), optional
for others. The test profile turns the requirement off; these tests turn it on."""

import base64
import datetime as dt
import re

import pytest
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts.demo import DEMO_TOTP_KEYS, hex_key
from accounts.services import recovery_codes_issue
from core.models import AuditEvent
from core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("two_factor_on")

KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
VERIFY = "/accounts/two-factor/verify/"
ENROL = "/accounts/two-factor/enrol/"


@pytest.fixture
def two_factor_on():
    with override_settings(TWO_FACTOR_REQUIRED=True):
        yield


def code_for(device, drift=0) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


def with_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", key=hex_key(KEY), confirmed=True)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_defaults(settings):
    assert settings.TWO_FACTOR_ROLES == [Role.HR, Role.LEADERSHIP, Role.ADMIN]


def test_the_office_without_a_device_is_sent_to_enrol(office):
    client = signed_in(office)
    response = client.get("/org/staff/")
    assert response.status_code == 302
    assert response.url.startswith(ENROL)
    api = client.get("/api/v1/org/staff/")
    assert api.status_code == 403 and api.json()["code"] == "two_factor_required"


@pytest.mark.parametrize("role", [Role.LEADERSHIP, Role.ADMIN])
def test_leadership_and_administrators_must_too(db, role):
    client = signed_in(UserFactory(username=f"x-{role}", roles=[role]))
    assert client.get("/").url.startswith(ENROL)


def test_enrolment_shows_the_key_and_confirms_with_the_first_right_code(office, frozen_clock):
    client = signed_in(office)
    page = client.get(ENROL)
    html = page.content.decode()
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7=]+)<', html).group(1)
    assert "otpauth://totp/" in html
    assert 'src="data:image/svg+xml;base64,' in html
    device = TOTPDevice.objects.get(user=office, confirmed=False)
    assert base64.b32decode(secret) == device.bin_key
    wrong = client.post(
        ENROL, {"otp_token": "000000" if code_for(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200 and "otp_token" in wrong.context["form"].errors
    frozen_clock.shift(dt.timedelta(seconds=2))  # django-otp throttles after a wrong code
    done = client.post(ENROL, {"otp_token": code_for(device)})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/org/staff/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="two_factor_enabled", object_id=str(office.pk)).exists()


def test_with_a_device_the_office_must_verify_a_wrong_code_is_refused(office):
    device = with_device(office)
    client = signed_in(office)
    assert client.get("/org/staff/").url == f"{VERIFY}?next=/org/staff/"
    wrong = "000000" if code_for(device) != "000000" else "111111"
    response = client.post(VERIFY, {"otp_token": wrong, "next": "/org/staff/"})
    assert response.status_code == 200
    assert "otp_token" in response.context["form"].errors
    assert client.get("/org/staff/").status_code == 302


def test_the_right_totp_code_passes(office):
    device = with_device(office)
    client = signed_in(office)
    response = client.post(VERIFY, {"otp_token": code_for(device), "next": "/org/staff/"})
    assert response.status_code == 302 and response.url == "/org/staff/"
    assert client.get("/org/staff/").status_code == 200
    assert client.get("/api/v1/org/staff/").status_code == 200


def test_a_recovery_code_works_once(office):
    with_device(office)
    codes = recovery_codes_issue(user=office)
    first = signed_in(office)
    assert first.post(VERIFY, {"otp_token": codes[0]}).status_code == 302
    assert first.get("/org/staff/").status_code == 200
    assert StaticToken.objects.filter(token=codes[0]).count() == 0
    again = signed_in(office)
    response = again.post(VERIFY, {"otp_token": codes[0]})
    assert response.status_code == 200
    assert again.get("/org/staff/").status_code == 302


def test_others_are_not_asked_unless_they_turned_it_on_and_may_turn_it_off(person):
    assert signed_in(person).get("/org/ladder/").status_code == 200
    device = with_device(person)
    client = signed_in(person)
    assert client.get("/org/ladder/").url == f"{VERIFY}?next=/org/ladder/"
    assert client.post(VERIFY, {"otp_token": code_for(device)}).status_code == 302
    assert client.get("/org/ladder/").status_code == 200
    assert client.post("/accounts/two-factor/disable/").status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert AuditEvent.objects.filter(action="two_factor_disabled").count() == 1
    assert signed_in(person).get("/org/ladder/").status_code == 200


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_with_the_requirement_off_the_office_is_not_asked(office):
    assert signed_in(office).get("/org/staff/").status_code == 200


def test_a_session_owing_its_second_factor_cannot_open_the_password_page(office):
    with_device(office)
    client = signed_in(office)
    assert client.get("/accounts/password/").url.startswith(VERIFY)


def test_a_required_second_factor_cannot_be_turned_off(office):
    device = with_device(office)
    client = signed_in(office)
    client.post(VERIFY, {"otp_token": code_for(device)})
    assert client.post("/accounts/two-factor/disable/").status_code == 403
    assert TOTPDevice.objects.filter(user=office).exists()


def test_the_token_endpoint_asks_for_the_code(office, frozen_clock):
    device = with_device(office)
    api = APIClient()
    body = {"username": "office", "password": "pw"}
    response = api.post("/api/v1/auth/token/", body, format="json")
    assert response.status_code == 403 and response.json()["code"] == "two_factor_required"
    response = api.post("/api/v1/auth/token/", {**body, "otp_token": "12"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "two_factor_invalid"
    # right after a wrong code even the right one is refused (throttling), then it passes
    right = {**body, "otp_token": code_for(device)}
    assert api.post("/api/v1/auth/token/", right, format="json").status_code == 403
    frozen_clock.shift(dt.timedelta(seconds=2))
    response = api.post(
        "/api/v1/auth/token/", {**body, "otp_token": code_for(device)}, format="json"
    )
    assert response.status_code == 200 and "token" in response.json()


def test_the_token_endpoint_refuses_a_required_role_without_a_device(office):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "office", "password": "pw"}, format="json"
    )
    assert response.status_code == 403 and response.json()["code"] == "two_factor_not_enrolled"


def test_the_demo_keys_are_fixed_and_the_command_prints_the_current_code(office, capsys):
    from django.core.management import call_command

    device = TOTPDevice.objects.create(
        user=office, name="demo", key=hex_key(DEMO_TOTP_KEYS["hr"]), confirmed=True
    )
    call_command("demo_totp", "office")
    assert capsys.readouterr().out.strip() == code_for(device)
