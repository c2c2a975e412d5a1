"""Pages of the multi-source ratings: the rater's list of colleagues to rate, the line
manager's (or HR's) raters page of a team member — assign raters, enter client ratings — and a
staff member's result (aggregates only — peer and subordinate raters are never named)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError, ErrorCode, NotInScope
from core.roles import Role, has_role, is_office
from org.models import Staff
from org.scope import get_visible_staff_or_404, staff_of

from . import forms, rating_selectors, services
from .appraisal_views import _errors, _period, _periods
from .models import RaterAssignment, RaterType

# A refusal of the raters page shown at the field it is about (others above the form).
FIELD_OF_ERROR = {
    ErrorCode.INVALID_RATER: "rater",
    ErrorCode.DUPLICATE_RATER: "rater",
    ErrorCode.INVALID_RATER_TYPE: "rater_type",
    ErrorCode.KIND_MISMATCH: "indicator",
    ErrorCode.INVALID_SCORE: "score",
}


@login_required
def ratings(request):
    """The caller's assignments in open periods, each with its score form."""
    if request.method == "POST":
        assignment = get_object_or_404(
            RaterAssignment.objects.select_related("period"),
            pk=request.POST.get("assignment") or 0,
            rater=request.user,
        )
        try:
            services.rating_submit(
                actor=request.user,
                assignment=assignment,
                score=request.POST.get("score", ""),
                comment=request.POST.get("comment", ""),
            )
            messages.success(request, _("Rating saved."))
        except (DomainError, ValidationError) as exc:
            _errors(request, exc)
        return redirect(request.path)
    rows = list(rating_selectors.my_assignments(user=request.user))
    return render(request, "kpi/ratings.html", {"rows": rows})


@login_required
def rating_result(request, pk: int):
    """A staff member's multi-source results for a period, in the caller's scope (404)."""
    period = _period(request)
    staff, results, weights = rating_selectors.rating_result(
        user=request.user, staff_id=pk, period=period
    )
    return render(
        request,
        "kpi/rating_result.html",
        {
            "staff": staff,
            "period": period,
            "periods": _periods(),
            "results": results,
            "weights": [(RaterType(t).label, w) for t, w in weights.items()],
        },
    )


def _refused(form, exc: DomainError) -> None:
    field = FIELD_OF_ERROR.get(exc.code)
    form.add_error(field if field in form.fields else None, exc.message)


@login_required
def raters(request, pk: int):
    """A team member's multi-source indicators for a period (``?period=``): the raters
    assigned, how many have rated, the client ratings; the forms to assign a rater and to
    enter a client rating. The line manager (their team, not themselves) or HR; 404 outside
    the scope."""
    if not (has_role(request.user, Role.MANAGER) or is_office(request.user)):
        raise PermissionDenied
    staff = get_visible_staff_or_404(request.user, pk)
    me = staff_of(request.user)
    if me is not None and me.pk == staff.pk:
        raise NotInScope
    period = _period(request)
    indicators = rating_selectors.multi_source_indicators()
    by_pk = {i.pk: i for i in indicators}
    what = request.POST.get("action") if request.method == "POST" else None
    assign = forms.RaterAssignForm(
        request.POST if what == "assign" else None, indicators=indicators
    )
    client = forms.ClientRatingForm(
        request.POST if what == "client" else None, indicators=indicators
    )
    if period is not None and what == "assign" and assign.is_valid():
        data = assign.cleaned_data
        rater = (
            Staff.objects.filter(employee_no=data["rater"].strip(), user__isnull=False)
            .select_related("user")
            .first()
        )
        if rater is None:
            assign.add_error("rater", _("No staff member with a login has this employee number."))
        else:
            try:
                services.rater_assign(
                    actor=request.user,
                    period=period,
                    staff=staff,
                    indicator=by_pk[data["indicator"]],
                    rater_type=data["rater_type"],
                    rater=rater.user,
                )
            except DomainError as exc:
                _refused(assign, exc)
            else:
                messages.success(request, _("%(name)s is asked to rate.") % {"name": rater.name})
                return redirect(f"{request.path}?period={period.code}")
    if period is not None and what == "client" and client.is_valid():
        data = client.cleaned_data
        try:
            services.rating_client_enter(
                actor=request.user,
                period=period,
                staff=staff,
                indicator=by_pk[data["indicator"]],
                score=data["score"],
                comment=data["comment"],
            )
        except DomainError as exc:
            _refused(client, exc)
        else:
            messages.success(request, _("Client rating entered."))
            return redirect(f"{request.path}?period={period.code}")
    forms.style(assign)
    forms.style(client)
    board = (
        rating_selectors.rater_board(
            user=request.user, staff=staff, period=period, indicators=indicators
        )
        if period is not None
        else []
    )
    return render(
        request,
        "kpi/raters.html",
        {
            "staff": staff,
            "period": period,
            "periods": _periods(),
            "board": board,
            "assign": assign,
            "client": client,
            "anonymous": (RaterType.PEER.label, RaterType.SUBORDINATE.label),
        },
    )
