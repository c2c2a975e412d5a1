"""What apps above certification may add to its rules, without certification importing them.

``application_blockers``: each ``blocker(staff, level)`` returns a message (already translated)
when ``staff`` may not apply for ``level`` now, else ``None``. The submit service (and the
creation of an application) asks every blocker; the first message refuses the application.
Ranking registers "under re-certification" here from its ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable

from org.models import Level, Staff

ApplicationBlocker = Callable[[Staff, Level], "str | None"]

application_blockers: list[ApplicationBlocker] = []


def register_application_blocker(blocker: ApplicationBlocker) -> None:
    """Add ``blocker`` once (``ready()`` may run more than once in tests)."""
    if blocker not in application_blockers:
        application_blockers.append(blocker)


def application_blocked(staff: Staff, level: Level) -> str | None:
    """The first blocker's message for ``staff`` applying for ``level``, or ``None``."""
    for blocker in application_blockers:
        message = blocker(staff, level)
        if message:
            return message
    return None
