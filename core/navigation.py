"""The role-aware navigation: one list, each entry naming the roles that see it.

Apps add their pages with :func:`register` from their ``AppConfig.ready()``; ``roles=None``
means every signed-in user.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from org.roles import Role, roles_of


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None = None
    staff_link: bool = False  # only for users with a staff record


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Home"), "home"),
    NavItem(_("My profile"), "org:me", staff_link=True),
    NavItem(
        _("Staff"),
        "org:staff-list",
        frozenset({Role.MANAGER, Role.HR, Role.ADMIN, Role.LEADERSHIP}),
    ),
    NavItem(_("Career ladder"), "org:ladder"),
    NavItem(_("Audit trail"), "admin:core_auditevent_changelist", frozenset({Role.HR, Role.ADMIN})),
    NavItem(_("Administration"), "admin:index", frozenset({Role.HR, Role.ADMIN})),
    NavItem(_("API"), "api-docs", frozenset({Role.HR, Role.ADMIN})),
]


def register(item: NavItem, *, before: str = "admin:core_auditevent_changelist") -> None:
    """Add an app's page to the navigation (before the office/admin entries by default)."""
    if any(existing.url_name == item.url_name for existing in NAV_ITEMS):
        return
    names = [existing.url_name for existing in NAV_ITEMS]
    NAV_ITEMS.insert(names.index(before) if before in names else len(NAV_ITEMS), item)


def items_for(user, has_staff: bool) -> list[dict]:
    roles = roles_of(user)
    result = []
    for item in NAV_ITEMS:
        if item.roles is not None and not (roles & item.roles):
            continue
        if item.staff_link and not has_staff:
            continue
        result.append({"label": item.label, "url": reverse(item.url_name)})
    return result
