"""The production profile passes ``check --deploy`` with no warnings (issue 2, "Checked by"),
and refuses to start without a real secret key."""

import os
import subprocess
import sys

from django.conf import settings

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


def settings_of(**environment) -> subprocess.CompletedProcess:
    """The session settings a process started with ``environment`` gets."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", **environment}
    code = (
        "from django.conf import settings; "
        "print(settings.SESSION_ENGINE, settings.SESSION_CACHE_ALIAS, "
        "settings.CACHES[settings.SESSION_CACHE_ALIAS]['BACKEND'])"
    )
    return subprocess.run(  # noqa: S603 - this interpreter, the test's own code
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


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
