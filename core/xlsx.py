"""Cells for every XLSX export: user text is written as text, never as a formula.

A staff name, a course or certificate title or a reason may be typed by anyone; written as is,
``=HYPERLINK("http://…","…")`` becomes a live formula in the office's spreadsheet (CSV/formula
injection). :func:`safe_row` writes every string as a text cell, and a string that a
spreadsheet would read as a formula or a command (starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return) gets a leading apostrophe, as OWASP recommends. Numbers and dates
are written unchanged.

:func:`write_table` writes the export of a list page as the reader filtered it: header frozen,
autofilter on, column widths set; :func:`xlsx_response` hands it out (and records the download).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

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


@dataclass(frozen=True)
class Column:
    """One column of an exported table: its heading and its width (in characters)."""

    header: str
    width: float = 14


def write_table(*, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]):
    """A temporary file (rewound) holding one sheet: the header frozen, an autofilter over
    the header and every row, the columns at their widths. Write-only: rows stream from
    ``rows`` (pass ``QuerySet.iterator()`` values) and memory stays flat."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.append(safe_row(sheet, [column.header for column in columns]))
    count = 0
    for row in rows:
        sheet.append(safe_row(sheet, row))
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
