from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied

from core.errors import DomainError
from core.roles import is_office


def require_office(request) -> None:
    if not is_office(request.user):
        raise PermissionDenied


def show_error(request, exc: DomainError) -> None:
    messages.error(request, exc.message)
