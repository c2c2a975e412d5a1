"""The payroll of a pay run (docs/pay.md, "Payroll"): the year (every figure of every line,
with the deferred instalments of earlier years paid this year) or one month (base pay and
level allowance of that month), as XLSX or CSV. Every user string is neutralised against
formula injection (``core.xlsx``); in the workbook the money columns are numbers formatted
¥#,##0.00 and the months a whole count (``core.xlsx.Column.unit``)."""

from __future__ import annotations

import csv
import io

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.xlsx import Column, neutralise, write_table

from .models import PayRun
from .rules import money
from .selectors import instalments_due


def year_rows(run: PayRun, lines) -> tuple[list[Column], list[list]]:
    due = dict(
        instalments_due(year=run.year)
        .values("line__staff_id")
        .annotate(total=Sum("amount"))
        .values_list("line__staff_id", "total")
    )
    header = [
        Column(_("Employee number"), 14),
        Column(pgettext("person", "Name"), 12),
        Column(_("Org unit"), 28),
        Column(_("Level"), 8),
        Column(_("Grade"), 8),
        Column(_("Months"), 8, "count"),
        *(
            Column(title, 14, "money")
            for title in (
                _("Base pay"),
                _("Level allowance"),
                _("Performance pay"),
                _("Deferred"),
                _("Performance pay now"),
                _("Deferred instalments due"),
                _("Total paid"),
            )
        ),
    ]
    rows = []
    for line in lines:
        instalments = money(due.get(line.staff_id) or 0)
        rows.append(
            [
                line.staff.employee_no,
                line.staff.name,
                line.unit.display_path,
                line.level.code,
                line.grade,
                line.months,
                line.base_pay,
                line.allowance_pay,
                line.performance_pay,
                line.deferred,
                line.paid_now,
                instalments,
                line.year_total + instalments,
            ]
        )
    return header, rows


def month_rows(run: PayRun, lines, month: int) -> tuple[list[Column], list[list]]:
    """Who is paid in ``month`` (hired by then) and their monthly base pay and allowance."""
    header = [
        Column(_("Employee number"), 14),
        Column(pgettext("person", "Name"), 12),
        Column(_("Org unit"), 28),
        Column(_("Level"), 8),
        Column(_("Monthly base pay"), 14, "money"),
        Column(_("Monthly level allowance"), 14, "money"),
        Column(_("Total paid"), 14, "money"),
    ]
    rows = [
        [
            line.staff.employee_no,
            line.staff.name,
            line.unit.display_path,
            line.level.code,
            line.monthly_base,
            line.monthly_allowance,
            line.monthly_base + line.monthly_allowance,
        ]
        for line in lines
        if line.months >= 13 - month
    ]
    return header, rows


def payroll(run: PayRun, lines, *, month: int | None) -> tuple[list[Column], list[list]]:
    lines = (
        lines.select_related(None).select_related("staff", "level", "unit").prefetch_related(None)
    )
    if month is None:
        return year_rows(run, lines)
    return month_rows(run, lines, month)


def to_xlsx(title: str, header: list[Column], rows: list[list]) -> bytes:
    with write_table(title=title, columns=header, rows=rows) as out:
        return out.read()


def to_csv(header: list[Column], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in [[column.header for column in header], *rows]:
        writer.writerow([neutralise(v) if isinstance(v, str) else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
