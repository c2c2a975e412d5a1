"""My training (and a staff member's training, for their manager and HR), certificates and
packages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Window
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from core import charts, clock
from core.errors import DomainError
from core.roles import is_office, require_office_page
from org.models import Staff
from org.scope import get_visible_staff_or_404, staff_of

from .. import selectors, services
from ..api.views import certificate_file_response
from ..forms import CertificateForm, ChooseProgrammeForm, ReviewForm, UsageForm
from ..models import ExternalCertificate
from ._common import show_error

RECORDS_SHOWN = 100


@login_required
def my_training(request):
    me = staff_of(request.user)
    if me is None:
        raise Http404
    return _training_page(request, me, own=True)  # staff_of: with its level, unit and track


@login_required
def staff_training(request, pk: int):
    staff = get_visible_staff_or_404(request.user, pk)
    own = staff_of(request.user)
    staff = Staff.objects.select_related("level", "unit", "track").get(pk=staff.pk)
    return _training_page(request, staff, own=own is not None and own.pk == staff.pk)


def _training_page(request, staff: Staff, *, own: bool):
    today = clock.today()
    summary = selectors.training_summary(staff=staff, on_date=today)
    # the first RECORDS_SHOWN records, each carrying the total count (one query, a window)
    records = list(
        selectors.records_by_staff(staff=staff).annotate(total=Window(Count("id")))[:RECORDS_SHOWN]
    )
    context = {
        "staff": staff,
        "own": own,
        "today": today,
        "summary": summary,
        "records": records,
        "records_total": records[0].total if records else 0,
        "credits_chart": _month_chart(selectors.credits_by_month(staff=staff, on_date=today)),
        "recommendations": selectors.recommended_courses(staff=staff),
        "enrolments": staff.enrolments.select_related("session", "session__course").order_by(
            "-session__start"
        )[:20],
        "certificates": staff.training_certificates.select_related("course").order_by(
            "-submitted_at"
        )[:20],
        "packages": selectors.package_list(user=request.user)
        .filter(staff=staff)
        .prefetch_related("usages"),
        "choose_form": ChooseProgrammeForm(),
        "usage_form": UsageForm(initial={"date": today}),
        "is_office": is_office(request.user),
    }
    return render(request, "training/my_training.html", context)


def _month_chart(months) -> str:
    """The monthly credits as bars (``core.charts``), the credits written on each bar."""
    if not months:
        return ""
    bars = [
        charts.Bar(
            label=str(month.month),
            value=credits,
            hint=f"{month:%Y-%m}: {charts.fmt(credits, 'decimal')}",
        )
        for month, credits in months
    ]
    svg = charts.bar_chart(bars, title=_("Credits per month"), unit="decimal", height=170)
    return mark_safe(svg)  # noqa: S308 - built from escaped parts in core.charts


# --- certificates ---------------------------------------------------------------------------


@login_required
def certificate_list(request):
    """HR: certificates waiting for verification and recent decisions; others: their own
    (and their team's, for a manager)."""
    qs = selectors.certificate_list(user=request.user)
    status = request.GET.get("status", "")
    if status in ExternalCertificate.Status.values:
        qs = qs.filter(status=status)
    today = clock.today()
    validity = request.GET.get("validity", "")
    if validity in selectors.CERTIFICATE_VALIDITY:
        qs = selectors.filter_certificates_by_validity(qs=qs, validity=validity, today=today)
        order = ("expires_on", "staff__employee_no") if validity == "expiring" else ("-expires_on",)
    else:
        validity = ""
        order = ("-submitted_at",)
    context = {
        "certificates": qs.order_by(*order, "-id")[:200],
        "status": status,
        "statuses": ExternalCertificate.Status.choices,
        "validity": validity,
        "validities": [
            ("expiring", _("Expiring within %(n)s days") % {"n": selectors.EXPIRING_WITHIN_DAYS}),
            ("expired", pgettext("certificate", "Expired")),
            ("valid", pgettext("certificate", "Valid")),
        ],
        "today": today,
        "review_form": ReviewForm(),
        "is_office": is_office(request.user),
    }
    return render(request, "training/certificate_list.html", context)


@login_required
def certificate_new(request):
    me = staff_of(request.user)
    if me is None:
        raise Http404
    form = CertificateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_submit(actor=request.user, staff=me, **form.cleaned_data)
        except DomainError as exc:
            form.add_error("file" if exc.code.startswith("file") else None, exc.message)
        else:
            messages.success(request, _("Certificate submitted; the office will verify it."))
            return redirect("training:my")
    return render(request, "training/certificate_form.html", {"form": form})


@login_required
def certificate_file(request, pk: int):
    cert = get_object_or_404(selectors.certificate_list(user=request.user), pk=pk)
    return certificate_file_response(request, cert)


@login_required
@require_POST
def certificate_review(request, pk: int):
    require_office_page(request.user)
    cert = get_object_or_404(selectors.certificate_list(user=request.user), pk=pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "verify":
                services.certificate_verify(
                    actor=request.user,
                    certificate=cert,
                    credits=data.get("credits"),
                    reason=data.get("reason", ""),
                    expires_on=data.get("expires_on"),
                )
                messages.success(request, _("Certificate verified; the record is in the ledger."))
            else:
                services.certificate_reject(
                    actor=request.user, certificate=cert, reason=data.get("reason", "")
                )
                messages.success(request, _("Certificate rejected."))
        except DomainError as exc:
            show_error(request, exc)
    return redirect("training:certificates")


# --- packages ---------------------------------------------------------------------------------


@login_required
@require_POST
def package_choose(request, pk: int):
    package = get_object_or_404(selectors.package_list(user=request.user), pk=pk)
    form = ChooseProgrammeForm(request.POST)
    if form.is_valid():
        try:
            services.package_choose(
                actor=request.user,
                package=package,
                programme=form.cleaned_data["programme"],
                course=form.cleaned_data["course"],
            )
            messages.success(request, _("Programme chosen."))
        except DomainError as exc:
            show_error(request, exc)
    return redirect("training:staff", pk=package.staff_id)


@login_required
@require_POST
def package_use(request, pk: int):
    require_office_page(request.user)
    package = get_object_or_404(selectors.package_list(user=request.user), pk=pk)
    form = UsageForm(request.POST)
    if form.is_valid():
        try:
            services.package_use(actor=request.user, package=package, **form.cleaned_data)
            messages.success(request, _("Use recorded."))
        except DomainError as exc:
            show_error(request, exc)
    else:
        messages.error(request, _("Check the amount, date and description."))
    return redirect("training:staff", pk=package.staff_id)
