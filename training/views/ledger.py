"""The training ledger (培训台账): the scoped list with filters, the XLSX export and — for HR —
the import with its error table."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, Sum
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core import clock
from core.errors import ImportRejected
from core.listing import Listing
from core.roles import is_office, require_office_page
from core.xlsx import xlsx_response
from org.scope import visible_units

from .. import exports, imports, selectors
from ..forms import ImportForm, LedgerFilterForm
from ..models import RecordImport


def _filtered(request):
    form = LedgerFilterForm(request.GET or None, units=visible_units(request.user))
    qs = selectors.record_list(user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        qs = selectors.filter_records(
            qs=qs,
            unit=data.get("unit"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            course=data.get("course"),
        )
        if data.get("q"):
            qs = qs.filter(
                Q(staff__name__icontains=data["q"]) | Q(staff__employee_no__icontains=data["q"])
            )
    elif form.is_bound:
        qs = qs.none()
    return form, qs


LEDGER_SORTS = {
    "date": ("date",),
    "employee_no": ("staff__employee_no", "-date"),
    "name": ("staff__name", "staff__employee_no", "-date"),
    "unit": ("staff__unit__path", "staff__employee_no", "-date"),
    "course": ("course__code", "title", "-date"),
    "hours": ("hours", "-date"),
    "credits": ("credits", "-date"),
    "result": ("result", "-date"),
    "source": ("source", "-date"),
}


@login_required
def record_list(request):
    form, qs = _filtered(request)
    totals = qs.aggregate(credits=Sum("credits"), hours=Sum("hours"))
    listing = Listing(request, qs, sorts=LEDGER_SORTS, default="-date")
    context = {
        "form": form,
        "listing": listing,
        "page": listing.page,
        "totals": totals,
        "is_office": is_office(request.user),
        "today": clock.today(),
    }
    return render(request, "training/record_list.html", context)


@login_required
def record_export(request):
    """The ledger as filtered and sorted on the page, every page."""
    _form, qs = _filtered(request)
    listing = Listing(request, qs, sorts=LEDGER_SORTS, default="-date")
    name = exports.filename(clock.today())
    return xlsx_response(
        request, file=exports.write_ledger(listing.queryset, keep_order=True), filename=name
    )


@login_required
def record_import(request):
    require_office_page(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = imports.import_records(
                actor=request.user,
                content=upload.read(),
                filename=upload.name or "",
                today=clock.today(),
            )
        except ImportRejected as exc:
            errors = exc.errors
            messages.error(
                request,
                _("The file was rejected: %(n)s problems; nothing was imported.")
                % {"n": len(errors)},
            )
        else:
            messages.success(
                request,
                _("Imported: %(created)s new records, %(updated)s updated.")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect("training:import")
    context = {
        "form": form,
        "errors": errors,
        "columns": imports.COLUMNS,
        "recent": RecordImport.objects.select_related("imported_by")[:10],
    }
    return render(request, "training/import.html", context)
