"""What every training service shares: the role guard of the office-only writes."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.errors import RoleRequired
from core.roles import is_office


def require_office(actor) -> None:
    """Office-only writes; ``actor=None`` is the system (demo build, management commands)."""
    if actor is not None and not is_office(actor):
        raise RoleRequired(_("Only the certification office may do this."))
