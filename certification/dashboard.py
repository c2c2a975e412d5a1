"""Home-page cards: "am I eligible for the next level?" and my application (staff), my panel
queue (committee), cycles in progress with counts (office and leadership) — three providers,
so that each home-page fragment stays within budget. A few aggregate queries each (the staff
card: ten — the staff record, the level above with its policy, the open cycle offering it, the
latest application, and the figures the eligibility rules read from KPI, training, competency,
discipline and re-certification)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q

from core.roles import Role, has_role
from org.scope import staff_of

from . import eligibility
from .conflicts import committee_candidates
from .models import Application, Cycle, ScoringSheet


def _my_promotion(me, today) -> dict | None:
    """ "Am I eligible for the next level?": every rule evaluated on the reference date of the
    open cycle that offers my next level (today when none is open), with my application."""
    staff = me  # org.scope.staff_of: with its level and track
    target = eligibility.next_level(staff)
    offering = None
    if target is not None:
        offering = (
            Cycle.objects.filter(
                status=Cycle.Status.OPEN,
                window_start__lte=today,
                window_end__gte=today,
                track_id=staff.track_id,
                offers__level=target,
            )
            .order_by("window_end", "pk")
            .first()
        )
    mine = (
        Application.objects.filter(staff_id=staff.pk)
        .exclude(status=Application.Status.WITHDRAWN)
        .select_related("cycle", "target_level")
        .order_by("-created_at")
        .first()
    )
    if target is None and mine is None:
        return None
    on_date = offering.eval_date if offering is not None else today
    evaluation = eligibility.evaluate(staff, target, on_date) if target is not None else None
    applied = mine is not None and offering is not None and mine.cycle_id == offering.pk
    return {
        "target": target,
        "offering": offering,
        "on_date": on_date,
        "evaluation": evaluation,
        "mine": mine,
        "can_apply": offering is not None and not applied,
    }


def promotion_cards(user, today) -> list[dict]:
    """The staff member's "am I eligible for the next level?" and their application."""
    me = staff_of(user)
    card = _my_promotion(me, today) if me is not None else None
    if card is None:
        return []
    return [{"template": "certification/cards/apply.html", "context": card, "order": 15}]


def panel_cards(user, today) -> list[dict]:
    """The committee member's queue of candidates to score."""
    result = []
    if has_role(user, Role.COMMITTEE):
        candidates = committee_candidates(user).filter(cycle__status=Cycle.Status.REVIEW)
        total = candidates.count()
        submitted = ScoringSheet.objects.filter(
            member=user, status=ScoringSheet.Status.SUBMITTED, application__in=candidates
        ).count()
        done = ScoringSheet.objects.filter(
            member=user, status=ScoringSheet.Status.SUBMITTED, application=OuterRef("pk")
        )
        # the next candidates still to score, with a link straight to their dossier
        upcoming = list(
            candidates.exclude(Exists(done))
            .select_related("staff", "target_level")
            .order_by("cycle__window_end", "target_level__order", "staff__employee_no")[:3]
        )
        result.append(
            {
                "template": "certification/cards/committee.html",
                "context": {
                    "total": total,
                    "submitted": submitted,
                    "todo": total - submitted,
                    "upcoming": upcoming,
                },
                "order": 41,
            }
        )
    return result


def cycle_cards(user, today) -> list[dict]:
    """The cycles in progress with their counts (office and leadership)."""
    result = []
    if has_role(user, Role.HR, Role.ADMIN, Role.LEADERSHIP):
        cycles = list(
            Cycle.objects.exclude(status=Cycle.Status.CLOSED)
            .annotate(
                n_applications=Count("applications", filter=~Q(applications__status="withdrawn")),
                n_pending=Count("applications", filter=Q(applications__status="submitted")),
                n_candidates=Count("applications", filter=Q(applications__status="qualified")),
            )
            .order_by("-window_start")[:5]
        )
        result.append(
            {
                "template": "certification/cards/office.html",
                "context": {"cycles": cycles, "office": has_role(user, Role.HR, Role.ADMIN)},
                "order": 42,
            }
        )
    return result
