"""Who sees a subject's sheets and figures (DOMAIN.md, "Certification" step 3; HotCRP's rule):
no member — the chair included — sees another member's sheet, the spread or the committee
score of a subject before submitting their own sheet for that subject. Those who oversee the
procedure (``oversees``: the office, and in certification the leadership group) see everything.

This is the only place the rule is written; pages, serializers and selectors of both apps ask
it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from .sheets import SUBMITTED, Sheet, is_submitted


def sees_others(*, user, sheets: Iterable[Sheet], oversees: bool = False) -> bool:
    """Whether ``user`` may see the others' sheets of one subject, given that subject's sheets
    (already loaded: no query)."""
    if oversees:
        return True
    uid = getattr(user, "pk", None)
    return uid is not None and any(s.member_id == uid and is_submitted(s) for s in sheets)


def sees_others_of(*, own_sheet: Sheet | None, oversees: bool = False) -> bool:
    """The same rule given the user's own sheet of the subject (``None``: none yet)."""
    return oversees or is_submitted(own_sheet)


def visible_sheets(sheets: QuerySet, *, user, subject: str, oversees: bool = False) -> QuerySet:
    """``sheets`` narrowed to what ``user`` may see: their own, and the others' of every
    subject (``subject``: the sheet's field naming it, e.g. ``"application_id"``) for which
    their own sheet is submitted. One query, however many subjects."""
    if oversees:
        return sheets
    if not getattr(user, "is_authenticated", False):
        return sheets.none()
    own_submitted = sheets.model._default_manager.filter(
        **{subject: OuterRef(subject)}, member=user, status=SUBMITTED
    )
    return sheets.filter(Q(member=user) | Q(Exists(own_submitted)))
