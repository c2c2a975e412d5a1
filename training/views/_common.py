from __future__ import annotations

from django.contrib import messages

from core.errors import DomainError


def show_error(request, exc: DomainError) -> None:
    messages.error(request, exc.message)
