"""Data from the KPI and competency apps, read through their public interfaces only.

Both apps are developed separately; each adapter imports lazily and answers ``None`` ("no
data") while the app, or the function, is absent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import import_module


def _attr(module: str, name: str):
    try:
        return getattr(import_module(module), name)
    except (ImportError, AttributeError):
        return None


@dataclass(frozen=True)
class KpiTable:
    """Where the KPI app stores annual scores, for the ranking's one-pass SQL join."""

    table: str
    staff_column: str
    year_column: str
    score_column: str


def kpi_annual_table() -> KpiTable | None:
    """The KPI app's annual score table (``kpi.models.AnnualScore``: staff, year, score)."""
    model = _attr("kpi.models", "AnnualScore")
    if model is None:
        return None
    try:
        staff = model._meta.get_field("staff")
        year = model._meta.get_field("year")
        score = model._meta.get_field("score")
    except Exception:
        return None
    return KpiTable(model._meta.db_table, staff.column, year.column, score.column)


def annual_scores(staff_ids: list[int], year: int) -> dict | None:
    """``{staff_id: obj(.score, .grade)}`` or ``None`` when the KPI app is absent."""
    fn = _attr("kpi.selectors", "annual_scores")
    return None if fn is None else fn(staff_ids, year)


def competency_indexes(staff_ids: list[int], on_date: dt.date | None = None) -> dict | None:
    """``{staff_id: Decimal}`` or ``None`` when the competency app is absent."""
    fn = _attr("competency.selectors", "competency_indexes")
    return None if fn is None else fn(staff_ids, on_date=on_date)


def service(module: str, name: str):
    """A write service of another app (``None`` when it has not landed)."""
    return _attr(module, name)
