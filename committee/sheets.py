"""A member's scoring sheet: draft until submitted, then locked; only the panel chair reopens a
submitted sheet, with a reason (DOMAIN.md, "Certification" step 3). Both apps' sheet models
fit :class:`Sheet`; the app locks the rows and checks its own stage, then calls these — each
writes the change and its audit event in the caller's transaction."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Protocol, TypeVar

from django.utils.translation import gettext as _

from core import clock
from core.errors import RoleRequired
from core.transitions import check_state, move, require_reason

DRAFT = "draft"
SUBMITTED = "submitted"


class Sheet(Protocol):
    """What the engine needs of a sheet model (``status`` choices include draft/submitted)."""

    pk: Any
    member_id: Any
    status: str
    total: Any  # Decimal; None while a draft where the model allows it
    submitted_at: Any

    def save(self, *args, **kwargs) -> None: ...


S = TypeVar("S", bound=Sheet)


def is_submitted(sheet: Sheet | None) -> bool:
    return sheet is not None and sheet.status == SUBMITTED


def require_chair(actor, chair_id) -> None:
    """403 unless ``actor`` chairs the panel."""
    if actor is None or chair_id is None or chair_id != actor.pk:
        raise RoleRequired(_("Only the panel chair may reopen a sheet."))


def require_draft(sheet: Sheet, action: str) -> None:
    """409 when the sheet is already submitted (locked)."""
    check_state(sheet, (DRAFT,), action)


def sheet_submit(*, actor, sheet: S, total: Decimal) -> S:
    """draft → submitted: the total is fixed, the sheet is locked (audited ``submit``)."""
    require_draft(sheet, _("submit the sheet"))
    sheet.total = total
    sheet.submitted_at = clock.now()
    move(
        actor=actor,
        obj=sheet,
        to=SUBMITTED,
        action="submit",
        fields=("total", "submitted_at"),
        changes={"total": total},
    )
    return sheet


def sheet_reopen(*, actor, sheet: S, chair_id, reason: str, keep_total: bool) -> S:
    """submitted → draft, by the chair only, with a reason (audited ``reopen``). A computed
    total is cleared (``keep_total=False``); a total the member typed stays as their draft."""
    reason = require_reason(reason)
    require_chair(actor, chair_id)
    check_state(sheet, (SUBMITTED,), _("reopen the sheet"))
    sheet.submitted_at = None
    fields = ["submitted_at"]
    if not keep_total:
        sheet.total = None
        fields.append("total")
    move(actor=actor, obj=sheet, to=DRAFT, action="reopen", reason=reason, fields=tuple(fields))
    return sheet
