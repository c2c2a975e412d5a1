"""What every KPI service shares: the role guard of the office-only writes."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core import roles


def require_office(actor) -> None:
    """Office-only writes (core.roles.require_office); ``actor=None`` is the system."""
    roles.require_office(actor, _("Only the certification office (HR) may do this."))
