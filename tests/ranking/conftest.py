"""Fixtures of the ranking tests: a KAM ladder, staff with annual KPI scores and competency
indexes, and helpers to run and commit a ranking."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from ranking import sources
from tests.ranking.factories import set_scores_backend


@pytest.fixture
def scores(monkeypatch, db):
    """``scores.kpi[staff_id] = Decimal`` and ``scores.ci[staff_id] = Decimal`` feed the run.

    KPI scores go into the KPI app's annual score table when that app provides one (the
    ranking joins it in SQL); otherwise through the ``kpi.selectors`` seam, staged by the run.
    The competency index always comes through ``competency.selectors.competency_indexes``.
    """
    store = SimpleNamespace(kpi={}, ci={}, year=None)
    set_scores_backend(store, monkeypatch)
    monkeypatch.setattr(
        sources,
        "competency_indexes",
        lambda ids, on_date=None: {i: store.ci[i] for i in ids if i in store.ci},
    )
    return store


@pytest.fixture
def year():
    return 2025


@pytest.fixture
def today():
    return dt.date(2026, 1, 20)


D = Decimal
