"""Writes for the organisation and the ladder (DOMAIN.md, "Organisation and career ladder").

Each function is one use case: it validates, locks what it changes, writes, and records an
audit event in the same transaction. API views, admin pages and commands all call these.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from accounts.services import account_deactivate
from core import audit
from core.errors import DomainError, ErrorCode, InvalidTransition, RoleRequired
from core.roles import is_office

from .models import Appointment, Level, OrgUnit, Staff, Track
from .signals import StaffEliminated, StaffExit, send_staff_eliminated, send_staff_exited

STAFF_EDITABLE_FIELDS = ("name", "unit", "manager", "track", "hire_date", "status", "user")


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` plus whole years; 29 February falls back to 28 February in common years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# --- org units ---------------------------------------------------------------------------


def _path_for(unit: OrgUnit, parent: OrgUnit | None) -> tuple[str, int]:
    if parent is None:
        return f"/{unit.pk}/", 0
    return f"{parent.path}{unit.pk}/", parent.depth + 1


PATH_SEPARATOR = " / "


def _path_names_for(unit: OrgUnit, parent: OrgUnit | None) -> tuple[str, str]:
    """The unit's full names: its parent's, then its own — the root company is left out below
    itself (every unit is in it), so a department reads "广州分公司 / 大客户部"."""
    name_en = unit.name_en or unit.name
    if parent is None or parent.parent_id is None:
        return unit.name, name_en
    return (
        f"{parent.path_name}{PATH_SEPARATOR}{unit.name}",
        f"{parent.path_name_en}{PATH_SEPARATOR}{name_en}",
    )


@transaction.atomic
def unit_create(
    *, actor, code: str, name: str, name_en: str = "", parent: OrgUnit | None = None
) -> OrgUnit:
    unit = OrgUnit(code=code, name=name, name_en=name_en, parent=parent, path="")
    unit.full_clean(exclude=["path"])
    unit.save()
    unit.path, unit.depth = _path_for(unit, parent)
    unit.path_name, unit.path_name_en = _path_names_for(unit, parent)
    unit.save(update_fields=["path", "depth", "path_name", "path_name_en"])
    audit.record(actor=actor, obj=unit, action="create", changes=audit.snapshot(unit))
    return unit


def _rename_below(unit: OrgUnit) -> None:
    """Recompute the full names of the units below ``unit`` (a few hundred rows at most: one
    read, one bulk UPDATE)."""
    names: dict[int | None, OrgUnit] = {unit.pk: unit}
    below = list(
        OrgUnit.objects.filter(path__startswith=unit.path).exclude(pk=unit.pk).order_by("depth")
    )
    for child in below:
        parent = names[child.parent_id]
        child.path_name, child.path_name_en = _path_names_for(child, parent)
        names[child.pk] = child
    OrgUnit.objects.bulk_update(below, ["path_name", "path_name_en"], batch_size=500)


@transaction.atomic
def unit_update(*, actor, unit: OrgUnit, **fields) -> OrgUnit:
    """Rename or move a unit. Moving rewrites the paths of the whole subtree in one UPDATE;
    renaming or moving recomputes the full names below it (one read, one bulk UPDATE)."""
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    before = audit.snapshot(unit)
    old_path, old_depth = unit.path, unit.depth
    old_names = unit.path_name, unit.path_name_en
    for name, value in fields.items():
        setattr(unit, name, value)
    parent = unit.parent
    if parent is not None and parent.path.startswith(old_path):
        raise DomainError(_("A unit cannot be moved under itself or one of its sub-units."))
    unit.full_clean(exclude=["path"])
    new_path, new_depth = _path_for(unit, parent)
    unit.path_name, unit.path_name_en = _path_names_for(unit, parent)
    unit.save()
    if new_path != old_path:
        OrgUnit.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
            depth=F("depth") - old_depth + new_depth,
        )
        unit.refresh_from_db()
    if (unit.path_name, unit.path_name_en) != old_names:
        _rename_below(unit)
    changes = audit.diff(before, audit.snapshot(unit))
    if changes:
        audit.record(actor=actor, obj=unit, action="update", changes=changes)
    return unit


# --- tracks and levels -------------------------------------------------------------------


@transaction.atomic
def track_save(*, actor, track: Track) -> Track:
    creating = track.pk is None
    before = {} if creating else audit.snapshot(Track.objects.get(pk=track.pk))
    track.full_clean()
    track.save()
    audit.record(
        actor=actor,
        obj=track,
        action="create" if creating else "update",
        changes=audit.diff(before, audit.snapshot(track)),
    )
    return track


@transaction.atomic
def level_save(*, actor, level: Level) -> Level:
    creating = level.pk is None
    before = {} if creating else audit.snapshot(Level.objects.get(pk=level.pk))
    level.full_clean()
    level.save()
    audit.record(
        actor=actor,
        obj=level,
        action="create" if creating else "update",
        changes=audit.diff(before, audit.snapshot(level)),
    )
    return level


# --- staff -------------------------------------------------------------------------------


def _check_level_track(staff: Staff, level: Level) -> None:
    if level.track_id != staff.track_id:
        raise DomainError(
            _("Level %(level)s does not belong to the track of %(staff)s.")
            % {"level": level.code, "staff": staff.name},
            code=ErrorCode.LEVEL_NOT_IN_TRACK,
        )


@transaction.atomic
def staff_create(
    *,
    actor,
    employee_no: str,
    name: str,
    unit: OrgUnit,
    track: Track,
    hire_date: dt.date,
    manager: Staff | None = None,
    user=None,
    status: str = Staff.Status.ACTIVE,
    level: Level | None = None,
    level_since: dt.date | None = None,
) -> Staff:
    """Create a staff member; with a ``level``, also their initial appointment from
    ``level_since`` (default: the hire date)."""
    staff = Staff(
        employee_no=employee_no,
        name=name,
        unit=unit,
        track=track,
        hire_date=hire_date,
        manager=manager,
        user=user,
        status=status,
    )
    staff.full_clean()
    staff.save()
    audit.record(actor=actor, obj=staff, action="create", changes=audit.snapshot(staff))
    if level is not None:
        appoint(
            actor=actor,
            staff=staff,
            level=level,
            start=level_since or hire_date,
            reason=Appointment.Reason.INITIAL,
        )
        staff.refresh_from_db()
    return staff


@transaction.atomic
def staff_update(*, actor, staff: Staff, **fields) -> Staff:
    """Change a staff member's record. The level is not among the fields: it changes only
    through :func:`appoint`."""
    unknown = set(fields) - set(STAFF_EDITABLE_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    staff = Staff.objects.select_for_update().get(pk=staff.pk)
    before = audit.snapshot(staff)
    for name, value in fields.items():
        setattr(staff, name, value)
    if staff.manager_id is not None and staff.manager_id == staff.pk:
        raise DomainError(_("A staff member cannot be their own manager."), code=ErrorCode.INVALID)
    if "track" in fields and staff.level is not None:
        _check_level_track(staff, staff.level)
    staff.full_clean()
    staff.save()
    changes = audit.diff(before, audit.snapshot(staff))
    if changes:
        audit.record(actor=actor, obj=staff, action="update", changes=changes)
    return staff


# --- appointments ------------------------------------------------------------------------


@dataclass(frozen=True)
class AppointmentRequest:
    """One appointment of a set made by :func:`appointments_make` (the arguments of
    :func:`appoint`)."""

    staff: Staff
    level: Level
    start: dt.date
    reason: str
    decision: str = ""
    audit_reason: str = ""


@transaction.atomic
def appoint(
    *,
    actor,
    staff: Staff,
    level: Level,
    start: dt.date,
    reason: str,
    decision: str = "",
    audit_reason: str = "",
) -> Appointment:
    """Appoint ``staff`` to ``level`` from ``start`` for the level's term (one
    :func:`appointments_make` of one)."""
    request = AppointmentRequest(staff, level, start, reason, decision, audit_reason)
    return appointments_make(actor=actor, items=[request])[0]


@transaction.atomic
def appointments_make(*, actor, items: list[AppointmentRequest]) -> list[Appointment]:
    """Appoint each staff member of ``items`` to their level from their start, for the level's
    term; the new appointments in the order of ``items``. All or nothing: one refusal (an
    exited staff member, a level of another track, a start not after the current appointment's)
    refuses the set.

    Enforces DOMAIN.md's invariant "the current level always equals the open appointment": the
    open appointment (if any) is closed on ``start``, the new one is opened, and the staff
    member's ``level`` follows — all under a row lock on the staff members, so two concurrent
    appointments cannot both stay open. ``level_since`` moves only when the level changes: a
    renewal or a kept re-certification at the same level does not restart the years at level
    that promotion eligibility counts. One audit event per person.

    Set-based: a constant number of queries whatever the number of people (one lock on the
    staff, one on their open appointments, one update to close them, one insert, one update
    of the staff, one audit insert).
    """
    items = list(items)
    if not items:
        return []
    ids = [item.staff.pk for item in items]
    if len(set(ids)) != len(ids):
        raise DomainError(
            _("A staff member is appointed once in one decision."), code=ErrorCode.INVALID
        )
    # Locked in primary-key order, so two sets that share people do not deadlock.
    locked = {
        s.pk: s
        for s in Staff.objects.select_for_update(of=("self",))
        .select_related("level")
        .filter(pk__in=ids)
        .order_by("pk")
    }
    for item in items:
        staff = locked[item.staff.pk]
        if staff.status == Staff.Status.EXITED:
            raise InvalidTransition(
                _("%(name)s left on %(day)s: an exited staff member cannot be appointed.")
                % {
                    "name": staff.name,
                    "day": staff.exit_date.isoformat() if staff.exit_date else "—",
                }
            )
        _check_level_track(staff, item.level)
        if item.reason not in Appointment.Reason.values:
            raise DomainError(_("Unknown appointment reason."), code=ErrorCode.INVALID)
    current: dict[int, Appointment] = {}
    for appointment in Appointment.objects.select_for_update().filter(
        staff_id__in=ids, closed_on__isnull=True
    ):  # the model's order: the latest start first, so setdefault keeps it
        current.setdefault(appointment.staff_id, appointment)
    for item in items:
        open_one = current.get(item.staff.pk)
        if open_one is None:
            continue
        if item.start <= open_one.start:
            raise InvalidTransition(
                _("The new appointment must start after the current one (%(start)s).")
                % {"start": open_one.start.isoformat()}
            )
        open_one.closed_on = item.start
    if current:
        Appointment.objects.bulk_update(list(current.values()), ["closed_on"])
    appointments = Appointment.objects.bulk_create(
        [
            Appointment(
                staff=locked[item.staff.pk],
                level=item.level,
                start=item.start,
                end=add_years(item.start, item.level.term_years),
                reason=item.reason,
                decision=item.decision,
            )
            for item in items
        ]
    )
    entries = []
    for item, appointment in zip(items, appointments, strict=True):
        staff = locked[item.staff.pk]
        from_level = staff.level.code if staff.level is not None else ""
        if staff.level_id != item.level.pk or staff.level_since is None:
            staff.level_since = item.start
        staff.level = item.level
        entries.append(
            audit.Entry(
                staff,
                f"appoint:{item.reason}",
                from_state=from_level,
                to_state=item.level.code,
                reason=item.audit_reason,
                changes={
                    "appointment": appointment.pk,
                    "start": item.start,
                    "end": appointment.end,
                    "decision": item.decision,
                },
            )
        )
    Staff.objects.bulk_update(list(locked.values()), ["level", "level_since"])
    audit.record_many(actor=actor, entries=entries)
    return appointments


@transaction.atomic
def eliminate_from_post(
    *, actor, staff: Staff, on: dt.date, decision: str = "", reason: str = ""
) -> Appointment | None:
    """淘汰 (DOMAIN.md, "Annual ranking", outcomes): the staff member leaves the post. Their
    open appointment is closed on ``on`` and they no longer hold a level (the current level
    equals the open appointment: none). The appointment history and the staff record are kept;
    nothing is deleted. The re-certification decision calls it; it sends
    :data:`org.signals.staff_eliminated`."""
    staff = Staff.objects.select_for_update().get(pk=staff.pk)
    current = (
        Appointment.objects.select_for_update()
        .filter(staff=staff, closed_on__isnull=True)
        .select_related("level")
        .first()
    )
    if current is None:
        raise InvalidTransition(_("%(staff)s holds no post.") % {"staff": staff})
    if on <= current.start:
        raise InvalidTransition(
            _("The elimination must be after the current appointment's start (%(start)s).")
            % {"start": current.start.isoformat()}
        )
    current.closed_on = on
    current.save(update_fields=["closed_on"])
    from_level = current.level.code
    staff.level = None
    staff.level_since = None
    staff.save(update_fields=["level", "level_since"])
    audit.record(
        actor=actor,
        obj=staff,
        action=f"appoint:{Appointment.Reason.ELIMINATION}",
        from_state=from_level,
        to_state="",
        reason=reason,
        changes={"closed_appointment": current.pk, "closed_on": on, "decision": decision},
    )
    send_staff_eliminated(StaffEliminated(actor=actor, staff=staff, on=on))
    return current


# --- off-boarding ------------------------------------------------------------------------


@transaction.atomic
def staff_exit(*, actor, staff: Staff, exit_date: dt.date, reason: str) -> Staff:
    """A staff member leaves (离职): the exit date and reason on the record, the open
    appointment closed on the exit date, the login deactivated with its API tokens and
    sessions revoked, and :data:`org.signals.staff_exited` sent (certification withdraws the
    person's live applications). Every record stays. Only the certification office."""
    if not is_office(actor):
        raise RoleRequired(_("Only the certification office records an exit."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason of the exit."), code=ErrorCode.REASON_REQUIRED)
    staff = Staff.objects.select_for_update().get(pk=staff.pk)
    if staff.status == Staff.Status.EXITED:
        raise InvalidTransition(_("%(staff)s has already left.") % {"staff": staff.name})
    if exit_date < staff.hire_date:
        raise DomainError(
            _("The exit date cannot be before the hire date."), code=ErrorCode.INVALID_DATES
        )
    before = audit.snapshot(staff)
    staff.status = Staff.Status.EXITED
    staff.exit_date = exit_date
    staff.exit_reason = reason
    staff.save(update_fields=["status", "exit_date", "exit_reason"])
    audit.record(
        actor=actor,
        obj=staff,
        action="exit",
        from_state=before["status"],
        to_state=staff.status,
        reason=reason,
        changes=audit.diff(before, audit.snapshot(staff)),
    )
    for appointment in Appointment.objects.select_for_update().filter(
        staff=staff, closed_on__isnull=True
    ):
        appointment.closed_on = exit_date
        appointment.save(update_fields=["closed_on"])
        audit.record(
            actor=actor,
            obj=appointment,
            action="close",
            reason=reason,
            changes={"closed_on": [None, exit_date]},
        )
    if staff.user_id is not None:
        account_deactivate(actor=actor, user=staff.user, reason=reason)
    send_staff_exited(StaffExit(actor=actor, staff=staff, exit_date=exit_date, reason=reason))
    return staff
