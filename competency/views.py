"""Pages: competency models, competencies, the requirement grid (HR).

Assessment and profile pages are in :mod:`competency.assessment_views`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import audit
from core.errors import DomainError
from core.roles import is_office, require_office_page

from . import selectors, services
from .forms import CompetencyForm, CompetencyModelForm
from .models import Competency, CompetencyModel, ProficiencyLevel


@login_required
def model_list(request):
    models = (
        selectors.model_list()
        .annotate(competency_count=Count("competencies"))
        .order_by("track__code", "-version")
    )
    return render(
        request,
        "competency/model_list.html",
        {"models": models, "can_edit": is_office(request.user), "form": CompetencyModelForm()},
    )


@login_required
@require_POST
def model_create(request):
    require_office_page(request.user)
    form = CompetencyModelForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("competency:model-list")
    model = services.model_create(actor=request.user, **form.cleaned_data)
    return redirect("competency:model-detail", pk=model.pk)


@login_required
def model_detail(request, pk: int):
    model = get_object_or_404(selectors.model_list(), pk=pk)
    competencies = model.competencies.prefetch_related(
        Prefetch("levels", queryset=ProficiencyLevel.objects.order_by("level"))
    ).order_by("kind", "order", "code")
    context = {
        "model": model,
        "competencies": competencies,
        "can_edit": is_office(request.user) and model.is_editable,
        "is_office": is_office(request.user),
        "problems": services.publish_problems(model) if model.is_editable else [],
        "history": audit.history(model)[:20] if is_office(request.user) else None,
        "versions": CompetencyModel.objects.filter(track_id=model.track_id).order_by("-version"),
    }
    return render(request, "competency/model_detail.html", context)


@login_required
@require_POST
def model_action(request, pk: int, action: str):
    """publish / retire / new-draft from the detail page (same services as the API)."""
    require_office_page(request.user)
    model = get_object_or_404(CompetencyModel, pk=pk)
    reason = request.POST.get("reason", "")[:2000]
    try:
        if action == "publish":
            services.model_publish(actor=request.user, model=model, reason=reason)
            messages.success(request, _("Version %(v)s is published.") % {"v": model.version})
        elif action == "retire":
            services.model_retire(actor=request.user, model=model, reason=reason)
            messages.success(request, _("Version %(v)s is retired.") % {"v": model.version})
        elif action == "new-draft":
            draft = services.model_new_draft(actor=request.user, source=model, reason=reason)
            messages.success(request, _("Draft version %(v)s created.") % {"v": draft.version})
            return redirect("competency:model-detail", pk=draft.pk)
        else:
            raise PermissionDenied
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("competency:model-detail", pk=pk)


@login_required
def competency_edit(request, model_pk: int, pk: int | None = None):
    """Create or edit a competency of a draft with its level descriptions."""
    require_office_page(request.user)
    model = get_object_or_404(CompetencyModel, pk=model_pk)
    instance = get_object_or_404(Competency, pk=pk, model=model) if pk else None
    if not model.is_editable:
        messages.error(request, _("A published or retired version cannot be edited."))
        return redirect("competency:model-detail", pk=model.pk)
    form = CompetencyForm(request.POST or None, instance=instance, model=model)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if instance is None:
                services.competency_create(
                    actor=request.user, model=model, levels=form.levels(), **fields
                )
            else:
                services.competency_update(
                    actor=request.user, competency=instance, levels=form.levels(), **fields
                )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("competency:model-detail", pk=model.pk)
    return render(
        request,
        "competency/competency_form.html",
        {"model": model, "form": form, "competency": instance},
    )


@login_required
@require_POST
def competency_delete(request, model_pk: int, pk: int):
    require_office_page(request.user)
    competency = get_object_or_404(Competency, pk=pk, model_id=model_pk)
    try:
        services.competency_delete(actor=request.user, competency=competency)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("competency:model-detail", pk=model_pk)


def _parse_grid(post, levels, competencies, scale_max) -> tuple[dict, list[str]]:
    cells, errors = {}, []
    for level in levels:
        for comp in competencies:
            raw_req = (post.get(f"req-{level.pk}-{comp.pk}") or "").strip()
            raw_w = (post.get(f"w-{level.pk}-{comp.pk}") or "").strip() or "1"
            if not raw_req:
                cells[(level.pk, comp.pk)] = None
                continue
            try:
                required = int(raw_req)
                weight = Decimal(raw_w)
                if not weight.is_finite():
                    raise InvalidOperation
            except (ValueError, InvalidOperation):
                errors.append(f"{level.code} · {comp.code}: " + _("not a number"))
                continue
            if not 1 <= required <= scale_max or weight <= 0 or weight >= 10000:
                errors.append(f"{level.code} · {comp.code}: " + _("out of range"))
                continue
            cells[(level.pk, comp.pk)] = (required, weight.quantize(Decimal("0.01")))
    return cells, errors


@login_required
def requirement_grid(request, pk: int):
    """The requirement profile of every level on one page: levels × competencies, each cell a
    required proficiency (blank = not required) and a weight. HR edits drafts."""
    model = get_object_or_404(selectors.model_list(), pk=pk)
    grid = selectors.requirement_grid(model=model)
    editable = is_office(request.user) and model.is_editable
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        cells, errors = _parse_grid(
            request.POST, grid["levels"], grid["competencies"], model.scale_max
        )
        if errors:
            for error in errors:
                messages.error(request, error)
        else:
            try:
                counts = services.requirements_save_grid(
                    actor=request.user, model=model, cells=cells
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _("Saved: %(created)s added, %(updated)s changed, %(deleted)s removed.")
                    % counts,
                )
                return redirect("competency:requirement-grid", pk=model.pk)
    rows = []
    for comp in grid["competencies"]:
        cells = []
        for level in grid["levels"]:
            cells.append({"level": level, "requirement": grid["cells"].get((level.pk, comp.pk))})
        rows.append({"competency": comp, "cells": cells})
    totals = []
    for level in grid["levels"]:
        weights = [r.weight for (lv, _c), r in grid["cells"].items() if lv == level.pk]
        totals.append({"level": level, "count": len(weights), "weight": sum(weights, Decimal(0))})
    return render(
        request,
        "competency/requirement_grid.html",
        {
            "model": model,
            "levels": grid["levels"],
            "rows": rows,
            "totals": totals,
            "editable": editable,
            "scale": list(model.scale),
        },
    )
