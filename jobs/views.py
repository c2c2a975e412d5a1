"""Pages: the jobs list and a job's progress page (refreshes itself while the job runs)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError

from . import registry, selectors, services

REFRESH_SECONDS = 2


@login_required
def job_list(request):
    jobs = selectors.job_list(user=request.user)
    page = Paginator(jobs, 50).get_page(request.GET.get("page"))
    return render(request, "jobs/job_list.html", {"page": page})


@login_required
def job_detail(request, pk: int):
    job = selectors.get_job_or_404(user=request.user, pk=pk)
    kind = registry.KINDS.get(job.kind)
    worker_down = not job.is_finished and not selectors.worker_running()
    context = {
        "job": job,
        "errors": job.result.get("errors", []) if isinstance(job.result, dict) else [],
        "refresh": None if job.is_finished else REFRESH_SECONDS,
        "done_label": (kind and kind.done_label) or _("done"),
        "skipped_label": (kind and kind.skipped_label) or _("skipped"),
        "worker_down": worker_down,
        "can_resume": job.status == job.Status.FAILED or worker_down,
    }
    return render(request, "jobs/job_detail.html", context)


@login_required
@require_POST
def job_resume(request, pk: int):
    job = selectors.get_job_or_404(user=request.user, pk=pk)
    try:
        services.job_resume(actor=request.user, job=job)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(job.get_absolute_url())
