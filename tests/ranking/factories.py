"""Test data of the ranking app."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from org.models import Staff
from ranking import services, sources
from tests.factories import StaffFactory


def kpi_model():
    return sources._attr("kpi.models", "AnnualScore")


def set_scores_backend(store, monkeypatch) -> None:
    """Feed KPI scores from ``store.kpi`` ({staff_id: Decimal}) through the selector seam."""
    monkeypatch.setattr(sources, "kpi_annual_table", lambda: None)
    monkeypatch.setattr(
        sources,
        "annual_scores",
        lambda ids, year: {i: _Score(store.kpi[i]) for i in ids if i in store.kpi},
    )


class _Score:
    def __init__(self, score):
        self.score = Decimal(score)
        self.grade = "B"


def staff_with_scores(scores, level, values, *, unit=None, hire=dt.date(2020, 1, 1), **kw):
    """One staff member per KPI score in ``values`` (``None``: no score); returns them."""
    made = []
    for value in values:
        extra = {"unit": unit} if unit is not None else {}
        staff = StaffFactory(level=level, level_since=hire, hire_date=hire, **extra, **kw)
        if value is not None:
            scores.kpi[staff.pk] = Decimal(str(value))
        made.append(staff)
    return made


def preview(actor, track, year=2025, **params):
    return services.run_create(actor=actor, track=track, year=year, **params)


def exit_staff(staff: Staff) -> None:
    Staff.objects.filter(pk=staff.pk).update(status=Staff.Status.EXITED)
