"""Who sees whom — the one place object scope is decided (DOMAIN.md, "Who uses it").

- HR (certification office), administrators and the leadership group: everyone.
- Line manager: self, their direct reports, and everyone in their org unit's subtree.
- Anyone else (staff member, committee member): only self. Committee access to candidates is
  granted by the certification app's panel rules, which build on these functions.

Every selector and API ``get_queryset`` filters through here, and an object outside the caller's
scope is simply not found (404), so ids do not leak.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q, QuerySet

from core.errors import NotInScope
from core.roles import Role, has_role

from .models import OrgUnit, Staff


def staff_of(user) -> Staff | None:
    """The staff record linked to ``user``, with its unit, level, track and manager (one query,
    cached on the user object: every card, to-do provider and page of a request shares it).

    Read on every page and every home-page fragment, so it is written as ``get`` (a user has
    at most one staff record: the link is one-to-one), not ``first``: no ordering to build or to
    sort by — 1.3 ms against 1.7 ms a call, measured in a loop on PostgreSQL."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_ladder_staff"):
        try:
            user._ladder_staff = Staff.objects.select_related(
                "unit", "level", "track", "manager"
            ).get(user=user)
        except Staff.DoesNotExist:
            user._ladder_staff = None
    return user._ladder_staff


def sees_everyone(user) -> bool:
    return has_role(user, Role.HR, Role.ADMIN, Role.LEADERSHIP)


def visible_staff_filter(user, prefix: str = "") -> Q:
    """A ``Q`` on Staff (or on a relation to Staff via ``prefix``) for the caller's scope."""
    if sees_everyone(user):
        return Q()
    me = staff_of(user)
    if me is None:
        return Q(pk__in=[])
    condition = Q(**{f"{prefix}pk": me.pk})
    if has_role(user, Role.MANAGER):
        condition |= Q(**{f"{prefix}manager_id": me.pk})
        condition |= Q(**{f"{prefix}unit__path__startswith": me.unit.path})
    return condition


def visible_staff(user) -> QuerySet[Staff]:
    """Staff the caller may see."""
    if not getattr(user, "is_authenticated", False):
        return Staff.objects.none()
    return Staff.objects.filter(visible_staff_filter(user))


def scope_by_staff(queryset: QuerySet, user, field: str = "staff") -> QuerySet:
    """Restrict any queryset of staff-owned rows (``field`` points at Staff) to the scope."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return queryset.filter(visible_staff_filter(user, prefix=f"{field}__"))


def visible_units(user) -> QuerySet[OrgUnit]:
    """Units the caller may browse: all for office/leadership, own subtree for a manager."""
    if sees_everyone(user):
        return OrgUnit.objects.all()
    me = staff_of(user)
    if me is None:
        return OrgUnit.objects.none()
    if has_role(user, Role.MANAGER):
        return OrgUnit.objects.filter(path__startswith=me.unit.path)
    return OrgUnit.objects.filter(pk=me.unit_id)


def staff_visibility(user) -> Callable[[Staff], bool]:
    """The scope above as an in-memory test of a staff row (``pk``, ``manager_id``,
    ``unit_id``): for marking names on a list without a query per row. At most one query (a
    manager's unit ids), then cached on the user object for the request."""
    cached = getattr(user, "_ladder_staff_visibility", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False):
        test: Callable[[Staff], bool] = lambda staff: False  # noqa: E731
    elif sees_everyone(user):
        test = lambda staff: True  # noqa: E731
    else:
        me = staff_of(user)
        if me is None:
            test = lambda staff: False  # noqa: E731
        elif has_role(user, Role.MANAGER):
            unit_ids = set(visible_units(user).values_list("pk", flat=True))
            test = lambda staff: (  # noqa: E731
                staff.pk == me.pk or staff.manager_id == me.pk or staff.unit_id in unit_ids
            )
        else:
            test = lambda staff: staff.pk == me.pk  # noqa: E731
    user._ladder_staff_visibility = test
    return test


def can_see_staff(user, staff: Staff) -> bool:
    return visible_staff(user).filter(pk=staff.pk).exists()


def get_visible_staff_or_404(user, pk) -> Staff:
    try:
        return visible_staff(user).get(pk=pk)
    except (Staff.DoesNotExist, ValueError, TypeError) as exc:
        raise NotInScope from exc
