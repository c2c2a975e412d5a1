"""To-do items of training (``core.inbox``): the sessions a participant attended and has not
rated yet, while their evaluation is open. One item, one grouped query."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.inbox import InboxItem
from org.scope import staff_of

from . import rules
from .selectors import evaluations_to_give

KINDS = {"training.evaluate": gettext_lazy("Training sessions to rate")}


def items(user, today: dt.date) -> list[InboxItem]:
    me = staff_of(user)
    if me is None:
        return []
    row = (
        evaluations_to_give(staff=me, today=today)
        .order_by()
        .aggregate(n=Count("pk"), first_end=Min("session__end"))
    )
    n = row["n"]
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
            due=row["first_end"] + dt.timedelta(days=rules.EVALUATION_WINDOW_DAYS),
            url=reverse("training:evaluations"),
            count=n,
        )
    ]
