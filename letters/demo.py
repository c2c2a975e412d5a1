"""Demo letters: appointment letters (聘任书) for the most recent promotions of the demo staff.

Idempotent: appointments that already have a live letter are skipped. Issued synchronously
(reserve the numbers, then render) so ``seed_demo`` does not depend on a running worker.
"""

from __future__ import annotations

from org.models import Appointment

from . import services
from .models import Letter

DEMO_LETTERS = 30


def build(*, today, stdout) -> str | None:
    recent = list(
        Appointment.objects.filter(reason=Appointment.Reason.PROMOTION, start__lte=today)
        .exclude(letters__kind=Letter.Kind.PROMOTION, letters__revoked_at__isnull=True)
        .select_related("staff", "staff__unit", "level")
        .order_by("-start", "-id")[:DEMO_LETTERS]
    )
    already = Letter.objects.filter(kind=Letter.Kind.PROMOTION).count()
    if already >= DEMO_LETTERS or not recent:
        return f"Letters: {already} promotion letters (unchanged)."
    recent = recent[: DEMO_LETTERS - already]
    issued = services.letters_issue_now(actor=None, appointments=recent, kind=Letter.Kind.PROMOTION)
    return f"Letters: issued {issued} promotion letters for the latest promotions."
