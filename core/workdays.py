"""Working days on the Chinese calendar.

Publicity periods and appeal windows are counted in working days (DOMAIN.md). A day is a
working day when

1. the office has recorded an override for it (:class:`core.models.WorkdayOverride`), else
2. the ``chinesecalendar`` package knows its year: statutory holidays are off, make-up
   working days (调休, e.g. a Sunday before Golden Week) are on, else
3. it is Monday to Friday — for a year the package does not know yet; the office adds that
   year's holidays as overrides as soon as they are announced (``docs/certification.md``).

Every function reads the overrides it needs in one query, whatever the length of the window.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import chinese_calendar

from .models import WorkdayOverride

# A window of n working days spans at most this many calendar days per working day, plus the
# longest run of holidays (Spring Festival / Golden Week with their weekends).
_SPAN_PER_DAY = 3
_LONGEST_BREAK = 21


def _statutory_workday(day: dt.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:  # a year the package does not know yet
        return day.weekday() < 5


def _overrides(first: dt.date, last: dt.date) -> Mapping[dt.date, bool]:
    return dict(
        WorkdayOverride.objects.filter(day__range=(first, last)).values_list("day", "is_workday")
    )


def is_workday(day: dt.date) -> bool:
    """Whether ``day`` is a working day (override, then statutory calendar, then Mon–Fri)."""
    override = _overrides(day, day).get(day)
    return _statutory_workday(day) if override is None else override


class _Calendar:
    """Working-day answers over a growing range, reading the overrides one chunk at a time."""

    def __init__(self, start: dt.date, span: int) -> None:
        self.overrides: dict[dt.date, bool] = {}
        self.until = start - dt.timedelta(days=1)
        self.span = span
        self._fetch()

    def _fetch(self) -> None:
        first = self.until + dt.timedelta(days=1)
        self.until += dt.timedelta(days=self.span)
        self.overrides.update(_overrides(first, self.until))

    def working(self, day: dt.date) -> bool:
        while day > self.until:
            self._fetch()
        override = self.overrides.get(day)
        return _statutory_workday(day) if override is None else override


def workday_window(start: dt.date, days: int) -> tuple[dt.date, dt.date]:
    """``days`` working days starting on ``start``, or on the next working day when ``start``
    is not one. Returns (first day, last day), both inclusive. ``days`` must be at least 1."""
    if days < 1:
        raise ValueError("A window has at least one working day.")
    calendar = _Calendar(start, days * _SPAN_PER_DAY + _LONGEST_BREAK)
    first = start
    while not calendar.working(first):
        first += dt.timedelta(days=1)
    last, counted = first, 1
    while counted < days:
        last += dt.timedelta(days=1)
        if calendar.working(last):
            counted += 1
    return first, last


def workdays_between(first: dt.date, last: dt.date) -> int:
    """Working days from ``first`` to ``last``, both inclusive (0 when ``last < first``)."""
    if last < first:
        return 0
    overrides = _overrides(first, last)
    count, day = 0, first
    while day <= last:
        override = overrides.get(day)
        count += _statutory_workday(day) if override is None else override
        day += dt.timedelta(days=1)
    return count


def year_known(year: int) -> bool:
    """Whether the ``chinesecalendar`` package knows ``year``'s holidays and make-up days."""
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def calendar_exceptions(first: dt.date, last: dt.date) -> list[dict]:
    """The days between ``first`` and ``last`` that are not what Monday–Friday says: the
    statutory holidays falling on a weekday and the make-up working days (调休) from the
    package, and every office override (which wins). Each ``{"day", "is_workday", "holiday"
    (the package's English name, or ""), "override" (the row, or None)}``, by date. One query."""
    overrides = {
        o.day: o
        for o in WorkdayOverride.objects.filter(day__range=(first, last)).select_related(
            "updated_by"
        )
    }
    rows = []
    day = first
    while day <= last:
        override = overrides.get(day)
        weekday = day.weekday() < 5
        holiday = ""
        statutory = weekday
        if year_known(day.year):
            statutory = bool(chinese_calendar.is_workday(day))
            is_holiday, name = chinese_calendar.get_holiday_detail(day)
            holiday = name or "" if is_holiday else ""
        if override is not None or statutory != weekday:
            rows.append(
                {
                    "day": day,
                    "is_workday": override.is_workday if override is not None else statutory,
                    "holiday": holiday,
                    "override": override,
                }
            )
        day += dt.timedelta(days=1)
    return rows
