"""Workbooks the KPI pages hand out."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from core.xlsx import figure_row, safe_row


def import_template_workbook(*, header: list[str], indicators) -> bytes:
    """The import template: the header on the first sheet (frozen), and a sheet listing the
    indicators whose codes the ``indicator`` column takes."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("actuals")
    sheet.append(safe_row(sheet, header))
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCD", (14, 16, 14, 12), strict=True):
        sheet.column_dimensions[column].width = width
    codes = book.create_sheet(_("indicators"))
    codes.append(safe_row(codes, [_("code"), _("name"), _("unit"), _("scoring method")]))
    for indicator in indicators:
        codes.append(
            safe_row(
                codes,
                [
                    indicator.code,
                    indicator.display_name,
                    indicator.unit,
                    indicator.get_method_display(),
                ],
            )
        )
    codes.freeze_panes = "A2"
    codes.column_dimensions["B"].width = 30
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _book(title: str, header: list[str], rows, units: list[str | None]) -> bytes:
    """One sheet: the header frozen, figures formatted by ``units`` (one per column)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    sheet.column_dimensions["B"].width = 16
    sheet.column_dimensions["C"].width = 24
    sheet.append(safe_row(sheet, header))
    for row in rows:
        sheet.append(figure_row(sheet, row, units))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def period_scores_workbook(*, scores, annual: dict) -> bytes:
    """Period scores (one row each) with the staff member's annual score and grade of the
    period's year — the monthly report other departments receive."""
    header = [
        _("employee number"),
        pgettext("person", "Name"),
        _("org unit"),
        _("level"),
        _("period"),
        _("total"),
        _("annual score"),
        _("grade"),
    ]
    rows = []
    for score in scores:
        year = annual.get(score.staff_id)
        rows.append(
            [
                score.staff.employee_no,
                score.staff.name,
                score.staff.unit.display_name if score.staff.unit_id else "",
                score.staff.level.code if score.staff.level_id else "",
                score.period.code,
                float(score.total),
                float(year.score) if year else None,
                year.grade if year else "",
            ]
        )
    units = [None, None, None, None, None, "score", "score", None]
    return _book(_("period scores"), header, rows, units)


def annual_scores_workbook(*, scores) -> bytes:
    """Annual scores with their grades (after quotas), the grade by thresholds and the rank."""
    header = [
        _("year"),
        _("employee number"),
        pgettext("person", "Name"),
        _("org unit"),
        _("level"),
        _("score"),
        _("periods scored"),
        _("grade"),
        _("grade by thresholds"),
        _("rank in unit"),
    ]
    rows = [
        [
            a.year,
            a.staff.employee_no,
            a.staff.name,
            a.staff.unit.display_name if a.staff.unit_id else "",
            a.staff.level.code if a.staff.level_id else "",
            float(a.score),
            a.periods,
            a.grade,
            a.threshold_grade,
            a.unit_rank,
        ]
        for a in scores
    ]
    units = [None, None, None, None, None, "score", "count", None, None, "count"]
    return _book(_("annual scores"), header, rows, units)
