"""The search box in the header: one query finds people, letters, cycles, courses — whatever
the user may see, and nothing else.

Apps contribute result groups: a provider ``provider(user, query, limit) -> list[SearchHit]``
registered with :func:`register` from their ``AppConfig.ready()`` (conventionally in
``<app>/search.py``). A provider applies the same scope as the app's own lists (its selectors)
and runs one query, so a search costs one query per group whatever the size of the company.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise

MAX_QUERY_LENGTH = 100
PER_GROUP = 8


@dataclass(frozen=True)
class SearchHit:
    title: str
    detail: str
    url: str


@dataclass(frozen=True)
class SearchGroup:
    kind: str
    heading: str | Promise
    hits: list[SearchHit] = field(default_factory=list)


SearchProvider = Callable[..., list[SearchHit]]
"""``provider(user, query: str, limit: int) -> list[SearchHit]`` (the query is stripped and
non-empty)."""


@dataclass(frozen=True)
class _Registered:
    kind: str
    heading: str | Promise
    order: int
    provider: SearchProvider


PROVIDERS: dict[str, _Registered] = {}


def register(provider: SearchProvider, *, kind: str, heading: str | Promise, order: int) -> None:
    """Add an app's result group (once per ``kind``, however often ``ready()`` runs)."""
    PROVIDERS[kind] = _Registered(kind, heading, order, provider)


def clean(query: str | None) -> str:
    """The query as searched: surrounding spaces removed, at most MAX_QUERY_LENGTH characters."""
    return (query or "").strip()[:MAX_QUERY_LENGTH]


def search(user, query: str | None, *, limit: int = PER_GROUP) -> list[SearchGroup]:
    """The groups with at least one hit, in their registered order."""
    q = clean(query)
    if not q:
        return []
    groups = []
    for entry in sorted(PROVIDERS.values(), key=lambda e: e.order):
        hits = entry.provider(user, q, limit)
        if hits:
            groups.append(SearchGroup(entry.kind, entry.heading, list(hits)[:limit]))
    return groups
