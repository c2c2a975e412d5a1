"""Cells for every XLSX export: user text is written as text, never as a formula.

A staff name, a course or certificate title or a reason may be typed by anyone; written as is,
``=HYPERLINK("http://…","…")`` becomes a live formula in the office's spreadsheet (CSV/formula
injection). :func:`safe_row` writes every string as a text cell, and a string that a
spreadsheet would read as a formula or a command (starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return) gets a leading apostrophe, as OWASP recommends. Numbers and dates
are written unchanged.

:func:`write_table` writes the export of a list page as the reader filtered it: header frozen,
autofilter on, column widths set, and each column's figures formatted by their unit
(:func:`number_format`, the spreadsheet side of ``core.numbers.format_figure``): numbers stay
numeric cells and read as the pages write them; :func:`xlsx_response` hands it out (and records
the download).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from core import numbers
from core.downloads import Kind as DownloadKind
from core.downloads import download_record

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``text`` with a leading apostrophe when a spreadsheet would evaluate it."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def safe_cell(sheet, value: Any):
    """``value`` for ``sheet.append``: a string becomes a text cell (neutralised); anything
    else is returned unchanged."""
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=neutralise(value))
    cell.data_type = "s"  # text, whatever the content looks like
    return cell


def safe_row(sheet, values: Iterable[Any]) -> list:
    """A row for ``sheet.append`` with every string written as text (:func:`safe_cell`)."""
    return [safe_cell(sheet, value) for value in values]


# The spreadsheet number format of each kind of figure (core.numbers): scores and money always
# with 2 decimals, percentages up to 2 places, counts whole with thousands separators; credits
# and other numbers as the spreadsheet shows them ("General": 40, 12.5).
NUMBER_FORMATS = {
    numbers.SCORE: "0.00",
    numbers.MONEY: "¥#,##0.00",
    numbers.PERCENT: "0.0#%",
    numbers.COUNT: "#,##0",
    numbers.CREDITS: "General",
    numbers.NUMBER: "General",
}


def number_format(unit: str | None) -> str:
    """The spreadsheet number format of a figure in ``unit`` (a kind, "score", or an
    indicator's unit as entered: "次", "%", "元", "万元")."""
    unit = (unit or "").strip()
    if unit in numbers.WAN_YUAN_UNITS:
        return f'#,##0.00" {unit}"'
    return NUMBER_FORMATS[numbers.figure_kind(unit)]


@dataclass(frozen=True)
class Column:
    """One column of an exported table: its heading, its width (in characters) and the unit of
    its figures (``core.numbers``: "score", "money", "percent", "count", "credits" or an
    indicator's unit), which sets their number format. A percentage is given in percent
    (85.5) and written as the fraction a spreadsheet formats as 85.5%. Text and empty cells of
    the column are written as they are."""

    header: str
    width: float = 14
    unit: str | None = None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def figure_cell(sheet, value: Any, unit: str | None):
    """``value`` as a numeric cell formatted for ``unit`` (text and ``None`` unchanged)."""
    if unit is None or not _is_number(value):
        return safe_cell(sheet, value)
    if numbers.figure_kind(unit) == numbers.PERCENT:
        value = numbers.to_decimal(value) / 100
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format(unit)
    return cell


def figure_row(sheet, values: Iterable[Any], units: Sequence[str | None]) -> list:
    """A row for ``sheet.append``: text as text (:func:`safe_cell`), figures formatted by the
    unit of their column (``units`` in column order; a missing unit leaves a value as is)."""
    return [
        figure_cell(sheet, value, units[index] if index < len(units) else None)
        for index, value in enumerate(values)
    ]


def write_table(*, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]):
    """A temporary file (rewound) holding one sheet: the header frozen, an autofilter over
    the header and every row, the columns at their widths, figures formatted by the unit of
    their column. Write-only: rows stream from
    ``rows`` (pass ``QuerySet.iterator()`` values) and memory stays flat."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.append(safe_row(sheet, [column.header for column in columns]))
    units = [column.unit for column in columns]
    count = 0
    for row in rows:
        sheet.append(figure_row(sheet, row, units))
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    workbook.save(out)
    out.seek(0)
    return out


def xlsx_response(request, *, file, filename: str) -> FileResponse:
    """The download of an exported table, recorded in the reader's downloads."""
    download_record(request=request, kind=DownloadKind.EXPORT, label=filename)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
