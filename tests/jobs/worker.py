"""Run the real django-tasks database worker against the test database."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker

from core import clock

BASE_DIR = Path(settings.BASE_DIR)


def run_worker_in_process() -> None:
    """The ``db_worker`` loop itself (no signal handlers), until the queue is empty."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="pytest-in-process",
        excluded_queue_names=[],
    ).run()


def database_url() -> str | None:
    """A ``DATABASE_URL`` for the test database, or ``None`` for in-memory SQLite."""
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    name = str(s["NAME"])
    if connection.vendor == "sqlite" and "memory" not in name:
        return f"sqlite:///{name}"
    return None


def start_worker_process(worker_id: str, media_root) -> subprocess.Popen:
    """``manage.py db_worker --batch`` in its own process, on the test database, with the
    clock where the test has it (``tests.frozen_manage``)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "PRIVATE_MEDIA_ROOT": str(media_root),
        "SITE_URL": settings.SITE_URL,
        "TEST_CLOCK_AT": clock.now().isoformat(),
    }
    env.pop("TEST_DATABASE_NAME", None)
    return subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "tests.frozen_manage",
            "db_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.2",
            "--worker-id",
            worker_id,
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
