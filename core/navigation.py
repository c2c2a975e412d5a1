"""The role-aware navigation: one list, each entry naming the roles that see it and the menu
(group) it sits in.

Apps add their pages with :func:`register` from their ``AppConfig.ready()``; ``roles=None``
means every signed-in user. The bar shows one dropdown per group (in :data:`GROUPS` order); a
group a user sees only one entry of is shown as a plain link, so nobody opens a menu of one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.roles import Role, roles_of

# The menus of the bar, in order; an entry with no group is a top-level link.
GROUPS = {
    "me": pgettext_lazy("navigation menu", "Me"),
    "people": pgettext_lazy("navigation menu", "People"),
    "development": pgettext_lazy("navigation menu", "Development"),
    "certification": pgettext_lazy("navigation menu", "Certification"),
    "office": pgettext_lazy("navigation menu", "Office"),
}


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str] | None = None
    staff_link: bool = False  # only for users with a staff record
    group: str = ""  # a key of GROUPS, or "" for a top-level link
    badge: str = ""  # an API path answering a list (or a page of one): its count is shown
    # A static image shown in the bar instead of the label (which stays for screen readers and
    # as the tooltip), for a top-level entry that must stay narrow.
    icon: str = ""

    def __post_init__(self):
        if self.group and self.group not in GROUPS:
            raise ValueError(f"Unknown navigation group {self.group!r}")


OFFICE = frozenset({Role.HR, Role.ADMIN})
NAV_ITEMS: list[NavItem] = [
    NavItem(_("Home"), "home"),
    NavItem(_("To do"), "inbox", badge="/api/v1/inbox/"),
    NavItem(_("Audit trail"), "admin:core_auditevent_changelist", OFFICE, group="office"),
    NavItem(_("Downloads"), "downloads", OFFICE, group="office"),
    NavItem(pgettext_lazy("menu", "Administration"), "admin:index", OFFICE, group="office"),
    NavItem(_("API"), "api-docs", OFFICE, group="office"),
]


def register(item: NavItem, *, before: str = "admin:core_auditevent_changelist") -> None:
    """Add an app's page to the navigation (before the office/admin entries by default)."""
    if any(existing.url_name == item.url_name for existing in NAV_ITEMS):
        return
    names = [existing.url_name for existing in NAV_ITEMS]
    NAV_ITEMS.insert(names.index(before) if before in names else len(NAV_ITEMS), item)


# Whether a user has a staff record (the organisation app sets it in ``OrgConfig.ready``);
# entries with ``staff_link`` are shown only to such users.
_staff_record_check: Callable[[object], bool] | None = None


def register_staff_record_check(check: Callable[[object], bool]) -> None:
    global _staff_record_check
    _staff_record_check = check


def has_staff_record(user) -> bool:
    return _staff_record_check is not None and _staff_record_check(user)


def items_for(user, has_staff: bool) -> list[dict]:
    roles = roles_of(user)
    result = []
    for item in NAV_ITEMS:
        if item.roles is not None and not (roles & item.roles):
            continue
        if item.staff_link and not has_staff:
            continue
        result.append(
            {
                "label": item.label,
                "url": reverse(item.url_name),
                "group": item.group,
                "badge": item.badge,
                "icon": item.icon,
            }
        )
    return result


def menu_for(items: list[dict], path: str) -> list[dict]:
    """The bar: top-level links and one dropdown per group with two or more entries, in
    :data:`GROUPS` order after the ungrouped links; ``active`` marks the current page (and its
    group)."""
    top = [{**i, "active": i["url"] == path} for i in items if not i["group"]]
    menus = []
    for key, label in GROUPS.items():
        children = [{**i, "active": i["url"] == path} for i in items if i["group"] == key]
        if len(children) == 1:
            menus.append(children[0])
        elif children:
            menus.append(
                {
                    "label": label,
                    "group": key,
                    "children": children,
                    "active": any(c["active"] for c in children),
                }
            )
    return top + menus
