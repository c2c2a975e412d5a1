"""To-do items of training (``core.inbox``): the sessions a participant attended and has not
rated yet, while their evaluation is open. One item, from two figures read with the other apps'
(``core.inbox``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Min, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.inbox import InboxItem, scalar
from org.scope import staff_of

from . import rules
from .selectors import evaluations_to_give

KINDS = {"training.evaluate": gettext_lazy("Training sessions to rate")}


def figures(user, today: dt.date) -> dict[str, Subquery]:
    """How many sessions the user has to rate and the end of the earliest (read by
    ``core.inbox`` with the other apps' figures)."""
    me = staff_of(user)
    if me is None:
        return {}
    sessions = evaluations_to_give(staff=me, today=today)
    return {"n": scalar(sessions, Count("pk")), "first_end": scalar(sessions, Min("session__end"))}


def items(user, today: dt.date, *, figures: dict) -> list[InboxItem]:
    n = figures.get("n")
    if not n:
        return []
    return [
        InboxItem(
            kind="training.evaluate",
            title=ngettext(
                "Rate %(n)s training session you attended",
                "Rate %(n)s training sessions you attended",
                n,
            )
            % {"n": n},
            why=_("Your rating is anonymous; it improves the courses and the trainers."),
            due=figures["first_end"] + dt.timedelta(days=rules.EVALUATION_WINDOW_DAYS),
            url=reverse("training:evaluations"),
            count=n,
        )
    ]
