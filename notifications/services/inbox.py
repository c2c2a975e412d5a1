"""A person's own notifications and preferences."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from core import clock
from core.errors import DomainError, ErrorCode, NotInScope

from .. import registry
from ..models import Notification, NotificationSettings


def notification_mark_read(*, user, notification: Notification) -> Notification:
    """Mark one of ``user``'s notifications read (once: the first reading time is kept)."""
    if notification.recipient_id != user.pk:
        raise NotInScope()
    if notification.read_at is None:
        notification.read_at = clock.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notification_mark_all_read(*, user) -> int:
    """Mark every unread notification of ``user`` read; how many were."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=clock.now()
    )


@transaction.atomic
def settings_update(
    *,
    user,
    language: str | None = None,
    email_enabled: bool | None = None,
    im_enabled: bool | None = None,
    digest: bool | None = None,
    muted_events: Iterable[str] | None = None,
) -> NotificationSettings:
    """Change ``user``'s preferences (the row is created on the first change). Unknown
    languages and event codes are refused (``invalid``)."""
    prefs, _ = NotificationSettings.objects.select_for_update().get_or_create(
        user=user, defaults={"language": settings.LANGUAGE_CODE}
    )
    if language is not None:
        if language not in dict(settings.LANGUAGES):
            raise DomainError(
                gettext("Unknown language %(code)s.") % {"code": language},
                code=ErrorCode.INVALID,
            )
        prefs.language = language
    for name, value in (
        ("email_enabled", email_enabled),
        ("im_enabled", im_enabled),
        ("digest", digest),
    ):
        if value is not None:
            setattr(prefs, name, bool(value))
    if muted_events is not None:
        codes = sorted(set(muted_events))
        unknown = [c for c in codes if c not in registry.EVENTS]
        if unknown:
            raise DomainError(
                gettext("Unknown notification events: %(codes)s.") % {"codes": ", ".join(unknown)},
                code=ErrorCode.INVALID,
            )
        prefs.muted_events = codes
    prefs.save()
    user.notification_settings = prefs
    return prefs
