"""The nightly overdue check as a kind of background job (``jobs`` app).

``manage.py reappointment_nightly`` (run by cron or a systemd timer, see
docs/reappointment.md) starts a job of kind :data:`KIND` over the overdue appointments; the
``db_worker`` works through it in chunks, each item marked by
:func:`reappointment.services.mark_overdue`. Without the jobs app, the command runs inline.
"""

from __future__ import annotations

import datetime as dt
import logging

logger = logging.getLogger(__name__)

KIND = "reappointment.overdue"


def _today(job) -> dt.date:
    return dt.date.fromisoformat(job.params["today"])


def process(job, item) -> None:
    from . import services

    services.mark_overdue(appointment_id=int(item), today=_today(job))


def remaining(job) -> list:
    from . import selectors

    return selectors.overdue_ids(today=_today(job))


def register_kinds() -> None:
    try:
        from jobs.registry import JobKind, register
    except ImportError:
        return
    register(JobKind(code=KIND, process=process, remaining=remaining, chunk_size=200))


def start_nightly(*, today: dt.date, actor=None, inline: bool = False) -> dict:
    """Start the overdue check for ``today``; returns ``{"job": id|None, "items": n}``."""
    from django.utils.translation import gettext as _

    from . import selectors, services

    ids = selectors.overdue_ids(today=today)
    try:
        from jobs.services import start_job
    except ImportError:
        start_job = None
    if start_job is None or inline:
        for pk in ids:
            services.mark_overdue(appointment_id=pk, today=today)
        return {"job": None, "items": len(ids)}
    job = start_job(
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
