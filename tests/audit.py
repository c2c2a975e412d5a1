"""Comparing audit events written by different mechanisms (``core.audit.record`` one object at a
time, ``record_rows`` and ``record_bulk`` set-based): what a reader of the trail sees."""

from core.models import AuditEvent

FIELDS = (
    "content_type_id",
    "object_id",
    "object_repr",
    "action",
    "from_state",
    "to_state",
    "reason",
    "changes",
    "actor_id",
    "actor_name",
)


def audit_row(event: AuditEvent, *, without: tuple[str, ...] = ()) -> tuple:
    """The event's fields a reader sees (not its id or time), less ``without``."""
    return tuple(getattr(event, name) for name in FIELDS if name not in without)
