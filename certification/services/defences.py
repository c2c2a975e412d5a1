"""The defence schedule (述职答辩), DOMAIN.md "Certification" step 3: the office books each
qualified candidate a slot before the panel of their target level, in a room and/or by video.

A slot is refused when it ends before it starts, when the application is not a candidate of a
cycle in qualification or committee review, when a panel member sits on another defence at an
overlapping time (on any cycle: one person cannot be in two places at once), when the
candidate has another overlapping defence, or when a panel member is conflicted with the
candidate (the one rule, :mod:`certification.conflicts`). The panel members' and the
candidate's rows are locked (ordered by ``pk``) before the overlap is checked, so two offices
booking the same member at once cannot both succeed on PostgreSQL.

Scheduling, moving and cancelling notify the candidate and each panel member in the same
transaction (``notifications.services.notify``), with the ``.ics`` invitation attached.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, clock
from core.errors import ConflictOfInterest, DomainError, ErrorCode, InvalidTransition
from core.labels import person_name
from core.roles import require_office
from core.transitions import require_reason
from notifications.services import Attachment, notify
from org.models import Staff

from .. import defence_events, defence_ics
from ..conflicts import recusals
from ..models import Application, Cycle, Defence, Panel

SCHEDULABLE_CYCLE = (Cycle.Status.QUALIFICATION, Cycle.Status.REVIEW)
AUDITED = ["starts_at", "ends_at", "place", "video_url", "note", "cancelled_at"]


def default_length() -> dt.timedelta:
    return dt.timedelta(minutes=max(1, int(settings.DEFENCE_DEFAULT_MINUTES)))


def local_text(moment: dt.datetime) -> str:
    """``2026-12-02 09:00`` in the configured time zone (messages and notifications)."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def slot_text(starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if start.date() == end.date():
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
    return f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M}"


def _aware(moment: dt.datetime) -> dt.datetime:
    """Aware and in UTC (a naive moment is read in the configured time zone)."""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment.astimezone(dt.UTC)


def _clean_place(place: str, video_url: str) -> tuple[str, str]:
    place, video_url = (place or "").strip(), (video_url or "").strip()
    if not place and not video_url:
        raise DomainError(
            _("Give the place of the defence or its video link (or both)."),
            code=ErrorCode.PLACE_REQUIRED,
        )
    if video_url:
        try:
            URLValidator(schemes=["http", "https"])(video_url)
        except ValidationError as exc:
            raise DomainError(
                _("The video link is not a web address (http:// or https://)."),
                code=ErrorCode.INVALID,
            ) from exc
    return place[:200], video_url[:500]


def _load(application_pk: int) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("cycle", "staff", "staff__user", "target_level")
        .get(pk=application_pk)
    )


def panel_of(application: Application) -> Panel | None:
    return Panel.objects.filter(
        cycle_id=application.cycle_id, level_id=application.target_level_id
    ).first()


def _lock_people(member_ids: list[int], staff_id: int) -> None:
    """Row locks, in one order everywhere (members' users by pk, then the candidate), that
    serialise every booking involving one of these people."""
    list(get_user_model().objects.select_for_update().filter(pk__in=member_ids).order_by("pk"))
    list(Staff.objects.select_for_update().filter(pk=staff_id).values_list("pk"))


