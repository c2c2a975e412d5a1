"""An application's page: the owner edits, uploads and submits; the office qualifies, returns,
rejects and sets prefilled dimension values; everyone in scope reads the timeline."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from core import audit
from core.errors import DomainError
from core.roles import is_office
from org.models import Staff
from org.scope import staff_of

from .. import eligibility, selectors, services, timeline
from ..api.views import material_response
from ..conflicts import committee_candidates
from ..models import (
    Application,
    Dimension,
    DimensionValue,
    ScoringSheet,
)
from .common import _run


def _visible_application(request, pk):
    return get_object_or_404(selectors.application_list(user=request.user), pk=pk)


@login_required
def application_detail(request, pk: int):
    app = _visible_application(request, pk)
    owner = staff_of(request.user) is not None and staff_of(request.user).pk == app.staff_id
    office = is_office(request.user)
    errors: dict = {}
    if request.method == "POST":
        errors = _owner_field_errors(request, app, owner)
        if not errors:
            return _application_post(request, app, owner)
        app = _visible_application(request, pk)  # as stored: the refused change is not kept
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
        "steps": timeline.build(app),
        "values": list(DimensionValue.objects.filter(application=app).select_related("dimension")),
        "prefilled_dims": [
            d for d in app.cycle.dimensions.all() if d.source != Dimension.Source.COMMITTEE
        ],
        "can_score": committee_candidates(request.user).filter(pk=app.pk).exists(),
        "sees_override": selectors.sees_all(user=request.user),
        "shows_result": selectors.sees_result(
            user=request.user,
            application=app,
            own_sheet=ScoringSheet.objects.filter(application=app, member=request.user).first(),
            oversees=selectors.sees_all(user=request.user),
        ),
        "errors": errors,
        "posted": request.POST if errors else {},
        "defence": selectors.defence_list(user=request.user)
        .filter(application=app, cancelled_at__isnull=True)
        .first(),
    }
    return render(request, "certification/application_detail.html", ctx)


def _owner_field_errors(request, app, owner) -> dict:
    """The applicant's upload and submit, checked before the service runs so that a refusal
    shows next to its field: the file (type, size, content) and the statement (required)."""
    if not owner or app.status not in Application.EDITABLE:
        return {}
    action = request.POST.get("action", "")
    if action == "upload":
        upload = request.FILES.get("file")
        if upload is None:
            return {"file": _("Choose a file.")}
        try:
            services.material_check(upload=upload)
        except DomainError as exc:
            return {"file": exc.message}
    if action == "submit" and not app.statement.strip():
        return {"statement": _("Write a statement before submitting.")}
    return {}


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
        _run(
            request,
            services.application_submit,
            str(_("Your application was submitted.")),
            application=app,
        )
    elif action == "withdraw":
        _run(
            request,
            services.application_withdraw,
            str(_("Your application was withdrawn.")),
            application=app,
            reason=reason,
        )
    elif action == "qualify":
        _run(
            request,
            services.application_qualify,
            done,
            application=app,
            eligibility_ok="check_eligibility" in request.POST,
            materials_complete="check_materials" in request.POST,
            facts_truthful="check_facts" in request.POST,
            procedure_regular="check_procedure" in request.POST,
            reason=reason,
        )
    elif action == "return":
        _run(request, services.application_return, done, application=app, reason=reason)
    elif action == "reject":
        _run(request, services.application_reject, done, application=app, reason=reason)
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
                services.dimension_value_set,
                done,
                application=app,
                dimension=dim,
                value=value,
                reason=reason,
            )
    return redirect("certification:application-detail", pk=app.pk)


@login_required
@xframe_options_sameorigin
def material_download(request, pk: int, material_id: int):
    """The file as an attachment; ``?inline=1`` previews a PDF or image in place (the
    committee dossier's viewer frames it, same origin only)."""
    app = _visible_application(request, pk)
    material = get_object_or_404(app.materials, pk=material_id)
    return material_response(request, material, inline=request.GET.get("inline") == "1")
