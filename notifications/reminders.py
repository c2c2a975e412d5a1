"""Reminders before a due date. An app registers a source (from ``AppConfig.ready``) that lists,
set-based (a constant number of queries), what is due for whom on or after ``today``:
``source(today) -> Iterable[Reminder]``. The nightly command ``notifications_remind`` collects
them, keeps those due in one of the configured numbers of days (``NOTIFY_REMIND_DAYS_BEFORE``,
or the reminder's own ``days_before``) and notifies each person once per (event, key, due
date, days before).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reminder:
    user_id: int
    event: str
    """A registered event code (:mod:`notifications.registry`) whose wording is the reminder's."""
    due: dt.date
    key: str
    """What the reminder is about (``"sheet:42"``); with the user, event and due date it makes
    the reminder unique, so a re-run of the nightly command sends nothing twice."""
    url: str = ""
    context: Mapping[str, object] = field(default_factory=dict)
    days_before: tuple[int, ...] = ()
    """The days before ``due`` on which to remind; empty means the configured
    ``NOTIFY_REMIND_DAYS_BEFORE`` (a certificate's expiry is reminded 60 and 14 days ahead)."""


ReminderSource = Callable[[dt.date], Iterable[Reminder]]

SOURCES: list[ReminderSource] = []


def register(source: ReminderSource) -> None:
    if source not in SOURCES:
        SOURCES.append(source)


def collect(*, today: dt.date) -> list[Reminder]:
    """Every registered source's reminders due on or after ``today``."""
    return [r for source in SOURCES for r in source(today) if r.due >= today]
