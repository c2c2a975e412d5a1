"""Mentoring and job rotation (篇3): the scoped list and, for HR, the form that records one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.roles import is_office, require_office_page
from org.scope import visible_staff, visible_units

from .. import selectors, services
from ..forms import ActivityForm

SHOWN = 200


@login_required
def activity_list(request):
    office = is_office(request.user)
    units = visible_units(request.user)
    form = ActivityForm(units=units) if office else None
    if request.method == "POST":
        require_office_page(request.user)
        form = ActivityForm(request.POST, units=units)
        if form.is_valid() and _record(request, form):
            return redirect("training:activities")
    activities = selectors.activity_list(user=request.user)
    kind = request.GET.get("kind", "")
    if kind in ("mentoring", "rotation"):
        activities = activities.filter(kind=kind)
    context = {
        "activities": activities.order_by("-end", "-id")[:SHOWN],
        "form": form,
        "kind": kind,
        "is_office": office,
    }
    return render(request, "training/activity_list.html", context)


def _record(request, form: ActivityForm) -> bool:
    data = form.cleaned_data
    people = visible_staff(request.user)
    staff = people.filter(employee_no=data["employee_no"].strip()).first()
    if staff is None:
        form.add_error("employee_no", _("No staff member with this employee number."))
        return False
    mentor = None
    if data["mentor_no"].strip():
        mentor = people.filter(employee_no=data["mentor_no"].strip()).first()
        if mentor is None:
            form.add_error("mentor_no", _("No staff member with this employee number."))
            return False
    try:
        activity = services.activity_record(
            actor=request.user,
            kind=data["kind"],
            staff=staff,
            mentor=mentor,
            host_unit=data["host_unit"],
            start=data["start"],
            end=data["end"],
            hours=data["hours"],
            goals=data["goals"],
        )
    except DomainError as exc:
        form.add_error(None, exc.message)
        return False
    messages.success(
        request,
        _("Recorded: %(credits)s credits for %(name)s.")
        % {"credits": activity.record.credits, "name": staff.name},
    )
    return True
