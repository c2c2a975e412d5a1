"""What the cycle page offers, computed once per page from the transition rules the services
enforce: each action the user's role may take in the cycle's state, enabled or not, with the
reason and — where a window applies — the first day it becomes possible; and the stepper of
the cycle's states with the day each was reached (or is planned)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import clock
from core.errors import InvalidTransition
from core.models import AuditEvent
from core.roles import is_office

from .models import Application, Cycle
from .services import approval_blocker, may_approve
from .services.cycles import CYCLE_TRANSITIONS, check_ready_to_open

S = Cycle.Status

LABELS = {
    "open": gettext_lazy("Open applications"),
    "start_qualification": gettext_lazy("Start qualification review"),
    "start_review": gettext_lazy("Start committee review"),
    "publish": gettext_lazy("Publish results"),
    "approve": gettext_lazy("Approve"),
    "close": gettext_lazy("Close cycle"),
}
CONFIRMS = {
    "open": gettext_lazy(
        "Open applications? The offers, quotas and scoring sheet can no longer be changed."
    ),
    "start_qualification": gettext_lazy(
        "Close the application window? Drafts not submitted can no longer be sent."
    ),
    "start_review": gettext_lazy(
        "Start the committee review? Qualification decisions are closed and applicants can no "
        "longer withdraw."
    ),
    "publish": gettext_lazy(
        "Publish the results? Scores are frozen and the recommended list is shown to every "
        "staff member for the publicity period."
    ),
    "approve": gettext_lazy(
        "Approve the list? Every recommended candidate not returned is appointed to the target "
        "level and gets an appointment letter; this cannot be undone."
    ),
    "close": gettext_lazy("Close the cycle? Nothing in it can change any more."),
}


@dataclass(frozen=True)
class ActionState:
    name: str
    label: str
    confirm: str
    enabled: bool
    reason: str = ""
    from_date: dt.date | None = None


def cycle_actions(
    *,
    user,
    cycle: Cycle,
    status_counts: dict[str, int],
    results=None,
    open_objections: int = 0,
    today: dt.date | None = None,
) -> list[ActionState]:
    """The actions of ``cycle`` ``user`` may take in its state (the office runs every step,
    the leadership group approves), each with whether it can be taken now and why not.
    ``status_counts`` (applications by status), ``results`` (the result rows) and
    ``open_objections`` are the figures the page already read: no query of its own but the
    approval's publisher look-up."""
    today = today or clock.today()
    office = is_office(user)
    out = []
    for name, (_service, state) in CYCLE_TRANSITIONS.items():
        if state != cycle.status or not (may_approve(user) if name == "approve" else office):
            continue
        reason, from_date = _blocker(
            name, user, cycle, status_counts, results, open_objections, today
        )
        out.append(
            ActionState(
                name=name,
                label=str(LABELS[name]),
                confirm=str(CONFIRMS[name]),
                enabled=not reason,
                reason=reason,
                from_date=from_date,
            )
        )
    return out


def _blocker(name, user, cycle, counts, results, open_objections, today):
    if name == "open":
        try:
            check_ready_to_open(cycle)
        except InvalidTransition as exc:
            return exc.message, None
    elif name == "start_review":
        pending = counts.get(Application.Status.SUBMITTED, 0) + counts.get(
            Application.Status.RETURNED, 0
        )
        if pending:
            return _("%(n)s application(s) still await a qualification decision.") % {
                "n": pending
            }, None
    elif name == "publish":
        from .results import flag_label

        blocking = [r for r in results or () if r.blocking]
        if blocking:
            names = ", ".join(
                f"{r.application.staff.name} ({', '.join(flag_label(f) for f in r.blocking)})"
                for r in blocking
            )
            return _("Results are not complete: %(list)s.") % {"list": names}, None
    elif name == "approve":
        blocker = approval_blocker(
            user=user, cycle=cycle, today=today, open_objections=open_objections
        )
        if blocker is not None:
            return blocker.message, blocker.from_date
    return "", None


@dataclass(frozen=True)
class Step:
    state: str
    label: str
    position: str  # "done", "current" or "todo"
    date: dt.date | None = None  # the day the cycle reached the state
    planned: dt.date | None = None  # for a state not reached: the day it is expected


def cycle_steps(*, cycle: Cycle) -> list[Step]:
    """The cycle's states in order, the current one marked, with the day each was reached
    (the last time, from the audit trail: one query) or is planned (window and publicity)."""
    reached: dict[str, dt.date] = {}
    for to_state, at in (
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Cycle),
            object_id=str(cycle.pk),
        )
        .exclude(to_state="")
        .order_by("at", "pk")
        .values_list("to_state", "at")
    ):
        reached[to_state] = timezone.localtime(at).date()
    planned = {
        S.OPEN: cycle.window_start,
        S.QUALIFICATION: cycle.window_end + dt.timedelta(days=1),
        S.PUBLICITY: cycle.publicity_start,
        S.APPROVAL: cycle.publicity_end + dt.timedelta(days=1) if cycle.publicity_end else None,
    }
    order = list(S.values)
    current = order.index(cycle.status)
    steps = []
    for i, (value, label) in enumerate(S.choices):
        position = "done" if i < current else "current" if i == current else "todo"
        date = reached.get(value) if i <= current else None
        if value == S.DRAFT and date is None:
            date = timezone.localtime(cycle.created_at).date()
        if value == S.APPROVAL and cycle.approved_on and i <= current:
            date = cycle.approved_on
        steps.append(
            Step(
                state=value,
                label=str(label),
                position=position,
                date=date,
                planned=planned.get(value) if i > current else None,
            )
        )
    return steps
