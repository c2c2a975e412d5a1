"""KPI pages: my KPI (with the year's trend as inline SVG), a staff member's KPI (scoped), the
team table, the line manager's rating form and HR's import page with the error table."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from core import clock
from core.errors import DomainError, ImportRejected
from core.listing import Listing
from core.roles import Role, has_role, is_office
from core.xlsx import Column, write_table, xlsx_response
from org.filters import unit_filter
from org.scope import get_visible_staff_or_404, sees_everyone, staff_of, visible_staff

from . import charts, exports, imports, scoring, selectors, services
from .forms import ImportForm
from .models import Actual, AnnualScore, ImportBatch, Indicator, Period


def _period_from(request, today):
    code = request.GET.get("period")
    if code:
        period = Period.objects.filter(code=code).first()
        if period is not None:
            return period
    return selectors.current_period(today=today)


def _kpi_page(request, staff, *, own: bool):
    today = clock.today()
    period = _period_from(request, today)
    year = period.year if period else today.year
    data = selectors.staff_kpi(staff=staff, period=period, year=year)
    trend = [(code, total) for code, _start, total in data["trend"]]
    context = {
        **data,
        "staff": staff,
        "own": own,
        "period": period,
        "year": year,
        "periods": Period.objects.filter(period_type="month").order_by("-start")[:36],
        "chart": mark_safe(  # noqa: S308 - built from escaped parts in kpi.charts
            charts.trend_svg(trend, title=_("KPI trend %(year)s") % {"year": year})
        )
        if trend
        else "",
    }
    return render(request, "kpi/staff_kpi.html", context)


@login_required
def my_kpi(request):
    me = staff_of(request.user)
    if me is None:
        raise Http404
    return _kpi_page(request, me, own=True)


@login_required
def staff_kpi(request, pk: int):
    staff = get_visible_staff_or_404(request.user, pk)
    return _kpi_page(request, staff, own=False)


def _require_team_view(request):
    if not (sees_everyone(request.user) or has_role(request.user, Role.MANAGER)):
        raise PermissionDenied


TEAM_SORTS = {
    "employee_no": ("employee_no",),
    "name": ("name", "employee_no"),
    "unit": ("unit__path", "employee_no"),
    "level": ("level__order", "employee_no"),
    "total": ("period_total", "employee_no"),
    "annual": ("annual_score", "employee_no"),
    "grade": ("annual_grade", "-annual_score", "employee_no"),
}


def _team_filtered(request):
    """The team table's rows with the reader's filters: the period (for its score column),
    search, org unit (with its sub-units) and grade."""
    _require_team_view(request)
    today = clock.today()
    period = _period_from(request, today)
    year = period.year if period else today.year
    staff_qs = visible_staff(request.user)
    me = staff_of(request.user)
    if me is not None and not sees_everyone(request.user):
        staff_qs = staff_qs.exclude(pk=me.pk)
    team_qs = staff_qs  # the whole team, before the search: what the grade chart shows
    q = (request.GET.get("q") or "").strip()
    if q:
        staff_qs = staff_qs.filter(
            Q(name__icontains=q) | Q(employee_no__icontains=q) | Q(name_initials__istartswith=q)
        )
    units = unit_filter(request)
    staff_qs = units.apply(staff_qs)
    qs = selectors.team_scores(staff_qs=staff_qs, period=period, year=year)
    grade = request.GET.get("grade", "")
    if grade in AnnualScore.Grade.values:
        qs = qs.filter(annual_grade=grade)
    elif grade == "none":
        qs = qs.filter(annual_grade__isnull=True)
    else:
        grade = ""
    filters = {"q": q, "units": units, "grade": grade, "team_qs": team_qs}
    return qs, period, year, filters


@login_required
def team(request):
    qs, period, year, filters = _team_filtered(request)
    listing = Listing(request, qs, sorts=TEAM_SORTS, default="unit")
    dist = selectors.grade_distribution(staff_qs=filters.pop("team_qs"), year=year)
    context = {
        **filters,
        "dist": dist,
        "grade_chart": mark_safe(charts.grades_svg(dist)) if dist.total else "",  # noqa: S308
        "listing": listing,
        "page": listing.page,
        "period": period,
        "year": year,
        "grades": AnnualScore.Grade.choices,
        "periods": Period.objects.filter(period_type="month").order_by("-start")[:36],
        "can_rate": has_role(request.user, Role.MANAGER) or is_office(request.user),
    }
    return render(request, "kpi/team.html", context)


@login_required
def team_export(request):
    """The team table as filtered and sorted on the page, every page, as XLSX."""
    qs, period, year, _filters = _team_filtered(request)
    listing = Listing(request, qs, sorts=TEAM_SORTS, default="unit")
    code = period.code if period else "—"
    columns = [
        Column(_("Employee number"), 14),
        Column(pgettext("person", "Name"), 12),
        Column(_("Org unit"), 28),
        Column(_("Level"), 8),
        Column(_("Score %(code)s") % {"code": code}, 14, "score"),
        Column(_("Annual %(year)s") % {"year": year}, 12, "score"),
        Column(_("Grade"), 8),
        Column(_("Grade by thresholds"), 12),
    ]
    rows = (
        (
            s.employee_no,
            s.name,
            s.unit.display_path,
            s.level.code if s.level else "",
            s.period_total,
            s.annual_score,
            s.annual_grade or "",
            s.threshold_grade or "",
        )
        for s in listing.queryset.iterator(chunk_size=2000)
    )
    name = f"team-kpi-{code}-{clock.today():%Y%m%d}.xlsx"
    book = write_table(title=_("Team KPI"), columns=columns, rows=rows)
    return xlsx_response(request, file=book, filename=name)


@login_required
def rate(request):
    """The line manager's qualitative ratings (综合评价) of the team for one open period."""
    if not (has_role(request.user, Role.MANAGER) or is_office(request.user)):
        raise PermissionDenied
    today = clock.today()
    period = _period_from(request, today)
    indicators = list(
        Indicator.objects.filter(kind=Indicator.Kind.QUALITATIVE, active=True).exclude(
            method=scoring.SOURCES
        )
    )
    me = staff_of(request.user)
    team_qs = visible_staff(request.user)
    if me is not None:
        team_qs = team_qs.exclude(pk=me.pk)  # nobody rates themselves
    team_list = list(team_qs.order_by("employee_no")[:200])
    existing = {}
    if period is not None:
        existing = {
            (a.staff_id, a.indicator_id): a.grade
            for a in Actual.objects.filter(
                period=period, staff__in=team_qs, indicator__in=indicators
            )
        }
    if request.method == "POST" and period is not None:
        saved, problems = 0, []
        by_pk = {s.pk: s for s in team_list}
        for key, grade in request.POST.items():
            if not key.startswith("g-") or not grade:
                continue
            try:
                staff_pk, ind_pk = (int(x) for x in key[2:].split("-"))
            except ValueError:
                continue
            indicator = next((i for i in indicators if i.pk == ind_pk), None)
            staff = by_pk.get(staff_pk)
            if staff is None or indicator is None or existing.get((staff_pk, ind_pk)) == grade:
                continue
            try:
                services.actual_enter(
                    actor=request.user,
                    staff=staff,
                    indicator=indicator,
                    period=period,
                    value=grade,
                )
                saved += 1
            except (DomainError, ValidationError, Http404) as exc:
                problems.append(f"{staff.name}: {getattr(exc, 'message', exc)}")
        if problems:
            messages.error(request, "; ".join(problems))
        messages.success(request, _("%(n)s ratings saved.") % {"n": saved})
        return redirect(f"{request.path}?period={period.code}")
    rows = [
        {
            "staff": s,
            "cells": [
                {"name": f"g-{s.pk}-{i.pk}", "value": existing.get((s.pk, i.pk), "")}
                for i in indicators
            ],
        }
        for s in team_list
    ]
    context = {
        "period": period,
        "indicators": indicators,
        "rows": rows,
        "grades": ["A", "B", "C", "D", "E"],
        "periods": Period.objects.filter(period_type="month").order_by("-start")[:36],
    }
    return render(request, "kpi/rate.html", context)


