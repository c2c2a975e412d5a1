"""How large a panel must be to score.

A panel scores with its *effective* members: members minus those recused for a conflict of
interest. Below ``COMMITTEE_MIN_PANEL`` effective members (default 3) a committee score is not
a committee's judgement, so scoring cannot start (DOMAIN.md, "Certification", step 3). The same
rule holds for promotion panels and re-certification panels.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from core.errors import DomainError, ErrorCode


def min_panel_size() -> int:
    """Effective scorers a panel needs before scoring may start (setting, at least 1)."""
    return max(1, int(settings.COMMITTEE_MIN_PANEL))


def panel_size_require(*, effective: int) -> None:
    """Refuse (``panel_too_small``) when ``effective`` scorers are fewer than the minimum."""
    needed = min_panel_size()
    if effective < needed:
        raise DomainError(
            _(
                "The panel has %(effective)s effective members after recusals; "
                "at least %(needed)s are needed before scoring can start."
            )
            % {"effective": effective, "needed": needed},
            code=ErrorCode.PANEL_TOO_SMALL,
            details={"effective": effective, "needed": needed},
        )
