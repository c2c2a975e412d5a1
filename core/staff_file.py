"""The employee file (员工档案): one page per person, a tab per part of their record.

Apps contribute the tabs: a provider ``provider(viewer, staff, today) -> FileSection | None``
registered with :func:`register` from their ``AppConfig.ready()`` (conventionally in
``<app>/staff_file.py``). The page (``org``'s staff detail) has already checked that the viewer
may see this person; a provider applies its own app's scope on top (its selectors) and returns
None when the viewer may see nothing of it. Each provider runs a constant number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise


@dataclass(frozen=True)
class FileSection:
    key: str
    """Stable code of the tab (``"kpi"``, ``"letters"``): the page's anchor ``#file-<key>``."""
    label: str | Promise
    template: str
    context: dict = field(default_factory=dict)
    count: int | None = None
    """How many records the tab lists (shown on the tab), or None."""
    url: str = ""
    """The app's own page for this person, where there is more."""


SectionProvider = Callable[..., FileSection | None]

PROVIDERS: list[tuple[int, SectionProvider]] = []


def register(provider: SectionProvider, *, order: int) -> None:
    """Add an app's tab (once, however often ``ready()`` runs)."""
    if all(p is not provider for _, p in PROVIDERS):
        PROVIDERS.append((order, provider))
        PROVIDERS.sort(key=lambda entry: entry[0])


def sections_for(viewer, staff, *, today: dt.date) -> list[FileSection]:
    """The tabs the viewer may see for ``staff``, in their registered order."""
    found = (provider(viewer, staff, today) for _, provider in PROVIDERS)
    return [section for section in found if section is not None]
