"""Requests refused before any view runs: a body above ``REQUEST_MAX_BYTES`` (413, its body
never read) and a NUL byte in the query string (400, never a 500 from the database)."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from core.middleware import RequestSizeLimitMiddleware
from core.roles import Role
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class _Unreadable(io.RawIOBase):
    def read(self, *args):  # pragma: no cover - failing here is the bug
        raise AssertionError("the body was read")

    readinto = read


def test_a_body_above_the_cap_is_refused_before_it_is_read(settings):
    settings.REQUEST_MAX_BYTES = 1000
    request = RequestFactory().generic(
        "POST",
        "/api/v1/training/certificates/",
        CONTENT_LENGTH="150000000",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    request.META["wsgi.input"] = _Unreadable()
    request._stream = _Unreadable()
    called = []
    response = RequestSizeLimitMiddleware(lambda r: called.append(r))(request)
    assert response.status_code == 413
    assert json.loads(response.content) == {
        "detail": "What you sent is larger than 1000\xa0bytes.",
        "code": "request_too_large",
    }
    assert called == []


def test_a_page_answers_413_with_the_projects_error_page(settings):
    settings.REQUEST_MAX_BYTES = 2 * 1024 * 1024
    user = UserFactory(username="uploader", roles=[Role.HR])
    client = Client()
    client.force_login(user)
    big = b"x" * (2 * 1024 * 1024 + 1)
    response = client.post(
        "/training/records/import/",
        data=big,
        content_type="application/octet-stream",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 413
    html = response.content.decode()
    assert 'data-status="413"' in html
    assert "larger than 2.0\xa0MB" in html


def test_the_api_answers_413_as_json(settings, hr_user):
    settings.REQUEST_MAX_BYTES = 100
    response = client_for(hr_user).post(
        "/api/v1/training/certificates/", {"title": "x" * 200}, format="json"
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


def test_a_body_at_the_cap_passes(settings, hr_user):
    settings.REQUEST_MAX_BYTES = 10_000
    response = client_for(hr_user).post(
        "/api/v1/training/certificates/", {"title": "x" * 100}, format="json"
    )
    assert response.status_code == 400  # reaches the view: the other fields are missing


def _list_urls(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """Every URL of the product that takes no path parameter (lists, searches, reports)."""
    urls: list[str] = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = str(entry.pattern)
        if "<" in route or "(?P" in route:
            continue
        route = route.lstrip("^").rstrip("$").replace("\\", "")
        if isinstance(entry, URLResolver):
            if route.startswith(("admin", "i18n")):
                continue
            urls += _list_urls(entry, prefix + route)
        elif isinstance(entry, URLPattern) and "logout" not in route:
            urls.append("/" + prefix + route)
    return sorted(set(urls))


LIST_URLS = _list_urls()


def test_the_walk_finds_the_list_pages_and_apis():
    assert len(LIST_URLS) > 40
    assert "/api/v1/org/staff/" in LIST_URLS
    assert "/training/ledger/" in LIST_URLS or any(u.startswith("/training/") for u in LIST_URLS)


@pytest.mark.parametrize("url", LIST_URLS)
def test_a_nul_byte_in_a_search_or_filter_answers_400(url):
    user = UserFactory(username="nul-prober", roles=[Role.HR], is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(user)
    for query in ("q=%00", "search=a%00b", "period=2026-%0001", "year=%00&staff=%00"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400, (url, query, response.status_code)
