"""The to-do inbox (待办): what each user has to do now, computed from the state of the
records on every request — never a stored list that can drift. An item disappears by itself
once the state that raised it has changed (the application qualified, the sheet submitted).

Apps contribute items: a provider ``provider(user, today) -> Iterable[InboxItem]`` registered
with :func:`register` from their ``AppConfig.ready()`` (conventionally in ``<app>/inbox.py``),
with the headings of the kinds it raises. A provider runs a constant number of queries whatever
the number of items: it counts and groups in SQL, and one item may stand for many things
("Qualify 7 applications in cycle X", ``count=7``). Later work (notifications, reminders, the
defence calendar) reads the same items through :func:`items_for`.

A provider whose items rest on single figures (a count, the earliest date) may register them as
scalar subqueries, ``figures(user, today) -> {name: expression}`` (:func:`scalar` makes one of
a queryset and an aggregate): :func:`items_for` reads the figures of every provider in one query
and passes each provider its own as ``figures={name: value}``. The figures stay with the app
that owns the rule; only the round trip is shared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Aggregate, QuerySet, Subquery, Value
from django.utils.functional import Promise

from core import clock


@dataclass(frozen=True)
class InboxItem:
    """One thing to do. ``kind`` is a stable code (``"<app>.<what>"``) that groups items and
    that API clients may switch on; ``title`` says what to do, ``why`` why it is the user's;
    ``due`` is the date by which to act (None: no deadline); ``url`` the page where it is done;
    ``count`` how many records the item stands for; ``priority`` orders items of the same due
    date (lower first)."""

    kind: str
    title: str
    why: str
    due: dt.date | None
    url: str
    count: int = 1
    priority: int = 50


InboxProvider = Callable[..., Iterable[InboxItem]]
"""``provider(user, today: datetime.date) -> Iterable[InboxItem]``; with ``figures={name:
value}`` as well when it registered figures."""

FiguresProvider = Callable[..., dict[str, Any]]
"""``figures(user, today: datetime.date) -> {name: scalar subquery}`` (none: ``{}``)."""

PROVIDERS: list[InboxProvider] = []
FIGURES: dict[InboxProvider, FiguresProvider] = {}
KINDS: dict[str, str | Promise] = {}


def register(
    provider: InboxProvider,
    *,
    kinds: dict[str, str | Promise],
    figures: FiguresProvider | None = None,
) -> None:
    """Add an app's inbox provider and the headings of the kinds it raises (once, however
    often ``ready()`` runs), with the figures its items rest on, if any."""
    KINDS.update(kinds)
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)
    if figures is not None:
        FIGURES[provider] = figures


def scalar(queryset: QuerySet, aggregate: Aggregate) -> Subquery:
    """``aggregate`` over every row of ``queryset`` as a scalar subquery (one row whatever the
    number of rows: a count of none is 0, a minimum of none is NULL)."""
    return Subquery(
        queryset.order_by()
        .annotate(_all=Value(1))
        .values("_all")  # a constant: no GROUP BY
        .annotate(value=aggregate)
        .values("value")
    )


def figures_for(user, today: dt.date) -> dict[InboxProvider, dict[str, Any]]:
    """The figures of every provider that registered some, ``{provider: {name: value}}``, read
    in one query (none when no provider asks for a figure for ``user``)."""
    wanted = {
        provider: FIGURES[provider](user, today) for provider in PROVIDERS if provider in FIGURES
    }
    columns = {
        f"figure_{i}_{name}": expression
        for i, provider in enumerate(wanted)
        for name, expression in wanted[provider].items()
    }
    if not columns:
        return {provider: {} for provider in wanted}
    row = get_user_model().objects.filter(pk=user.pk).annotate(**columns).values(*columns).get()
    return {
        provider: {name: row[f"figure_{i}_{name}"] for name in wanted[provider]}
        for i, provider in enumerate(wanted)
    }


def _order(item: InboxItem) -> tuple:
    return (item.due is None, item.due or dt.date.max, item.priority, item.kind, item.title)


def items_for(user, *, today: dt.date | None = None) -> list[InboxItem]:
    """Every item of ``user``, the earliest due first, then by priority; undated items last."""
    if not getattr(user, "is_authenticated", False):
        return []
    today = today or clock.today()
    figures = figures_for(user, today)
    items = [
        item
        for provider in PROVIDERS
        for item in (
            provider(user, today, figures=figures[provider])
            if provider in figures
            else provider(user, today)
        )
    ]
    unknown = {item.kind for item in items} - KINDS.keys()
    if unknown:
        raise ValueError(f"Inbox kinds without a heading: {sorted(unknown)}")
    return sorted(items, key=_order)


def grouped(items: list[InboxItem]) -> list[dict]:
    """The items grouped by kind (groups in the order of their most urgent item)."""
    groups: dict[str, dict] = {}
    for item in items:
        group = groups.setdefault(
            item.kind, {"kind": item.kind, "label": KINDS[item.kind], "items": []}
        )
        group["items"].append(item)
    return list(groups.values())
