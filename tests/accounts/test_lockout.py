"""django-axes on the login page, the API token endpoint and the admin: lockout per account
and address after AXES_FAILURE_LIMIT failures, for AXES_COOLOFF_TIME; logged, audited, and
undone by the certification office."""

import datetime as dt
import logging

import pytest
from axes.models import AccessAttempt
from django.test import Client
from rest_framework.test import APIClient

from core import clock
from core.models import AuditEvent

LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"


def sign_in(client, password, username="amy", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_defaults_are_five_failures_and_thirty_minutes(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert dt.timedelta(minutes=30) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_four_failures_do_not_lock(person):
    client = Client()
    for _ in range(4):
        assert sign_in(client, "wrong").status_code == 200
    response = sign_in(client, "pw")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_fifth_failure_locks_until_the_cool_off_ends(person, frozen_clock):
    client = Client()
    for _ in range(4):
        assert sign_in(client, "wrong").status_code == 200
    locked_at = clock.now()
    response = sign_in(client, "wrong")
    assert response.status_code == 429
    assert 'data-testid="locked-out"' in response.content.decode()
    assert int(response["Retry-After"]) == pytest.approx(30 * 60, abs=2)
    # the right password is refused during the cool-off
    assert sign_in(client, "pw").status_code == 429
    frozen_clock.move_to(locked_at + dt.timedelta(minutes=29, seconds=50))
    assert sign_in(client, "pw").status_code == 429
    frozen_clock.move_to(locked_at + dt.timedelta(minutes=30, seconds=1))
    assert sign_in(client, "pw").status_code == 302


def test_the_lockout_is_per_account_and_address(person):
    client = Client()
    for _ in range(5):
        sign_in(client, "wrong")
    assert sign_in(client, "pw").status_code == 429
    # the same account from another address, and another account from the same address
    assert sign_in(Client(), "pw", REMOTE_ADDR="10.1.2.3").status_code == 302
    assert AccessAttempt.objects.filter(username="amy", ip_address="127.0.0.1").exists()


def test_the_message_says_when_to_retry(person):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(5):
        response = sign_in(client, "wrong")
    until = clock.localtime() + dt.timedelta(minutes=30)
    assert until.strftime("%Y-%m-%d %H:%M") in response.content.decode()


def test_the_token_endpoint_locks_with_429_and_a_code(person):
    api = APIClient()
    for _ in range(4):
        response = api.post(TOKEN, {"username": "amy", "password": "wrong"}, format="json")
        assert response.status_code == 400
    response = api.post(TOKEN, {"username": "amy", "password": "wrong"}, format="json")
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "locked_out"
    assert dt.datetime.fromisoformat(body["retry_after"]) == pytest.approx(
        clock.now() + dt.timedelta(minutes=30), abs=dt.timedelta(seconds=2)
    )
    response = api.post(TOKEN, {"username": "amy", "password": "pw"}, format="json")
    assert response.status_code == 429
    assert "token" not in response.json()


def test_the_admin_login_is_watched_too(person):
    client = Client()
    for _ in range(4):
        response = client.post("/admin/login/", {"username": "amy", "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/admin/login/", {"username": "amy", "password": "wrong"})
    assert response.status_code == 429


def test_every_failure_and_the_lockout_are_logged_and_audited(person, caplog):
    client = Client()
    with caplog.at_level(logging.WARNING, logger="accounts"):
        for _ in range(5):
            sign_in(client, "wrong")
    assert sum("sign-in failed" in r.getMessage() for r in caplog.records) == 5
    assert sum("account locked out" in r.getMessage() for r in caplog.records) == 1
    failed = AuditEvent.objects.filter(action="login_failed", object_id=str(person.pk))
    assert failed.count() == 5
    assert failed.first().changes["ip_address"] == "127.0.0.1"
    assert AuditEvent.objects.filter(action="locked_out", object_id=str(person.pk)).count() == 1


def test_a_failure_for_an_unknown_name_is_audited_on_the_attempt(db):
    sign_in(Client(), "wrong", username="nobody")
    attempt = AccessAttempt.objects.get(username="nobody")
    assert AuditEvent.objects.filter(action="login_failed", object_id=str(attempt.pk)).count() == 1


def test_the_office_sees_and_unlocks_a_locked_account(person, office_client):
    client = Client()
    for _ in range(5):
        sign_in(client, "wrong")
    page = office_client.get("/accounts/office/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="locked-accounts"' in html and ">amy<" in html
    attempt = AccessAttempt.objects.get(username="amy")
    # a reason is required
    office_client.post(f"/accounts/office/unlock/{attempt.pk}/", {"reason": ""})
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
    response = office_client.post(
        f"/accounts/office/unlock/{attempt.pk}/", {"reason": "called the help desk"}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(pk=attempt.pk).exists()
    event = AuditEvent.objects.get(action="unlock")
    assert event.actor_name == "office" and event.reason == "called the help desk"
    assert sign_in(client, "pw").status_code == 302


def test_only_the_office_may_see_or_unlock(person):
    client = Client()
    client.force_login(person)
    assert client.get("/accounts/office/").status_code == 403
    sign_in(Client(), "wrong", username="other")
    attempt = AccessAttempt.objects.get(username="other")
    assert client.post(f"/accounts/office/unlock/{attempt.pk}/", {"reason": "x"}).status_code == 403
