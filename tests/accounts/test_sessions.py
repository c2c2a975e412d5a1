"""Sessions end after SESSION_IDLE_TIMEOUT (30 min) without a request and, whatever the
activity, SESSION_ABSOLUTE_LIFETIME (12 h) after sign-in."""

import datetime as dt

from django.test import Client, override_settings

PAGE = "/org/ladder/"


def signed_in(person, password="pw"):  # noqa: S107 — a test password
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": "amy", "password": password}).status_code
        == 302
    )
    return client


def test_defaults(settings):
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_ABSOLUTE_LIFETIME == 12 * 3600


def test_thirty_minutes_idle_keep_the_session(person, frozen_clock):
    client = signed_in(person)
    frozen_clock.shift(dt.timedelta(minutes=29, seconds=50))
    assert client.get(PAGE).status_code == 200


def test_idle_longer_than_the_timeout_signs_out(person, frozen_clock):
    client = signed_in(person)
    frozen_clock.shift(dt.timedelta(minutes=30, seconds=2))
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={PAGE}"
    assert "_auth_user_id" not in client.session
    assert client.get(PAGE).status_code == 302


def test_activity_keeps_the_session_alive_until_the_absolute_lifetime(person, frozen_clock):
    client = signed_in(person)
    for _ in range(35):  # a request every 20 minutes: 11 h 40 min
        frozen_clock.shift(dt.timedelta(minutes=20))
        assert client.get(PAGE).status_code == 200
    frozen_clock.shift(dt.timedelta(minutes=19))  # 11 h 59 min
    assert client.get(PAGE).status_code == 200
    frozen_clock.shift(dt.timedelta(seconds=62))  # 12 h 0 min 2 s
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@override_settings(SESSION_IDLE_TIMEOUT=60)
def test_the_idle_timeout_is_a_setting(person, frozen_clock):
    client = signed_in(person)
    frozen_clock.shift(dt.timedelta(seconds=62))
    assert client.get(PAGE).status_code == 302


def test_an_api_call_on_an_expired_session_is_unauthenticated(person, frozen_clock):
    client = signed_in(person)
    frozen_clock.shift(dt.timedelta(minutes=31))
    assert client.get("/api/v1/org/staff/").status_code in (401, 403)
    assert "_auth_user_id" not in client.session
