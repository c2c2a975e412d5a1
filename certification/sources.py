"""Figures from the apps below certification (KPI, training, competency), read through their
public selectors, and the promotion blockers that apps above it register.

Certification reads them through this one module so tests can feed the eligibility engine
hand-made figures. Ranking sits above certification: it registers its open re-certification
case as a blocker (``RankingConfig.ready``) instead of certification reaching up for it.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from competency import selectors as competency_selectors
from kpi import selectors as kpi_selectors
from training import selectors as training_selectors


def annual_scores(staff_ids: list[int], year: int) -> dict:
    """``{staff_id: obj(.score, .grade)}``."""
    return kpi_selectors.annual_scores(staff_ids=staff_ids, year=year)


def training_summary(staff, on_date: dt.date, level=None):
    """``obj(credits_12m, required_credits, missing_courses, met, shortfall)``; for a promotion
    the requirement is the target level's (``level``), else the current level's."""
    return training_selectors.training_summary(staff=staff, on_date=on_date, level=level)


def training_summaries(staff_list: list, on_date: dt.date, levels: dict | None = None) -> dict:
    """``{staff_id: summary}`` as :func:`training_summary`, for many staff at once; the
    requirement is ``levels[staff_id]``'s where given (a promotion's target level)."""
    return training_selectors.training_summaries(
        staff_list=staff_list, on_date=on_date, levels=levels
    )


def credits_12m(staff_ids: list[int], on_date: dt.date) -> dict:
    return training_selectors.credits_12m(staff_ids=staff_ids, on_date=on_date)


def competency_indexes(staff_ids: list[int], on_date: dt.date | None = None) -> dict:
    return competency_selectors.competency_indexes(staff_ids=staff_ids, on_date=on_date)


class RecertificationLookup(Protocol):
    """``lookup(*, staff_id) -> {"level": code, "date": iso} | None``: the open
    re-certification case that bars the staff member from promotion (DOMAIN.md, eligibility)."""

    def __call__(self, *, staff_id: int) -> dict | None: ...


_recertification_lookups: list[RecertificationLookup] = []


def register_recertification_lookup(lookup: RecertificationLookup) -> None:
    """Called by the re-certification owner (ranking) from its ``AppConfig.ready``."""
    if lookup not in _recertification_lookups:
        _recertification_lookups.append(lookup)


def open_recertification(staff_id: int) -> dict | None:
    """The staff member's open re-certification case as ``{"level": code, "date": iso}``, or
    ``None`` when none is open."""
    for lookup in _recertification_lookups:
        case = lookup(staff_id=staff_id)
        if case is not None:
            return case
    return None


class RecertificationBulkLookup(Protocol):
    """``lookup(*, staff_ids) -> {staff_id: {"level": code, "date": iso}}``: the open cases of
    many staff at once (the bulk eligibility of the workforce analytics)."""

    def __call__(self, *, staff_ids: list[int]) -> dict[int, dict]: ...


_recertification_bulk_lookups: list[RecertificationBulkLookup] = []


def register_recertification_bulk_lookup(lookup: RecertificationBulkLookup) -> None:
    """Called by the re-certification owner (ranking) from its ``AppConfig.ready``."""
    if lookup not in _recertification_bulk_lookups:
        _recertification_bulk_lookups.append(lookup)


def open_recertifications(staff_ids: list[int]) -> dict[int, dict]:
    """``{staff_id: {"level": code, "date": iso}}`` for those of ``staff_ids`` with an open
    re-certification case (one query per registered owner)."""
    out: dict[int, dict] = {}
    for lookup in _recertification_bulk_lookups:
        for staff_id, case in lookup(staff_ids=staff_ids).items():
            out.setdefault(staff_id, case)
    return out
