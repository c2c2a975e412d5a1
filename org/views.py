"""Pages: the ladder, the (scoped) staff list and a staff member's record."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import audit, clock, staff_file
from core.errors import DomainError
from core.roles import is_office, require_office_page

from . import selectors, services
from .models import Level, Staff, Track
from .scope import get_visible_staff_or_404, staff_of, visible_units

PAGE_SIZE = 50


@login_required
def ladder(request):
    """The career ladder of every track with each level's term and benefits."""
    tracks = Track.objects.prefetch_related("levels")
    return render(request, "org/ladder.html", {"tracks": tracks})


@login_required
def staff_list(request):
    qs = selectors.staff_list(user=request.user)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(employee_no__icontains=q))
    units = visible_units(request.user).order_by("path")
    unit_id = request.GET.get("unit")
    if unit_id:
        unit = units.filter(pk=unit_id).first() if unit_id.isdigit() else None
        if unit is not None:
            qs = qs.filter(unit__path__startswith=unit.path)
    level_id = request.GET.get("level")
    if level_id and level_id.isdigit():
        qs = qs.filter(level_id=level_id)
    status = request.GET.get("status")
    if status in Staff.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("employee_no"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": q,
        "units": units,
        "levels": Level.objects.select_related("track"),
        "statuses": Staff.Status.choices,
        "selected": {"unit": unit_id or "", "level": level_id or "", "status": status or ""},
    }
    return render(request, "org/staff_list.html", context)


@login_required
def staff_detail(request, pk: int):
    staff = get_visible_staff_or_404(request.user, pk)
    staff = Staff.objects.select_related("unit", "track", "level", "manager").get(pk=staff.pk)
    appointments = staff.appointments.select_related("level").order_by("-start", "-id")
    context = {
        "staff": staff,
        "appointments": appointments,
        "reports": staff.reports.select_related("level").order_by("employee_no")[:50],
        "history": audit.history(staff)[:20] if is_office(request.user) else None,
        "can_exit": is_office(request.user) and staff.status != Staff.Status.EXITED,
        "sections": [
            (section, render_to_string(section.template, section.context, request=request))
            for section in staff_file.sections_for(request.user, staff, today=clock.today())
        ],
    }
    return render(request, "org/staff_detail.html", context)


class StaffExitForm(forms.Form):
    exit_date = forms.DateField()
    reason = forms.CharField(max_length=500)


@login_required
@require_POST
def staff_exit(request, pk: int):
    """The office records an exit (confirmed in the browser first)."""
    require_office_page(request.user)
    staff = get_visible_staff_or_404(request.user, pk)
    form = StaffExitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the exit date and the reason."))
        return redirect("org:staff-detail", pk=staff.pk)
    try:
        services.staff_exit(actor=request.user, staff=staff, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The exit of %(name)s is recorded.") % {"name": staff.name})
    return redirect("org:staff-detail", pk=staff.pk)


@login_required
def me(request):
    own = staff_of(request.user)
    if own is None:
        raise Http404
    return redirect("org:staff-detail", pk=own.pk)
