"""Writes for background jobs: start, progress, finish, resume (HackSoft-style services).

A job's items are split into chunks; each chunk is one Django task on the database queue, so
several ``db_worker`` processes work through one job in parallel. Progress counters move with
atomic ``UPDATE … SET done = done + 1`` statements, so concurrent chunks never lose a count.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils.translation import gettext as _

from core import audit, clock
from core.errors import InvalidTransition, RoleRequired
from core.roles import is_office

from . import registry
from .models import Job
from .selectors import job_is_stopped

logger = logging.getLogger(__name__)

MAX_KEPT_ERRORS = 200


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _enqueue(job: Job, items: Sequence, chunk_size: int) -> None:
    from .tasks import run_job_chunk

    chunks = [list(items[i : i + chunk_size]) for i in range(0, len(items), chunk_size)]

    run = job.run

    def send() -> None:
        for chunk in chunks:
            run_job_chunk.enqueue(job.pk, chunk, run)

    transaction.on_commit(send)


@transaction.atomic
def job_start(
    *,
    actor,
    kind: str,
    items: Sequence,
    title: str = "",
    params: dict | None = None,
    result_url: str = "",
) -> Job:
    """Record a job of ``kind`` over ``items`` and queue its chunks for the worker once the
    caller's transaction commits."""
    job_kind = registry.get(kind)
    items = list(items)
    job = Job.objects.create(
        kind=kind,
        title=title[:200],
        total=len(items),
        params=params or {},
        result_url=result_url,
        created_by=_user(actor),
    )
    audit.record(actor=actor, obj=job, action="job:start", to_state=job.status)
    if items:
        _enqueue(job, items, job_kind.chunk_size)
    else:
        _finish_if_complete(job.pk)
    return job


def _finish_if_complete(job_id: int) -> None:
    Job.objects.filter(
        pk=job_id,
        status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
        total__lte=F("done") + F("failed") + F("skipped"),
    ).update(
        status=Case(When(failed__gt=0, then=Value(Job.Status.FAILED)), default=Value("done")),
        finished_at=clock.now(),
    )


def item_done(job_id: int, run: int = 1) -> None:
    """Count one item done — only for the job's current run (see :func:`resume_job`)."""
    Job.objects.filter(pk=job_id, run=run).update(done=F("done") + 1)
    _finish_if_complete(job_id)


def item_skipped(job_id: int, run: int = 1) -> None:
    """Count one item that needed nothing (see :data:`jobs.registry.SKIPPED`)."""
    Job.objects.filter(pk=job_id, run=run).update(skipped=F("skipped") + 1)
    _finish_if_complete(job_id)


@transaction.atomic
def item_failed(job_id: int, item, message: str, run: int = 1) -> None:
    """Count one failed item and keep its message (the first :data:`MAX_KEPT_ERRORS`)."""
    job = Job.objects.select_for_update().get(pk=job_id)
    if job.run != run:
        return
    errors = list(job.result.get("errors", []))
    if len(errors) < MAX_KEPT_ERRORS:
        errors.append({"item": item, "message": str(message)[:500]})
    Job.objects.filter(pk=job_id).update(
        failed=F("failed") + 1, result={**job.result, "errors": errors}
    )
    _finish_if_complete(job_id)


def run_chunk(*, job_id: int, items: list, run: int = 1) -> dict:
    """Run on the worker: mark the job running, then process each item, counting progress.

    A chunk queued for an earlier run of a resumed job is skipped: the resume queued its
    remaining items again under the new run.
    """
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.run != run:
        return {"skipped": len(items)}
    Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=clock.now()
    )
    kind = registry.get(job.kind)
    if kind.prepare is not None:
        try:
            items = kind.prepare(job, items)
        except Exception as exc:  # blind on purpose (logged): a failed chunk fails its items
            logger.exception("Job %s: preparing a chunk failed", job_id)
            for item in items:
                item_failed(job_id, item, str(exc), run)
            return {"done": 0, "failed": len(items)}
    done = failed = skipped = 0
    for item in items:
        try:
            outcome = kind.process(job, item)
        except Exception as exc:  # noqa: BLE001 — one failed item is recorded, the others go on
            logger.warning("Job %s: item %r failed: %s", job_id, item, exc)
            item_failed(job_id, item, str(exc), run)
            failed += 1
        else:
            if outcome == registry.SKIPPED:
                item_skipped(job_id, run)
                skipped += 1
            else:
                item_done(job_id, run)
                done += 1
    return {"done": done, "failed": failed, "skipped": skipped}


@transaction.atomic
def job_resume(*, actor, job: Job) -> Job:
    """Queue again the items a stopped job has not done (failed items, or a job the worker is
    not running: :func:`jobs.selectors.job_is_stopped`); a job still running is refused.

    Items already done are not redone: the kind's ``remaining`` decides what is left, and its
    ``process`` is idempotent (letters: a reserved number is rendered, never taken twice). The
    job's ``run`` goes up by one, so chunks still queued (or still running) from the earlier
    run neither count nor finish the job: every item is counted once, by the new run.
    """
    own = actor is not None and job.created_by_id is not None and job.created_by_id == actor.pk
    if actor is not None and not (is_office(actor) or own):
        raise RoleRequired(_("Only the office or the job's creator may resume it."))
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.status == Job.Status.DONE:
        raise InvalidTransition(_("This job has finished; there is nothing to resume."))
    if not job_is_stopped(job=job):
        raise InvalidTransition(_("This job is still running; it can be resumed once it stops."))
    kind = registry.get(job.kind)
    remaining = list(kind.remaining(job))
    from_state = job.status
    job.done = max(job.total - len(remaining) - job.skipped, 0)
    job.failed = 0
    job.error = ""
    job.result = {**job.result, "errors": []}
    job.status = Job.Status.QUEUED
    job.finished_at = None
    job.run += 1
    job.save()
    audit.record(
        actor=actor,
        obj=job,
        action="job:resume",
        from_state=from_state,
        to_state=job.status,
        changes={"remaining": len(remaining)},
    )
    if remaining:
        _enqueue(job, remaining, kind.chunk_size)
    else:
        transaction.on_commit(lambda: _finish_if_complete(job.pk))
    return job
