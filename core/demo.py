"""The parts of the demo company that ``manage.py seed_demo`` builds, registered by the apps.

Each app registers its part from its ``AppConfig.ready()``; the command runs them in ``order``
(lowest first), each in its own transaction, and prints their one-line summaries, then each
part's ``epilogue`` (the organisation prints the demo logins) unless ``--quiet``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoPart:
    app: str
    order: int
    build: Callable[..., str | None]
    """``build(*, today, stdout) -> one-line summary or None``."""
    sized: bool = False
    """The part also takes ``staff_count``: the command's ``--staff`` (None: the seed's)."""
    epilogue: Callable[[], str] | None = None
    """Text printed after every part has run (unless ``--quiet``)."""


PARTS: dict[str, DemoPart] = {}


def register(part: DemoPart) -> None:
    """Add (or replace) an app's part of the demo company."""
    PARTS[part.app] = part


def parts() -> list[DemoPart]:
    return sorted(PARTS.values(), key=lambda part: part.order)
