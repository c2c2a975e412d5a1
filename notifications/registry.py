"""Kinds of notification. An app declares each event it raises once (from ``AppConfig.ready``,
conventionally in ``<app>/events.py``) with the wording of its message.

``subject`` and ``body`` are lazy translatable strings with ``%(name)s`` placeholders; they are
rendered per recipient, in the recipient's language, from the ``context`` given to
:func:`notifications.services.notify`. Context values are language-neutral (names, dates,
numbers, codes) or lazy strings themselves (labels), which render in that language too.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise

from core.errors import DomainError, ErrorCode


@dataclass(frozen=True)
class EventType:
    code: str
    """Stable code ``"<app>.<what>"``; users' preferences and the API refer to it."""
    label: str | Promise
    """What the event is, for the preferences page ("Application returned for supplement")."""
    subject: str | Promise
    body: str | Promise


EVENTS: dict[str, EventType] = {}


def register(*events: EventType) -> None:
    for event in events:
        EVENTS[event.code] = event


def get(code: str) -> EventType:
    try:
        return EVENTS[code]
    except KeyError as exc:
        raise DomainError(
            f"Unknown notification event {code!r}.", code=ErrorCode.UNKNOWN_EVENT
        ) from exc
