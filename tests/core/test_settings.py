"""The production profile passes ``check --deploy`` with no warnings (issue 2, "Checked by"),
and refuses to start without a real secret key; sessions and prepared statements follow their
settings."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from org.models import Level

ROOT = settings.BASE_DIR


def run_check(secret_key: str) -> subprocess.CompletedProcess:
    # A deployment never sets DJANGO_ALLOW_ASYNC_UNSAFE (the browser tests' fixture does).
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "ladder.example.com",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_profile_passes_check_deploy_without_warnings():
    result = run_check("k3y-" + "x7Qp9vR2mZ8sL4wB6nT1yH5cJ0dF3gK8" * 2)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_profile_refuses_a_short_secret_key():
    result = run_check("too-short")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def printed_by(code: str, **environment) -> subprocess.CompletedProcess:
    """What ``code`` prints in a process started with ``environment`` (settings loaded)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", **environment}
    return subprocess.run(  # noqa: S603 - this interpreter, the test's own code
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def settings_of(**environment) -> subprocess.CompletedProcess:
    """The session settings a process started with ``environment`` gets."""
    code = (
        "from django.conf import settings; "
        "print(settings.SESSION_ENGINE, settings.SESSION_CACHE_ALIAS, "
        "settings.CACHES[settings.SESSION_CACHE_ALIAS]['BACKEND'])"
    )
    return printed_by(code, **environment)


def test_sessions_are_in_the_database_unless_the_cache_is_chosen():
    default = settings_of(SESSION_STORE="database")
    assert default.stdout.split() == [
        "django.contrib.sessions.backends.db",
        "default",
        "django.core.cache.backends.locmem.LocMemCache",
    ], default.stderr
    cached = settings_of(SESSION_STORE="cache", REDIS_URL="redis://redis.internal:6379/1")
    assert cached.stdout.split() == [
        "django.contrib.sessions.backends.cached_db",
        "sessions",
        "django.core.cache.backends.redis.RedisCache",
    ], cached.stderr
    wrong = settings_of(SESSION_STORE="memory")
    assert wrong.returncode != 0 and "SESSION_STORE must be" in wrong.stderr


def database_options_of(**environment) -> subprocess.CompletedProcess:
    """The database OPTIONS a process started with ``environment`` gets, as JSON."""
    code = "import json; from django.conf import settings; "
    code += "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
    return printed_by(code, **environment)


def test_postgresql_prepares_repeated_statements_unless_turned_off():
    url = "postgres://ladder@db.internal:5432/ladder"
    default = database_options_of(DATABASE_URL=url)
    assert json.loads(default.stdout) == {
        "server_side_binding": True,
        "prepare_threshold": 5,
    }, default.stderr
    for off in ("0", "off"):
        client_side = database_options_of(DATABASE_URL=url, DATABASE_PREPARE_THRESHOLD=off)
        assert json.loads(client_side.stdout) == {}, client_side.stderr
    sooner = database_options_of(DATABASE_URL=url, DATABASE_PREPARE_THRESHOLD="2")
    assert json.loads(sooner.stdout)["prepare_threshold"] == 2, sooner.stderr
    wrong = database_options_of(DATABASE_URL=url, DATABASE_PREPARE_THRESHOLD="-1")
    assert wrong.returncode != 0 and "DATABASE_PREPARE_THRESHOLD" in wrong.stderr
    # SQLite has no prepared statements to ask for: its options are its own
    sqlite = database_options_of(DATABASE_URL="sqlite:///:memory:")
    assert "prepare_threshold" not in json.loads(sqlite.stdout), sqlite.stderr


@pytest.mark.django_db
def test_a_statement_run_often_is_prepared_on_the_server():
    """What the setting buys: past the threshold, PostgreSQL keeps the statement parsed and
    planned for the connection, its parameters bound on the server ($1), not in the text."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    threshold = settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"]
    for code in [f"P{n}" for n in range(threshold + 1)]:
        list(Level.objects.filter(code=code).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    table, column = Level._meta.db_table, Level._meta.get_field("code").column
    assert any(
        f'FROM "{table}"' in statement and f'"{column}" = $1' in statement for statement in prepared
    ), prepared
