"""Helpers every certification service uses: role checks, row locks, audited transitions."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core import audit
from core.errors import DomainError, InvalidTransition, RoleRequired
from org.roles import Role, has_role


class NotInScope(DomainError):
    """The object is outside the caller's scope: answered as 404 so ids do not leak."""

    code = "not_found"
    status = 404


def require_role(user, *roles: str) -> None:
    if not has_role(user, *roles):
        raise RoleRequired(_("Your role may not perform this action."))


def require_office(user) -> None:
    require_role(user, Role.HR, Role.ADMIN)


def require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("A reason is required."), code="reason_required")
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
