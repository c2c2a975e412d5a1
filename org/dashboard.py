"""Home-page cards of the organisation (see ``core.dashboard``): my position, my team, the
company. A few aggregate queries each, whatever the size of the company."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from core.roles import Role, has_role

from .models import Appointment, Level, OrgUnit, Staff
from .scope import staff_of, visible_staff

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


def cards(user, today: dt.date) -> list[dict]:
    result = []
    me = staff_of(user)
    if me is not None:
        context = {
            "me": me,  # staff_of: with its unit, level, track and manager
            "my_appointment": Appointment.objects.filter(staff=me, closed_on__isnull=True)
            .select_related("level")
            .first(),
        }
        result.append({"template": "org/cards/me.html", "context": context, "order": 1})
    if has_role(user, Role.MANAGER) and me is not None:
        team = visible_staff(user).exclude(pk=me.pk)
        context = {
            "team": team.aggregate(
                total=Count("id"),
                active=Count("id", filter=Q(status=Staff.Status.ACTIVE)),
                direct=Count("id", filter=Q(manager_id=me.pk)),
            ),
            "levels": level_headcount(team),
        }
        result.append({"template": "org/cards/team.html", "context": context, "order": 2})
    if has_role(user, Role.HR, Role.ADMIN, Role.LEADERSHIP):
        everyone = Staff.objects.all()
        company = everyone.aggregate(
            total=Count("id"), active=Count("id", filter=Q(status=Staff.Status.ACTIVE))
        )
        company["units"] = OrgUnit.objects.count()
        context = {
            "company": company,
            "levels": level_headcount(everyone),
            "expiring": Appointment.objects.filter(
                closed_on__isnull=True,
                end__gte=today,
                end__lt=today + dt.timedelta(days=EXPIRING_WITHIN_DAYS),
            ).count(),
            "expiring_days": EXPIRING_WITHIN_DAYS,
        }
        result.append({"template": "org/cards/company.html", "context": context, "order": 3})
    return result
