"""To-do items of the term-end re-appointment (``core.inbox``): the office's terms expiring
within three months with no review started; a staff member's own term ending within three
months, and their training credits short of their level's requirement before the term ends.
At most two queries.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.inbox import InboxItem
from core.roles import is_office
from core.terms import last_day
from org.models import Appointment
from org.scope import staff_of
from training.selectors import credit_figures, credit_standing

from .selectors import DEFAULT_MONTHS, expiring, window

KINDS = {
    "reappointment.unreviewed": gettext_lazy("Terms expiring without a review"),
    "reappointment.term": gettext_lazy("My term ending"),
    "reappointment.credits": gettext_lazy("Training credits short"),
}


def _office(user, today: dt.date) -> list[InboxItem]:
    found = (
        expiring(user=user, today=today)
        .filter(reappointment_case__isnull=True)
        .aggregate(n=Count("pk"), first=Min("end"))
    )
    n = found["n"]
    if not n:
        return []
    return [
        InboxItem(
            kind="reappointment.unreviewed",
            title=ngettext(
                "Start the review of %(n)s term expiring within %(months)s months",
                "Start the review of %(n)s terms expiring within %(months)s months",
                n,
            )
            % {"n": n, "months": DEFAULT_MONTHS},
            why=_("A term that ends without a decision becomes overdue."),
            due=found["first"],
            url=reverse("reappointment:expiring"),
            count=n,
            priority=20,
        )
    ]


def _staff(me, today: dt.date) -> list[InboxItem]:
    # the term and the credit minimum of the level with the credits earned, in one query
    required_credits, earned_credits = credit_standing(staff=me, on_date=today)
    term = (
        Appointment.objects.filter(staff=me, closed_on__isnull=True, end__gte=today)
        .annotate(credits_required=required_credits, credits_earned=earned_credits)
        .order_by("end")
        .values_list("end", "credits_required", "credits_earned")
        .first()
    )
    if term is None:
        return []
    end, credits_required, credits_earned = term
    result = []
    _first, bound = window(today=today)
    if end < bound:
        last = last_day(end)  # the stored end is exclusive: people read the last day
        title = _("Your term ended on %(day)s") if last < today else _("Your term ends on %(day)s")
        result.append(
            InboxItem(
                kind="reappointment.term",
                title=title % {"day": last},
                why=_(
                    "The office reviews your KPI grades, training and competency for the "
                    "re-appointment; check your records are complete."
                ),
                due=last,
                url=reverse("org:me"),
                priority=40,
            )
        )
    # the credit minimum of the level (the training page shows the whole picture)
    required, earned = credit_figures(
        credits_required=credits_required, credits_earned=credits_earned
    )
    if required and earned < required:
        result.append(
            InboxItem(
                kind="reappointment.credits",
                title=_("Earn %(n)s more training credits") % {"n": required - earned},
                why=_(
                    "Your level requires %(required)s credits in the last 12 months; you have "
                    "%(earned)s. The re-appointment at the end of your term checks it."
                )
                % {"required": required, "earned": earned},
                due=last_day(end),
                url=reverse("training:my"),
                priority=40,
            )
        )
    return result


def items(user, today: dt.date) -> list[InboxItem]:
    result: list[InboxItem] = []
    if is_office(user):
        result += _office(user, today)
    me = staff_of(user)
    if me is not None:
        result += _staff(me, today)
    return result
