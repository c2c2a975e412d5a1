"""Home-page cards of the KPI app (see ``core.dashboard``). A few aggregate queries each."""

from __future__ import annotations

from django.db.models import Count

from org.roles import Role, has_role, is_office
from org.scope import sees_everyone, staff_of, visible_staff

from .models import AnnualScore, Period, PeriodScore


def cards(user, today) -> list[dict]:
    result = []
    me = staff_of(user)
    if me is not None:
        latest = (
            PeriodScore.objects.filter(staff=me, period__period_type="month")
            .select_related("period")
            .order_by("-period__start")
            .first()
        )
        annual = AnnualScore.objects.filter(staff=me).order_by("-year").first()
        result.append(
            {
                "template": "kpi/cards/my_kpi.html",
                "context": {"latest": latest, "annual": annual},
                "order": 20,
            }
        )
    if sees_everyone(user) or has_role(user, Role.MANAGER):
        population = visible_staff(user)
        counts = dict(
            AnnualScore.objects.filter(year=today.year, staff__in=population)
            .values_list("grade")
            .annotate(n=Count("id"))
            .values_list("grade", "n")
        )
        context = {
            "year": today.year,
            "grades": [(g, counts.get(g, 0)) for g in AnnualScore.Grade.values],
            "office": is_office(user),
        }
        if is_office(user):
            context["open_periods"] = Period.objects.filter(status=Period.Status.OPEN).count()
        result.append({"template": "kpi/cards/team_kpi.html", "context": context, "order": 21})
    return result
