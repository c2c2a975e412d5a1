"""What each role's home page shows. Each block is a few aggregate queries, whatever the size
of the company.

Apps contribute cards: a module ``<app>/dashboard.py`` with ``cards(user, today) -> list[dict]``,
each dict ``{"template": "<app>/cards/….html", "context": {...}, "order": int}``. The home page
renders them after the organisation cards, sorted by ``order``.
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module

from django.apps import apps
from django.db.models import Count, Q

from core import clock
from core.models import AuditEvent
from core.roles import Role, has_role
from org.models import Appointment, Level, OrgUnit, Staff
from org.scope import staff_of, visible_staff

EXPIRING_WITHIN_DAYS = 90


def level_headcount(staff_qs):
    """``[(level, count)]`` over the ladder, one query."""
    counts = dict(
        staff_qs.filter(status=Staff.Status.ACTIVE)
        .values_list("level")
        .annotate(n=Count("id"))
        .values_list("level", "n")
    )
    levels = Level.objects.select_related("track").order_by("track__code", "order")
    return [(level, counts.get(level.pk, 0)) for level in levels]


def build(user) -> dict:
    today = clock.today()
    ctx: dict = {"today": today}
    me = staff_of(user)
    if me is not None:
        ctx["me"] = Staff.objects.select_related("unit", "level", "track", "manager").get(pk=me.pk)
        ctx["my_appointment"] = (
            Appointment.objects.filter(staff=me, closed_on__isnull=True)
            .select_related("level")
            .first()
        )
    if has_role(user, Role.MANAGER) and me is not None:
        team = visible_staff(user).exclude(pk=me.pk)
        ctx["team"] = team.aggregate(
            total=Count("id"),
            active=Count("id", filter=Q(status=Staff.Status.ACTIVE)),
            direct=Count("id", filter=Q(manager_id=me.pk)),
        )
        ctx["team_levels"] = level_headcount(team)
    if has_role(user, Role.HR, Role.ADMIN, Role.LEADERSHIP):
        everyone = Staff.objects.all()
        ctx["company"] = everyone.aggregate(
            total=Count("id"), active=Count("id", filter=Q(status=Staff.Status.ACTIVE))
        )
        ctx["company"]["units"] = OrgUnit.objects.count()
        ctx["company_levels"] = level_headcount(everyone)
        ctx["expiring"] = Appointment.objects.filter(
            closed_on__isnull=True,
            end__gte=today,
            end__lt=today + dt.timedelta(days=EXPIRING_WITHIN_DAYS),
        ).count()
        ctx["expiring_days"] = EXPIRING_WITHIN_DAYS
    if has_role(user, Role.HR, Role.ADMIN):
        ctx["recent_events"] = list(AuditEvent.objects.select_related("content_type")[:8])
    ctx["is_committee"] = has_role(user, Role.COMMITTEE)
    ctx["app_cards"] = app_cards(user, today)
    return ctx


def app_cards(user, today) -> list[dict]:
    cards: list[dict] = []
    for config in apps.get_app_configs():
        if config.name in ("core", "org") or not config.name.isidentifier():
            continue
        try:
            module = import_module(f"{config.name}.dashboard")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.dashboard":
                raise
            continue
        cards.extend(module.cards(user, today))
    return sorted(cards, key=lambda card: card.get("order", 100))
