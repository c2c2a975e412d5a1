"""The org-unit tree filter of the list pages: the units the reader may see, as a tree, and
the chosen unit's whole subtree applied to a queryset.

One query (the visible units, in tree order); choosing a unit outside the reader's scope, or one
that does not exist, shows nothing rather than everything (and says nothing about that unit);
a value that is no unit id at all is ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from .models import OrgUnit
from .scope import visible_units


@dataclass(frozen=True)
class UnitFilter:
    units: list[OrgUnit]
    """The units the reader may choose, in tree order (a parent before its children)."""
    value: str
    """The ``unit`` parameter as given ("" for every unit)."""
    selected: OrgUnit | None
    param: str = "unit"

    @property
    def active(self) -> bool:
        return bool(self.value)

    def apply(self, queryset: QuerySet, *, field: str = "unit") -> QuerySet:
        """``queryset`` restricted to the chosen unit and every unit below it; ``field`` is the
        lookup to the row's OrgUnit (``"unit"`` on Staff, ``"staff__unit"`` on staff-owned rows)."""
        if not self.value:
            return queryset
        if self.selected is None:
            return queryset.none()
        return queryset.filter(**{f"{field}__path__startswith": self.selected.path})


def unit_filter(request, *, param: str = "unit") -> UnitFilter:
    """The tree filter for ``request.user``, with the unit chosen in ``request.GET[param]``."""
    units = list(visible_units(request.user).order_by("path"))
    value = (request.GET.get(param) or "").strip()
    if not value.isdigit() or len(value) > 18:
        value = ""  # not a unit id at all: no filter, as if the parameter were missing
    selected = next((u for u in units if str(u.pk) == value), None)
    return UnitFilter(units=units, value=value, selected=selected, param=param)


def tree_label(unit: OrgUnit, *, top_depth: int = 0) -> str:
    """The unit's option text in a tree: indented by its depth below the top of the reader's
    tree, with a branch mark (the full path is the option's title)."""
    depth = max(unit.depth - top_depth, 0)
    return "\u3000" * (depth - 1) + "└ " + unit.display_name if depth else unit.display_name
