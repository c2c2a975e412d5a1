"""The competency card of the home page: my index, my pending ratings, open rounds (HR)."""

from __future__ import annotations

from org.roles import is_office
from org.scope import staff_of

from . import selectors
from .models import AssessmentResult, AssessmentRound


def cards(user, today) -> list[dict]:
    me = staff_of(user)
    context = {
        "has_staff": me is not None,
        "index": None,
        "finalized_on": None,
        "gaps": 0,
        "pending": selectors.pending_ratings(user).count(),
        "open_rounds": None,
    }
    if me is not None:
        latest = selectors.latest_assessment(me)
        if latest is not None:
            context["index"] = latest.index
            context["finalized_on"] = latest.finalized_on
            context["gaps"] = AssessmentResult.objects.filter(
                assessment=latest, gap__gt=0, required_level__isnull=False
            ).count()
    if is_office(user):
        context["open_rounds"] = AssessmentRound.objects.filter(
            status=AssessmentRound.Status.OPEN
        ).count()
    return [{"template": "competency/cards/competency.html", "context": context, "order": 30}]
