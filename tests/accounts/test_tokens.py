"""API tokens (django-rest-knox): one per sign-in, expiring after API_TOKEN_TTL_HOURS (10 h),
revoked by logout (this token) and logout-all (every token of the account)."""

import datetime as dt

import pytest
from django.test import override_settings
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts import services
from core import clock

TOKEN = "/api/v1/auth/token/"
ME = "/api/v1/org/staff/"


def issue(username="amy", password="pw", **extra):  # noqa: S107 — a test password
    response = APIClient().post(
        TOKEN, {"username": username, "password": password, **extra}, format="json"
    )
    assert response.status_code == 200, response.json()
    return response.json()


def with_token(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_the_token_answer_has_token_and_expiry_ten_hours_ahead(person):
    body = issue()
    assert set(body) == {"token", "expiry"}
    expiry = dt.datetime.fromisoformat(body["expiry"])
    assert expiry == pytest.approx(
        clock.now() + dt.timedelta(hours=10), abs=dt.timedelta(seconds=2)
    )
    assert with_token(body["token"]).get(ME).status_code == 200


def test_each_sign_in_gets_its_own_token(person):
    first, second = issue()["token"], issue()["token"]
    assert first != second
    assert AuthToken.objects.filter(user=person).count() == 2
    assert with_token(first).get(ME).status_code == 200
    assert with_token(second).get(ME).status_code == 200


def test_the_token_is_refused_one_second_after_its_expiry(person, frozen_clock):
    body = issue()
    expiry = dt.datetime.fromisoformat(body["expiry"])
    frozen_clock.move_to(expiry - dt.timedelta(seconds=2))
    assert with_token(body["token"]).get(ME).status_code == 200
    frozen_clock.move_to(expiry + dt.timedelta(seconds=1))
    assert with_token(body["token"]).get(ME).status_code == 401


@override_settings(REST_KNOX={"TOKEN_TTL": dt.timedelta(hours=1), "AUTH_HEADER_PREFIX": "Token"})
def test_the_lifetime_is_a_setting(person, frozen_clock):
    body = issue()
    expiry = dt.datetime.fromisoformat(body["expiry"])
    assert expiry == pytest.approx(clock.now() + dt.timedelta(hours=1), abs=dt.timedelta(seconds=2))
    frozen_clock.move_to(expiry + dt.timedelta(seconds=1))
    assert with_token(body["token"]).get(ME).status_code == 401


def test_logout_revokes_only_the_current_token(person):
    first, second = issue()["token"], issue()["token"]
    assert with_token(first).post("/api/v1/auth/logout/").status_code == 204
    assert with_token(first).get(ME).status_code == 401
    assert with_token(second).get(ME).status_code == 200


def test_logout_all_revokes_every_token(person):
    first, second = issue()["token"], issue()["token"]
    assert with_token(first).post("/api/v1/auth/logout-all/").status_code == 204
    assert with_token(first).get(ME).status_code == 401
    assert with_token(second).get(ME).status_code == 401
    assert AuthToken.objects.filter(user=person).count() == 0


def test_logout_needs_a_token(person):
    assert APIClient().post("/api/v1/auth/logout/").status_code == 401


def test_a_deactivated_login_loses_its_tokens(person, office):
    token = issue()["token"]
    services.account_deactivate(actor=office, user=person, reason="left")
    assert with_token(token).get(ME).status_code == 401


def test_wrong_password_answers_400_without_token(person):
    response = APIClient().post(TOKEN, {"username": "amy", "password": "nope"}, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()


def test_an_account_owing_a_password_change_gets_403_with_its_code(person, office):
    services.account_require_password_change(actor=office, user=person)
    token = issue()["token"]
    response = with_token(token).get(ME)
    assert response.status_code == 403
    assert response.json()["code"] == "password_change_required"


def test_the_api_token_command_issues_an_expiring_token(person, capsys):
    from django.core.management import call_command

    call_command("create_api_token", "amy")
    token = capsys.readouterr().out.strip()
    assert with_token(token).get(ME).status_code == 200
    assert AuthToken.objects.get(user=person).expiry is not None
