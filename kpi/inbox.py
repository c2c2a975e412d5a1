"""To-do items of KPI (``core.inbox``): the office locks the periods that have ended and are
still open, once their year is over (so late actuals go through corrections). One query."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.inbox import InboxItem
from core.roles import is_office

from .models import Period

KINDS = {"kpi.lock": gettext_lazy("KPI periods to lock")}


def items(user, today: dt.date) -> list[InboxItem]:
    if not is_office(user):
        return []
    found = Period.objects.filter(status=Period.Status.OPEN, year__lt=today.year).aggregate(
        n=Count("pk"), first=Min("year")
    )
    n = found["n"]
    if not n:
        return []
    return [
        InboxItem(
            kind="kpi.lock",
            title=ngettext(
                "Lock %(n)s KPI period of past years", "Lock %(n)s KPI periods of past years", n
            )
            % {"n": n},
            why=_(
                "Their year has ended (the earliest: %(year)s); locked periods freeze the "
                "annual scores the ranking and certification use."
            )
            % {"year": found["first"]},
            due=None,
            url=reverse("admin:kpi_period_changelist") + "?status__exact=open",
            count=n,
            priority=40,
        )
    ]
