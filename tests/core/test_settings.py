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
