"""To-do items of the annual ranking and re-certification (``core.inbox``): a staff member's
open case and its publicity and appeal windows; the panel member's sheets; the office's
objections and appeals; the leadership's outcomes awaiting approval; a line manager's team
members in the bottom band of the latest committed ranking. The counts of the role items are
figures read with the other apps' (``core.inbox``); the staff member's cases and the manager's
team one grouped query each, asked only when a figure says there is something to list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from committee.panels import min_panel_size
from core.inbox import InboxItem, scalar
from core.roles import Role, has_role
from org.models import Staff
from org.scope import staff_of

from .models import (
    RankingEntry,
    RankingRun,
    RecertificationAppeal,
    RecertificationCase,
    RecertificationObjection,
    RecertificationSheet,
)

KINDS = {
    "ranking.case": gettext_lazy("My re-certification"),
    "ranking.sheets": gettext_lazy("Re-certification sheets to submit"),
    "ranking.panels": gettext_lazy("Re-certification cases without a full panel"),
    "ranking.objections": gettext_lazy("Re-certification objections to resolve"),
    "ranking.appeals": gettext_lazy("Appeals to resolve"),
    "ranking.approve": gettext_lazy("Re-certification outcomes to approve"),
    "ranking.bottom_band": gettext_lazy("Team members in the bottom band"),
}

S = RecertificationCase.Status
CASES = "ranking:case-list"


def _case_url(pk: int) -> str:
    return reverse("ranking:case-detail", args=[pk])


def _my_cases(me) -> QuerySet[RecertificationCase]:
    """The staff member's cases that may raise an item."""
    return RecertificationCase.objects.filter(
        staff=me, status__in=(S.OPEN, S.PUBLISHED, S.APPROVED)
    )


def _team_entries(me) -> QuerySet[RankingEntry]:
    """The committed ranking entries of the line manager's active team."""
    return RankingEntry.objects.filter(
        run__status=RankingRun.Status.COMMITTED,
        staff__manager=me,
        staff__status=Staff.Status.ACTIVE,
    )


def _staff(me, today: dt.date) -> Iterator[InboxItem]:
    cases = _my_cases(me).select_related("level").order_by("pk")
    for case in cases:
        if case.status == S.OPEN:
            yield InboxItem(
                kind="ranking.case",
                title=_("Prepare for your re-certification at %(level)s") % {"level": case.level},
                why=_(
                    "You were in the bottom band of the annual ranking, so a panel re-scores "
                    "you at your level. The outcome is one of: keep the level, demotion by one "
                    "level, or elimination from the post. Prepare your performance evidence; "
                    "the proposed outcome is published for objections and, once approved, "
                    "may be appealed."
                ),
                due=None,
                url=_case_url(case.pk),
                priority=10,
            )
        elif case.status == S.PUBLISHED and case.publicity_end and case.publicity_end >= today:
            yield InboxItem(
                kind="ranking.case",
                title=_("Read the proposed outcome of your re-certification"),
                why=_("The outcome is in publicity; an objection may be filed until %(end)s.")
                % {"end": case.publicity_end},
                due=case.publicity_end,
                url=_case_url(case.pk),
                priority=10,
            )
        elif (
            case.status == S.APPROVED
            and case.outcome != RecertificationCase.Outcome.KEPT
            and case.appeal_until
            and case.appeal_until >= today
        ):
            yield InboxItem(
                kind="ranking.case",
                title=_("Appeal window open until %(day)s") % {"day": case.appeal_until},
                why=_(
                    "The outcome of your re-certification (%(outcome)s) is approved; you may "
                    "appeal it with your reasons and evidence until the window closes."
                )
                % {"outcome": case.get_outcome_display()},
                due=case.appeal_until,
                url=_case_url(case.pk),
                priority=10,
            )


def figures(user, today: dt.date) -> dict[str, Subquery]:
    """The counts behind the role items, one per part the user's roles ask for (read by
    ``core.inbox`` with the other apps' figures): the member's cases without their submitted
    sheet, the office's open objections and appeals and the open cases without a full panel,
    the leadership's outcomes whose publicity ended; and for a staff member whether they have a
    case or a team member in a bottom band at all (most have neither: their queries are then
    skipped)."""
    parts: dict[str, QuerySet] = {}
    me = staff_of(user)
    if me is not None:
        parts["cases"] = _my_cases(me)
        parts["team_band"] = _team_entries(me).filter(in_bottom_band=True)
    if has_role(user, Role.COMMITTEE):
        submitted = RecertificationSheet.objects.filter(
            case=OuterRef("pk"),
            member=user,
            status=RecertificationSheet.Status.SUBMITTED,
            round=OuterRef("round"),
        )
        parts["sheets"] = RecertificationCase.objects.filter(status=S.OPEN, members=user).exclude(
            Exists(submitted)
        )
    if has_role(user, Role.HR, Role.ADMIN):
        # each case's panel size as a scalar, so that the cases are counted in one row
        size = (
            RecertificationCase.objects.filter(pk=OuterRef("pk"))
            .order_by()
            .annotate(members_count=Count("members"))
            .values("members_count")
        )
        parts["objections"] = RecertificationObjection.objects.filter(
            status=RecertificationObjection.Status.OPEN
        )
        parts["appeals"] = RecertificationAppeal.objects.filter(
            status=RecertificationAppeal.Status.OPEN
        )
        parts["panels"] = (
            RecertificationCase.objects.filter(status=S.OPEN)
            .annotate(size=Subquery(size, output_field=IntegerField()))
            .filter(size__lt=min_panel_size())
        )
    if has_role(user, Role.LEADERSHIP, Role.ADMIN):
        parts["approve"] = RecertificationCase.objects.filter(
            status=S.PUBLISHED, publicity_end__lt=today
        )
    return {name: scalar(queryset, Count("pk")) for name, queryset in parts.items()}


