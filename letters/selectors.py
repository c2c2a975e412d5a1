"""Reads for letters, scoped through ``org.scope`` (out of scope = not found)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from org.scope import scope_by_staff, staff_of

from .models import Letter


def letter_list(*, user) -> QuerySet[Letter]:
    """Issued letters the caller may see: own (staff), subtree (manager), all (office)."""
    return scope_by_staff(Letter.objects.issued(), user).select_related(
        "staff", "level", "appointment"
    )


def my_letters(*, user) -> QuerySet[Letter]:
    me = staff_of(user)
    if me is None:
        return Letter.objects.none()
    return Letter.objects.issued().filter(staff=me).select_related("staff", "level")


def get_letter_or_404(*, user, pk) -> Letter:
    try:
        return letter_list(user=user).get(pk=pk)
    except (Letter.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def letter_by_code(code: str) -> Letter | None:
    """The issued letter with this verification code (public verification), or ``None``."""
    if not code or len(code) > 32:
        return None
    return (
        Letter.objects.issued()
        .select_related("staff", "level")
        .filter(verification_code=code)
        .first()
    )


def read_pdf(letter: Letter) -> bytes:
    """The stored bytes of an issued letter, exactly as issued."""
    from .services import letter_path

    return letter_path(letter).read_bytes()
