"""The applicant's status timeline: the seven milestones of a promotion (DOMAIN.md,
"Certification" steps 1–5) — submitted, qualified, committee review, scored, publicity,
approved, appointment letter — each done (with its date), in progress, upcoming or stopped,
read from the audit trail of the application and its cycle. Four queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from core.models import AuditEvent
from letters.models import Letter

from .models import Application, Cycle, ScoringSheet

A = Application.Status
C = Cycle.Status

DONE, CURRENT, UPCOMING, STOPPED, SKIPPED = "done", "current", "upcoming", "stopped", "skipped"

STEPS = [
    ("submitted", _("Application submitted")),
    ("qualified", _("Qualification review")),
    ("review", _("Committee review")),
    ("scored", _("Scored by the committee")),
    ("publicity", _("Results published (publicity)")),
    ("approved", _("Approved by the leadership group")),
    ("letter", _("Appointment letter issued")),
]
STATE_LABELS = {
    DONE: _("done"),
    CURRENT: _("in progress"),
    UPCOMING: _("upcoming"),
    STOPPED: _("stopped"),
    SKIPPED: _("not applicable"),
}
AFTER_REVIEW = (C.PUBLICITY, C.APPROVAL, C.CLOSED)


@dataclass
class Step:
    code: str
    label: str
    state: str = UPCOMING
    at: object = None  # datetime or date
    note: str = ""

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


def _events(obj_model, pk) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(obj_model), object_id=str(pk)
        ).order_by("at", "id")
    )


def _first(events, *actions):
    return next((e for e in events if e.action in actions), None)


def _last(events, *actions):
    return next((e for e in reversed(events) if e.action in actions), None)


def _letter(app: Application):
    if app.appointment_id is None:
        return None
    return (
        Letter.objects.live()
        .issued()
        .filter(appointment_id=app.appointment_id, kind="promotion")
        .order_by("-issued_at")
        .first()
    )


def build(app: Application) -> list[Step]:
    cycle = app.cycle
    app_events = _events(Application, app.pk)
    cycle_events = _events(Cycle, cycle.pk)
    steps = {code: Step(code, str(label)) for code, label in STEPS}
    status = app.status

    submit = _last(app_events, "submit", "resubmit")
    if status not in (A.DRAFT, A.RETURNED) and submit is not None:
        steps["submitted"].state, steps["submitted"].at = DONE, submit.at
    qualify = _last(app_events, "qualify")
    was_qualified = qualify is not None and status not in (A.SUBMITTED, A.DRAFT, A.RETURNED)
    if was_qualified:
        steps["qualified"].state, steps["qualified"].at = DONE, qualify.at
    if was_qualified and cycle.status not in (C.DRAFT, C.OPEN, C.QUALIFICATION):
        review = _last(cycle_events, "start_review", "back_to_review")
        steps["review"].state = DONE if cycle.status in AFTER_REVIEW else CURRENT
        steps["review"].at = review.at if review else None
        if app.final_score is not None or cycle.status in AFTER_REVIEW:
            last_sheet = ScoringSheet.objects.filter(
                application=app, status=ScoringSheet.Status.SUBMITTED
            ).aggregate(last=Max("submitted_at"))["last"]
            steps["scored"].state, steps["scored"].at = DONE, last_sheet
            if app.final_score is not None:
                steps["scored"].note = str(_("Final score %(score)s, rank %(rank)s")) % {
                    "score": app.final_score,
                    "rank": app.rank or "—",
                }
                steps["review"].state = DONE
    if was_qualified and cycle.status in AFTER_REVIEW:
        publish = _last(cycle_events, "publish")
        steps["publicity"].at = publish.at if publish else None
        if cycle.publicity_start and cycle.publicity_end:
            steps["publicity"].note = str(_("Objections accepted %(start)s – %(end)s")) % {
                "start": cycle.publicity_start.isoformat(),
                "end": cycle.publicity_end.isoformat(),
            }
        steps["publicity"].state = CURRENT if cycle.status == C.PUBLICITY else DONE
    if status in (A.PROMOTED, A.NOT_PROMOTED):
        approve = _last(app_events, "approve")
        steps["approved"].state, steps["approved"].at = DONE, approve.at if approve else None
        steps["approved"].note = app.get_status_display()
        if status == A.NOT_PROMOTED:
            steps["letter"].state = SKIPPED
        else:
            letter = _letter(app)
            if letter is not None:
                steps["letter"].state, steps["letter"].at = DONE, letter.issued_at
                steps["letter"].note = letter.number
            else:
                steps["letter"].state = CURRENT

    ordered = [steps[code] for code, _label in STEPS]
    pending = [s for s in ordered if s.state == UPCOMING]
    if status in (A.REJECTED, A.WITHDRAWN):
        stop = _last(app_events, "reject", "reject_on_objection", "withdraw")
        if pending:
            first = pending[0]
            first.state, first.at = STOPPED, stop.at if stop else None
            first.note = app.get_status_display() + (
                f" — {stop.reason}" if stop and stop.reason else ""
            )
            for s in pending[1:]:
                s.state = SKIPPED
    elif pending and not any(s.state == CURRENT for s in ordered):
        first = pending[0]
        first.state = CURRENT
        if status == A.DRAFT:
            first.note = str(_("Draft: submit it before %(end)s.")) % {
                "end": cycle.window_end.isoformat()
            }
        elif status == A.RETURNED:
            back = _last(app_events, "return")
            first.note = str(_("Returned for completion")) + (
                f" — {back.reason}" if back and back.reason else ""
            )
    return ordered
