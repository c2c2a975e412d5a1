"""Annual training plans per unit (年度培训计划): list with totals against budgets, a plan's
lines beside the unit's need, HR drafting and approval."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from competency.models import Competency, CompetencyModel
from core import clock
from core.errors import DomainError
from core.roles import is_office, require_office_page
from org.scope import visible_units

from .. import selectors, services
from ..forms import PlanForm, PlanLineForm
from ..models import TrainingPlan
from ._common import show_error


def _competencies():
    return (
        Competency.objects.filter(model__status=CompetencyModel.Status.PUBLISHED)
        .select_related("model")
        .order_by("model__track_id", "order", "code")
    )


@login_required
def plan_list(request):
    office = is_office(request.user)
    today = clock.today()
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else today.year + 1 if today.month >= 10 else today.year
    plans = list(selectors.plan_list(user=request.user).filter(year=year).order_by("unit__path"))
    form = None
    if office:
        form = PlanForm(
            request.POST or None,
            units=visible_units(request.user),
            initial={"year": year},
        )
        if request.method == "POST" and form.is_valid():
            try:
                plan = services.plan_save(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Plan created."))
                return redirect("training:plan-detail", pk=plan.pk)
    elif request.method == "POST":
        require_office_page(request.user)
    needs = selectors.plan_needs(plans=plans, on_date=today)
    for plan in plans:
        plan.need = needs.get(plan.pk, [])
    context = {
        "plans": plans,
        "year": year,
        "years": [year - 1, year, year + 1],
        "form": form,
        "is_office": office,
        "budget_total": sum((p.budget for p in plans), start=selectors.ZERO),
        "planned_total": sum((p.planned for p in plans), start=selectors.ZERO),
    }
    return render(request, "training/plan_list.html", context)


@login_required
def plan_detail(request, pk: int):
    plan = get_object_or_404(
        selectors.plan_list(user=request.user).prefetch_related(
            "lines__course", "lines__competency"
        ),
        pk=pk,
    )
    office = is_office(request.user)
    form = None
    if office and plan.status == TrainingPlan.Status.DRAFT:
        form = PlanLineForm(request.POST or None, competencies=_competencies())
        if request.method == "POST" and form.is_valid():
            try:
                services.plan_line_add(actor=request.user, plan=plan, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Line added."))
                return redirect("training:plan-detail", pk=plan.pk)
    elif request.method == "POST":
        require_office_page(request.user)
    need = selectors.plan_needs(plans=[plan], on_date=clock.today()).get(plan.pk, [])
    context = {
        "plan": plan,
        "lines": list(plan.lines.all()),
        "need": need,
        "form": form,
        "is_office": office,
        "remaining": plan.remaining,
        "over": plan.planned > plan.budget,
    }
    return render(request, "training/plan_detail.html", context)


@login_required
@require_POST
def plan_approve(request, pk: int):
    require_office_page(request.user)
    plan = get_object_or_404(selectors.plan_list(user=request.user), pk=pk)
    try:
        services.plan_approve(actor=request.user, plan=plan)
        messages.success(request, _("Plan approved."))
    except DomainError as exc:
        show_error(request, exc)
    return redirect("training:plan-detail", pk=pk)


@login_required
@require_POST
def plan_line_remove(request, pk: int, line_pk: int):
    require_office_page(request.user)
    plan = get_object_or_404(selectors.plan_list(user=request.user), pk=pk)
    line = get_object_or_404(plan.lines.all(), pk=line_pk)
    try:
        services.plan_line_remove(actor=request.user, line=line)
        messages.success(request, _("Line removed."))
    except DomainError as exc:
        show_error(request, exc)
    return redirect("training:plan-detail", pk=pk)
