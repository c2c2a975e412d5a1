"""Pages of the multi-source ratings: the rater's list of colleagues to rate, and a staff
member's result (aggregates only — peer and subordinate raters are never named)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError

from . import rating_selectors, services
from .appraisal_views import _errors, _period, _periods
from .models import RaterAssignment, RaterType


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