def _overlapping(starts_at, ends_at, application: Application):
    return (
        Defence.objects.filter(
            cancelled_at__isnull=True, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        .exclude(application_id=application.pk)
        .select_related("application__staff", "application__cycle")
        .order_by("starts_at", "pk")
    )


def _refuse_double_booking(starts_at, ends_at, application: Application, members) -> None:
    overlapping = _overlapping(starts_at, ends_at, application)
    member_ids = [m.pk for m in members]
    seated = Panel.objects.filter(
        cycle_id=OuterRef("application__cycle_id"),
        level_id=OuterRef("application__target_level_id"),
        members__in=member_ids,
    )
    clash = overlapping.filter(Exists(seated)).first()
    if clash is not None:
        other_panel = panel_of(clash.application)
        common = set(other_panel.members.values_list("pk", flat=True)) if other_panel else set()
        who = [m for m in members if m.pk in common]
        raise DomainError(
            _(
                "%(member)s already sits on the defence of %(other)s (%(cycle)s) "
                "at %(when)s and cannot be in two places at once."
            )
            % {
                "member": ", ".join(person_name(m) for m in who),
                "other": clash.application.staff.name,
                "cycle": clash.application.cycle.name,
                "when": slot_text(clash.starts_at, clash.ends_at),
            },
            code=ErrorCode.DOUBLE_BOOKED,
            details={"defence": clash.pk, "members": [m.pk for m in who]},
        )
    own = overlapping.filter(application__staff_id=application.staff_id).first()
    if own is not None:
        raise DomainError(
            _("%(candidate)s already has a defence (%(cycle)s) at %(when)s.")
            % {
                "candidate": application.staff.name,
                "cycle": own.application.cycle.name,
                "when": slot_text(own.starts_at, own.ends_at),
            },
            code=ErrorCode.DOUBLE_BOOKED,
            details={"defence": own.pk},
        )


def _refuse_conflicts(application: Application, members) -> None:
    kinds = recusals(application.cycle, [application]).get(application.pk, {})
    conflicted = [m for m in members if kinds.get(m.pk)]
    if conflicted:
        raise ConflictOfInterest(
            _(
                "%(member)s has a conflict of interest with %(candidate)s and may not sit on "
                "the defence; change the panel first."
            )
            % {
                "member": ", ".join(person_name(m) for m in conflicted),
                "candidate": application.staff.name,
            },
            details={"members": [m.pk for m in conflicted]},
        )


def _members(panel: Panel) -> list:
    return list(panel.members.select_related("staff").order_by("pk"))


def _send(defence: Defence, application: Application, members, event: str) -> None:
    """Notify the candidate and each panel member, the ``.ics`` attached (same transaction)."""
    cancelled = defence.cancelled
    candidate_user = application.staff.user
    ics = defence_ics.build(
        defence, candidate_user=candidate_user, members=members, cancelled=cancelled
    )
    attachment = Attachment(defence_ics.filename_of(defence), defence_ics.CONTENT_TYPE, ics)
    where = " · ".join(x for x in (defence.place, defence.video_url) if x)
    context = {
        "candidate": application.staff.name,
        "cycle": application.cycle.name,
        "level": application.target_level.code,
        "when": slot_text(defence.starts_at, defence.ends_at),
        "where": where,
        "reason": defence.cancel_reason,
    }
    if candidate_user is not None:
        notify(
            event=event,
            recipients=[candidate_user],
            context=context,
            url=reverse("certification:application-detail", args=[application.pk]),
            attachments=[attachment],
        )
    notify(
        event=event,
        recipients=[m for m in members if m.pk != getattr(candidate_user, "pk", None)],
        context=context,
        url=reverse("certification:committee"),
        attachments=[attachment],
    )


@transaction.atomic
def defence_schedule(
    *,
    actor,
    application: Application,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None = None,
    place: str = "",
    video_url: str = "",
    note: str = "",
) -> Defence:
    """Book (or move) the defence of a qualified candidate; ``ends_at`` defaults to
    ``DEFENCE_DEFAULT_MINUTES`` after the start. Asked again with the same slot and place, it
    answers the defence as it is (no second notification)."""
    require_office(actor, _("Only the certification office (HR) may schedule defences."))
    place, video_url = _clean_place(place, video_url)
    note = (note or "").strip()[:5000]
    starts_at = _aware(starts_at)
    ends_at = _aware(ends_at) if ends_at is not None else starts_at + default_length()
    if ends_at <= starts_at:
        raise DomainError(
            _("The defence must end after it starts (%(start)s – %(end)s).")
            % {"start": local_text(starts_at), "end": local_text(ends_at)},
            code=ErrorCode.INVALID_SLOT,
        )
    app = _load(application.pk)
    if app.status != Application.Status.QUALIFIED or app.cycle.status not in SCHEDULABLE_CYCLE:
        raise InvalidTransition(
            _(
                "A defence is scheduled for a qualified candidate while the cycle is in "
                "qualification or committee review; this application is %(state)s and the "
                "cycle %(cycle_state)s."
            )
            % {"state": app.get_status_display(), "cycle_state": app.cycle.get_status_display()}
        )
    panel = panel_of(app)
    if panel is None:
        raise DomainError(
            _("The target level %(level)s has no panel in this cycle yet.")
            % {"level": app.target_level.code},
            code=ErrorCode.PANEL_MISSING,
        )
    members = _members(panel)
    _lock_people([m.pk for m in members], app.staff_id)
    _refuse_conflicts(app, members)
    _refuse_double_booking(starts_at, ends_at, app, members)

    defence = Defence.objects.select_for_update().filter(application=app).first()
    values = {
        "starts_at": starts_at,
        "ends_at": ends_at,
        "place": place,
        "video_url": video_url,
        "note": note,
    }
    if defence is None:
        defence = Defence(application=app, scheduled_by=actor, **values)
        defence.save()
        before: dict = {}
        action, event = "schedule_defence", defence_events.SCHEDULED
    else:
        before = audit.snapshot(defence, AUDITED)
        revived = defence.cancelled
        if not revived and all(getattr(defence, k) == v for k, v in values.items()):
            return defence
        for k, v in values.items():
            setattr(defence, k, v)
        defence.cancelled_at, defence.cancel_reason = None, ""
        defence.sequence += 1
        defence.scheduled_by = actor if getattr(actor, "pk", None) else defence.scheduled_by
        defence.save()
        action = "schedule_defence" if revived else "move_defence"
        event = defence_events.SCHEDULED if revived else defence_events.MOVED
    defence.application = app
    audit.record(
        actor=actor,
        obj=defence,
        action=action,
        changes=audit.diff(before, audit.snapshot(defence, AUDITED)),
    )
    _send(defence, app, members, event)
    return defence


@transaction.atomic
def defence_cancel(*, actor, defence: Defence, reason: str) -> Defence:
    """Cancel a scheduled defence, with a reason; the attendees receive the cancellation of
    the same calendar event. The row stays (a new schedule revives it)."""
    require_office(actor, _("Only the certification office (HR) may cancel defences."))
    reason = require_reason(reason)
    defence = Defence.objects.select_for_update().get(pk=defence.pk)
    if defence.cancelled:
        raise InvalidTransition(_("This defence is already cancelled."))
    app = Application.objects.select_related("cycle", "staff", "staff__user", "target_level").get(
        pk=defence.application_id
    )
    before = audit.snapshot(defence, AUDITED)
    defence.cancelled_at, defence.cancel_reason = clock.now(), reason[:5000]
    defence.sequence += 1
    defence.save()
    defence.application = app
    audit.record(
        actor=actor,
        obj=defence,
        action="cancel",
        reason=defence.cancel_reason,
        changes=audit.diff(before, audit.snapshot(defence, AUDITED)),
    )
    panel = panel_of(app)
    _send(defence, app, _members(panel) if panel else [], defence_events.CANCELLED)
    return defence
