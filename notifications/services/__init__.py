"""Writes for notifications (HackSoft-style services), one module per use-case group."""

from .delivery import backoff, deliveries_send, delivery_retry
from .digest import digest_send
from .inbox import notification_mark_all_read, notification_mark_read, settings_update
from .notify import Attachment, Message, enqueue_deliveries, notify, notify_each
from .reminders import reminders_send

__all__ = [
    "Attachment",
    "Message",
    "backoff",
    "deliveries_send",
    "delivery_retry",
    "digest_send",
    "enqueue_deliveries",
    "notification_mark_all_read",
    "notification_mark_read",
    "notify",
    "notify_each",
    "reminders_send",
    "settings_update",
]
