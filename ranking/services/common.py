"""What every ranking service uses: the office check."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core import roles


def require_office(actor) -> None:
    """Office-only writes (core.roles.require_office); ``actor=None`` is the system."""
    roles.require_office(actor, _("Only the certification office may run the annual ranking."))
