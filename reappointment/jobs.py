"""The nightly overdue check as a kind of background job (``jobs`` app).

``manage.py reappointment_nightly`` (run by cron or a systemd timer, see
docs/reappointment.md) starts a job of kind :data:`KIND` over the overdue appointments; the
``db_worker`` works through it in chunks, each item marked by
:func:`reappointment.services.mark_overdue`. Without the jobs app, the command runs inline.
"""

from __future__ import annotations

import datetime as dt
import logging

from jobs.registry import JobKind, register
from jobs.services import job_start

logger = logging.getLogger(__name__)

KIND = "reappointment.overdue"


def _today(job) -> dt.date:
    return dt.date.fromisoformat(job.params["today"])


def prepare(job, items: list) -> list:
    """Evaluate the chunk's conditions in bulk (a fixed number of queries per chunk); the
    evidence is handed to :func:`process` on the job object the worker passes to both."""
    from org.models import Appointment

    from . import selectors

    appointments = Appointment.objects.filter(pk__in=[int(i) for i in items]).select_related(
        "staff", "level", "staff__level"
    )
    job._reappointment_evidence = {
        r.appointment.pk: r.evaluation
        for r in selectors.readiness(appointments=appointments, on_date=_today(job))
    }
    return items


def process(job, item) -> None:
    from . import services

    evidence = getattr(job, "_reappointment_evidence", {})
    services.reviews_mark_overdue(
        appointment_id=int(item), today=_today(job), evaluation=evidence.get(int(item))
    )


def remaining(job) -> list:
    from . import selectors

    return selectors.overdue_ids(today=_today(job))


def register_kinds() -> None:
    register(
        JobKind(code=KIND, process=process, remaining=remaining, prepare=prepare, chunk_size=200)
    )


def start_nightly(*, today: dt.date, actor=None, inline: bool = False) -> dict:
    """Start the overdue check for ``today``; returns ``{"job": id|None, "items": n}``."""
    from django.utils.translation import gettext as _

    from . import selectors, services

    ids = selectors.overdue_ids(today=today)
    if inline:
        for start in range(0, len(ids), 200):
            chunk = ids[start : start + 200]
            holder = type("Inline", (), {"params": {"today": today.isoformat()}})()
            prepare(holder, chunk)
            for pk in chunk:
                services.reviews_mark_overdue(
                    appointment_id=pk,
                    today=today,
                    evaluation=holder._reappointment_evidence.get(pk),
                )
        return {"job": None, "items": len(ids)}
    job = job_start(
        actor=actor,
        kind=KIND,
        items=ids,
        title=_("Re-appointment overdue check %(date)s") % {"date": today.isoformat()},
        params={"today": today.isoformat()},
        result_url=_overdue_url(),
    )
    return {"job": job.pk, "items": len(ids)}


def _overdue_url() -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("reappointment:overdue")
    except NoReverseMatch:  # pragma: no cover - pages not mounted
        return ""
