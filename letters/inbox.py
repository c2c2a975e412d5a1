"""To-do items of letters (``core.inbox``): the office retries letter batches with failed
letters (one query, when a figure says there are some); a staff member reads a letter issued to
them in the last 30 days (a figure). The figures are read with the other apps' (``core.inbox``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core import clock
from core.inbox import InboxItem, scalar
from core.roles import is_office
from jobs.models import Job
from org.scope import staff_of

from .models import Letter
from .services import JOB_KIND

KINDS = {
    "letters.failed": gettext_lazy("Letter batches with failures"),
    "letters.new": gettext_lazy("New letters"),
}
RECENT_DAYS = 30


def _failed_jobs() -> QuerySet[Job]:
    # a failed job is one that finished with failed letters; resuming it queues it again
    return Job.objects.filter(status=Job.Status.FAILED, kind=JOB_KIND)


def figures(user, today: dt.date) -> dict[str, Subquery]:
    """How many letters were issued to the user in the last ``RECENT_DAYS`` days and not
    revoked; for the office, how many letter batches failed (none, mostly: the query that
    lists them is then skipped). Read by ``core.inbox`` with the other apps' figures."""
    found = {}
    if is_office(user):
        found["failed"] = scalar(_failed_jobs(), Count("pk"))
    me = staff_of(user)
    if me is not None:
        since = clock.now() - dt.timedelta(days=RECENT_DAYS)
        recent = Letter.objects.issued().filter(
            staff=me, issued_at__gte=since, revoked_at__isnull=True
        )
        found["new"] = scalar(recent, Count("pk"))
    return found


def items(user, today: dt.date, *, figures: dict) -> list[InboxItem]:
    result = []
    if figures.get("failed"):
        jobs = _failed_jobs().order_by("pk")
        for job in jobs.only("pk", "failed", "title"):
            result.append(
                InboxItem(
                    kind="letters.failed",
                    title=_("Resume letter batch #%(job)s") % {"job": job.pk},
                    why=ngettext(
                        "%(n)s letter of the batch failed to render.",
                        "%(n)s letters of the batch failed to render.",
                        job.failed,
                    )
                    % {"n": job.failed},
                    due=None,
                    url=reverse("jobs:detail", args=[job.pk]),
                    count=max(job.failed, 1),
                    priority=20,
                )
            )
    n = figures.get("new")
    if n:
        result.append(
            InboxItem(
                kind="letters.new",
                title=ngettext("Read your %(n)s new letter", "Read your %(n)s new letters", n)
                % {"n": n},
                why=_("Issued to you in the last %(days)s days.") % {"days": RECENT_DAYS},
                due=None,
                url=reverse("letters:mine"),
                count=n,
                priority=60,
            )
        )
    return result
