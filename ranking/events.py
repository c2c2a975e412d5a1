"""What the re-certification procedure tells people (DOMAIN.md, "Annual ranking",
re-certification procedure and outcomes): the staff member concerned at each step, the
certification office when an appeal needs its decision; and the appeal-deadline reminder.
Raised by the services right after the state change, inside their transaction.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from certification.events import iso, lazy_format
from core.labels import person_name
from core.roles import office_users
from notifications import reminders
from notifications.registry import EventType, register
from notifications.reminders import Reminder
from notifications.services import Message, notify, notify_each

from .models import RecertificationAppeal, RecertificationCase

CASE_OPENED = "ranking.case_opened"
PANEL_ASSIGNED = "ranking.panel_assigned"
OUTCOME_PROPOSED = "ranking.outcome_proposed"
DECISION_APPROVED = "ranking.decision_approved"
APPEAL_FILED = "ranking.appeal_filed"
APPEAL_DECIDED = "ranking.appeal_decided"
APPEAL_DEADLINE = "ranking.appeal_deadline"

EVENTS = (
    EventType(
        CASE_OPENED,
        _("Re-certification case opened"),
        _("A re-certification at %(level)s has been opened for you"),
        _(
            "A re-certification case has been opened for you at your current level %(level)s: "
            "%(cause)s.\n"
            "What it means: a review panel re-certifies you at %(level)s. Your level and "
            "appointment stay as they are until the case is decided; meanwhile you cannot "
            "apply for promotion.\n"
            "Possible outcomes: a committee score at or above the pass line (%(pass_line)s) "
            "keeps your level; below it you are demoted one level; below the elimination line "
            "(%(elimination_line)s), failing at the lowest level, or failing two years in a "
            "row means elimination from the post.\n"
            "Timeline: the panel scores you; the certification office proposes the outcome "
            "and publishes it for %(publicity_days)s working days for objections; the "
            "leadership group then approves it. You are told at each step.\n"
            "Appeal: against an approved demotion or elimination you may appeal within "
            "%(appeal_days)s working days after the approval, with your reasons and supporting "
            "files; an open appeal holds the outcome until the office decides it."
        ),
    ),
    EventType(
        PANEL_ASSIGNED,
        _("Appointed to a re-certification panel"),
        _("You are on the re-certification panel of %(staff)s"),
        _(
            "The certification office appointed you to the panel re-certifying %(staff)s at "
            "%(level)s (chair: %(chair)s).\n"
            "Next: score each part of the re-certification sheet and submit it on the case "
            "page. If you have a conflict of interest with %(staff)s that is not declared yet, "
            "tell the certification office before scoring."
        ),
    ),
    EventType(
        OUTCOME_PROPOSED,
        _("Re-certification outcome proposed"),
        _("Proposed re-certification outcome: %(outcome)s"),
        _(
            "The certification office proposed the outcome of your re-certification at "
            "%(level)s from the committee score %(score)s (pass line %(pass_line)s): "
            "%(outcome)s (%(ground)s).\n"
            "The proposal is published for objections from %(start)s to %(end)s; any staff "
            "member may object until %(end)s. After that the leadership group approves it or "
            "sends it back to scoring; you will be told its decision."
        ),
    ),
    EventType(
        DECISION_APPROVED,
        _("Re-certification outcome approved"),
        _("Re-certification decision: %(outcome)s"),
        _(
            "The leadership group approved the outcome of your re-certification at %(level)s "
            "on %(date)s: %(outcome)s.\n"
            "%(next)s"
        ),
    ),
    EventType(
        APPEAL_FILED,
        _("Re-certification appeal filed"),
        _("Appeal from %(staff)s against a re-certification outcome"),
        _(
            "%(staff)s appealed on %(date)s against the approved outcome of their "
            "re-certification at %(level)s: %(outcome)s.\n"
            "Reason: %(reason)s\n"
            "Next: examine the appeal and resolve it with a reason — dismissed, re-scored by a "
            "new panel, or outcome changed to kept. The outcome does not take effect while the "
            "appeal is open."
        ),
    ),
    EventType(
        APPEAL_DECIDED,
        _("Re-certification appeal decided"),
        _("Your re-certification appeal was decided: %(decision)s"),
        _(
            "The certification office decided your appeal against the outcome of your "
            "re-certification at %(level)s (%(outcome)s): %(decision)s.\n"
            "Reason: %(reason)s\n"
            "%(next)s"
        ),
    ),
    EventType(
        APPEAL_DEADLINE,
        _("Reminder: re-certification appeal window closing"),
        _("You may appeal your re-certification outcome until %(due)s"),
        _(
            "The approved outcome of your re-certification at %(level)s is %(outcome)s. You "
            "may appeal it until %(due)s, with your reasons and supporting files, on the case "
            "page. Without an appeal the outcome takes effect after that day."
        ),
    ),
)


def register_events() -> None:
    register(*EVENTS)
    reminders.register(appeal_deadline_reminders)


def _url(case_id: int) -> str:
    return reverse("ranking:case-detail", args=[case_id])


def _outcome(case: RecertificationCase):
    return RecertificationCase.Outcome(case.outcome).label


def _opening_context(level_code: str, cause) -> dict:
    from .services.decisions import appeal_workdays, publicity_workdays

    return {
        "level": level_code,
        "cause": cause,
        "pass_line": RecertificationCase().pass_line,
        "elimination_line": RecertificationCase().elimination_line,
        "publicity_days": publicity_workdays(),
        "appeal_days": appeal_workdays(),
    }


BOTTOM_BAND = _("you are in the bottom band of the %(year)s annual ranking")
REFERRED = _("your term-end re-appointment review referred you to re-certification")


def cases_opened(run, cases) -> None:
    """The staff members of the cases a committed run opened (``cases``, a queryset), each
    with a link to their case (the run's pass and elimination lines apply). A commit opens
    thousands: only the case, the login and the level code of those with a login are read."""
    rows = (
        cases.filter(staff__user__isnull=False)
        .order_by()
        .values_list("pk", "staff__user_id", "level__code")
    )
    cause = lazy_format(BOTTOM_BAND, year=run.year)
    lines = {"pass_line": run.pass_line, "elimination_line": run.elimination_line}
    contexts: dict[str, dict] = {}
    messages = []
    for pk, user_id, level_code in rows:
        if level_code not in contexts:
            contexts[level_code] = {**_opening_context(level_code, cause), **lines}
        messages.append(Message(user_id, contexts[level_code], _url(pk)))
    if messages:
        notify_each(event=CASE_OPENED, messages=messages)


def case_referred(case: RecertificationCase) -> None:
    notify(
        event=CASE_OPENED,
        recipients=[case.staff.user_id],
        context=_opening_context(case.level.code, REFERRED),
        url=_url(case.pk),
    )


def panel_assigned(case: RecertificationCase, member_ids) -> None:
    """The members newly on the case's panel (those already on it were told before)."""
    chair = case.chair
    notify(
        event=PANEL_ASSIGNED,
        recipients=member_ids,
        context={
            "staff": case.staff.name,
            "level": case.level.code,
            "chair": person_name(chair) if chair else "—",
        },
        url=_url(case.pk),
    )


def outcome_proposed(case: RecertificationCase) -> None:
    notify(
        event=OUTCOME_PROPOSED,
        recipients=[case.staff.user_id],
        context={
            "level": case.level.code,
            "score": case.committee_score,
            "pass_line": case.pass_line,
            "outcome": _outcome(case),
            "ground": RecertificationCase.Ground(case.ground).label,
            "start": iso(case.publicity_start),
            "end": iso(case.publicity_end),
        },
        url=_url(case.pk),
    )


KEPT_FINAL = _("The decision is final: you keep your level and your appointment.")
APPEAL_UNTIL = _(
    "You may appeal until %(until)s: file your appeal with your reasons and supporting files "
    "on the case page. Without an appeal the outcome takes effect after that day; an open "
    "appeal holds it until the certification office decides."
)


def decision_approved(case: RecertificationCase) -> None:
    kept = case.outcome == RecertificationCase.Outcome.KEPT
    notify(
        event=DECISION_APPROVED,
        recipients=[case.staff.user_id],
        context={
            "level": case.level.code,
            "date": iso(case.approved_on),
            "outcome": _outcome(case),
            "next": KEPT_FINAL if kept else lazy_format(APPEAL_UNTIL, until=iso(case.appeal_until)),
        },
        url=_url(case.pk),
    )


def appeal_filed(appeal: RecertificationAppeal) -> None:
    case = appeal.case
    notify(
        event=APPEAL_FILED,
        recipients=office_users().values_list("pk", flat=True),
        context={
            "staff": case.staff.name,
            "date": iso(appeal.created_at.date()),
            "level": case.level.code,
            "outcome": _outcome(case),
            "reason": appeal.reason,
        },
        url=_url(case.pk),
    )


APPEAL_DECISIONS = {
    "dismissed": (
        _("dismissed"),
        _("The outcome stands; it takes effect once the appeal window is over."),
    ),
    "rescore": (
        _("upheld: re-scored by a new panel"),
        _(
            "Your case goes back to scoring by a new panel with none of the previous members; "
            "you will be told the new proposed outcome."
        ),
    ),
    "kept": (
        _("upheld: you keep your level"),
        _("The outcome is changed to kept; the case is closed."),
    ),
}


def appeal_decided(appeal: RecertificationAppeal, *, decision: str, outcome) -> None:
    """``outcome``: the outcome appealed against (the case's may have changed since)."""
    case = appeal.case
    label, after = APPEAL_DECISIONS[decision]
    notify(
        event=APPEAL_DECIDED,
        recipients=[appeal.filed_by_id],
        context={
            "level": case.level.code,
            "outcome": RecertificationCase.Outcome(outcome).label,
            "decision": label,
            "reason": appeal.resolution,
            "next": after,
        },
        url=_url(case.pk),
    )


def appeal_deadline_reminders(today: dt.date) -> list[Reminder]:
    """Staff members with an approved demotion or elimination whose appeal window is still
    open and who have not appealed: due the window's last day (one query)."""
    open_appeal = RecertificationAppeal.objects.filter(
        case=OuterRef("pk"), status=RecertificationAppeal.Status.OPEN
    )
    rows = (
        RecertificationCase.objects.filter(
            status=RecertificationCase.Status.APPROVED,
            appeal_until__gte=today,
            staff__user__isnull=False,
        )
        .filter(~Exists(open_appeal))
        .order_by("pk")
        .values_list("pk", "staff__user_id", "appeal_until", "level__code", "outcome")
    )
    return [
        Reminder(
            user_id=user_id,
            event=APPEAL_DEADLINE,
            due=due,
            key=f"recertification:{pk}",
            url=_url(pk),
            context={
                "level": level,
                "outcome": RecertificationCase.Outcome(outcome).label,
                "due": iso(due),
            },
        )
        for pk, user_id, due, level, outcome in rows
    ]
