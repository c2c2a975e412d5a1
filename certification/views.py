"""Pages: the account manager's apply flow, the committee member's queue and scoring sheet,
and the office's cycle board. Every write calls the same service as the API; a refused
action shows its reason as a message."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from core import audit
from core.errors import DomainError
from org.models import Staff
from org.roles import Role, has_role, is_office
from org.scope import staff_of

from . import eligibility, selectors, services
from .api.views import material_response
from .conflicts import committee_candidates
from .models import (
    Application,
    Cycle,
    DeclaredConflict,
    Dimension,
    DimensionValue,
    Objection,
    Panel,
    ScoringSheet,
)
from .results import cycle_results
from .scoring import Dim, sheet_total

A = Application.Status


def _run(request, fn, success: str, **kwargs) -> bool:
    try:
        fn(actor=request.user, **kwargs)
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


@login_required
def cycle_list(request):
    cycles = selectors.cycle_list(user=request.user).annotate(
        n_applications=Count("applications", filter=~Q(applications__status=A.WITHDRAWN)),
        n_candidates=Count("applications", filter=Q(applications__status=A.QUALIFIED)),
    )
    me = staff_of(request.user)
    mine = {}
    if me is not None:
        mine = {
            a.cycle_id: a for a in Application.objects.filter(staff=me).exclude(status=A.WITHDRAWN)
        }
    rows = [(c, mine.get(c.pk)) for c in cycles]
    return render(
        request,
        "certification/cycle_list.html",
        {"rows": rows, "office": is_office(request.user)},
    )


TRANSITIONS = {
    "open": (services.open_cycle, Cycle.Status.DRAFT),
    "start_qualification": (services.start_qualification, Cycle.Status.OPEN),
    "start_review": (services.start_review, Cycle.Status.QUALIFICATION),
    "publish": (services.publish, Cycle.Status.REVIEW),
    "approve": (services.approve, Cycle.Status.PUBLICITY),
    "close": (services.close, Cycle.Status.APPROVAL),
}


@login_required
def cycle_detail(request, pk: int):
    cycle = get_object_or_404(selectors.cycle_list(user=request.user), pk=pk)
    office = is_office(request.user)
    if request.method == "POST":
        return _cycle_post(request, cycle)
    ctx: dict = {"cycle": cycle, "office": office, "offers": list(cycle.offers.all())}
    ctx["dimensions"] = list(cycle.dimensions.all())
    me = staff_of(request.user)
    if me is not None:
        staff = Staff.objects.select_related("level", "track").get(pk=me.pk)
        ctx["my_application"] = (
            Application.objects.filter(cycle=cycle, staff=staff)
            .exclude(status=A.WITHDRAWN)
            .select_related("target_level")
            .first()
        )
        target = eligibility.next_level(staff)
        ctx["my_target"] = target
        if target is not None and staff.track_id == cycle.track_id:
            ctx["my_eligibility"] = eligibility.evaluate(staff, target, cycle.eval_date)
            ctx["can_apply"] = (
                ctx["my_application"] is None
                and cycle.status == Cycle.Status.OPEN
                and any(o.level_id == target.pk for o in ctx["offers"])
            )
    published = cycle.status in (
        Cycle.Status.PUBLICITY,
        Cycle.Status.APPROVAL,
        Cycle.Status.CLOSED,
    )
    if office or has_role(request.user, Role.LEADERSHIP):
        apps = (
            selectors.application_list(user=request.user)
            .filter(cycle=cycle)
            .order_by("target_level__order", "staff__employee_no")
        )
        status_filter = request.GET.get("status")
        if status_filter in A.values:
            apps = apps.filter(status=status_filter)
        ctx["applications"] = apps[:500]
        counts = dict(
            Application.objects.filter(cycle=cycle)
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        ctx["status_rows"] = [(value, label, counts.get(value, 0)) for value, label in A.choices]
        ctx["status_filter"] = status_filter or ""
        if cycle.status != Cycle.Status.DRAFT:
            ctx["results"] = cycle_results(cycle) if cycle.status != Cycle.Status.OPEN else []
        ctx["panels"] = list(
            Panel.objects.filter(cycle=cycle)
            .select_related("level", "chair")
            .annotate(n_members=Count("members"))
        )
        ctx["objections"] = list(
            Objection.objects.filter(application__cycle=cycle).select_related(
                "application__staff", "filed_by"
            )
        )
        ctx["transitions"] = [
            name for name, (_fn, state) in TRANSITIONS.items() if state == cycle.status
        ]
        ctx["history"] = audit.history(cycle)[:20]
    elif published:
        ctx["results"] = [r for r in cycle_results(cycle) if r.recommended]
    ctx["published"] = published
    ctx["can_object"] = me is not None and cycle.status == Cycle.Status.PUBLICITY
    return render(request, "certification/cycle_detail.html", ctx)


def _cycle_post(request, cycle):
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    if action == "apply":
        try:
            app = services.application_create(
                actor=request.user, cycle=cycle, statement=request.POST.get("statement", "")
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("certification:cycle-detail", pk=cycle.pk)
        return redirect("certification:application-detail", pk=app.pk)
    if action in TRANSITIONS:
        _run(request, TRANSITIONS[action][0], str(_("Done.")), cycle=cycle, reason=reason)
    elif action == "bulk":
        _bulk(request, cycle)
    elif action == "object":
        app = Application.objects.filter(
            pk=request.POST.get("application") or 0, cycle=cycle
        ).first()
        if app is None:
            raise Http404
        _run(
            request,
            services.objection_file,
            str(_("Your objection was filed.")),
            application=app,
            reason=reason,
        )
    elif action == "resolve":
        objection = get_object_or_404(
            Objection, pk=request.POST.get("objection") or 0, application__cycle=cycle
        )
        verdict = request.POST.get("verdict", "dismiss")
        _run(
            request,
            services.objection_resolve,
            str(_("The objection was resolved.")),
            objection=objection,
            upheld=verdict != "dismiss",
            outcome="reject" if verdict == "reject" else "review",
            reason=reason,
        )
    return redirect("certification:cycle-detail", pk=cycle.pk)


def _bulk(request, cycle) -> None:
    """Qualify (all four checks confirmed once for the batch), return or reject the selected
    submitted applications — each through its own service call, so each is audited."""
    op = request.POST.get("op", "")
    reason = request.POST.get("reason", "")
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit() and len(i) < 18]
    apps = list(Application.objects.filter(cycle=cycle, pk__in=ids))
    if op == "qualify" and request.POST.get("confirm") != "on":
        messages.error(request, _("Confirm the four checklist points for the selection."))
        return
    done, failed = 0, []
    for app in apps:
        try:
            if op == "qualify":
                services.qualify(
                    actor=request.user,
                    application=app,
                    eligibility_ok=True,
                    materials_complete=True,
                    facts_truthful=True,
                    procedure_regular=True,
                    reason=reason,
                )
            elif op == "return":
                services.return_application(actor=request.user, application=app, reason=reason)
            elif op == "reject":
                services.reject(actor=request.user, application=app, reason=reason)
            else:
                continue
            done += 1
        except DomainError as exc:
            failed.append(f"{app.staff.name}: {exc.message}")
    if done:
        messages.success(request, _("%(n)s application(s) done.") % {"n": done})
    for line in failed:
        messages.error(request, line)


def _visible_application(request, pk):
    return get_object_or_404(selectors.application_list(user=request.user), pk=pk)


@login_required
def application_detail(request, pk: int):
    app = _visible_application(request, pk)
    owner = staff_of(request.user) is not None and staff_of(request.user).pk == app.staff_id
    office = is_office(request.user)
    if request.method == "POST":
        return _application_post(request, app, owner)
    evaluation = eligibility.Evaluation.from_snapshot(app.eligibility)
    if (owner and app.status in Application.EDITABLE) or not app.eligibility:
        staff = Staff.objects.select_related("level").get(pk=app.staff_id)
        evaluation = eligibility.evaluate(staff, app.target_level, app.cycle.eval_date)
    ctx = {
        "app": app,
        "owner": owner,
        "office": office,
        "editable": owner and app.status in Application.EDITABLE,
        "evaluation": evaluation,
        "materials": list(app.materials.order_by("id")),
        "kinds": app.materials.model.Kind.choices,
        "timeline": list(audit.history(app).order_by("at", "id")),
        "values": list(DimensionValue.objects.filter(application=app).select_related("dimension")),
        "prefilled_dims": [
            d for d in app.cycle.dimensions.all() if d.source != Dimension.Source.COMMITTEE
        ],
        "can_score": committee_candidates(request.user).filter(pk=app.pk).exists(),
    }
    return render(request, "certification/application_detail.html", ctx)


def _application_post(request, app, owner):
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    done = str(_("Done."))
    if action == "save" and owner:
        _run(
            request,
            services.application_update,
            str(_("Saved.")),
            application=app,
            statement=request.POST.get("statement", "")[:20000],
        )
    elif action == "upload" and owner:
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a file."))
        else:
            _run(
                request,
                services.material_add,
                str(_("The file was added.")),
                application=app,
                upload=upload,
                kind=request.POST.get("kind", "other"),
                title=request.POST.get("title", "")[:200],
            )
    elif action == "submit":
        _run(request, services.submit, str(_("Your application was submitted.")), application=app)
    elif action == "withdraw":
        _run(
            request,
            services.withdraw,
            str(_("Your application was withdrawn.")),
            application=app,
            reason=reason,
        )
    elif action == "qualify":
        _run(
            request,
            services.qualify,
            done,
            application=app,
            eligibility_ok="check_eligibility" in request.POST,
            materials_complete="check_materials" in request.POST,
            facts_truthful="check_facts" in request.POST,
            procedure_regular="check_procedure" in request.POST,
            reason=reason,
        )
    elif action == "return":
        _run(request, services.return_application, done, application=app, reason=reason)
    elif action == "reject":
        _run(request, services.reject, done, application=app, reason=reason)
    elif action == "dimension":
        dim = Dimension.objects.filter(
            cycle_id=app.cycle_id, code=request.POST.get("dimension", "")
        ).first()
        try:
            value = Decimal(request.POST.get("value", ""))
        except ArithmeticError:
            value = None
        if dim is None or value is None or not value.is_finite():
            messages.error(request, _("Enter a number for a prefilled dimension."))
        else:
            _run(
                request,
                services.set_dimension_value,
                done,
                application=app,
                dimension=dim,
                value=value,
                reason=reason,
            )
    return redirect("certification:application-detail", pk=app.pk)


@login_required
def material_download(request, pk: int, material_id: int):
    app = _visible_application(request, pk)
    material = get_object_or_404(app.materials, pk=material_id)
    return material_response(material)


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
