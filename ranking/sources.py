"""Figures from the KPI and competency apps, read through their public interfaces.

The ranking reads them through this one module so tests can feed a run hand-made figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from competency import selectors as competency_selectors
from kpi import selectors as kpi_selectors
from kpi.models import AnnualScore


@dataclass(frozen=True)
class KpiTable:
    """Where the KPI app stores annual scores, for the ranking's one-pass SQL join."""

    table: str
    staff_column: str
    year_column: str
    score_column: str


def kpi_annual_table() -> KpiTable | None:
    """The KPI app's annual score table (``kpi.models.AnnualScore``: staff, year, score)."""
    meta = AnnualScore._meta
    return KpiTable(
        meta.db_table,
        meta.get_field("staff").column,
        meta.get_field("year").column,
        meta.get_field("score").column,
    )


def annual_scores(staff_ids: list[int], year: int) -> dict:
    """``{staff_id: obj(.score, .grade)}``."""
    return kpi_selectors.annual_scores(staff_ids=staff_ids, year=year)


def competency_indexes(staff_ids: list[int], on_date: dt.date | None = None) -> dict:
    """``{staff_id: Decimal}``."""
    return competency_selectors.competency_indexes(staff_ids=staff_ids, on_date=on_date)
