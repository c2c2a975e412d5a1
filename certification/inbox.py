"""To-do items of promotion certification (``core.inbox``): the office qualifies submitted
applications and resolves objections; a staff member completes a returned application and
sees their result in publicity; a committee member submits their sheets (and the sheets their
chair reopened); the leadership approves results whose publicity has ended. The office's and
the leadership's parts are one union; the committee's, the candidate look-up's two queries; the
staff member's, one query, asked only when a figure (read with the other apps', ``core.inbox``)
says they have an application to list — whatever the number of items.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    CharField,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from committee.panels import min_panel_size
from core.inbox import InboxItem, scalar
from core.models import AuditEvent
from core.roles import Role, has_role
from org.scope import staff_of

from . import defence_inbox
from .conflicts import committee_candidate_rows
from .defence_inbox import day_start
from .models import Application, Cycle, Objection, Panel, ScoringSheet

KINDS = {
    "certification.qualify": gettext_lazy("Applications to qualify"),
    "certification.objections": gettext_lazy("Objections to resolve"),
    "certification.panels": gettext_lazy("Panels below the minimum size"),
    "certification.approve": gettext_lazy("Certification results to approve"),
    "certification.returned": gettext_lazy("My application returned for completion"),
    "certification.publicity": gettext_lazy("My result in publicity"),
    "certification.sheets": gettext_lazy("Scoring sheets to submit"),
    "certification.reopened": gettext_lazy("Scoring sheets reopened by the chair"),
}

A, C = Application.Status, Cycle.Status


def _cycle_url(cycle_id: int) -> str:
    return reverse("certification:cycle-detail", args=[cycle_id])


OFFICE_COLUMNS = ("part", "cycle_id", "cycle__name", "day", "n")


def _role_rows(user, today: dt.date) -> list[tuple]:
    """The rows behind the office's and the leadership's items in one query, a union of one
    grouped part per item kind the user's roles ask for (none when they ask for none):
    ``(part, cycle_id, cycle name, day, n)``. The office's submitted applications per cycle
    (``day``: the window's end) and open objections per cycle; the panels below the minimum
    size (one row each, ``n`` = 1: a handful per cycle); the leadership's cycles whose
    publicity has ended (``day``: its end)."""
    no_day = Value(None, output_field=DateField())
    parts = []
    if has_role(user, Role.HR, Role.ADMIN):
        parts += [
            Application.objects.filter(
                status=A.SUBMITTED, cycle__status__in=(C.OPEN, C.QUALIFICATION)
            )
            .annotate(part=Value("qualify"), day=F("cycle__window_end"))
            .values("part", "cycle_id", "cycle__name", "day")
            .annotate(n=Count("pk")),
            Objection.objects.filter(status=Objection.Status.OPEN)
            .annotate(
                part=Value("objections"),
                cycle_id=F("application__cycle_id"),
                cycle__name=F("application__cycle__name"),
                day=no_day,
            )
            .values("part", "cycle_id", "cycle__name", "day")
            .annotate(n=Count("pk")),
            Panel.objects.filter(cycle__status__in=(C.OPEN, C.QUALIFICATION, C.REVIEW))
            .annotate(size=Count("members"))
            .filter(size__lt=min_panel_size())
            .annotate(part=Value("panels"), day=no_day, n=Value(1)),
        ]
    if has_role(user, Role.LEADERSHIP, Role.ADMIN):
        parts.append(
            Cycle.objects.filter(status=C.PUBLICITY, publicity_end__lt=today).annotate(
                part=Value("approve"),
                cycle_id=F("pk"),
                cycle__name=F("name"),
                day=F("publicity_end"),
                n=Value(1),
            )
        )
    if not parts:
        return []
    rows = [part.order_by().values_list(*OFFICE_COLUMNS) for part in parts]
    return sorted(rows[0].union(*rows[1:], all=True), key=lambda row: (row[1], row[0]))


def _office(rows: list[tuple]) -> Iterator[InboxItem]:
    for part, cycle_id, name, day, n in rows:
        if part == "qualify":
            yield InboxItem(
                kind="certification.qualify",
                title=ngettext(
                    "Qualify %(n)s application in %(cycle)s",
                    "Qualify %(n)s applications in %(cycle)s",
                    n,
                )
                % {"n": n, "cycle": name},
                why=_("Submitted applications wait for the office's qualification review."),
                due=day,
                url=_cycle_url(cycle_id),
                count=n,
                priority=20,
            )
        elif part == "objections":
            yield InboxItem(
                kind="certification.objections",
                title=ngettext(
                    "Resolve %(n)s objection in %(cycle)s",
                    "Resolve %(n)s objections in %(cycle)s",
                    n,
                )
                % {"n": n, "cycle": name},
                why=_("The results cannot be approved while an objection is open."),
                due=None,
                url=_cycle_url(cycle_id),
                count=n,
                priority=10,
            )


def _small_panels(rows: list[tuple]) -> Iterator[InboxItem]:
    needed = min_panel_size()
    by_cycle: dict[tuple[int, str], int] = {}
    for part, cycle_id, name, _day, n in rows:  # one row per panel: a handful per cycle
        if part == "panels":
            by_cycle[(cycle_id, name)] = by_cycle.get((cycle_id, name), 0) + n
    for (cycle_id, name), n in by_cycle.items():
        yield InboxItem(
            kind="certification.panels",
            title=ngettext(
                "Complete %(n)s panel of %(cycle)s",
                "Complete %(n)s panels of %(cycle)s",
                n,
            )
            % {"n": n, "cycle": name},
            why=_("A panel needs at least %(needed)s members before scoring can start.")
            % {"needed": needed},
            due=None,
            url=reverse("certification:cycle-panels", args=[cycle_id]),
            count=n,
            priority=20,
        )


def _leadership(rows: list[tuple], today: dt.date) -> Iterator[InboxItem]:
    for part, cycle_id, name, day, _n in rows:
        if part == "approve":
            yield InboxItem(
                kind="certification.approve",
                title=_("Approve the results of %(cycle)s") % {"cycle": name},
                why=_("The publicity period ended on %(end)s; the appointments wait for approval.")
                % {"end": day},
                due=today,
                url=_cycle_url(cycle_id),
                priority=10,
            )


def _mine(me, today: dt.date) -> QuerySet[Application]:
    """The staff member's applications that may raise an item."""
    return Application.objects.filter(staff_id=me.pk).filter(
        # returned for completion while the cycle takes applications, or in publicity
        Q(
            status__in=(A.RETURNED, A.QUALIFIED),
            cycle__status__in=(C.OPEN, C.QUALIFICATION, C.PUBLICITY),
        )
        # or with a defence still to come (述职答辩, ``defence_inbox``)
        | Q(defence__cancelled_at__isnull=True, defence__ends_at__gte=day_start(today))
    )


def figures(user, today: dt.date) -> dict[str, Subquery]:
    """Whether the staff member has an application that may raise an item (most have none:
    the query that lists them is then skipped); read by ``core.inbox`` with the other apps'
    figures."""
    me = staff_of(user)
    if me is None:
        return {}
    return {"mine": scalar(_mine(me, today), Count("pk"))}


def _staff(me, today: dt.date) -> Iterator[InboxItem]:
    mine = _mine(me, today).select_related("cycle", "defence").order_by("pk")
    for application in mine:
        cycle = application.cycle
        url = reverse("certification:application-detail", args=[application.pk])
        defence = getattr(application, "defence", None)
        if (item := defence_inbox.candidate_item(application, defence, today)) is not None:
            yield item
        if application.status == A.RETURNED and cycle.status in (C.OPEN, C.QUALIFICATION):
            yield InboxItem(
                kind="certification.returned",
                title=_("Complete and resubmit your application to %(cycle)s")
                % {"cycle": cycle.name},
                why=application.decision_reason
                or _("The office returned your application for completion."),
                due=cycle.window_end,
                url=url,
                priority=10,
            )
        elif cycle.status == C.PUBLICITY and application.status == A.QUALIFIED:
            yield InboxItem(
                kind="certification.publicity",
                title=_("Read your result in %(cycle)s") % {"cycle": cycle.name},
                why=_("The results are in publicity; an objection may be filed until the end."),
                due=cycle.publicity_end,
                url=url,
                priority=40,
            )


def _committee(user, today: dt.date) -> Iterator[InboxItem]:
    """One row per candidate the member has not submitted a sheet for (a panel's candidates:
    dozens at most), marked when the chair reopened the member's sheet: read with the conflict
    check, in one query."""
    submitted = ScoringSheet.objects.filter(
        member=user, status=ScoringSheet.Status.SUBMITTED, application=OuterRef("pk")
    )
    reopen_event = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(ScoringSheet),
        object_id=Cast(OuterRef("pk"), CharField()),
        action="reopen",
    )
    reopened_sheet = ScoringSheet.objects.filter(
        member=user, status=ScoringSheet.Status.DRAFT, application=OuterRef("pk")
    ).filter(Exists(reopen_event))
    deadline = Panel.objects.filter(
        cycle_id=OuterRef("cycle_id"), level_id=OuterRef("target_level_id")
    ).values("deadline")[:1]
    rows = committee_candidate_rows(
        user,
        narrow=lambda candidates: (
            candidates.filter(cycle__status=C.REVIEW)
            .exclude(Exists(submitted))
            .annotate(reopened=Exists(reopened_sheet), deadline=Subquery(deadline))
            .order_by("cycle_id", "pk")
        ),
        fields=("pk", "cycle_id", "cycle__name", "staff__name", "reopened", "deadline"),
    )
    to_submit: dict[tuple[int, str], int] = {}
    due_by: dict[tuple[int, str], dt.date | None] = {}
    for pk, cycle_id, cycle_name, staff_name, reopened, due in rows:
        key = (cycle_id, cycle_name)
        to_submit[key] = to_submit.get(key, 0) + 1
        if due is not None and (due_by.get(key) is None or due < due_by[key]):
            due_by[key] = due  # the earliest deadline of the member's panels in the cycle
        due_by.setdefault(key, None)
        if reopened:
            yield InboxItem(
                kind="certification.reopened",
                title=_("Revise your sheet for %(candidate)s") % {"candidate": staff_name},
                why=_("The panel chair reopened your submitted sheet."),
                due=due,
                url=reverse("certification:sheet", args=[pk]),
                priority=10,
            )
    for key, n in to_submit.items():
        _cycle_id, cycle_name = key
        yield InboxItem(
            kind="certification.sheets",
            title=ngettext(
                "Submit %(n)s scoring sheet in %(cycle)s",
                "Submit %(n)s scoring sheets in %(cycle)s",
                n,
            )
            % {"n": n, "cycle": cycle_name},
            why=_("You sit on the panel; the results wait for every member's sheet."),
            due=due_by[key],
            url=reverse("certification:committee"),
            count=n,
            priority=20,
        )


def items(user, today: dt.date, *, figures: dict) -> list[InboxItem]:
    result: list[InboxItem] = []
    rows = _role_rows(user, today)
    if has_role(user, Role.HR, Role.ADMIN):
        result += _office(rows)
        result += _small_panels(rows)
    if has_role(user, Role.LEADERSHIP, Role.ADMIN):
        result += _leadership(rows, today)
    if has_role(user, Role.COMMITTEE):
        result += _committee(user, today)
    me = staff_of(user)
    if me is not None and figures["mine"]:
        result += _staff(me, today)
    return result
