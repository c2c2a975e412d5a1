"""To-do items of the defence schedule (``core.inbox``): the candidate's own scheduled defence
(due on its date) and, for a committee member, the defences of their panels in the coming 14
days, one item per cycle. One query, whatever the number of defences."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q
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


def items(user, today: dt.date) -> list[InboxItem]:
    """One query for both parts: the user's own defences from today on, and the defences of
    their panels in the next ``HORIZON_DAYS`` days (a panel's candidates: dozens at most),
    grouped per cycle here."""
    me = staff_of(user)
    member = has_role(user, Role.COMMITTEE)
    if me is None and not member:
        return []
    start = _day_start(today)
    wanted = Q(application__staff_id=me.pk) if me is not None else Q(pk__in=[])
    if member:
        seated = Panel.objects.filter(
            cycle_id=OuterRef("application__cycle_id"),
            level_id=OuterRef("application__target_level_id"),
            members=user,
        )
        horizon = _day_start(today + dt.timedelta(days=HORIZON_DAYS + 1))
        wanted |= Q(Exists(seated), starts_at__lt=horizon) & ~Q(application__staff__user_id=user.pk)
    rows = (
        Defence.objects.filter(wanted, cancelled_at__isnull=True, ends_at__gte=start)
        .values_list(
            "starts_at",
            "place",
            "video_url",
            "application_id",
            "application__staff_id",
            "application__cycle_id",
            "application__cycle__name",
        )
        .order_by("starts_at", "pk")
    )
    result: list[InboxItem] = []
    to_attend: dict[tuple[int, str], list[dt.datetime]] = {}
    for starts_at, place, video_url, application_id, staff_id, cycle_id, cycle_name in rows:
        local = timezone.localtime(starts_at)
        if me is not None and staff_id == me.pk:
            result.append(
                InboxItem(
                    kind="certification.defence",
                    title=_("Attend your defence for %(cycle)s on %(when)s")
                    % {"cycle": cycle_name, "when": f"{local:%Y-%m-%d %H:%M}"},
                    why=_("The office scheduled your defence before the panel: %(where)s.")
                    % {"where": " · ".join(x for x in (place, video_url) if x)},
                    due=local.date(),
                    url=reverse("certification:application-detail", args=[application_id]),
                    priority=10,
                )
            )
        elif starts_at >= start:
            to_attend.setdefault((cycle_id, cycle_name), []).append(local)
    for (_cycle_id, cycle_name), moments in to_attend.items():
        n = len(moments)
        result.append(
            InboxItem(
                kind="certification.defences",
                title=ngettext(
                    "Attend %(n)s defence in %(cycle)s",
                    "Attend %(n)s defences in %(cycle)s",
                    n,
                )
                % {"n": n, "cycle": cycle_name},
                why=_("You sit on the panel; the first one is on %(when)s.")
                % {"when": f"{moments[0]:%Y-%m-%d %H:%M}"},
                due=moments[0].date(),
                url=reverse("certification:committee") + "#defences",
                count=n,
                priority=20,
            )
        )
    return result
