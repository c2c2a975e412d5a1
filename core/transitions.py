"""Audited state transitions, shared by every workflow (certification, re-certification, …):
a reason that must be given, a refusal naming the states an action is allowed from, and the
move itself — status set, row saved, audit event recorded in the caller's transaction."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core import audit
from core.errors import DomainError, ErrorCode, InvalidTransition


def require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("A reason is required."), code=ErrorCode.REASON_REQUIRED)
    return reason


def check_state(obj, allowed: tuple[str, ...], action: str, *, label: str = "") -> None:
    """409 with the reason when ``obj.status`` does not allow ``action``."""
    if obj.status not in allowed:
        raise InvalidTransition(
            _("Cannot %(action)s: %(what)s is %(state)s (allowed from: %(allowed)s).")
            % {
                "action": action,
                "what": label or obj._meta.verbose_name,
                "state": obj.get_status_display(),
                "allowed": ", ".join(str(type(obj).Status(s).label) for s in allowed),
            }
        )


def move(*, actor, obj, to: str, action: str, reason: str = "", changes=None, fields=()) -> None:
    """Set ``obj.status`` to ``to``, save, and record the audit event (caller holds the lock)."""
    before = obj.status
    obj.status = to
    obj.save(update_fields=["status", *fields])
    audit.record(
        actor=actor,
        obj=obj,
        action=action,
        from_state=before,
        to_state=to,
        reason=reason,
        changes=changes,
    )


def move_many(*, actor, moves, action: str, fields=()) -> None:
    """:func:`move` for a set of rows of one model, in one update and one audit insert.
    ``moves`` is a list of ``(obj, to, reason)``; each row keeps its own reason in its event
    (caller holds the locks)."""
    moves = list(moves)
    if not moves:
        return
    entries = []
    for obj, to, reason in moves:
        entries.append(
            audit.Entry(obj, action, from_state=obj.status, to_state=to, reason=reason or "")
        )
        obj.status = to
    objs = [obj for obj, _to, _reason in moves]
    model = type(objs[0])
    names = ["status", *fields]
    for obj in objs:  # what save() would do: ``auto_now`` fields take the time of the move
        for name in names:
            model._meta.get_field(name).pre_save(obj, False)
    model.objects.bulk_update(objs, names)
    audit.record_many(actor=actor, entries=entries)
