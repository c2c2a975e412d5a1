"""The KPI workbooks write scores as numbers formatted with 2 decimals (issue 21)."""

import io
from decimal import Decimal
from types import SimpleNamespace

from openpyxl import load_workbook

from kpi import exports


def _staff():
    return SimpleNamespace(employee_no="K1", name="刘强", unit_id=None, level_id=None)


def test_period_and_annual_scores_are_formatted_as_scores():
    year = SimpleNamespace(score=Decimal("88.5"), grade="B")
    period = SimpleNamespace(staff=_staff(), staff_id=1, period=SimpleNamespace(code="2026-10"))
    period.total = Decimal("90")
    book = exports.period_scores_workbook(scores=[period], annual={1: year})
    row = next(load_workbook(io.BytesIO(book)).worksheets[0].iter_rows(min_row=2))
    assert [(c.value, c.number_format) for c in row[5:7]] == [(90, "0.00"), (88.5, "0.00")]
    annual = SimpleNamespace(
        year=2025,
        staff=_staff(),
        score=Decimal("88.5"),
        periods=12,
        grade="B",
        threshold_grade="B",
        unit_rank=3,
    )
    book = exports.annual_scores_workbook(scores=[annual])
    row = next(load_workbook(io.BytesIO(book)).worksheets[0].iter_rows(min_row=2))
    assert (row[5].value, row[5].number_format) == (88.5, "0.00")
    assert (row[6].value, row[6].number_format) == (12, "#,##0")
    assert (row[9].value, row[9].number_format) == (3, "#,##0")
