"""Background work on Redis with RQ (``TASKS_BACKEND=rq``, django-tasks-rq): the same letters
batch as on the database queue, queued in a real Redis server and run by a real RQ worker."""

import datetime as dt
import os

import pytest
from django_tasks_db.models import DBTaskResult
from rq.registry import FinishedJobRegistry

from jobs import selectors as job_selectors
from letters import services as letter_services
from letters.models import Letter
from tests.factories import StaffFactory
from tests.letters.conftest import promote

from .redis import rq_queue, run_rq_worker_in_process, run_rq_worker_process
from .worker import database_url


def _promotions(ladder, n):
    return [
        promote(StaffFactory(level=ladder[1], level_since=dt.date(2023, 1, 1)), ladder[2])
        for _ in range(n)
    ]


# faketime (the moved-clock suite) moves the monotonic clock too; the RQ worker's pub/sub thread
# then never ends its timed wait, and keeping the monotonic clock real makes every sleep fail
# (EINVAL). Nothing here depends on the date: the normal suites run it.
@pytest.mark.skipif(
    "FAKETIME" in os.environ, reason="RQ's timed thread waits never end under faketime"
)
@pytest.mark.django_db(transaction=True)
def test_a_letters_batch_runs_on_redis_with_an_rq_worker(ladder, office, private_media, rq_backend):
    appointments = _promotions(ladder, 21)
    job = letter_services.letters_issue_job(
        actor=office, appointment_ids=[a.pk for a in appointments], kind="promotion"
    )
    job.refresh_from_db()
    assert (job.status, job.total, job.done) == ("queued", 21, 0)
    queue = rq_queue()
    assert queue.count == 2  # chunks of 20: 20 letters and 1, queued in Redis
    assert not DBTaskResult.objects.exists()  # nothing went to the database queue
    assert not Letter.objects.exists()
    # No RQ worker has a heartbeat in this Redis: the job page says the worker is not running.
    assert not job_selectors.worker_running()

    if database_url() is None:  # in-memory SQLite: only this process reaches the database
        run_rq_worker_in_process()
    else:
        worker = run_rq_worker_process("pytest-rq", rq_backend, private_media)
        assert worker.returncode == 0, worker.stdout.decode()

    job.refresh_from_db()
    assert (job.status, job.done, job.failed, job.skipped, job.progress) == ("done", 21, 0, 0, 100)
    letters = Letter.objects.order_by("seq")
    assert [x.seq for x in letters] == list(range(1, 22))
    assert all(x.sha256 and x.issued_at and x.job_id == job.pk for x in letters)
    assert all((private_media / x.pdf_path).is_file() for x in letters)
    assert queue.count == 0
    assert FinishedJobRegistry(queue=queue).count == 2
    assert not DBTaskResult.objects.exists()
