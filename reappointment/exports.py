"""The expiring-terms report as an XLSX workbook (openpyxl), in the reader's language."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.xlsx import figure_row, safe_row

# The unit of each column (core.numbers): the credit columns are figures, the rest as they are.
UNITS = [None] * 6 + ["credits"] * 3


def expiring_workbook(rows, *, today: dt.date, months: int) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Expiring terms")[:31]
    headers = [
        _("Employee number"),
        pgettext("person", "Name"),
        _("Org unit"),
        _("Level"),
        _("Term start"),
        _("Term end"),
        _("Credits (12 months)"),
        _("Required credits"),
        _("Shortfall"),
        _("Missing courses"),
        _("Annual grades during the term"),
        _("Ready"),
        _("Suggested outcome"),
        _("Case status"),
    ]
    ws.append(
        [
            _("Terms ending from %(first)s, within %(months)s months")
            % {"first": today.isoformat(), "months": months}
        ]
    )
    ws.append(safe_row(ws, headers))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    outcomes = {
        "renewed": _("renewed"),
        "renewed_with_conditions": _("renewed with conditions"),
        "referred": _("referred to re-certification"),
    }
    for row in rows:
        a, e = row.appointment, row.evaluation
        grades = e.get("term_grades")
        case = row.case
        ws.append(
            figure_row(
                ws,
                [
                    a.staff.employee_no,
                    a.staff.name,
                    a.staff.unit.display_path,
                    str(a.level),
                    a.start,
                    a.end,
                    e.credits,
                    e.required_credits,
                    e.shortfall,
                    "、".join(e.missing_courses),
                    grades.detail if grades else "",
                    _("yes") if e.all_passed else _("no"),
                    outcomes.get(e.suggested_outcome, ""),
                    case.get_status_display() if case else "",
                ],
                UNITS,
            )
        )
    for col in (5, 6):
        for cell in ws[get_column_letter(col)][2:]:
            cell.number_format = "yyyy-mm-dd"
    for col, width in enumerate([12, 10, 20, 18, 12, 12, 10, 10, 10, 30, 40, 6, 18, 10], 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A3"
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
