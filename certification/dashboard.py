"""Home-page cards: open cycles and my application (staff), my panel queue (committee),
cycles in progress with counts (office and leadership). A few aggregate queries each."""

from __future__ import annotations

from django.db.models import Count, Q

from org.roles import Role, has_role
from org.scope import staff_of

from .conflicts import committee_candidates
from .models import Application, Cycle, ScoringSheet


def cards(user, today) -> list[dict]:
    result = []
    me = staff_of(user)
    if me is not None:
        open_cycles = list(
            Cycle.objects.filter(
                status=Cycle.Status.OPEN,
                window_start__lte=today,
                window_end__gte=today,
                track_id=me.track_id,
            ).order_by("window_end")[:3]
        )
        mine = (
            Application.objects.filter(staff_id=me.pk)
            .exclude(status=Application.Status.WITHDRAWN)
            .select_related("cycle", "target_level")
            .order_by("-created_at")
            .first()
        )
        if open_cycles or mine:
            result.append(
                {
                    "template": "certification/cards/apply.html",
                    "context": {"cycles": open_cycles, "mine": mine},
                    "order": 40,
                }
            )
    if has_role(user, Role.COMMITTEE):
        candidates = committee_candidates(user).filter(cycle__status=Cycle.Status.REVIEW)
        total = candidates.count()
        submitted = ScoringSheet.objects.filter(
            member=user, status=ScoringSheet.Status.SUBMITTED, application__in=candidates
        ).count()
        result.append(
            {
                "template": "certification/cards/committee.html",
                "context": {"total": total, "submitted": submitted, "todo": total - submitted},
                "order": 41,
            }
        )
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
                "context": {"cycles": cycles},
                "order": 42,
            }
        )
    return result
