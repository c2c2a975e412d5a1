"""To-do items of the competency assessment (``core.inbox``): the 360° ratings a user has been
invited to give and not completed, grouped by round and rater type — a staff member's own
self-assessment, a line manager's team, a peer's or expert's colleagues. One grouped query,
asked only when a figure (read with the other apps', ``core.inbox``) says there is something to
rate.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Min, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.inbox import InboxItem, scalar

from .models import Assessment, AssessmentRound, Rater, RaterType

KINDS = {"competency.rate": gettext_lazy("360° ratings to complete")}


def _to_rate(user) -> QuerySet[Rater]:
    """The user's invitations to rate, not completed, of open assessments and rounds."""
    return Rater.objects.filter(
        user=user,
        completed_at__isnull=True,
        assessment__status=Assessment.Status.OPEN,
        assessment__round__status=AssessmentRound.Status.OPEN,
    )


def figures(user, today: dt.date) -> dict[str, Subquery]:
    """Whether the user has ratings to give at all (the office and the leadership, mostly not:
    the grouped query is then skipped); read by ``core.inbox`` with the other apps' figures."""
    return {"to_rate": scalar(_to_rate(user), Count("pk"))}


def items(user, today: dt.date, *, figures: dict) -> list[InboxItem]:
    if not figures["to_rate"]:
        return []
    rows = (
        _to_rate(user)
        .values(
            "assessment__round_id",
            "assessment__round__name",
            "assessment__round__due_date",
            "rater_type",
        )
        .annotate(n=Count("pk"), first=Min("assessment_id"))
        .order_by("assessment__round_id", "rater_type")
    )
    result = []
    for row in rows:
        n, name = row["n"], row["assessment__round__name"]
        if row["rater_type"] == RaterType.SELF:
            title = _("Complete your self-assessment in %(round)s") % {"round": name}
        elif row["rater_type"] == RaterType.MANAGER:
            title = ngettext(
                "Rate %(n)s team member in %(round)s", "Rate %(n)s team members in %(round)s", n
            ) % {"n": n, "round": name}
        else:
            title = ngettext(
                "Give %(n)s 360° rating in %(round)s", "Give %(n)s 360° ratings in %(round)s", n
            ) % {"n": n, "round": name}
        url = (
            reverse("competency:rate", args=[row["first"]])
            if n == 1
            else reverse("competency:assessment-list")
        )
        result.append(
            InboxItem(
                kind="competency.rate",
                title=title,
                why=_("You are invited as a %(rater)s rater; the competency index waits for it.")
                % {"rater": RaterType(row["rater_type"]).label},
                due=row["assessment__round__due_date"],
                url=url,
                count=n,
                priority=30,
            )
        )
    return result
