"""A real Redis server and real RQ workers for the tests of the ``rq`` tasks backend.

The server is Debian's ``redis-server``, started by the test on a free loopback port with
nothing written to disk (``--save '' --appendonly no``) in the test's temporary folder, and
stopped afterwards.
"""

import os
import shutil
import socket
import subprocess
import sys
import time

import django_rq
import pytest
from django.conf import settings
from django_tasks_rq import Job as RQTaskJob
from rq import SimpleWorker

from core import clock

from .worker import BASE_DIR, database_url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def redis_url(tmp_path):
    """``redis://`` URL of a Redis server of this test's own, stopped when the test ends."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (scripts/install-system-packages adds it)")
    port = _free_port()
    # The server keeps the machine's real clock, as a Redis server of its own would: a run under
    # a moved clock (faketime's preload, inherited by children) must not move Redis's timers.
    env = {
        k: v for k, v in os.environ.items() if k != "LD_PRELOAD" and not k.startswith("FAKETIME")
    }
    server = subprocess.Popen(  # noqa: S603
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while not _answers_ping(port):
            if server.poll() is not None or time.monotonic() > deadline:
                output = server.stdout.read().decode() if server.stdout else ""
                pytest.fail(f"redis-server did not start on port {port}:\n{output}")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture
def rq_backend(settings, redis_url):
    """The settings of ``TASKS_BACKEND=rq`` with ``REDIS_URL`` at the test's Redis server."""
    settings.TASKS_BACKEND = "rq"
    settings.REDIS_URL = redis_url
    settings.RQ_QUEUES = {"default": {"URL": redis_url, "DEFAULT_TIMEOUT": 300}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    return redis_url


def rq_queue():
    return django_rq.get_queue("default", job_class=RQTaskJob)


def run_rq_worker_in_process(name: str = "pytest-rq-in-process") -> None:
    """A real RQ worker in burst mode (it stops once the queue is empty), in this process:
    for an in-memory SQLite test database that no other process can reach."""
    queue = rq_queue()
    SimpleWorker([queue], connection=queue.connection, job_class=RQTaskJob, name=name).work(
        burst=True
    )


def run_rq_worker_process(name: str, redis_url: str, media_root) -> subprocess.CompletedProcess:
    """``manage.py rqworker --burst`` in its own process (which forks a work horse per task),
    on the test database, with the clock where the test has it (``tests.frozen_manage``)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "TASKS_BACKEND": "rq",
        "REDIS_URL": redis_url,
        "PRIVATE_MEDIA_ROOT": str(media_root),
        "SITE_URL": settings.SITE_URL,
        "TEST_CLOCK_AT": clock.now().isoformat(),
    }
    env.pop("TEST_DATABASE_NAME", None)
    return subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "tests.frozen_manage",
            "rqworker",
            "--burst",
            "--job-class",
            "django_tasks_rq.Job",
            "--name",
            name,
            "default",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=300,
        check=False,
    )
