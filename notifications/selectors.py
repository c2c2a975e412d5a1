"""Reads for notifications: a person's preferences and language, their notifications, and the
office's delivery log."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from core.errors import NotInScope
from core.roles import require_office

from .models import Delivery, Notification, NotificationSettings


def settings_of(*, user) -> NotificationSettings:
    """``user``'s preferences: their row, or an unsaved one with the defaults when they never
    changed any (rows are created lazily, by :func:`notifications.services.settings_update`)."""
    try:
        return user.notification_settings
    except NotificationSettings.DoesNotExist:
        return NotificationSettings(user=user, language=settings.LANGUAGE_CODE)


def language_of(*, user) -> str:
    """The language ``user`` reads messages in (``zh-hans`` or ``en``): what notifications and
    letters addressed to them are written in."""
    return settings_of(user=user).language


def languages_of(*, user_ids) -> dict[int, str]:
    """``{user_id: language}`` for many people in one query; those who never chose one read
    ``settings.LANGUAGE_CODE``."""
    ids = [pk for pk in user_ids if pk is not None]
    chosen = dict(
        NotificationSettings.objects.filter(user_id__in=ids).values_list("user_id", "language")
    )
    return {pk: chosen.get(pk, settings.LANGUAGE_CODE) for pk in ids}


def notification_list(*, user, unread: bool = False) -> QuerySet[Notification]:
    """``user``'s own notifications, newest first (nobody sees another's)."""
    qs = Notification.objects.filter(recipient=user)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def get_notification(*, user, pk: int) -> Notification:
    """One of ``user``'s notifications (``NotInScope``, 404, for anyone else's)."""
    try:
        return notification_list(user=user).get(pk=pk)
    except Notification.DoesNotExist as exc:
        raise NotInScope() from exc


def unread_count(*, user) -> int:
    return notification_list(user=user, unread=True).count()


def delivery_list(*, user, status: str = "") -> QuerySet[Delivery]:
    """The delivery log, for the office (HR) and administrators only; newest first."""
    require_office(user)
    qs = Delivery.objects.select_related("notification", "notification__recipient")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")
