"""core.xlsx: user text is written as text."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from core.xlsx import neutralise, safe_row


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("刘强", "刘强"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_values_a_spreadsheet_would_evaluate_are_neutralised(text, written):
    assert neutralise(text) == written


@pytest.mark.parametrize("write_only", [True, False])
def test_strings_are_text_cells_and_numbers_stay_numbers(write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("s") if write_only else book.active
    sheet.append(safe_row(sheet, ["=1+1", 3, "x"]))
    out = io.BytesIO()
    book.save(out)
    a, b, c = next(load_workbook(io.BytesIO(out.getvalue())).worksheets[0].iter_rows())
    assert (a.data_type, a.value) == ("s", "'=1+1")
    assert (b.data_type, b.value) == ("n", 3)
    assert (c.data_type, c.value) == ("s", "x")
