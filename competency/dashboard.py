"""The competency card of the home page: my index, my pending ratings, open rounds (HR)."""

from __future__ import annotations

from core.roles import is_office
from org.scope import staff_of

from . import charts, selectors
from .models import AssessmentRound

GAPS_SHOWN = 3  # the largest gaps on the card; the profile page lists them all


def cards(user, today) -> list[dict]:
    me = staff_of(user)
    context = {
        "has_staff": me is not None,
        "index": None,
        "finalized_on": None,
        "gaps": 0,
        "pending": selectors.pending_ratings(user=user).count(),
        "open_rounds": None,
    }
    if me is not None:
        # My latest finalized assessment: index, radar (required vs actual), the gaps largest
        # first with the courses that develop them. Four queries.
        profile = selectors.competency_profile(staff=me)
        latest = profile["assessment"]
        if latest is not None:
            context["index"] = latest.index
            context["finalized_on"] = latest.finalized_on
            gaps = selectors.gaps_with_courses(profile=profile)
            context["gaps"] = len(gaps)
            context["gap_rows"] = gaps[:GAPS_SHOWN]
            context["radar"] = charts.radar(
                [
                    (i["competency"].display_name, i["required"], i["actual"])
                    for i in profile["items"]
                ],
                scale_max=latest.model.scale_max,
            )
    if is_office(user):
        context["open_rounds"] = AssessmentRound.objects.filter(
            status=AssessmentRound.Status.OPEN
        ).count()
    return [{"template": "competency/cards/competency.html", "context": context, "order": 30}]
