"""The six roles of DOMAIN.md ("Who uses it"), as Django groups.

A user's roles are the groups they belong to (a superuser counts as administrator). The groups
and their model permissions are created by ``org.groups`` after every ``migrate`` so every
database has them; :func:`roles_of` caches the lookup on the user object for the request, and
needs no query at all for the signed-in user of a request (``accounts.backends.RolesModelBackend``
reads their groups with them: :func:`remember_roles`).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .errors import RoleRequired


class Role(models.TextChoices):
    STAFF = "staff", _("Staff member")
    MANAGER = "line_manager", _("Line manager")
    HR = "certification_office", _("Certification office (HR)")
    COMMITTEE = "committee_member", _("Committee member")
    LEADERSHIP = "leadership_group", _("Leadership group")
    ADMIN = "administrator", _("Administrator")


def remember_roles(user, group_names) -> None:
    """Keep on ``user`` its roles, from the names of its groups read together with the user
    (``accounts.backends.RolesModelBackend``): :func:`roles_of` then costs no query."""
    names = set(group_names)
    if user.is_superuser:
        names.add(Role.ADMIN)
    user._ladder_roles = frozenset(names & set(Role.values))


def roles_of(user) -> frozenset[str]:
    """The role codes of ``user`` (empty for anonymous users); cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if getattr(user, "_ladder_roles", None) is None:
        remember_roles(user, user.groups.values_list("name", flat=True))
    roles: frozenset[str] = user._ladder_roles
    return roles


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def is_office(user) -> bool:
    """HR / certification office or administrator: sees and runs everything."""
    return has_role(user, Role.HR, Role.ADMIN)


def require_office(actor, message: str | None = None) -> None:
    """The role guard of the office's writes in services: anyone but HR or an administrator is
    refused (403, ``permission_denied``). ``actor=None`` is the system itself (the demo build,
    a management command). ``message`` says what only the office may do."""
    if actor is not None and not is_office(actor):
        raise RoleRequired(message or gettext("Only the certification office (HR) may do this."))


def require_office_page(user) -> None:
    """The role guard of the office's pages: anyone else gets the 403 page (a role that may not
    act at all), never a redirect or an empty page."""
    if not is_office(user):
        raise PermissionDenied


def office_users():
    """The active users of the certification office (the HR role) — those told of what the
    office must act on (an objection, an appeal). Administrators are not included: they run
    the system, not the procedure."""
    return get_user_model().objects.filter(is_active=True, groups__name=Role.HR).distinct()
