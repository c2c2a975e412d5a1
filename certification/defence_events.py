"""Notifications of the defence (述职答辩) schedule: sent to the candidate and each panel member
when the office schedules, moves or cancels a defence, with the ``.ics`` invitation attached.
Registered from ``CertificationConfig.ready``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from notifications.registry import EventType, register

SCHEDULED = "certification.defence_scheduled"
MOVED = "certification.defence_moved"
CANCELLED = "certification.defence_cancelled"

EVENTS = (
    EventType(
        SCHEDULED,
        _("Defence scheduled"),
        _("Defence of %(candidate)s on %(when)s"),
        _(
            "The defence of %(candidate)s (%(cycle)s, target level %(level)s) is scheduled "
            "on %(when)s, %(where)s. The calendar invitation is attached."
        ),
    ),
    EventType(
        MOVED,
        _("Defence moved"),
        _("Defence of %(candidate)s moved to %(when)s"),
        _(
            "The defence of %(candidate)s (%(cycle)s, target level %(level)s) was moved to "
            "%(when)s, %(where)s. The updated calendar invitation is attached."
        ),
    ),
    EventType(
        CANCELLED,
        _("Defence cancelled"),
        _("Defence of %(candidate)s on %(when)s cancelled"),
        _(
            "The defence of %(candidate)s (%(cycle)s, target level %(level)s) on %(when)s "
            "is cancelled: %(reason)s"
        ),
    ),
)


def register_events() -> None:
    register(*EVENTS)
