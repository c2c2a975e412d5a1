"""core.xlsx: user text is written as text."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from core.xlsx import Column, neutralise, number_format, safe_row, write_table


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


@pytest.mark.parametrize(
    ("unit", "fmt"),
    [
        ("score", "0.00"),
        ("money", "¥#,##0.00"),
        ("元", "¥#,##0.00"),
        ("万元", '#,##0.00" 万元"'),
        ("percent", "0.0#%"),
        ("%", "0.0#%"),
        ("count", "#,##0"),
        ("次", "#,##0"),
        ("credits", "General"),
        ("km", "General"),
    ],
)
def test_each_unit_has_its_number_format(unit, fmt):
    assert number_format(unit) == fmt


def test_write_table_formats_figures_by_the_unit_of_their_column():
    columns = [
        Column("name"),
        Column("score", unit="score"),
        Column("pay", unit="money"),
        Column("share", unit="percent"),
        Column("staff", unit="count"),
        Column("plain"),
    ]
    rows = [
        ["=刘强", Decimal("90.5"), Decimal("12345.6"), Decimal("85.5"), 17, 3],
        ["王五", None, "—", None, 0, None],
    ]
    with write_table(title="t", columns=columns, rows=rows) as out:
        sheet = load_workbook(io.BytesIO(out.read())).worksheets[0]
    name, score, pay, share, staff, plain = sheet[2]
    assert (name.data_type, name.value) == ("s", "'=刘强")
    assert (score.value, score.number_format) == (90.5, "0.00")
    assert (pay.value, pay.number_format) == (12345.6, "¥#,##0.00")
    assert (share.value, share.number_format) == (0.855, "0.0#%")
    assert (staff.value, staff.number_format) == (17, "#,##0")
    assert (plain.value, plain.number_format) == (3, "General")
    _name, no_score, dash, _share, zero, _plain = sheet[3]
    assert no_score.value is None
    assert (dash.data_type, dash.value) == ("s", "—")
    assert (zero.value, zero.number_format) == (0, "#,##0")
