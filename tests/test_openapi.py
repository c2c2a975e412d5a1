"""The generated OpenAPI schema is valid and drf-spectacular has nothing to warn about, so the
Swagger UI and the schemathesis fuzz test see every endpoint with its real types."""

import json

from django.core.management import call_command


def test_schema_generates_without_warnings_and_validates(tmp_path):
    out = tmp_path / "schema.json"
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--format",
        "openapi-json",
        "--file",
        str(out),
    )
    schema = json.loads(out.read_text())
    paths = schema["paths"]
    for path in (
        "/api/v1/org/staff/",
        "/api/v1/org/staff/me/",
        "/api/v1/org/appointments/",
        "/api/v1/auth/token/",
        "/api/v1/auth/logout/",
        "/api/v1/auth/logout-all/",
        "/api/v1/audit/events/",
    ):
        assert path in paths


def test_swagger_ui_is_served_without_a_cdn(client, django_user_model):
    user = django_user_model.objects.create_user("reader", password="pw")
    client.force_login(user)
    html = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in html
    assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html
