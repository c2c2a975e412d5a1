"""What the certification app tells people (DOMAIN.md, "Certification"): the events it raises,
their wording, the functions its services call right after a state change (inside the
service's transaction: a rolled-back change leaves no message), and its reminder sources.

Every message says what happened, what the person can do next and by when. Dates are ISO
(language-neutral); labels are lazy and render in the recipient's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.urls import reverse
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from core.labels import person_name
from core.roles import office_users
from notifications import reminders
from notifications.registry import EventType, register
from notifications.reminders import Reminder
from notifications.services import Message, notify, notify_each

from .conflicts import sheets_outstanding
from .models import Application, Cycle, Objection, Panel, ScoringSheet


def _render(message, values: Mapping[str, object]) -> str:
    return str(message) % {k: str(v) for k, v in values.items()}


_lazy_render = lazy(_render, str)


def lazy_format(message: str | Promise, **values) -> Promise:
    """``message % values``, rendered when the recipient's message is: a sentence of a context
    that itself depends on the case (an outcome with its own date), in the recipient's
    language. ``values`` may be lazy too."""
    return _lazy_render(message, values)


def iso(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


def staff_user_ids(applications: Iterable[Application]) -> list[int]:
    return [a.staff.user_id for a in applications if a.staff.user_id]


APPLICATION_SUBMITTED = "certification.application_submitted"
APPLICATION_RETURNED = "certification.application_returned"
APPLICATION_QUALIFIED = "certification.application_qualified"
APPLICATION_REJECTED = "certification.application_rejected"
PANEL_ASSIGNED = "certification.panel_assigned"
SHEET_REOPENED = "certification.sheet_reopened"
PUBLICITY_OPEN = "certification.publicity_open"
OBJECTION_FILED = "certification.objection_filed"
OBJECTION_RESOLVED = "certification.objection_resolved"
RESULTS_APPROVED = "certification.results_approved"
WINDOW_CLOSING = "certification.window_closing"
PUBLICITY_ENDING = "certification.publicity_ending"
SHEETS_DUE = "certification.sheets_due"

EVENTS = (
    EventType(
        APPLICATION_SUBMITTED,
        _("Promotion application received"),
        _("Your application for %(level)s has been received"),
        _(
            "Your promotion application for %(level)s in %(cycle)s was submitted on %(date)s.\n"
            "Next: the certification office checks your eligibility, materials, facts and the "
            "procedure. You will be told when it decides (qualified, returned for completion, "
            "or rejected). You may withdraw the application until the committee review starts."
        ),
    ),
    EventType(
        APPLICATION_RETURNED,
        _("Promotion application returned for completion"),
        _("Your application for %(level)s was returned for completion"),
        _(
            "The certification office returned your promotion application for %(level)s in "
            "%(cycle)s for completion.\n"
            "Reason: %(reason)s\n"
            "Next: complete the application (statement, materials) and submit it again. "
            "Resubmitting is possible until the committee review starts; an application not "
            "resubmitted by then is not reviewed."
        ),
    ),
    EventType(
        APPLICATION_QUALIFIED,
        _("Promotion application qualified"),
        _("Your application for %(level)s passed the qualification review"),
        _(
            "Your promotion application for %(level)s in %(cycle)s passed the qualification "
            "review.\n"
            "Next: the review committee of %(level)s scores it. The results are then published "
            "for objections before the leadership group approves them. Nothing is needed from "
            "you now."
        ),
    ),
    EventType(
        APPLICATION_REJECTED,
        _("Promotion application rejected"),
        _("Your application for %(level)s was rejected"),
        _(
            "The certification office rejected your promotion application for %(level)s in "
            "%(cycle)s.\n"
            "Reason: %(reason)s\n"
            "The application takes no further part in this cycle. If you think the decision "
            "is wrong, contact the certification office; you may apply again in a later cycle."
        ),
    ),
    EventType(
        PANEL_ASSIGNED,
        _("Appointed to a review panel"),
        _("You are on the review panel of %(level)s in %(cycle)s"),
        _(
            "The certification office appointed you to the review panel of %(level)s in "
            "%(cycle)s (chair: %(chair)s).\n"
            'Next: once the committee review starts, score each candidate in "My panel" and '
            "submit your sheets. If you have a conflict of interest with a candidate (relative, "
            "former manager or report, close collaborator), declare it before scoring."
        ),
    ),
    EventType(
        SHEET_REOPENED,
        _("Scoring sheet reopened by the chair"),
        _("Your scoring sheet for %(candidate)s was reopened"),
        _(
            "The panel chair %(chair)s reopened your submitted scoring sheet for %(candidate)s "
            "(%(level)s, %(cycle)s).\n"
            "Reason: %(reason)s\n"
            "Next: review your scores and submit the sheet again; it does not count until "
            "it is submitted."
        ),
    ),
    EventType(
        PUBLICITY_OPEN,
        _("Promotion results published"),
        _("The results of %(cycle)s are published"),
        _(
            "The results of %(cycle)s are published for objections from %(start)s to "
            "%(end)s.\n"
            "Your result for %(level)s: %(result)s — %(outcome)s.\n"
            "Any staff member may file an objection until %(end)s. After the publicity the "
            "leadership group approves the results; you will be told the outcome."
        ),
    ),
    EventType(
        OBJECTION_FILED,
        _("Objection filed during publicity"),
        _("Objection filed against the result of %(candidate)s"),
        _(
            "An objection was filed on %(date)s against the result of %(candidate)s "
            "(%(level)s, %(cycle)s).\n"
            "Objection: %(reason)s\n"
            "Next: examine it and dismiss or uphold it with a reason. The results cannot be "
            "approved while an objection is open; the publicity runs until %(end)s."
        ),
    ),
    EventType(
        OBJECTION_RESOLVED,
        _("Objection resolved"),
        _("Your objection about %(candidate)s was %(decision)s"),
        _(
            "The certification office resolved your objection against the result of "
            "%(candidate)s (%(level)s, %(cycle)s): %(decision)s.\n"
            "Reason: %(reason)s"
        ),
    ),
    EventType(
        RESULTS_APPROVED,
        _("Promotion results approved"),
        _("Outcome of your promotion application: %(outcome)s"),
        _(
            "The leadership group approved the results of %(cycle)s on %(date)s.\n"
            "Your application for %(level)s: %(outcome)s.\n"
            "%(next)s"
        ),
    ),
    EventType(
        WINDOW_CLOSING,
        _("Reminder: draft application not submitted"),
        _("Submit your application for %(level)s by %(due)s"),
        _(
            "Your promotion application for %(level)s in %(cycle)s is still a draft. The "
            "application window closes on %(due)s: a draft not submitted by then is not "
            "reviewed.\n"
            "Next: complete your statement and materials and submit the application."
        ),
    ),
    EventType(
        SHEETS_DUE,
        _("Reminder: scoring sheets due"),
        _("Submit your scoring sheets for %(level)s by %(due)s"),
        _(
            "You sit on the review panel for %(level)s in %(cycle)s and have %(n)s candidates' "
            "sheets still to submit. The panel's deadline is %(due)s; the results wait for "
            "every member's sheet.\n"
            "Next: open your review queue and submit the sheets."
        ),
    ),
    EventType(
        PUBLICITY_ENDING,
        _("Reminder: publicity of promotion results ending"),
        _("Publicity of %(cycle)s ends on %(due)s"),
        _(
            "The publicity of the results of %(cycle)s ends on %(due)s. Objections to a "
            "published result can be filed until that day; afterwards the leadership group "
            "approves the results."
        ),
    ),
)


def register_events() -> None:
    register(*EVENTS)
    reminders.register(window_closing_reminders)
    reminders.register(publicity_ending_reminders)
    reminders.register(sheets_due_reminders)


def _application_url(application: Application) -> str:
    return reverse("certification:application-detail", args=[application.pk])


def _application_context(application: Application, **extra) -> dict:
    return {
        "cycle": application.cycle.name,
        "level": application.target_level.code,
        "candidate": application.staff.name,
        **extra,
    }


# --- applications ---------------------------------------------------------------------------


def application_submitted(application: Application) -> None:
    notify(
        event=APPLICATION_SUBMITTED,
        recipients=[application.staff.user_id],
        context=_application_context(
            application, date=iso(application.submitted_at and application.submitted_at.date())
        ),
        url=_application_url(application),
    )


def application_decided(application: Application) -> None:
    """Qualified, returned or rejected by the office: the applicant is told, with the reason."""
    event = {
        Application.Status.QUALIFIED: APPLICATION_QUALIFIED,
        Application.Status.RETURNED: APPLICATION_RETURNED,
        Application.Status.REJECTED: APPLICATION_REJECTED,
    }[application.status]
    notify(
        event=event,
        recipients=[application.staff.user_id],
        context=_application_context(application, reason=application.decision_reason),
        url=_application_url(application),
    )


# --- committee ------------------------------------------------------------------------------


def panel_assigned(panel: Panel, member_ids: Iterable[int]) -> None:
    """The members newly on ``panel`` (those already on it were told before)."""
    notify(
        event=PANEL_ASSIGNED,
        recipients=member_ids,
        context={
            "cycle": panel.cycle.name,
            "level": panel.level.code,
            "chair": person_name(panel.chair),
        },
        url=reverse("certification:committee"),
    )


def sheet_reopened(sheet: ScoringSheet, *, chair, reason: str) -> None:
    application = sheet.application
    notify(
        event=SHEET_REOPENED,
        recipients=[sheet.member_id],
        context=_application_context(application, chair=person_name(chair), reason=reason),
        url=reverse("certification:sheet", args=[application.pk]),
    )


# --- publicity and approval -----------------------------------------------------------------

RANKED = _("final score %(score)s, rank %(rank)s among the candidates at or above the pass line")
UNDER_PASS_LINE = _("final score %(score)s, under the pass line")
RECOMMENDED = _("recommended for promotion")
NOT_RECOMMENDED = _("not recommended for promotion")


def publicity_open(cycle: Cycle, applications: Iterable[Application]) -> None:
    """Each candidate on the published list, with their own result."""
    messages = []
    for app in applications:
        app.cycle = cycle
        messages.append(
            Message(
                app.staff.user_id,
                _application_context(
                    app,
                    start=iso(cycle.publicity_start),
                    end=iso(cycle.publicity_end),
                    result=lazy_format(RANKED, score=app.final_score, rank=app.rank)
                    if app.rank is not None
                    else lazy_format(UNDER_PASS_LINE, score=app.final_score),
                    outcome=RECOMMENDED if app.recommended else NOT_RECOMMENDED,
                ),
                _application_url(app),
            )
        )
    notify_each(event=PUBLICITY_OPEN, messages=messages)


def objection_filed(objection: Objection) -> None:
    application = objection.application
    notify(
        event=OBJECTION_FILED,
        recipients=office_users().values_list("pk", flat=True),
        context=_application_context(
            application,
            date=iso(objection.created_at.date()),
            reason=objection.reason,
            end=iso(application.cycle.publicity_end),
        ),
        url=_application_url(application),
    )


OBJECTION_DECISIONS = {
    "dismissed": _("dismissed"),
    "review": _("upheld: the application goes back to the committee review"),
    "reject": _("upheld: the application is rejected"),
}


def objection_resolved(objection: Objection) -> None:
    decision = "dismissed" if objection.status == Objection.Status.DISMISSED else objection.outcome
    notify(
        event=OBJECTION_RESOLVED,
        recipients=[objection.filed_by_id],
        context=_application_context(
            objection.application,
            decision=OBJECTION_DECISIONS[decision],
            reason=objection.resolution,
        ),
    )


PROMOTED = _("promoted")
NOT_PROMOTED = _("not promoted")
PROMOTED_NEXT = _(
    "Your appointment at %(level)s starts on %(start)s; your appointment letter follows."
)
NOT_PROMOTED_NEXT = _(
    "You keep your current level. You may apply again in a later cycle once you meet its "
    "conditions."
)


def results_approved(cycle: Cycle, applications: Iterable[Application], *, start) -> None:
    """Each candidate the approval decided (promoted or not), with their outcome."""
    messages = []
    for app in applications:
        app.cycle = cycle
        promoted = app.status == Application.Status.PROMOTED
        messages.append(
            Message(
                app.staff.user_id,
                _application_context(
                    app,
                    date=iso(cycle.approved_on),
                    outcome=PROMOTED if promoted else NOT_PROMOTED,
                    next=lazy_format(PROMOTED_NEXT, level=app.target_level.code, start=iso(start))
                    if promoted
                    else NOT_PROMOTED_NEXT,
                ),
                _application_url(app),
            )
        )
    notify_each(event=RESULTS_APPROVED, messages=messages)


# --- reminders ------------------------------------------------------------------------------


def window_closing_reminders(today: dt.date) -> list[Reminder]:
    """Applicants whose application is still a draft in a cycle open for applications: due
    the day the window closes (one query)."""
    rows = (
        Application.objects.filter(
            status=Application.Status.DRAFT,
            cycle__status=Cycle.Status.OPEN,
            cycle__window_end__gte=today,
            staff__user__isnull=False,
        )
        .order_by("pk")
        .values_list(
            "pk", "staff__user_id", "cycle__window_end", "cycle__name", "target_level__code"
        )
    )
    return [
        Reminder(
            user_id=user_id,
            event=WINDOW_CLOSING,
            due=due,
            key=f"application:{pk}",
            url=reverse("certification:application-detail", args=[pk]),
            context={"cycle": cycle, "level": level, "due": iso(due)},
        )
        for pk, user_id, due, cycle, level in rows
    ]


def publicity_ending_reminders(today: dt.date) -> list[Reminder]:
    """The candidates on a published list while its publicity runs: due its last day, the
    last day for objections (one query)."""
    rows = (
        Application.objects.filter(
            cycle__status=Cycle.Status.PUBLICITY,
            cycle__publicity_end__gte=today,
            staff__user__isnull=False,
        )
        .filter(status=Application.Status.QUALIFIED)
        .order_by("pk")
        .values_list("cycle_id", "staff__user_id", "cycle__publicity_end", "cycle__name")
    )
    return [
        Reminder(
            user_id=user_id,
            event=PUBLICITY_ENDING,
            due=due,
            key=f"cycle:{cycle_id}",
            url=reverse("certification:cycle-detail", args=[cycle_id]),
            context={"cycle": cycle, "due": iso(due)},
        )
        for cycle_id, user_id, due, cycle in rows
    ]


def sheets_due_reminders(today: dt.date) -> list[Reminder]:
    """Panel members with sheets still to submit in a cycle under review: due the panel's
    deadline (panels without one are not reminded). A constant number of queries
    (:func:`certification.conflicts.sheets_outstanding`)."""
    panels = Panel.objects.filter(deadline__gte=today, cycle__status=Cycle.Status.REVIEW)
    facts = {
        pk: (deadline, cycle, level)
        for pk, deadline, cycle, level in panels.values_list(
            "pk", "deadline", "cycle__name", "level__code"
        )
    }
    return [
        Reminder(
            user_id=user_id,
            event=SHEETS_DUE,
            due=facts[panel_id][0],
            key=f"panel:{panel_id}",
            url=reverse("certification:committee"),
            context={
                "cycle": facts[panel_id][1],
                "level": facts[panel_id][2],
                "n": n,
                "due": iso(facts[panel_id][0]),
            },
        )
        for (user_id, panel_id), n in sorted(sheets_outstanding(panels).items())
    ]
