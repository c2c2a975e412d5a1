"""The committee member's queue (conflicted candidates never appear) and the candidate dossier
with the scoring sheet."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from committee import visibility
from core import clock
from core.errors import DomainError
from core.roles import Role, has_role
from org.models import Staff

from .. import dossier, eligibility, services
from ..conflicts import committee_candidates
from ..models import (
    Cycle,
    DeclaredConflict,
    Defence,
    Dimension,
    DimensionValue,
    Panel,
    ScoringSheet,
)
from ..scoring import Dim, sheet_total
from ..services.committee import clean_scores
from .common import _run


@login_required
def committee_queue(request):
    """The committee member's candidates (conflicted ones never appear) and sheet states;
    a member declares a conflict of interest here (by employee number)."""
    if request.method == "POST":
        if not has_role(request.user, Role.COMMITTEE, Role.HR, Role.ADMIN):
            raise PermissionDenied
        staff = Staff.objects.filter(
            employee_no=request.POST.get("employee_no", "").strip()[:32]
        ).first()
        if staff is None:
            messages.error(request, _("No staff member with this employee number."))
        else:
            _run(
                request,
                services.conflict_declare,
                str(_("Your conflict was recorded.")),
                member=request.user,
                staff=staff,
                kind=request.POST.get("kind", "other"),
                note=request.POST.get("note", "")[:2000],
            )
        return redirect("certification:committee")
    apps = (
        committee_candidates(request.user)
        .select_related("cycle", "staff", "target_level", "defence")
        .order_by("cycle", "target_level__order", "staff__employee_no")
    )
    sheets = {
        s.application_id: s
        for s in ScoringSheet.objects.filter(member=request.user, application__in=apps)
    }
    apps = list(apps)
    progress = {}
    mine = {a.pk for a in apps}
    for cycle in {a.cycle_id: a.cycle for a in apps}.values():
        progress.update(dossier.panel_progress(request.user, cycle, mine))
    # blind until one's own sheet is submitted, the chair included (committee.visibility)
    rows = [
        (
            a,
            sheets.get(a.pk),
            progress.get(a.pk) if visibility.sees_others_of(own_sheet=sheets.get(a.pk)) else None,
        )
        for a in apps
    ]
    chair_of = set(Panel.objects.filter(chair=request.user).values_list("cycle_id", "level_id"))
    # the chair's live results, per panel (cycle, level) in review
    results = {}
    for a, _sheet, p in rows:
        if p is not None and (a.cycle_id, a.target_level_id) in chair_of:
            results.setdefault((a.cycle, a.target_level), []).append(p)
    for panel_rows in results.values():
        panel_rows.sort(
            key=lambda p: (p.rank is None, p.rank or 0, p.application.staff.employee_no)
        )
    return render(
        request,
        "certification/committee_queue.html",
        {
            "rows": rows,
            "chair_of": chair_of,
            "results": [(c, lv, r) for (c, lv), r in results.items()],
            "kinds": DeclaredConflict.Kind.choices,
            "declared": DeclaredConflict.objects.filter(member=request.user).select_related(
                "staff"
            ),
            "defences": _defences_to_come(apps),
        },
    )


def _defences_to_come(apps) -> list[Defence]:
    """The defences of the member's candidates (the same conflict-free list, joined in its
    query) that have not ended, by start."""
    now = clock.now()
    result = []
    for app in apps:
        try:
            defence = app.defence
        except Defence.DoesNotExist:
            continue
        if not defence.cancelled and defence.ends_at >= now:
            defence.application = app
            result.append(defence)
    return sorted(result, key=lambda d: (d.starts_at, d.pk))


def _save_scores(request, app, action: str) -> dict[str, str] | None:
    """Save (and submit) the member's sheet; ``None`` when done, else the errors per field."""
    # the form posts one ``score_<code>`` per committee dimension; the service checks the codes
    scores = {
        key.removeprefix("score_"): value.strip()[:32]
        for key, value in request.POST.items()
        if key.startswith("score_") and value.strip()
    }
    try:
        # a number outside its range is refused before anything is locked or written
        clean_scores(app.cycle, scores, complete=False)
        sheet = services.sheet_save(
            actor=request.user,
            application=app,
            scores=scores,
            comment=request.POST.get("comment", "")[:5000],
        )
        if action == "submit":
            services.sheet_submit(actor=request.user, sheet=sheet)
    except DomainError as exc:
        field_errors = exc.details.get("scores") if isinstance(exc.details, dict) else None
        if field_errors:
            return {str(code): str(msg) for code, msg in field_errors.items()}
        messages.error(request, exc.message)
        return None
    if action == "submit":
        messages.success(request, _("Your sheet was submitted."))
    else:
        messages.success(request, _("Saved."))
    return None


