"""The one audit mechanism every app uses.

A service that changes state calls :func:`record` inside its transaction, so the change and
its audit record commit or roll back together. :func:`diff` builds the ``changes`` mapping
(``{field: [old, new]}``) from two snapshots taken with :func:`snapshot`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import CharField, Expression, QuerySet, Value
from django.db.models.functions import Cast, Left

from . import bulk, clock
from .models import AuditEvent


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _field_value(instance: models.Model, field: models.Field) -> Any:
    value = getattr(instance, field.attname)
    if isinstance(field, models.DecimalField) and value is not None:
        # An unsaved default (``0``) and the stored ``Decimal("0.00")`` are the same amount:
        # normalise to the field's places so that :func:`diff` sees no phantom change.
        with contextlib.suppress(TypeError, ValueError, ArithmeticError, ValidationError):
            value = field.to_python(value).quantize(Decimal(1).scaleb(-field.decimal_places))
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """Concrete field values of ``instance`` (foreign keys as ids), JSON-ready. Columns the
    model derives from others (its ``AUDIT_DERIVED`` names, e.g. pinyin initials kept from the
    name) are left out: the change that caused them is recorded."""
    derived = set(getattr(instance, "AUDIT_DERIVED", ()))
    by_attname = {f.attname: f for f in instance._meta.concrete_fields if f.attname not in derived}
    names = fields or list(by_attname)
    return {
        name: _jsonable(
            _field_value(instance, by_attname[name])
            if name in by_attname
            else getattr(instance, name)
        )
        for name in names
    }


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for every field whose value changed."""
    keys = before.keys() | after.keys()
    return {k: [before.get(k), after.get(k)] for k in sorted(keys) if before.get(k) != after.get(k)}


@dataclass(frozen=True)
class Entry:
    """One audit event of a set written by :func:`record_many` (the fields of :func:`record`)."""

    obj: models.Model
    action: str
    from_state: str = ""
    to_state: str = ""
    reason: str = ""
    changes: dict | None = None


def _event(user, entry: Entry) -> AuditEvent:
    return AuditEvent(
        actor=user,
        actor_name=user.get_username() if user else "system",
        content_type=ContentType.objects.get_for_model(entry.obj, for_concrete_model=False),
        object_id=str(entry.obj.pk),
        object_repr=str(entry.obj)[:255],
        action=entry.action,
        from_state=entry.from_state or "",
        to_state=entry.to_state or "",
        reason=entry.reason or "",
        changes={k: _jsonable(v) for k, v in (entry.changes or {}).items()},
    )


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def record(
    *,
    actor,
    obj: models.Model,
    action: str,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    changes: dict | None = None,
) -> AuditEvent:
    """Append one audit event for ``obj``. ``actor`` may be ``None`` for system jobs."""
    event = _event(_user(actor), Entry(obj, action, from_state, to_state, reason, changes))
    event.save(force_insert=True)
    return event


def record_many(*, actor, entries: Iterable[Entry]) -> list[AuditEvent]:
    """Append one audit event per entry, all by ``actor``, in one insert: the bulk path for a
    decision over a set (a cycle's approval appoints every candidate at once). Each event is
    the one :func:`record` would write; their order is the entries' order."""
    user = _user(actor)
    events = [_event(user, entry) for entry in entries]
    return AuditEvent.objects.bulk_create(events, batch_size=5000) if events else []


def record_bulk(*, actor, entries: Iterable[Entry]) -> int:
    """:func:`record_many` for big sets of objects built in Python: the same events, streamed
    with ``COPY`` on PostgreSQL (:func:`core.bulk.copy_create`); nothing is returned but their
    number. Objects the database has just written by the thousand are audited without loading
    them by :func:`record_rows`."""
    user = _user(actor)
    entries = list(entries)
    # The content types are read (and cached) before the COPY starts: no other query may run
    # on the connection while it streams (psycopg would wait on its own COPY for ever).
    ContentType.objects.get_for_models(
        *{type(entry.obj) for entry in entries}, for_concrete_models=False
    )
    return bulk.copy_create(AuditEvent, (_event(user, entry) for entry in entries))


def record_rows(
    *,
    actor,
    rows: QuerySet,
    action: str,
    object_repr: Expression,
    changes: Expression | None = None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
) -> int:
    """:func:`record` for every object of ``rows`` (a queryset), in one ``INSERT … SELECT``
    (:func:`core.bulk.insert_select`): the set-based path for objects the same transaction just
    wrote by the thousand (a ranking commit's cases), none of them loaded into Python. The
    database computes what :func:`record` takes from each object: ``object_repr``, the
    expression of its ``str()`` (cut to 255 characters as :func:`record` does), and
    ``changes``, a ``JSONObject`` of the values :func:`record` would be given. Every event has
    the same time, actor, action, states and reason. Returns the number of events."""
    user = _user(actor)
    kind = ContentType.objects.get_for_model(rows.model, for_concrete_model=False)
    per_row = rows.annotate(
        audit_object_id=Cast("pk", CharField()),
        audit_object_repr=Left(object_repr, 255),
        audit_changes=changes if changes is not None else Value({}, models.JSONField()),
    ).values_list("audit_object_id", "audit_object_repr", "audit_changes")
    return bulk.insert_select(
        AuditEvent,
        fields=["object_id", "object_repr", "changes"],
        rows=per_row,
        constants={
            "at": clock.now(),  # what ``auto_now_add`` stamps
            "actor_id": user.pk if user else None,
            "actor_name": user.get_username() if user else "system",
            "content_type_id": kind.pk,
            "action": action,
            "from_state": from_state or "",
            "to_state": to_state or "",
            "reason": reason or "",
        },
    )


def history(obj: models.Model):
    """Audit events of one object, newest first."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
    ).select_related("actor", "content_type")
