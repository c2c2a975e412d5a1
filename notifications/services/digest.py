"""The daily digest: one message per person and channel instead of one per notification."""

from __future__ import annotations

import datetime as dt
import itertools
import logging

from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import ngettext

from core import clock
from core.labels import name_people

from .. import channels
from ..channels import DeliveryFailed
from ..channels.email import absolute
from ..models import Delivery, Notification
from ..selectors import settings_of

logger = logging.getLogger(__name__)


def _summary(user, items: list[Delivery], day: dt.date) -> Notification:
    language = settings_of(user=user).language
    with translation.override(language):
        subject = ngettext(
            "Daily digest of %(date)s: %(count)d notification",
            "Daily digest of %(date)s: %(count)d notifications",
            len(items),
        ) % {"date": day.isoformat(), "count": len(items)}
        lines = []
        for d in items:
            n = d.notification
            lines.append(f"- {n.subject}")
            if n.url:
                lines.append(f"  {absolute(n.url)}")
        body = "\n".join(lines)
    # Unsaved: the digest is a message of its own, sent through the same channel interface.
    return Notification(
        recipient=user,
        event="notifications.digest",
        subject=subject,
        body=body,
        url="/notifications/",
        language=language,
    )


def digest_send(*, day: dt.date | None = None) -> dict[str, int]:
    """Send every delivery held for a digest whose notification was raised up to the end of
    ``day`` (default today): one message per recipient and channel, summarising them in the
    recipient's language; then mark them sent. A channel that fails keeps its deliveries held
    (with the error and one more attempt counted) for the next digest."""
    day = day or clock.today()
    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
    held = list(
        Delivery.objects.filter(
            status=Delivery.Status.HELD_FOR_DIGEST, notification__created_at__lt=end
        )
        .select_related("notification__recipient__notification_settings")
        .order_by("notification__recipient_id", "channel", "notification__created_at", "pk")
    )
    name_people([d.notification.recipient for d in held])
    sent_ids: list[int] = []
    counts = {"messages": 0, "deliveries": 0, "failed": 0}
    groups = itertools.groupby(held, key=lambda d: (d.notification.recipient_id, d.channel))
    for (_, code), group in groups:
        items = list(group)
        user = items[0].notification.recipient
        summary = _summary(user, items, day)
        try:
            with translation.override(summary.language):
                channels.get(code).send(summary, user)
        except DeliveryFailed as exc:
            counts["failed"] += 1
            Delivery.objects.filter(pk__in=[d.pk for d in items]).update(
                attempts=F("attempts") + 1, last_error=str(exc)
            )
            logger.warning("Digest for user %s by %s failed: %s", user.pk, code, exc)
            continue
        counts["messages"] += 1
        sent_ids += [d.pk for d in items]
    if sent_ids:
        counts["deliveries"] = Delivery.objects.filter(pk__in=sent_ids).update(
            status=Delivery.Status.SENT, sent_at=clock.now(), attempts=F("attempts") + 1
        )
    return counts
