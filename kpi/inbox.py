"""To-do items of KPI (``core.inbox``): the office locks the periods that have ended and are
still open, once their year is over (so late actuals go through corrections); a line manager
gives the qualitative ratings (综合评价) of their team for the current open month — the
same grid as the rating page. A few counting queries, whatever the team's size."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.inbox import InboxItem
from core.roles import Role, has_role, is_office
from org.scope import staff_of, visible_staff

from .models import Actual, Indicator, Period
from .selectors import current_period

KINDS = {
    "kpi.lock": gettext_lazy("KPI periods to lock"),
    "kpi.rate": gettext_lazy("Qualitative KPI ratings to give"),
}


def items(user, today: dt.date) -> list[InboxItem]:
    result = []
    if is_office(user):
        result += _locks(today)
    if has_role(user, Role.MANAGER):
        result += _ratings(user, today)
    return result


def _ratings(user, today: dt.date) -> list[InboxItem]:
    period = current_period(today=today)
    if period is None or period.is_locked:
        return []
    indicators = Indicator.objects.filter(kind=Indicator.Kind.QUALITATIVE, active=True)
    team = visible_staff(user)
    me = staff_of(user)
    if me is not None:
        team = team.exclude(pk=me.pk)  # nobody rates themselves
    expected = indicators.count() * team.count()
    given = Actual.objects.filter(period=period, staff__in=team, indicator__in=indicators).count()
    n = expected - given
    if n <= 0:
        return []
    return [
        InboxItem(
            kind="kpi.rate",
            title=ngettext(
                "Give %(n)s qualitative rating for %(period)s",
                "Give %(n)s qualitative ratings for %(period)s",
                n,
            )
            % {"n": n, "period": period.code},
            why=_("Your team's KPI scores for the period wait for your ratings."),
            due=period.end,
            url=reverse("kpi:rate") + f"?period={period.code}",
            count=n,
            priority=30,
        )
    ]


def _locks(today: dt.date) -> list[InboxItem]:
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
