"""A person's own notifications and preferences."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from core import clock
from core.errors import DomainError, ErrorCode, NotInScope

from .. import registry
from ..models import Delivery, Notification, NotificationSettings
from .notify import enqueue_deliveries


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
    languages and event codes are refused (``invalid``).

    Switching the digest off releases what it held: those deliveries are queued for the worker
    after commit, so nothing waits for a digest the person no longer receives."""
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
    released = prefs.digest is False and digest is not None and _held_ids(user)
    prefs.save()
    if released:
        Delivery.objects.filter(pk__in=released).update(status=Delivery.Status.QUEUED)
        transaction.on_commit(lambda: enqueue_deliveries(released))
    user.notification_settings = prefs
    return prefs


def _held_ids(user) -> list[int]:
    return list(
        Delivery.objects.filter(
            notification__recipient=user, status=Delivery.Status.HELD_FOR_DIGEST
        ).values_list("pk", flat=True)
    )