def _member(n: int) -> Iterator[InboxItem]:
    if n:
        yield InboxItem(
            kind="ranking.sheets",
            title=ngettext(
                "Submit %(n)s re-certification sheet",
                "Submit %(n)s re-certification sheets",
                n,
            )
            % {"n": n},
            why=_("You sit on the re-certification panel; the outcome waits for your total."),
            due=None,
            url=reverse(CASES),
            count=n,
            priority=20,
        )


def _office(counts: dict[str, int]) -> Iterator[InboxItem]:
    if counts["objections"]:
        n = counts["objections"]
        yield InboxItem(
            kind="ranking.objections",
            title=ngettext(
                "Resolve %(n)s re-certification objection",
                "Resolve %(n)s re-certification objections",
                n,
            )
            % {"n": n},
            why=_("The outcome cannot be approved while an objection is open."),
            due=None,
            url=reverse(CASES),
            count=n,
            priority=10,
        )
    if counts["appeals"]:
        n = counts["appeals"]
        yield InboxItem(
            kind="ranking.appeals",
            title=ngettext("Resolve %(n)s appeal", "Resolve %(n)s appeals", n) % {"n": n},
            why=_("An appealed demotion or elimination waits for the office's decision."),
            due=None,
            url=reverse(CASES),
            count=n,
            priority=10,
        )


def _panels(n: int) -> Iterator[InboxItem]:
    if n:
        needed = min_panel_size()
        yield InboxItem(
            kind="ranking.panels",
            title=ngettext(
                "Assign a panel to %(n)s re-certification case",
                "Assign panels to %(n)s re-certification cases",
                n,
            )
            % {"n": n},
            why=_("A panel needs at least %(needed)s members before scoring can start.")
            % {"needed": needed},
            due=None,
            url=reverse(CASES),
            count=n,
            priority=20,
        )


def _leadership(n: int, today: dt.date) -> Iterator[InboxItem]:
    if n:
        yield InboxItem(
            kind="ranking.approve",
            title=ngettext(
                "Approve %(n)s re-certification outcome",
                "Approve %(n)s re-certification outcomes",
                n,
            )
            % {"n": n},
            why=_(
                "Their publicity has ended; demotions and eliminations take effect once approved."
            ),
            due=today,
            url=reverse(CASES),
            count=n,
            priority=10,
        )


def _manager(me, today: dt.date) -> Iterator[InboxItem]:
    rows = list(
        _team_entries(me)
        .values("run__track_id", "run__year")
        .annotate(n=Count("pk", filter=Q(in_bottom_band=True)))
        .order_by("run__track_id", "-run__year")
    )
    seen: set[int] = set()
    for row in rows:  # the latest committed year of each track
        if row["run__track_id"] in seen:
            continue
        seen.add(row["run__track_id"])
        n = row["n"]
        if n:
            yield InboxItem(
                kind="ranking.bottom_band",
                title=ngettext(
                    "%(n)s team member in the bottom band of the %(year)s ranking",
                    "%(n)s team members in the bottom band of the %(year)s ranking",
                    n,
                )
                % {"n": n, "year": row["run__year"]},
                why=_("They face re-certification; talk with them about the evidence to prepare."),
                due=None,
                url=reverse("ranking:mine"),
                count=n,
                priority=30,
            )


def items(user, today: dt.date, *, figures: dict) -> list[InboxItem]:
    result: list[InboxItem] = []
    if has_role(user, Role.HR, Role.ADMIN):
        result += _office(figures)
        result += _panels(figures["panels"])
    if has_role(user, Role.LEADERSHIP, Role.ADMIN):
        result += _leadership(figures["approve"], today)
    if has_role(user, Role.COMMITTEE):
        result += _member(figures["sheets"])
    me = staff_of(user)
    if me is not None and figures["cases"]:
        result += _staff(me, today)
    if me is not None and figures["team_band"]:
        result += _manager(me, today)
    return result