@login_required
def import_template(request, fmt: str):
    """The import template: the header row in the reader's language (both are accepted), and
    in the workbook a second sheet listing the active indicators' codes."""
    if not is_office(request.user):
        raise PermissionDenied
    chinese = (get_language() or "").startswith("zh")
    header = list(imports.CHINESE_HEADER if chinese else imports.COLUMNS)
    if fmt == "csv":
        response = HttpResponse(
            ("\ufeff" + ",".join(header) + "\r\n").encode(), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exports.import_template_workbook(header=header, indicators=_active_indicators()),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="kpi-actuals-template.{fmt}"'
    return response


def _active_indicators():
    return list(Indicator.objects.filter(active=True).order_by("code"))


@login_required
def import_page(request):
    if not is_office(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = imports.import_actuals(
                actor=request.user, fileobj=upload, filename=upload.name or ""
            )
        except ImportRejected as exc:
            errors = exc.errors
            messages.error(
                request,
                _("The file was rejected: %(n)s problems; nothing was imported.")
                % {"n": len(errors)},
            )
        else:
            messages.success(request, result.summary())
            return redirect("kpi:import")
    context = {
        "form": form,
        "errors": errors,
        "columns": imports.COLUMNS,
        "recent": ImportBatch.objects.select_related("imported_by")[:10],
        "open_periods": Period.objects.filter(status=Period.Status.OPEN).order_by("-start")[:12],
        "indicators": _active_indicators(),
    }
    return render(request, "kpi/import.html", context)
