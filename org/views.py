"""Pages: the ladder, the (scoped) staff list and a staff member's record."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from core import audit, clock, staff_file
from core.errors import DomainError, NotInScope
from core.listing import Listing
from core.roles import is_office, require_office_page
from core.xlsx import Column, write_table, xlsx_response

from . import selectors, services
from .filters import unit_filter
from .models import Level, Staff, Track
from .scope import get_visible_staff_or_404, staff_of, visible_staff


@login_required
def ladder(request):
    """The career ladder of every track with each level's term and benefits."""
    tracks = Track.objects.prefetch_related("levels")
    return render(request, "org/ladder.html", {"tracks": tracks})


STAFF_SORTS = {
    "employee_no": ("employee_no",),
    "name": ("name", "employee_no"),
    "unit": ("unit__path", "employee_no"),
    "level": ("level__order", "level__track__code", "employee_no"),
    "manager": ("manager__name", "employee_no"),
    "since": ("level_since", "employee_no"),
    "status": ("status", "employee_no"),
}


def _staff_filtered(request):
    """The scoped staff list with the reader's filters (search, unit subtree, level, status)."""
    qs = selectors.staff_list(user=request.user)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(employee_no__icontains=q) | Q(name_initials__istartswith=q)
        )
    units = unit_filter(request)
    qs = units.apply(qs)
    level_id = request.GET.get("level", "")
    if level_id.isdigit():
        qs = qs.filter(level_id=level_id)
    status = request.GET.get("status", "")
    if status in Staff.Status.values:
        qs = qs.filter(status=status)
    selected = {"level": level_id, "status": status}
    return qs, q, units, selected


@login_required
def staff_list(request):
    qs, q, units, selected = _staff_filtered(request)
    listing = Listing(request, qs, sorts=STAFF_SORTS, default="employee_no")
    context = {
        "listing": listing,
        "page": listing.page,
        "q": q,
        "units": units,
        "levels": Level.objects.select_related("track"),
        "statuses": Staff.Status.choices,
        "selected": selected,
    }
    return render(request, "org/staff_list.html", context)


@login_required
def staff_export(request):
    """The staff list as filtered and sorted on the page, every page, as XLSX."""
    qs, _q, _units, _selected = _staff_filtered(request)
    listing = Listing(request, qs, sorts=STAFF_SORTS, default="employee_no")
    statuses = dict(Staff.Status.choices)
    rows = (
        (
            s.employee_no,
            s.name,
            s.unit.display_path,
            str(s.level) if s.level else "",
            s.manager.name if s.manager else "",
            s.level_since,
            str(statuses.get(s.status, s.status)),
        )
        for s in listing.queryset.select_related("level__track").iterator(chunk_size=2000)
    )
    columns = [
        Column(_("Employee number"), 14),
        Column(pgettext("person", "Name"), 12),
        Column(_("Org unit"), 28),
        Column(_("Level"), 22),
        Column(_("Line manager"), 12),
        Column(_("At level since"), 14),
        Column(_("Status"), 10),
    ]
    name = f"staff-{clock.today():%Y%m%d}.xlsx"
    return xlsx_response(
        request, file=write_table(title=_("Staff"), columns=columns, rows=rows), filename=name
    )


@login_required
def staff_detail(request, pk: int):
    try:  # in scope and with what the page shows of it, one query
        staff = (
            visible_staff(request.user)
            .select_related("unit", "track", "level", "manager")
            .get(pk=pk)
        )
    except Staff.DoesNotExist as exc:
        raise NotInScope from exc
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
