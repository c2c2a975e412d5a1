"""Pages: the expiring-terms report (with XLSX export), review batches with per-person evidence
and outcome buttons, and the overdue list. Each calls one selector or service."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import clock
from core.downloads import Kind as DownloadKind
from core.downloads import download_record
from core.errors import DomainError
from core.roles import Role, has_role, is_office
from org.models import Level
from org.scope import visible_units

from . import conditions, exports, selectors, services
from .models import ReappointmentCase

PAGE_SIZE = 50
READERS = (Role.MANAGER, Role.HR, Role.ADMIN, Role.LEADERSHIP)
OFFICE_READERS = (Role.HR, Role.ADMIN, Role.LEADERSHIP)


def _require(user, *roles) -> None:
    if not has_role(user, *roles):
        raise PermissionDenied


def _filters(request):
    """Parse the report filters; bad values fall back to the defaults (never a 500)."""
    months = request.GET.get("months", "")
    months = int(months) if months.isdigit() else selectors.DEFAULT_MONTHS
    months = min(max(months, 1), selectors.MAX_MONTHS)
    units = visible_units(request.user).order_by("path")
    unit_id = request.GET.get("unit", "")
    unit = units.filter(pk=unit_id).first() if unit_id.isdigit() else None
    level_id = request.GET.get("level", "")
    levels = Level.objects.select_related("track").order_by("track__code", "order")
    level = levels.filter(pk=level_id).first() if level_id.isdigit() else None
    ready = request.GET.get("ready", "")
    if ready not in ("", "yes", "no"):
        ready = ""
    return {
        "months": months,
        "unit": unit,
        "level": level,
        "ready": ready,
        "units": units,
        "levels": levels,
    }


def _report_rows(request, today, f):
    qs = selectors.expiring(
        user=request.user, today=today, months=f["months"], unit=f["unit"], level=f["level"]
    )
    rows = selectors.readiness(appointments=qs, on_date=today)
    if f["ready"] == "yes":
        rows = [r for r in rows if r.evaluation.all_passed]
    elif f["ready"] == "no":
        rows = [r for r in rows if not r.evaluation.all_passed]
    return rows


@login_required
def expiring(request):
    """到期提醒: open appointments ending within N months, by unit and level, with readiness."""
    _require(request.user, *READERS)
    today = clock.today()
    f = _filters(request)
    rows = _report_rows(request, today, f)
    first, bound = selectors.window(today=today, months=f["months"])
    # By unit id, labelled with the unit's full name: department names repeat across branches.
    units: dict[int, list] = {}
    by_level: dict[str, int] = {}
    for row in rows:
        counted = units.setdefault(row.staff.unit_id, [row.staff.unit.display_path, 0])
        counted[1] += 1
        by_level[str(row.appointment.level)] = by_level.get(str(row.appointment.level), 0) + 1
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reappointment/expiring.html",
        {
            "page": page,
            "filters": f,
            "first": first,
            "last": bound - dt.timedelta(days=1),
            "bound": bound,
            "total": len(rows),
            "short": sum(1 for r in rows if not r.evaluation.all_passed),
            "by_unit": sorted(tuple(v) for v in units.values()),
            "by_level": sorted(by_level.items()),
            "query": query.urlencode(),
            "can_open": is_office(request.user),
        },
    )


@login_required
def expiring_xlsx(request):
    _require(request.user, *READERS)
    today = clock.today()
    f = _filters(request)
    rows = _report_rows(request, today, f)
    content = exports.expiring_workbook(rows, today=today, months=f["months"])
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"expiring-terms-{today}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    download_record(request=request, kind=DownloadKind.EXPORT, label=name)
    return response


@login_required
@require_POST
def review_open(request):
    if not is_office(request.user):
        raise PermissionDenied
    ids = [v for v in request.POST.getlist("appointment") if v.isdigit()]
    try:
        review = services.review_open(
            actor=request.user, appointment_ids=ids, name=request.POST.get("name", "")[:200]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("reappointment:expiring")
    messages.success(request, _("Review opened for %(n)s appointments.") % {"n": len(ids)})
    return redirect("reappointment:review-detail", pk=review.pk)


@login_required
def review_list(request):
    _require(request.user, *OFFICE_READERS)
    page = Paginator(selectors.review_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reappointment/review_list.html", {"page": page})


@login_required
def review_detail(request, pk: int):
    _require(request.user, *OFFICE_READERS)
    review = get_object_or_404(selectors.review_list(), pk=pk)
    cases = list(selectors.case_list(user=request.user).filter(review=review))
    for case in cases:
        case.evidence = conditions.Evaluation.from_snapshot(case.evaluation).evidence
    return render(
        request,
        "reappointment/review_detail.html",
        {
            "review": review,
            "cases": cases,
            "can_act": is_office(request.user),
            "default_deadline": selectors.add_months(
                day=clock.today(), months=conditions.CONDITION_MONTHS
            ),
        },
    )


ACTIONS = {
    "renew": services.review_renew,
    "renew_with_conditions": services.review_renew_with_conditions,
    "refer": services.review_refer,
}


@login_required
@require_POST
def case_decide(request, pk: int, action: str):
    case = selectors.case_list(user=request.user).filter(pk=pk).first()
    if case is None or action not in ACTIONS:
        raise Http404
    if not is_office(request.user):
        raise PermissionDenied
    kwargs = {"actor": request.user, "case": case, "reason": request.POST.get("reason", "")[:2000]}
    if action == "renew_with_conditions":
        kwargs["note"] = request.POST.get("note", "")[:2000]
        deadline = request.POST.get("deadline", "")
        if deadline:
            try:
                kwargs["deadline"] = dt.date.fromisoformat(deadline)
            except ValueError:
                messages.error(request, _("Enter a valid date."))
                return _back(case)
    try:
        case = ACTIONS[action](**kwargs)
    except DomainError as exc:
        messages.error(request, f"{case.staff}: {exc.message}")
    else:
        messages.success(
            request,
            _("%(staff)s: %(outcome)s")
            % {"staff": case.staff, "outcome": case.get_outcome_display()},
        )
    return _back(case)


def _back(case: ReappointmentCase):
    if case.review_id:
        return redirect("reappointment:review-detail", pk=case.review_id)
    return redirect("reappointment:overdue")


@login_required
def overdue(request):
    """逾期未决: terms past their end date with no decision (HR acts on them)."""
    _require(request.user, *READERS)
    today = clock.today()
    qs = selectors.overdue(user=request.user, today=today)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.readiness(appointments=page.object_list, on_date=today)
    return render(
        request,
        "reappointment/overdue.html",
        {"page": page, "rows": rows, "today": today, "can_open": is_office(request.user)},
    )
