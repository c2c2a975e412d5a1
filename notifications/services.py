"""Writes for notifications (HackSoft-style services)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

from . import registry
from .models import Notification


@dataclass(frozen=True)
class Attachment:
    """A text attachment (an ``.ics`` invitation): sent with the e-mail, offered in the product."""

    filename: str
    content_type: str
    content: str


def _language_of(user) -> str:
    return settings.LANGUAGE_CODE


def notify(
    *,
    event: str,
    recipients: Iterable,
    context: Mapping[str, object] | None = None,
    url: str = "",
    attachments: Sequence[Attachment] = (),
) -> list[Notification]:
    """Tell each of ``recipients`` (users or user ids; duplicates and ``None`` ignored) that
    ``event`` happened. The messages are written in the caller's transaction, each rendered in
    its recipient's language; their delivery (e-mail, IM) starts on the worker after commit
    and never fails the caller. Returns the notifications written."""
    kind = registry.get(event)
    ids = []
    for r in recipients:
        pk = getattr(r, "pk", r)
        if pk is not None and pk not in ids:
            ids.append(pk)
    if not ids:
        return []
    users = get_user_model().objects.filter(pk__in=ids)
    rows = []
    for user in users:
        language = _language_of(user)
        with translation.override(language):
            values = {k: str(v) for k, v in (context or {}).items()}
            rows.append(
                Notification(
                    recipient=user,
                    event=kind.code,
                    subject=str(kind.subject) % values,
                    body=str(kind.body) % values,
                    url=url,
                    language=language,
                    attachments=[a.__dict__ for a in attachments],
                )
            )
    return Notification.objects.bulk_create(rows)
