"""To-do items of the defence schedule (``core.inbox``): the candidate's own scheduled defence
(due on its date) and, for a committee member, the defences of their panels in the coming 14
days, one item per cycle. One grouped query per part, whatever the number of defences."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Count, Exists, Min, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.inbox import InboxItem
from core.roles import Role, has_role
from org.scope import staff_of

from .models import Defence, Panel

KINDS = {
    "certification.defence": gettext_lazy("Defence scheduled"),
    "certification.defences": gettext_lazy("Defences to attend"),
}
HORIZON_DAYS = 14


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _candidate(me, today: dt.date) -> Iterator[InboxItem]:
    rows = (
        Defence.objects.filter(
            application__staff_id=me.pk,
            cancelled_at__isnull=True,
            ends_at__gte=_day_start(today),
        )
        .values_list(
            "starts_at", "place", "video_url", "application_id", "application__cycle__name"
        )
        .order_by("starts_at")
    )
    for starts_at, place, video_url, application_id, cycle_name in rows:
        local = timezone.localtime(starts_at)
        yield InboxItem(
            kind="certification.defence",
            title=_("Attend your defence for %(cycle)s on %(when)s")
            % {"cycle": cycle_name, "when": f"{local:%Y-%m-%d %H:%M}"},
            why=_("The office scheduled your defence before the panel: %(where)s.")
            % {"where": " · ".join(x for x in (place, video_url) if x)},
            due=local.date(),
            url=reverse("certification:application-detail", args=[application_id]),
            priority=10,
        )


def _member(user, today: dt.date) -> Iterator[InboxItem]:
    seated = Panel.objects.filter(
        cycle_id=OuterRef("application__cycle_id"),
        level_id=OuterRef("application__target_level_id"),
        members=user,
    )
    rows = (
        Defence.objects.filter(
            Exists(seated),
            cancelled_at__isnull=True,
            starts_at__gte=_day_start(today),
            starts_at__lt=_day_start(today + dt.timedelta(days=HORIZON_DAYS + 1)),
        )
        .values("application__cycle_id", "application__cycle__name")
        .annotate(n=Count("pk"), first=Min("starts_at"))
        .order_by("application__cycle_id")
    )
    for row in rows:
        first = timezone.localtime(row["first"])
        yield InboxItem(
            kind="certification.defences",
            title=ngettext(
                "Attend %(n)s defence in %(cycle)s",
                "Attend %(n)s defences in %(cycle)s",
                row["n"],
            )
            % {"n": row["n"], "cycle": row["application__cycle__name"]},
            why=_("You sit on the panel; the first one is on %(when)s.")
            % {"when": f"{first:%Y-%m-%d %H:%M}"},
            due=first.date(),
            url=reverse("certification:committee") + "#defences",
            count=row["n"],
            priority=20,
        )


def items(user, today: dt.date) -> list[InboxItem]:
    result: list[InboxItem] = []
    if has_role(user, Role.COMMITTEE):
        result += _member(user, today)
    me = staff_of(user)
    if me is not None:
        result += _candidate(me, today)
    return result
