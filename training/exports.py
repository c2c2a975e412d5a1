"""XLSX export of the training ledger (DOMAIN.md: "The ledger exports to XLSX").

Streaming-friendly: the rows come from ``QuerySet.iterator()`` in chunks into an openpyxl
*write-only* workbook, so memory stays flat whatever the ledger's size; the workbook is written
to a temporary file that the response streams.
"""

from __future__ import annotations

import tempfile

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .models import TrainingRecord

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADER = (
    "employee_no",
    "name",
    "unit",
    "course",
    "title",
    "date",
    "hours",
    "credits",
    "result",
    "source",
)


def write_ledger(records: QuerySet[TrainingRecord]):
    """A temporary file (rewound) holding the XLSX of ``records``.

    The header holds the column names of the import (plus name, unit, title and source) and
    result/source hold their codes, so an exported file can be edited and imported back.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Training ledger")[:31])
    sheet.append(list(HEADER))
    rows = records.select_related("staff", "staff__unit", "course").order_by(
        "staff__employee_no", "date", "id"
    )
    for r in rows.iterator(chunk_size=2000):
        sheet.append(
            [
                r.staff.employee_no,
                r.staff.name,
                r.staff.unit.display_name,
                r.course.code if r.course_id else "",
                r.course.display_title if r.course_id else r.title,
                r.date,
                r.hours,
                r.credits,
                r.result,
                r.source,
            ]
        )
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    workbook.save(out)
    out.seek(0)
    return out


def filename(today) -> str:
    return f"training-ledger-{today:%Y%m%d}.xlsx"
