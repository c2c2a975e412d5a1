"""Adding and removing the agreed development goals of a review (from the kpi review page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from kpi.models import Appraisal
from org.scope import scope_by_staff

from .. import services
from ..forms import GoalForm
from ..models import DevelopmentGoal
from ._common import show_error


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("kpi:appraisal-team")


@login_required
@require_POST
def goal_add(request, appraisal_pk: int):
    appraisal = get_object_or_404(
        scope_by_staff(Appraisal.objects.select_related("staff"), request.user), pk=appraisal_pk
    )
    form = GoalForm(request.POST, staff=appraisal.staff)
    if not form.is_valid():
        messages.error(request, _("Describe the goal and give its due date."))
        return _back(request)
    try:
        services.goal_add(actor=request.user, appraisal=appraisal, **form.cleaned_data)
        messages.success(request, _("Development goal added."))
    except DomainError as exc:
        show_error(request, exc)
    return _back(request)


@login_required
@require_POST
def goal_remove(request, pk: int):
    goal = get_object_or_404(
        scope_by_staff(DevelopmentGoal.objects.select_related("appraisal"), request.user), pk=pk
    )
    try:
        services.goal_remove(actor=request.user, goal=goal)
        messages.success(request, _("Development goal removed."))
    except DomainError as exc:
        show_error(request, exc)
    return _back(request)
