"""What every ranking service uses: the office check."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.errors import RoleRequired
from core.roles import is_office


def require_office(actor) -> None:
    """Only the certification office runs the ranking and its re-certification (``None``: the
    system itself, e.g. a management command)."""
    if actor is not None and not is_office(actor):
        raise RoleRequired(_("Only the certification office may run the annual ranking."))
