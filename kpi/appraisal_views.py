"""Pages of the assessment cycle: my appraisal (targets, self-assessment, review and answer),
the team's appraisal status with the review form, and HR's stage board per period."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core import clock
from core.errors import DomainError
from core.roles import Role, has_role, is_office, require_office_page
from org.scope import get_visible_staff_or_404, staff_of

from . import appraisal_panels, rules, selectors, services
from .models import Period, Stage


def _period(request) -> Period | None:
    code = request.GET.get("period") or request.POST.get("period")
    if code:
        period = Period.objects.filter(code=code).first()
        if period is not None:
            return period
    return Period.objects.exclude(stage=rules.CLOSED).order_by(
        "-start"
    ).first() or selectors.current_period(today=clock.today())


def _errors(request, exc: DomainError | ValidationError) -> None:
    if isinstance(exc, ValidationError):
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.error(request, exc.message)


def _periods():
    return Period.objects.order_by("-start", "period_type")[:36]


@login_required
def appraisal_me(request):
    """The employee's appraisal of a period: their targets to acknowledge, the
    self-assessment form, the recorded review with the answer form."""
    me = staff_of(request.user)
    if me is None:
        raise PermissionDenied
    period = _period(request)
    if request.method == "POST" and period is not None:
        what = request.POST.get("action")
        try:
            if what == "acknowledge":
                services.appraisal_targets_acknowledge(actor=request.user, period=period)
                messages.success(request, _("Targets acknowledged."))
            elif what == "self":
                services.appraisal_self_save(
                    actor=request.user,
                    period=period,
                    quantitative=request.POST.get("quantitative", ""),
                    qualitative=request.POST.get("qualitative", ""),
                )
                messages.success(request, _("Self-assessment saved."))
            elif what in ("agree", "disagree"):
                services.appraisal_respond(
                    actor=request.user,
                    period=period,
                    agree=what == "agree",
                    comment=request.POST.get("comment", ""),
                )
                messages.success(request, _("Your answer is recorded."))
        except (DomainError, ValidationError) as exc:
            _errors(request, exc)
        return redirect(f"{request.path}?period={period.code}")
    appraisal = selectors.appraisal_of(staff=me, period=period) if period else None
    context = {
        "period": period,
        "periods": _periods(),
        "appraisal": appraisal,
        "panels": appraisal_panels.render(request, appraisal, editable=False),
        "targets": selectors.targets_of(staff=me, period=period) if period else [],
        "board": selectors.stage_board(period=period) if period else [],
    }
    return render(request, "kpi/appraisal_me.html", context)


def _may_see_team(user) -> None:
    if not (has_role(user, Role.MANAGER, Role.LEADERSHIP) or is_office(user)):
        raise PermissionDenied


@login_required
def appraisal_team(request):
    """The appraisal status of everyone the caller sees (a line manager: the team) for a
    period — one query for the rows."""
    _may_see_team(request.user)
    period = _period(request)
    me = staff_of(request.user)
    rows = []
    if period is not None:
        qs = selectors.appraisal_list(user=request.user).filter(period=period)
        if me is not None:
            qs = qs.exclude(staff=me)
        rows = list(qs.order_by("staff__unit__path", "staff__employee_no")[:500])
    context = {
        "period": period,
        "periods": _periods(),
        "rows": rows,
        "may_review": period is not None and period.stage == rules.FEEDBACK,
    }
    return render(request, "kpi/appraisal_team.html", context)


@login_required
def appraisal_review(request, pk: int):
    """The review form of one staff member (the line manager or HR; out of scope: 404)."""
    _may_see_team(request.user)
    staff = get_visible_staff_or_404(request.user, pk)
    period = _period(request)
    if period is None:
        raise PermissionDenied
    if request.method == "POST":
        try:
            review_date = dt.date.fromisoformat(request.POST.get("review_date", ""))
        except ValueError:
            messages.error(request, _("Enter the date of the conversation."))
        else:
            try:
                services.appraisal_review_record(
                    actor=request.user,
                    staff=staff,
                    period=period,
                    review_date=review_date,
                    summary=request.POST.get("summary", ""),
                    coaching_actions=request.POST.get("coaching_actions", ""),
                    development_goals=request.POST.get("development_goals", ""),
                )
                messages.success(
                    request, _("Review recorded; the employee is asked to acknowledge it.")
                )
                return redirect(f"{request.path}?period={period.code}")
            except (DomainError, ValidationError) as exc:
                _errors(request, exc)
    appraisal = selectors.appraisal_of(staff=staff, period=period)
    may_review = period.stage == rules.FEEDBACK
    editable = may_review and appraisal is not None and appraisal.responded_at is None
    context = {
        "staff": staff,
        "period": period,
        "appraisal": appraisal,
        "targets": selectors.targets_of(staff=staff, period=period),
        "today": clock.today(),
        "may_review": may_review,
        "panels": appraisal_panels.render(request, appraisal, editable=editable),
    }
    return render(request, "kpi/appraisal_review.html", context)


@login_required
def stages(request):
    """HR's stage board: the periods with their stages; the chosen period's five stages with
    dates and states, and the next transition (with confirmation)."""
    require_office_page(request.user)
    period = _period(request)
    if request.method == "POST" and period is not None:
        try:
            if request.POST.get("action") == "publish":
                services.period_targets_publish(actor=request.user, period=period)
                messages.success(
                    request, _("Targets published; staff are asked to acknowledge them.")
                )
            else:
                moved = services.period_stage_advance(
                    actor=request.user,
                    period=period,
                    to=request.POST.get("to", ""),
                    reason=request.POST.get("reason", ""),
                )
                messages.success(
                    request,
                    _("%(code)s is now in the stage: %(stage)s.")
                    % {"code": moved.code, "stage": Stage(moved.stage).label},
                )
        except (DomainError, ValidationError) as exc:
            _errors(request, exc)
        return redirect(f"{request.path}?period={period.code}")
    nxt = None
    if period is not None and period.stage != rules.CLOSED:
        code = rules.next_stage(period.stage)
        nxt = {"code": code, "label": Stage(code).label}
    context = {
        "period": period,
        "periods": list(_periods()),
        "board": selectors.stage_board(period=period) if period else [],
        "next": nxt,
        "counts": selectors.appraisal_counts(period=period) if period else {},
    }
    return render(request, "kpi/stages.html", context)
