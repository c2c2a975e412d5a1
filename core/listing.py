"""The one list mechanism of the big tables (team KPI, training ledger, staff, cycle board).

A page builds its filtered queryset (scoped by its selector), then hands it to :class:`Listing`
with a whitelist of sort keys. Everything the reader chose lives in the URL — the filters (the
page's own GET form), ``sort`` (``name`` ascending, ``-name`` descending) and ``page`` — so a
list can be bookmarked, shared and exported as seen. A sort key outside the whitelist falls
back to the default; ties are broken by the key's own tie-breakers (the employee number) and
finally the primary key, so pages never overlap; empty values sort last either way.

The page runs two queries for the table whatever its size: the count and the page.
Templates: ``partials/pagination.html`` (previous / next, keeps the filters and the sort),
``partials/sort_header.html`` through ``{% sort_header listing "key" label %}``
(``core.templatetags.listing``) and ``partials/listing_hidden.html`` inside the filter form
(keeps the sort when filtering).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import F, OrderBy, QuerySet
from django.http import HttpRequest, QueryDict

PAGE_SIZE = 50
SORT_PARAM = "sort"
PAGE_PARAM = "page"


@dataclass(frozen=True)
class SortChoice:
    key: str
    descending: bool


def parse_sort(
    value: str | None, *, allowed: Mapping[str, Sequence[str]], default: str
) -> SortChoice:
    """The reader's sort (``key`` or ``-key``) when it is whitelisted, else ``default``."""
    for candidate in (value or "", default):
        key = candidate.removeprefix("-")
        if key in allowed:
            return SortChoice(key=key, descending=candidate.startswith("-"))
    raise ValueError(f"default sort {default!r} is not among {sorted(allowed)}")


def order_expressions(fields: Sequence[str], *, descending: bool) -> list[OrderBy]:
    """``order_by`` expressions for ``fields`` (each may start with ``-``): the first one is
    the column sorted by, reversed when ``descending``; the others break ties in their own
    direction, then the primary key. Empty values come last in both directions."""
    expressions = []
    for index, spec in enumerate((*fields, "pk")):
        name = spec.removeprefix("-")
        reverse = spec.startswith("-") != (descending and index == 0)
        column = F(name)
        expressions.append(column.desc(nulls_last=True) if reverse else column.asc(nulls_last=True))
    return expressions


class Listing:
    """Sorted, paginated view of ``queryset`` for ``request``.

    ``sorts`` maps each URL sort key to the fields it orders by (annotations allowed).
    """

    def __init__(
        self,
        request: HttpRequest,
        queryset: QuerySet,
        *,
        sorts: Mapping[str, Sequence[str]],
        default: str,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self.request = request
        self.sorts = sorts
        self.choice = parse_sort(request.GET.get(SORT_PARAM), allowed=sorts, default=default)
        self.default = default
        self.page_size = page_size
        self.queryset = queryset.order_by(
            *order_expressions(sorts[self.choice.key], descending=self.choice.descending)
        )

    @property
    def sort(self) -> str:
        """The sort in effect, as written in the URL (``-key`` when descending)."""
        return ("-" if self.choice.descending else "") + self.choice.key

    @cached_property
    def page(self) -> Page:
        return Paginator(self.queryset, self.page_size).get_page(self.request.GET.get(PAGE_PARAM))

    def _params(self, **changes: str | None) -> QueryDict:
        params = self.request.GET.copy()
        for name, value in changes.items():
            params.pop(name, None)
            if value is not None:
                params[name] = value
        return params

    def url_with(self, **changes: str | None) -> str:
        """``?…`` of the current URL with ``changes`` applied (``None`` removes a parameter)."""
        encoded = self._params(**changes).urlencode()
        return f"?{encoded}" if encoded else "?"

    def sort_url(self, key: str) -> str:
        """Sorting by ``key``: ascending first, the other way when it is already in effect;
        back to the first page."""
        descending = self.choice.key == key and not self.choice.descending
        return self.url_with(**{SORT_PARAM: ("-" if descending else "") + key, PAGE_PARAM: None})

    def page_url(self, number: int) -> str:
        return self.url_with(**{PAGE_PARAM: str(number)})

    @property
    def export_query(self) -> str:
        """The filters and the sort (not the page): the export gets every filtered row."""
        return self._params(**{PAGE_PARAM: None}).urlencode()

    def direction(self, key: str) -> str:
        """``ascending`` / ``descending`` for the column sorted by, else ``none`` (aria-sort)."""
        if self.choice.key != key:
            return "none"
        return "descending" if self.choice.descending else "ascending"
