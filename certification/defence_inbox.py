"""To-do items of the defence schedule (``core.inbox``): the candidate's own scheduled defence
(due on its date; built here, read in the staff member's application query of
``certification.inbox``) and, for a committee member, the defences of their panels in the
coming 14 days, one item per cycle (one grouped query, whatever the number of defences)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, Min, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.inbox import InboxItem
from core.roles import Role, has_role

from .models import Defence, Panel

KINDS = {
    "certification.defence": gettext_lazy("Defence scheduled"),
    "certification.defences": gettext_lazy("Defences to attend"),
}
HORIZON_DAYS = 14


def day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def candidate_item(application, defence, today: dt.date) -> InboxItem | None:
    """The candidate's item for their defence (not cancelled, not ended before ``today``);
    ``certification.inbox`` calls it from the staff member's one application query, which
    joins the defence."""
    if defence is None or defence.cancelled or defence.ends_at < day_start(today):
        return None
    local = timezone.localtime(defence.starts_at)
    return InboxItem(
        kind="certification.defence",
        title=_("Attend your defence for %(cycle)s on %(when)s")
        % {"cycle": application.cycle.name, "when": f"{local:%Y-%m-%d %H:%M}"},
        why=_("The office scheduled your defence before the panel: %(where)s.")
        % {"where": " · ".join(x for x in (defence.place, defence.video_url) if x)},
        due=local.date(),
        url=reverse("certification:application-detail", args=[application.pk]),
        priority=10,
    )


def items(user, today: dt.date) -> list[InboxItem]:
    """A committee member's defences of their panels in the next ``HORIZON_DAYS`` days, one
    item per cycle: one grouped query (not for their own defence: that is the candidate's
    item)."""
    if not has_role(user, Role.COMMITTEE):
        return []
    seated = Panel.objects.filter(
        cycle_id=OuterRef("application__cycle_id"),
        level_id=OuterRef("application__target_level_id"),
        members=user,
    )
    rows = (
        Defence.objects.filter(
            Exists(seated),
            cancelled_at__isnull=True,
            starts_at__gte=day_start(today),
            starts_at__lt=day_start(today + dt.timedelta(days=HORIZON_DAYS + 1)),
        )
        .exclude(application__staff__user_id=user.pk)
        .values("application__cycle_id", "application__cycle__name")
        .annotate(n=Count("pk"), first=Min("starts_at"))
        .order_by("application__cycle_id")
    )
    result = []
    for row in rows:
        first = timezone.localtime(row["first"])
        result.append(
            InboxItem(
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
        )
    return result
