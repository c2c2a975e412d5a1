"""Home-page cards of the KPI app (see ``core.dashboard``). A few aggregate queries each.

The staff member's card states what its figure is (the weighted score of the latest monthly
period, measured against their targets: 100 when every target is met) and as of when."""

from __future__ import annotations

from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.roles import Role, has_role, is_office
from org.scope import sees_everyone, staff_of, visible_staff

from . import charts
from .models import AnnualScore, Period, PeriodScore
from .selectors import grade_distribution

TREND_MONTHS = 12


def cards(user, today) -> list[dict]:
    result = []
    me = staff_of(user)
    if me is not None:
        # The last TREND_MONTHS monthly totals, oldest first, drawn as the card's trend (one query).
        recent = list(
            PeriodScore.objects.filter(staff=me, period__period_type="month")
            .select_related("period")
            .order_by("-period__start")[:TREND_MONTHS]
        )
        latest = recent[0] if recent else None
        # "As of": the day of the latest data — the day the score was computed while its period
        # runs, the period's last day once it has ended.
        as_of = None
        if latest is not None:
            as_of = min(latest.period.end, timezone.localtime(latest.computed_at).date())
        annual = AnnualScore.objects.filter(staff=me).order_by("-year").first()
        points = [(s.period.code, s.total) for s in reversed(recent) if s.total is not None]
        chart = ""
        if points:
            chart = mark_safe(  # noqa: S308 - built from escaped parts in kpi.charts
                charts.trend_svg(
                    points,
                    title=_("My KPI trend, %(first)s to %(last)s")
                    % {"first": points[0][0], "last": points[-1][0]},
                )
            )
        result.append(
            {
                "template": "kpi/cards/my_kpi.html",
                "context": {
                    "latest": latest,
                    "as_of": as_of,
                    "annual": annual,
                    "chart": chart,
                    "points": points,
                },
                "order": 20,
            }
        )
    if sees_everyone(user) or has_role(user, Role.MANAGER):
        dist = grade_distribution(staff_qs=visible_staff(user), year=today.year)
        context = {
            "year": today.year,
            "dist": dist,
            "chart": mark_safe(charts.grades_svg(dist)),  # noqa: S308 - escaped in core.charts
            "office": is_office(user),
        }
        if is_office(user):
            context["open_periods"] = Period.objects.filter(status=Period.Status.OPEN).count()
        result.append({"template": "kpi/cards/team_kpi.html", "context": context, "order": 21})
    return result
