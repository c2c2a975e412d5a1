"""The committee member's queue (conflicted candidates never appear) and the candidate dossier
with the scoring sheet."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from org.models import Staff

from .. import eligibility, selectors, services
from ..conflicts import committee_candidates
from ..models import (
    Cycle,
    DeclaredConflict,
    Dimension,
    DimensionValue,
    Panel,
    ScoringSheet,
)
from ..scoring import Dim, sheet_total
from .common import _run


@login_required
def committee_queue(request):
    """The committee member's candidates (conflicted ones never appear) and sheet states;
    a member declares a conflict of interest here (by employee number)."""
    if request.method == "POST":
        staff = Staff.objects.filter(
            employee_no=request.POST.get("employee_no", "").strip()[:32]
        ).first()
        if staff is None:
            messages.error(request, _("No staff member with this employee number."))
        else:
            _run(
                request,
                services.declare_conflict,
                str(_("Your conflict was recorded.")),
                member=request.user,
                staff=staff,
                kind=request.POST.get("kind", "other"),
                note=request.POST.get("note", "")[:2000],
            )
        return redirect("certification:committee")
    apps = (
        committee_candidates(request.user)
        .select_related("cycle", "staff", "target_level")
        .order_by("cycle", "target_level__order", "staff__employee_no")
    )
    sheets = {
        s.application_id: s
        for s in ScoringSheet.objects.filter(member=request.user, application__in=apps)
    }
    rows = [(a, sheets.get(a.pk)) for a in apps]
    chair_of = set(Panel.objects.filter(chair=request.user).values_list("cycle_id", "level_id"))
    return render(
        request,
        "certification/committee_queue.html",
        {
            "rows": rows,
            "chair_of": chair_of,
            "kinds": DeclaredConflict.Kind.choices,
            "declared": DeclaredConflict.objects.filter(member=request.user).select_related(
                "staff"
            ),
        },
    )


@login_required
def sheet_page(request, pk: int):
    """The candidate dossier and the member's scoring form with a live weighted total."""
    app = get_object_or_404(
        committee_candidates(request.user).select_related(
            "cycle", "staff", "staff__unit", "target_level", "from_level"
        ),
        pk=pk,
    )
    cycle = app.cycle
    sheet = ScoringSheet.objects.filter(application=app, member=request.user).first()
    panel = Panel.objects.filter(cycle=cycle, level=app.target_level).first()
    is_chair = panel is not None and panel.chair_id == request.user.pk
    if request.method == "POST":
        action = request.POST.get("action", "")
        dims = [d for d in cycle.dimensions.all() if d.source == Dimension.Source.COMMITTEE]
        scores = {
            d.code: request.POST.get(f"score_{d.code}")
            for d in dims
            if request.POST.get(f"score_{d.code}", "").strip()
        }
        if action in ("save", "submit"):
            ok = _run(
                request,
                services.sheet_save,
                str(_("Saved.")),
                application=app,
                scores=scores,
                comment=request.POST.get("comment", "")[:5000],
            )
            if ok and action == "submit":
                sheet = ScoringSheet.objects.get(application=app, member=request.user)
                _run(
                    request, services.sheet_submit, str(_("Your sheet was submitted.")), sheet=sheet
                )
        elif action == "reopen":
            other = get_object_or_404(
                ScoringSheet, pk=request.POST.get("sheet") or 0, application=app
            )
            _run(
                request,
                services.sheet_reopen,
                str(_("The sheet was reopened.")),
                sheet=other,
                reason=request.POST.get("reason", ""),
            )
        return redirect("certification:sheet", pk=app.pk)
    dims = list(cycle.dimensions.all())
    values = {v.dimension_id: v for v in DimensionValue.objects.filter(application=app)}
    dim_rows = [
        {
            "dim": d,
            "committee": d.source == Dimension.Source.COMMITTEE,
            "value": (sheet.scores.get(d.code) if sheet else None)
            if d.source == Dimension.Source.COMMITTEE
            else getattr(values.get(d.pk), "value", None),
            "source_value": getattr(values.get(d.pk), "source_value", None),
            "manual": getattr(values.get(d.pk), "manual", False),
        }
        for d in dims
    ]
    submitted = sheet is not None and sheet.status == ScoringSheet.Status.SUBMITTED
    others = []
    if submitted or is_chair:
        others = list(
            selectors.sheet_list(user=request.user)
            .filter(application=app)
            .exclude(member=request.user)
            .select_related("member")
        )
    draft_total = None
    if sheet and sheet.scores:
        committee_dims = [
            Dim(d.code, d.weight, d.max_score, True)
            for d in dims
            if d.source == Dimension.Source.COMMITTEE
        ]
        if all(d.code in sheet.scores for d in committee_dims):
            draft_total = sheet_total(
                {k: Decimal(v) for k, v in sheet.scores.items()}, committee_dims
            )
    ctx = {
        "app": app,
        "cycle": cycle,
        "sheet": sheet,
        "dim_rows": dim_rows,
        "editable": cycle.status == Cycle.Status.REVIEW and not submitted,
        "others": others,
        "submitted": submitted,
        "is_chair": is_chair,
        "draft_total": draft_total,
        "materials": list(app.materials.order_by("id")),
        "evaluation": eligibility.Evaluation.from_snapshot(app.eligibility),
    }
    return render(request, "certification/sheet.html", ctx)
