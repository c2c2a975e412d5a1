"""Helpers every certification service uses: role checks, row locks, audited transitions."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.errors import DomainError, NotInScope, RoleRequired  # noqa: F401 - NotInScope re-exported
from core.roles import Role, has_role
from core.transitions import check_state, move, move_many, require_reason  # noqa: F401 - re-exported


def require_role(user, *roles: str) -> None:
    if not has_role(user, *roles):
        raise RoleRequired(_("Your role may not perform this action."))


def require_office(user) -> None:
    require_role(user, Role.HR, Role.ADMIN)
