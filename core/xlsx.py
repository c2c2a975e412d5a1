"""Cells for every XLSX export: user text is written as text, never as a formula.

A staff name, a course or certificate title or a reason may be typed by anyone; written as is,
``=HYPERLINK("http://…","…")`` becomes a live formula in the office's spreadsheet (CSV/formula
injection). :func:`safe_row` writes every string as a text cell, and a string that a
spreadsheet would read as a formula or a command (starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return) gets a leading apostrophe, as OWASP recommends. Numbers and dates
are written unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell

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
