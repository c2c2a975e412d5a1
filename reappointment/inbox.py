"""To-do items of the term-end re-appointment (``core.inbox``): the office's terms expiring
within three months with no review started; a staff member's own term ending within three
months, and their training credits short of their level's requirement before the term ends.
No query of its own: its figures are read with the other apps' (``core.inbox``).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Min, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.inbox import InboxItem, scalar
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


def figures(user, today: dt.date) -> dict[str, Subquery]:
    """The figures of the items (read by ``core.inbox`` with the other apps'): for the office,
    how many terms expire within the window with no review started and the earliest end; for
    a staff member, the end of their current term, their level's credit minimum and the
    credits they earned."""
    found = {}
    if is_office(user):
        unreviewed = expiring(user=user, today=today).filter(reappointment_case__isnull=True)
        found["unreviewed"] = scalar(unreviewed, Count("pk"))
        found["first_end"] = scalar(unreviewed, Min("end"))
    me = staff_of(user)
    if me is not None:
        terms = Appointment.objects.filter(staff=me, closed_on__isnull=True, end__gte=today)
        found["term_end"] = scalar(terms, Min("end"))
        found["credits_required"], found["credits_earned"] = credit_standing(
            staff=me, on_date=today
        )
    return found


def _office(found: dict) -> list[InboxItem]:
    n = found["unreviewed"]
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
            due=found["first_end"],
            url=reverse("reappointment:expiring"),
            count=n,
            priority=20,
        )
    ]


def _staff(found: dict, today: dt.date) -> list[InboxItem]:
    end = found["term_end"]
    if end is None:
        return []
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
        credits_required=found["credits_required"], credits_earned=found["credits_earned"]
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


def items(user, today: dt.date, *, figures: dict) -> list[InboxItem]:
    result: list[InboxItem] = []
    if "unreviewed" in figures:  # the office
        result += _office(figures)
    if "term_end" in figures:  # a staff member
        result += _staff(figures, today)
    return result
