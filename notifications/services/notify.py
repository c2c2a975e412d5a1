"""Raising notifications: written in the caller's transaction, delivered after commit."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation

from .. import channels, registry
from ..models import Delivery, Notification, NotificationSettings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    """A text attachment (an ``.ics`` invitation): sent with the e-mail, offered in the product."""

    filename: str
    content_type: str
    content: str


def _preferences(user) -> NotificationSettings:
    # The row was joined by the caller's query (select_related), so this reads no database.
    try:
        return user.notification_settings
    except NotificationSettings.DoesNotExist:
        return NotificationSettings(user=user, language=settings.LANGUAGE_CODE)


def _deliveries_for(notification: Notification, prefs: NotificationSettings) -> list[Delivery]:
    rows = []
    for channel in channels.all_channels():
        if not channel.available_for(notification.recipient):
            continue
        if not prefs.channel_enabled(channel.code) or notification.event in prefs.muted_events:
            status = Delivery.Status.SKIPPED
        elif prefs.digest:
            status = Delivery.Status.HELD_FOR_DIGEST
        else:
            status = Delivery.Status.QUEUED
        rows.append(Delivery(notification=notification, channel=channel.code, status=status))
    return rows


def enqueue_deliveries(ids: list[int], *, run_after=None) -> None:
    """Hand ``ids`` to the worker now. Never raises: a queue that cannot be written leaves the
    deliveries queued (the office's log shows them, "retry now" queues them again)."""
    if not ids:
        return
    from ..tasks import send_deliveries

    try:
        task = send_deliveries.using(run_after=run_after) if run_after else send_deliveries
        task.enqueue(ids)
    # The queue's backend may fail in ways of its own (database, broker); a notification's
    # delivery must never fail the request that raised it.
    except Exception:  # blind on purpose (logged): see above
        logger.exception("Could not queue notification deliveries %s", ids)


@dataclass(frozen=True)
class Message:
    """One person's message of an event: their own context (their result, their case) and
    link. :func:`notify_each` writes many at once."""

    recipient: object
    """A user or a user id."""
    context: Mapping[str, object] = field(default_factory=dict)
    url: str = ""


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
    its recipient's language (:func:`notifications.selectors.language_of`); their deliveries
    (e-mail, IM — per the recipient's preferences) are queued for the worker after commit and
    never fail the caller. Returns the notifications written.

    Runs a constant number of queries whatever the number of recipients: the recipients with
    their preferences, the notifications, the deliveries."""
    return notify_each(
        event=event,
        messages=[Message(r, context or {}, url) for r in recipients],
        attachments=attachments,
    )


def notify_each(
    *, event: str, messages: Iterable[Message], attachments: Sequence[Attachment] = ()
) -> list[Notification]:
    """:func:`notify` for messages that differ per person — each candidate's own result, each
    case's own link — in the same constant number of queries, however many there are. A
    recipient named twice gets the first of their messages; ``None`` recipients are ignored."""
    kind = registry.get(event)
    mine: dict[object, Message] = {}
    for message in messages:
        pk = getattr(message.recipient, "pk", message.recipient)
        if pk is not None and pk not in mine:
            mine[pk] = message
    if not mine:
        return []
    users = (
        get_user_model()
        .objects.filter(pk__in=list(mine))
        .select_related("notification_settings")
        .order_by("pk")
    )
    rows = []
    preferences = []
    stored_attachments = [asdict(a) for a in attachments]
    for user in users:
        prefs = _preferences(user)
        message = mine[user.pk]
        with translation.override(prefs.language):
            values = {k: str(v) for k, v in message.context.items()}
            rows.append(
                Notification(
                    recipient=user,
                    event=kind.code,
                    subject=(str(kind.subject) % values)[:300],
                    body=str(kind.body) % values,
                    url=message.url,
                    language=prefs.language,
                    attachments=stored_attachments,
                )
            )
        preferences.append(prefs)
    notifications = Notification.objects.bulk_create(rows)
    deliveries = [
        d
        for notification, prefs in zip(notifications, preferences, strict=True)
        for d in _deliveries_for(notification, prefs)
    ]
    if deliveries:
        deliveries = Delivery.objects.bulk_create(deliveries)
        queued = [d.pk for d in deliveries if d.status == Delivery.Status.QUEUED]
        if queued:
            transaction.on_commit(lambda: enqueue_deliveries(queued))
    return notifications
