"""Reads for jobs: the office sees every job, anyone else the jobs they started."""

from __future__ import annotations

import datetime as dt

import django_rq
from django.conf import settings
from django.db.models import Q, QuerySet
from django_tasks_db.models import DBTaskResult, get_date_max
from rq import Worker

from core import clock
from core.errors import NotInScope
from core.roles import is_office

from .models import Job


def job_list(*, user) -> QuerySet[Job]:
    qs = Job.objects.select_related("created_by")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if is_office(user):
        return qs
    return qs.filter(created_by=user)


def get_job_or_404(*, user, pk) -> Job:
    try:
        return job_list(user=user).get(pk=pk)
    except (Job.DoesNotExist, ValueError, TypeError) as exc:
        raise NotInScope from exc


def worker_running() -> bool:
    """Whether a background worker is taking tasks from the queue.

    On Redis (``TASKS_BACKEND=rq``) every RQ worker keeps a heartbeat, so: a worker listens on
    the default queue. The database backend keeps no worker heartbeat, so there the worker is
    *not* running when a task has been due for more than ``JOBS_WORKER_STALE_MINUTES`` and no
    task has started or finished in that time. An idle queue (nothing due) counts as running:
    there is nothing to tell."""
    if settings.TASKS_BACKEND == "rq":
        return _rq_worker_running()
    since = clock.now() - dt.timedelta(minutes=int(settings.JOBS_WORKER_STALE_MINUTES))
    tasks = DBTaskResult.objects.all()
    # A task to run "as soon as possible" has the maximum date as ``run_after``.
    waiting = (
        tasks.filter(status="READY")
        .filter(Q(run_after__lt=since) | Q(run_after=get_date_max(), enqueued_at__lt=since))
        .exists()
    )
    if not waiting:
        return True
    return tasks.filter(Q(started_at__gte=since) | Q(finished_at__gte=since)).exists()


def _rq_worker_running() -> bool:
    queue = django_rq.get_queue("default")
    return Worker.count(queue=queue) > 0


def job_is_stopped(*, job: Job) -> bool:
    """A job that can be resumed: it failed (some items failed), or it is unfinished while no
    worker runs. A job that is running — or queued with a live worker — is not stopped."""
    if job.status == Job.Status.FAILED:
        return True
    if job.is_finished:
        return False
    return not worker_running()
