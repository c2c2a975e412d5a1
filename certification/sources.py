"""Data from the other apps, read through their public selectors only.

The KPI, training and competency apps are developed separately; each adapter imports lazily
inside the function and answers ``None`` ("no data") while the app — or the function — has
not landed, so certification works (with manual values) before they do.
"""

from __future__ import annotations

import datetime as dt
import inspect
import logging
from importlib import import_module

from django.db import DatabaseError, transaction

logger = logging.getLogger(__name__)


def _selector(module: str, name: str):
    try:
        return getattr(import_module(module), name)
    except (ImportError, AttributeError):
        return None


def annual_scores(staff_ids: list[int], year: int) -> dict | None:
    """``{staff_id: obj(.score, .grade)}`` or ``None`` when the KPI app is absent."""
    fn = _selector("kpi.selectors", "annual_scores")
    return None if fn is None else fn(staff_ids, year)


def training_summary(staff, on_date: dt.date, level=None):
    """``obj(credits_12m, required_credits, missing_courses, met, shortfall)`` or ``None``.

    For a promotion the requirement is the target level's (``level``), when the training
    app's selector accepts one; otherwise its default applies."""
    fn = _selector("training.selectors", "training_summary")
    if fn is None:
        return None
    if level is not None and "level" in inspect.signature(fn).parameters:
        return fn(staff, on_date=on_date, level=level)
    return fn(staff, on_date=on_date)


def credits_12m(staff_ids: list[int], on_date: dt.date) -> dict | None:
    fn = _selector("training.selectors", "credits_12m")
    return None if fn is None else fn(staff_ids, on_date)


def competency_indexes(staff_ids: list[int], on_date: dt.date | None = None) -> dict | None:
    fn = _selector("competency.selectors", "competency_indexes")
    return None if fn is None else fn(staff_ids, on_date=on_date)


def service(module: str, name: str):
    """A write service of another app (``None`` when it has not landed)."""
    return _selector(module, name)


def open_recertification(staff_id: int) -> dict | None:
    """The staff member's open re-certification case (annual ranking app) as
    ``{"level": code, "date": iso}``, or ``None`` (none open, or the app is absent)."""
    from django.apps import apps

    try:
        model = apps.get_model("ranking", "RecertificationCase")
    except LookupError:
        return None
    try:
        with transaction.atomic():  # a savepoint: the app may be installed but not migrated
            row = (
                model.objects.filter(staff_id=staff_id, status="open")
                .values_list("level__code", "opened_at")
                .first()
            )
    except DatabaseError:
        logger.warning("Re-certification cases are not readable yet", exc_info=True)
        return None
    if row is None:
        return None
    return {"level": row[0], "date": row[1].date().isoformat()}
