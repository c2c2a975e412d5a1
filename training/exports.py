"""XLSX export of the training ledger (DOMAIN.md: "The ledger exports to XLSX").

Streaming-friendly: the rows come from ``QuerySet.iterator()`` in chunks into an openpyxl
*write-only* workbook, so memory stays flat whatever the ledger's size; the workbook is written
to a temporary file that the response streams.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.xlsx import Column, write_table
from org.models import OrgUnit

from .models import Course, TrainingRecord

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
WIDTHS = (14, 12, 24, 10, 36, 12, 8, 8, 10, 10)
UNITS = (None, None, None, None, None, None, "number", "credits", None, None)


def write_ledger(records: QuerySet[TrainingRecord], *, keep_order: bool = False):
    """A temporary file (rewound) holding the XLSX of ``records``.

    The header holds the column names of the import (plus name, unit, title and source) and
    result/source hold their codes, so an exported file can be edited and imported back.
    The header is frozen with an autofilter; rows follow ``records``' order when
    ``keep_order`` (the page's sort), else by employee number and date.
    """
    # Plain tuples, not model instances: the XML writer is the cost, not the query.
    units = {u.pk: u.display_name for u in OrgUnit.objects.all()}
    titles = {c.pk: c.display_title for c in Course.objects.all()}
    if not keep_order:
        records = records.order_by("staff__employee_no", "date", "id")
    rows = records.values_list(
        "staff__employee_no",
        "staff__name",
        "staff__unit_id",
        "course__code",
        "course_id",
        "title",
        "date",
        "hours",
        "credits",
        "result",
        "source",
    )
    return write_table(
        title=_("Training ledger"),
        columns=[Column(h, w, u) for h, w, u in zip(HEADER, WIDTHS, UNITS, strict=True)],
        rows=(
            (
                no,
                name,
                units.get(unit_id, ""),
                code or "",
                titles.get(course_id, "") if course_id else title,
                day,
                hours,
                credits,
                result,
                source,
            )
            for (
                no,
                name,
                unit_id,
                code,
                course_id,
                title,
                day,
                hours,
                credits,
                result,
                source,
            ) in rows.iterator(chunk_size=2000)
        ),
    )


def filename(today) -> str:
    return f"training-ledger-{today:%Y%m%d}.xlsx"
