"""Pages of the pay app: the office's runs and policies (the leadership reads and approves),
and the employee's own pay explained line by line."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core import clock
from core.errors import DomainError
from core.roles import Role, has_role, is_office, require_office_page
from org.models import Level

from . import selectors, services
from .api.views import payroll_response
from .explain import explain
from .models import PayRun

PAGE_SIZE = 50


def _require_viewer(user) -> None:
    if not selectors.sees_all_pay(user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def run_list(request):
    """The pay runs; the office opens a year's run."""
    _require_viewer(request.user)
    if request.method == "POST":
        require_office_page(request.user)
        try:
            run = services.run_create(actor=request.user, year=int(request.POST.get("year", "")))
        except (ValueError, DomainError) as exc:
            messages.error(request, getattr(exc, "message", _("Give a year.")))
        else:
            return redirect("pay:run-detail", pk=run.pk)
    return render(
        request,
        "pay/run_list.html",
        {
            "runs": selectors.run_list(user=request.user),
            "can_run": is_office(request.user),
            "last_year": clock.today().year - 1,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def run_detail(request, pk: int):
    _require_viewer(request.user)
    run = get_object_or_404(selectors.run_list(user=request.user), pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "compute":
                services.run_compute(actor=request.user, run=run)
                messages.success(request, _("The pay is computed."))
            elif request.POST.get("action") == "approve":
                services.run_approve(
                    actor=request.user, run=run, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("The pay is approved."))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("pay:run-detail", pk=run.pk)
    lines = Paginator(selectors.line_list(user=request.user, run=run), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "pay/run_detail.html",
        {
            "run": run,
            "lines": lines,
            "months": range(1, 13),
            "can_compute": is_office(request.user) and run.status != PayRun.Status.APPROVED,
            "can_approve": has_role(request.user, Role.LEADERSHIP)
            and run.status == PayRun.Status.COMPUTED,
        },
    )


@login_required
def payroll(request, pk: int, kind: str):
    _require_viewer(request.user)
    if kind not in ("xlsx", "csv"):
        raise Http404
    run = get_object_or_404(selectors.run_list(user=request.user), pk=pk)
    month = request.GET.get("month")
    month = int(month) if month and month.isdigit() and 1 <= int(month) <= 12 else None
    return payroll_response(request, run, month=month, kind=kind)


@login_required
@require_http_methods(["GET", "POST"])
def policies(request):
    """The pay policies of a year: per level the monthly base, the level's allowance and the
    performance-pay base; the coefficients and the deferral rule. The office edits."""
    _require_viewer(request.user)
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or clock.today().year - 1)
    except ValueError:
        year = clock.today().year - 1
    if request.method == "POST":
        require_office_page(request.user)
        try:
            _policies_post(request, year)
        except (DomainError, InvalidOperation, ValueError, Level.DoesNotExist) as exc:
            messages.error(request, getattr(exc, "message", _("Give amounts as numbers.")))
        else:
            messages.success(request, _("Saved."))
        return redirect(f"{request.path}?year={year}")
    levels = Level.objects.select_related("track").order_by("track__code", "order")
    by_level = {p.level_id: p for p in selectors.policy_list(user=request.user).filter(year=year)}
    rows = [(level, by_level.get(level.pk)) for level in levels]
    return render(
        request,
        "pay/policies.html",
        {
            "year": year,
            "rows": rows,
            "coefficients": selectors.coefficient_list(user=request.user).filter(year=year),
            "deferral": selectors.deferral_list(user=request.user).filter(year=year).first(),
            "can_edit": is_office(request.user),
        },
    )


def _policies_post(request, year: int) -> None:
    what = request.POST.get("what")
    if what == "policy":
        services.policy_set(
            actor=request.user,
            level=Level.objects.get(pk=request.POST.get("level")),
            year=year,
            monthly_base=Decimal(request.POST.get("monthly_base", "")),
            performance_base=Decimal(request.POST.get("performance_base", "")),
        )
    elif what == "coefficients":
        services.coefficients_set(
            actor=request.user,
            year=year,
            coefficients={g: Decimal(request.POST.get(f"grade_{g}", "")) for g in services.GRADES},
        )
    elif what == "deferral":
        services.deferral_set(
            actor=request.user,
            year=year,
            share_pct=Decimal(request.POST.get("share_pct", "")),
            years=int(request.POST.get("years", "")),
        )


@login_required
def mine(request):
    """The employee's own pay of each approved year, explained line by line."""
    lines = selectors.line_list(user=request.user).filter(
        run__status=PayRun.Status.APPROVED, staff__user=request.user
    )
    return render(
        request,
        "pay/mine.html",
        {"lines": [(line, explain(line, shown=True)) for line in lines[:10]]},
    )
