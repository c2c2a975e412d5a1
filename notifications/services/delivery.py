"""Sending deliveries (on the worker) and the office's "retry now"."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import translation

from core import audit, clock
from core.errors import InvalidTransition
from core.labels import name_people
from core.roles import require_office

from .. import channels
from ..channels import DeliveryFailed
from ..models import Delivery
from .notify import enqueue_deliveries

logger = logging.getLogger(__name__)


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt: base, 2 × base, 4 × base…"""
    return dt.timedelta(seconds=settings.NOTIFY_RETRY_BASE_SECONDS * 2 ** (attempts - 1))


def _attempt(delivery: Delivery) -> str:
    """Send ``delivery``; the error text, or "" when it went out."""
    notification = delivery.notification
    try:
        with translation.override(notification.language):
            channels.get(delivery.channel).send(notification, notification.recipient)
    except DeliveryFailed as exc:
        return str(exc) or type(exc).__name__
    # A bug in one channel must fail that delivery, recorded, and not the other deliveries of
    # the batch.
    except Exception as exc:  # blind on purpose (logged): see above
        logger.exception("Delivery %s raised", delivery.pk)
        return f"{type(exc).__name__}: {exc}"
    return ""


def deliveries_send(*, ids: list[int]) -> dict[str, int]:
    """Send the queued deliveries among ``ids`` (what the worker's task runs). Each is claimed
    first (a duplicate task sends nothing twice). A failure keeps its error, counts the attempt
    and queues a new try after an exponential backoff (``NOTIFY_RETRY_BASE_SECONDS`` × 2ⁿ⁻¹);
    after ``NOTIFY_MAX_ATTEMPTS`` attempts the delivery is ``failed``."""
    counts = {"sent": 0, "failed": 0, "retry": 0}
    deliveries = list(
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=clock.now()))
        .select_related("notification__recipient")
        .order_by("pk")
    )
    name_people([d.notification.recipient for d in deliveries])
    for delivery in deliveries:
        claimed = Delivery.objects.filter(
            pk=delivery.pk, status=Delivery.Status.QUEUED, attempts=delivery.attempts
        ).update(attempts=F("attempts") + 1, next_attempt_at=None)
        if not claimed:
            continue
        attempts = delivery.attempts + 1
        error = _attempt(delivery)
        if not error:
            Delivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.Status.SENT, sent_at=clock.now(), last_error=""
            )
            counts["sent"] += 1
        elif attempts >= settings.NOTIFY_MAX_ATTEMPTS:
            Delivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.Status.FAILED, last_error=error
            )
            counts["failed"] += 1
            logger.warning("Delivery %s failed for good: %s", delivery.pk, error)
        else:
            when = clock.now() + backoff(attempts)
            Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=when, last_error=error)
            enqueue_deliveries([delivery.pk], run_after=when)
            counts["retry"] += 1
    return counts


@transaction.atomic
def delivery_retry(*, actor, delivery: Delivery) -> Delivery:
    """The office's "retry now" of a failed delivery: queued again for one more attempt, at
    once (an attempt that fails again leaves it failed). Audited."""
    require_office(actor)
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status != Delivery.Status.FAILED:
        raise InvalidTransition(
            translation.gettext("Only a failed delivery can be retried."),
        )
    delivery.status = Delivery.Status.QUEUED
    delivery.next_attempt_at = clock.now()
    delivery.save(update_fields=["status", "next_attempt_at"])
    audit.record(
        actor=actor,
        obj=delivery,
        action="retry",
        from_state=Delivery.Status.FAILED,
        to_state=Delivery.Status.QUEUED,
    )
    ids = [delivery.pk]
    transaction.on_commit(lambda: enqueue_deliveries(ids))
    return delivery
