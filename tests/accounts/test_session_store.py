"""``SESSION_STORE=cache``: sessions read from Redis (a real server of the test's own), written
through to the database; revoking a person's sessions removes them from both."""

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts import services
from tests.jobs.redis import redis_url  # noqa: F401 - the test's own Redis server

PAGE = "/org/ladder/"


@pytest.fixture
def cached_sessions(settings, redis_url):  # noqa: F811 - the fixture imported above
    """The settings ``SESSION_STORE=cache`` gives (config/settings/base.py), at the test's Redis."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "sessions": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
        },
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.SESSION_CACHE_ALIAS = "sessions"
    yield caches["sessions"]
    caches["sessions"].clear()


def sign_in(client) -> None:
    answer = client.post("/accounts/login/", {"username": "amy", "password": "pw"})
    assert answer.status_code == 302


def session_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "django_session" in q["sql"]]


def test_a_signed_in_request_reads_its_session_from_redis(person, cached_sessions):
    client = Client()
    sign_in(client)
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(pk=key).exists()  # written through to the database
    assert cached_sessions.get(f"django.contrib.sessions.cached_db{key}") is not None
    with CaptureQueriesContext(connection) as captured:
        assert client.get(PAGE).status_code == 200
    assert session_queries(captured.captured_queries) == []


def test_a_session_redis_has_lost_is_read_from_the_database(person, cached_sessions):
    client = Client()
    sign_in(client)
    cached_sessions.clear()
    assert client.get(PAGE).status_code == 200


def test_revoked_sessions_leave_redis_too(person, office, cached_sessions):
    client = Client()
    sign_in(client)
    key = client.cookies["sessionid"].value
    assert services.sessions_revoke(user=person) == 1
    assert cached_sessions.get(f"django.contrib.sessions.cached_db{key}") is None
    assert not Session.objects.filter(pk=key).exists()
    answer = client.get(PAGE)
    assert answer.status_code == 302 and "/accounts/login/" in answer.url
