"""What the 360° assessment tells people: a reminder before a round's due date to each rater
who has not completed their ratings (the nightly reminder command sends it)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications import reminders
from notifications.registry import EventType, register
from notifications.reminders import Reminder

from .models import Assessment, AssessmentRound, Rater

RATINGS_DUE = "competency.ratings_due"

EVENTS = (
    EventType(
        RATINGS_DUE,
        _("Reminder: 360° ratings due"),
        _("Complete your 360° ratings in %(round)s by %(due)s"),
        _(
            "You are invited to rate in the 360° assessment round %(round)s, due on %(due)s. "
            "Ratings still to give: %(n)s.\n"
            "Each competency needs a level and a behavioural example as evidence; the "
            "competency index of the people you rate waits for your ratings."
        ),
    ),
)


def register_events() -> None:
    register(*EVENTS)
    reminders.register(ratings_due_reminders)


def ratings_due_reminders(today: dt.date) -> list[Reminder]:
    """Raters with uncompleted invitations in an open round that has a due date, one reminder
    per rater and round (one grouped query)."""
    rows = (
        Rater.objects.filter(
            completed_at__isnull=True,
            assessment__status=Assessment.Status.OPEN,
            assessment__round__status=AssessmentRound.Status.OPEN,
            assessment__round__due_date__gte=today,
        )
        .values(
            "user_id",
            "assessment__round_id",
            "assessment__round__name",
            "assessment__round__due_date",
        )
        .annotate(n=Count("pk"), first=Min("assessment_id"))
        .order_by("assessment__round_id", "user_id")
    )
    return [
        Reminder(
            user_id=row["user_id"],
            event=RATINGS_DUE,
            due=row["assessment__round__due_date"],
            key=f"round:{row['assessment__round_id']}",
            url=(
                reverse("competency:rate", args=[row["first"]])
                if row["n"] == 1
                else reverse("competency:assessment-list")
            ),
            context={
                "round": row["assessment__round__name"],
                "due": row["assessment__round__due_date"].isoformat(),
                "n": row["n"],
            },
        )
        for row in rows
    ]
