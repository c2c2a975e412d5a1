"""Reads for jobs: the office sees every job, anyone else the jobs they started."""

from __future__ import annotations

from django.db.models import QuerySet

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
