"""HR's calibration page of the year's grade quotas (docs/kpi.md, "Quota allocation")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core import clock
from core.errors import DomainError
from core.roles import require_office_page

from . import selectors, services
from .models import AnnualScore, QuotaAllocation


def _year(request) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    return int(raw) if raw.isdigit() else clock.today().year


@login_required
def calibration(request):
    """Per unit: the formula's numbers, ceilings, grades before and after the quota, who moved
    and why; a form to raise or swap grades within the unit's quota with a reason."""
    require_office_page(request.user)
    year = _year(request)
    if request.method == "POST":
        allocation = QuotaAllocation.objects.filter(year=year).first()
        numbers = {
            request.POST.get("raise_no", "").strip(): request.POST.get("raise_grade", ""),
            request.POST.get("lower_no", "").strip(): request.POST.get("lower_grade", ""),
        }
        numbers.pop("", None)
        staff_ids = dict(
            AnnualScore.objects.filter(year=year, staff__employee_no__in=list(numbers)).values_list(
                "staff__employee_no", "staff_id"
            )
        )
        try:
            if allocation is None or set(staff_ids) != set(numbers):
                raise ValidationError(_("Everyone calibrated needs an annual score of the year."))
            services.grades_calibrate(
                actor=request.user,
                allocation=allocation,
                changes={staff_ids[no]: grade for no, grade in numbers.items()},
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("Grades calibrated."))
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(f"{request.path}?year={year}")
    context = {
        "year": year,
        "view": selectors.calibration(year=year),
        "grades": "ABCDE",
    }
    return render(request, "kpi/calibration.html", context)