@login_required
def sheet_page(request, pk: int):
    """The candidate dossier (statement, materials, eligibility, KPI history, training ledger,
    competency radar), the member's scoring form with each dimension's range and weight and a
    live weighted total, and the panel's progress toward quorum."""
    app = get_object_or_404(
        committee_candidates(request.user).select_related(
            "cycle", "staff", "staff__unit", "target_level", "from_level"
        ),
        pk=pk,
    )
    cycle = app.cycle
    field_errors: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in ("save", "submit"):
            field_errors = _save_scores(request, app, action) or {}
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
        if not field_errors:
            return redirect("certification:sheet", pk=app.pk)
        messages.error(request, _("Some scores are invalid."))
    panel = Panel.objects.filter(cycle=cycle, level=app.target_level).first()
    is_chair = panel is not None and panel.chair_id == request.user.pk
    sheet = ScoringSheet.objects.filter(application=app, member=request.user).first()
    dims = list(cycle.dimensions.all())
    values = {v.dimension_id: v for v in DimensionValue.objects.filter(application=app)}
    posted = request.method == "POST"
    dim_rows = []
    for d in dims:
        committee = d.source == Dimension.Source.COMMITTEE
        if committee:
            value = (
                request.POST.get(f"score_{d.code}", "")
                if posted
                else (sheet.scores.get(d.code) if sheet else None)
            )
        else:
            value = getattr(values.get(d.pk), "value", None)
        dim_rows.append(
            {
                "dim": d,
                "committee": committee,
                "value": value,
                "error": field_errors.get(d.code),
                "source_value": getattr(values.get(d.pk), "source_value", None),
                "manual": getattr(values.get(d.pk), "manual", False),
            }
        )
    submitted = sheet is not None and sheet.status == ScoringSheet.Status.SUBMITTED
    others = []
    # blind until one's own sheet is submitted, the chair included (committee.visibility)
    blind = not visibility.sees_others_of(own_sheet=sheet)
    if not blind:
        # the candidate is already known to be the member's, unconflicted
        others = list(
            ScoringSheet.objects.filter(application=app)
            .exclude(member=request.user)
            .select_related("member", "member__staff")
            .order_by("member__username")
        )
    draft_total = None
    committee_dims = [
        Dim(d.code, d.weight, d.max_score, True)
        for d in dims
        if d.source == Dimension.Source.COMMITTEE
    ]
    if sheet and sheet.scores and all(d.code in sheet.scores for d in committee_dims):
        draft_total = sheet_total({k: Decimal(v) for k, v in sheet.scores.items()}, committee_dims)
    on_date = cycle.eval_date
    progress = None
    if cycle.status == Cycle.Status.REVIEW and not blind:
        progress = dossier.candidate_progress(app, dims, values)
    ctx = {
        "app": app,
        "cycle": cycle,
        "sheet": sheet,
        "dim_rows": dim_rows,
        "committee_weight": sum((d.weight for d in committee_dims), Decimal(0)),
        "editable": cycle.status == Cycle.Status.REVIEW and not submitted,
        "others": others,
        "submitted": submitted,
        "is_chair": is_chair,
        "draft_total": draft_total,
        "materials": list(app.materials.order_by("id")),
        "evaluation": eligibility.Evaluation.from_snapshot(app.eligibility),
        "on_date": on_date,
        "kpi": dossier.kpi_history(app.staff, on_date),
        "training": dossier.training_ledger(app.staff, app.target_level, on_date),
        "competency": dossier.competency_radar(app.staff, on_date),
        "progress": progress,
        "blind": blind,
    }
    return render(request, "certification/sheet.html", ctx)
