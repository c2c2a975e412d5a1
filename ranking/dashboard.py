"""Home-page cards of the re-certification (core/dashboard.py): the staff member's own case —
the proposed outcome, the approval and the appeal window — and, for the leadership group, the
outcomes waiting for approval. One or two queries each."""

from __future__ import annotations

from core.roles import Role, has_role

from . import selectors
from .models import RecertificationCase


def cards(user, today) -> list[dict]:
    result: list[dict] = []
    own = selectors.my_cases(user=user).first()
    if own is not None:
        result.append(
            {
                "template": "ranking/cards/my_case.html",
                "context": {"case": own, "today": today},
                "order": 14,
            }
        )
    if has_role(user, Role.LEADERSHIP):
        waiting = RecertificationCase.objects.filter(
            status=RecertificationCase.Status.PUBLISHED, publicity_end__lt=today
        ).count()
        if waiting:
            result.append(
                {
                    "template": "ranking/cards/approvals.html",
                    "context": {"waiting": waiting},
                    "order": 35,
                }
            )
    return result
