"""Production-facing platform behaviour: error pages, caching headers, CSP, demo refusal."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_unknown_page_is_the_projects_own_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert 'data-testid="error-page"' in body and 'data-status="404"' in body
    assert "URLconf" not in body


def test_the_404_is_translated_in_both_languages(client):
    client.cookies["django_language"] = "en"
    assert "Page not found" in client.get("/no-such-page/").content.decode()
    client.cookies["django_language"] = "zh-hans"
    assert "页面不存在" in client.get("/no-such-page/").content.decode()


def test_signed_in_pages_and_the_api_are_never_cached(client):
    user = UserFactory(username="cache-check")
    client.force_login(user)
    page = client.get("/")
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    api = client.get("/api/v1/org/units/")
    assert "no-store" in api["Cache-Control"]


def test_every_page_has_a_content_security_policy_without_inline_script(client):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    script_src = csp.split("script-src", 1)[1].split(";")[0]
    assert script_src.strip() == "'self'"
    assert "frame-ancestors 'self'" in csp and "object-src 'none'" in csp


def test_no_template_carries_inline_script_or_handlers():
    from pathlib import Path

    from django.conf import settings

    offenders = []
    for path in Path(settings.BASE_DIR).rglob("*.html"):
        if {".venv", "var", "node_modules"} & set(path.parts):
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script>| on(click|change|submit|input|load)=", text):
            offenders.append(str(path))
    assert offenders == []


def test_the_api_schema_is_for_signed_in_users_only(client):
    assert client.get("/api/v1/schema/").status_code in (401, 403)
    client.force_login(UserFactory(username="schema-reader"))
    assert client.get("/api/v1/schema/").status_code == 200


@override_settings(DEMO_DATA_ALLOWED=False)
def test_seed_demo_refuses_where_demo_data_is_not_allowed():
    with pytest.raises(CommandError, match="does not allow demo data"):
        call_command("seed_demo", quiet=True, stdout=io.StringIO())


def test_early_refusals_carry_no_hop_by_hop_header(client):
    """A WSGI application may not set hop-by-hop headers (PEP 3333): the development server
    turns a refusal carrying ``Connection`` into a 500."""
    from wsgiref.util import is_hop_by_hop

    response = client.get("/api/v1/org/levels/?a%00=1")
    assert response.status_code == 400
    assert not [name for name in response.headers if is_hop_by_hop(name)]
