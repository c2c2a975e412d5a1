"""Production-facing platform behaviour: error pages, caching headers, CSP, demo refusal."""

import io
import logging
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


def test_the_api_schema_and_swagger_ui_are_for_signed_in_users_only(client):
    for url in ("/api/v1/schema/", "/api/v1/docs/", "/api/v1/docs/?script="):
        assert client.get(url).status_code == 401, url
    client.force_login(UserFactory(username="schema-reader"))
    for url in ("/api/v1/schema/", "/api/v1/docs/", "/api/v1/docs/?script="):
        assert client.get(url).status_code == 200, url


def test_swagger_ui_runs_under_the_policy_its_start_up_script_is_a_file(client):
    """The CSP allows scripts from the site only: an inline start-up script would leave
    Swagger UI blank."""
    client.force_login(UserFactory(username="swagger-reader"))
    page = client.get("/api/v1/docs/")
    html = page.content.decode()
    assert "script-src 'self'" in page["Content-Security-Policy"]
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert len(scripts) == 3
    assert all('src="' in attrs and body.strip() == "" for attrs, body in scripts)
    assert '<script src="/api/v1/docs/?script=">' in html
    script = client.get("/api/v1/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in script.content.decode()


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


def _renders_with_weasyprint(tree) -> bool:
    """Whether a module imports WeasyPrint's renderer (``HTML``, ``CSS``, its default URL
    fetcher, or the package itself) or calls ``write_pdf``."""
    import ast

    renderer = {"HTML", "CSS", "default_url_fetcher"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name == "weasyprint" for a in node.names):
            return True
        if (
            isinstance(node, ast.ImportFrom)
            and (node.module or "").split(".")[0] == "weasyprint"
            and renderer & {a.name for a in node.names}
        ):
            return True
        if isinstance(node, ast.Attribute) and node.attr == "write_pdf":
            return True
    return False


def test_only_core_pdf_renders_with_weasyprint():
    """Every PDF goes through ``core.pdf.html_to_pdf`` and so through its safe URL fetcher: no
    other module imports WeasyPrint's renderer or calls ``write_pdf``."""
    import ast
    from pathlib import Path

    from django.conf import settings

    base = Path(settings.BASE_DIR)
    renderers = sorted(
        str(path.relative_to(base))
        for path in base.rglob("*.py")
        if path.relative_to(base).parts[0] not in {".venv", "var", "tests", "node_modules"}
        and _renders_with_weasyprint(ast.parse(path.read_text(encoding="utf-8")))
    )
    assert renderers == ["core/pdf.py"]


def test_refusals_are_logged_with_who_what_and_from_where(client, caplog):
    from core.roles import Role
    from tests.conftest import client_for

    caplog.set_level(logging.INFO, logger="core.access")
    staff = UserFactory(username="curious", roles=[Role.STAFF])
    client.get("/api/v1/org/units/", REMOTE_ADDR="192.0.2.7")
    client.force_login(staff)
    client.get("/downloads/", REMOTE_ADDR="192.0.2.7")
    client.get("/org/staff/987654/", REMOTE_ADDR="192.0.2.7")
    client_for(staff).get("/api/v1/audit/events/", REMOTE_ADDR="192.0.2.8")
    client.get("/", REMOTE_ADDR="192.0.2.7")  # an answer, not a refusal: not logged
    records = [r for r in caplog.records if r.name == "core.access"]
    assert [(r.levelname, r.getMessage()) for r in records] == [
        ("WARNING", "access refused: GET /api/v1/org/units/ user=- ip=192.0.2.7"),
        ("WARNING", "access refused: GET /downloads/ user=curious ip=192.0.2.7"),
        ("INFO", "access not found: GET /org/staff/987654/ user=curious ip=192.0.2.7"),
        ("WARNING", "access refused: GET /api/v1/audit/events/ user=curious ip=192.0.2.8"),
    ]
    assert [r.status_code for r in records] == [401, 403, 404, 403]
