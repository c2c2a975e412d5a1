"""What training tells people: a reminder 60 and 14 days before a verified external
certificate expires, to its holder (the nightly reminder command sends it, once each)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications import reminders
from notifications.registry import EventType, register
from notifications.reminders import Reminder

from .models import ExternalCertificate

CERTIFICATE_EXPIRING = "training.certificate_expiring"
#: Days before a certificate's expiry that its holder is reminded (docs/training.md).
EXPIRY_REMINDER_DAYS = (60, 14)

EVENTS = (
    EventType(
        CERTIFICATE_EXPIRING,
        _("Reminder: external certificate expiring"),
        _("Your certificate %(certificate)s expires on %(due)s"),
        _(
            "Your external certificate %(certificate)s (%(issuer)s) is valid until %(due)s, "
            "%(days)s days from now.\n"
            "Renew it in time and submit the new certificate on the training page so that "
            "the office can verify it."
        ),
    ),
)


def register_events() -> None:
    register(*EVENTS)
    reminders.register(certificate_expiry_reminders)


def certificate_expiry_reminders(today: dt.date) -> list[Reminder]:
    """Holders of verified certificates that have not expired yet, one reminder per certificate
    and expiry date (one query); :data:`EXPIRY_REMINDER_DAYS` decide on which nights."""
    horizon = today + dt.timedelta(days=max(EXPIRY_REMINDER_DAYS))
    rows = (
        ExternalCertificate.objects.filter(
            status=ExternalCertificate.Status.VERIFIED,
            expires_on__gte=today,
            expires_on__lte=horizon,
            staff__user__isnull=False,
        )
        .values_list("pk", "staff__user_id", "title", "issuer", "expires_on")
        .order_by("expires_on", "pk")
    )
    url = reverse("training:my")
    return [
        Reminder(
            user_id=user_id,
            event=CERTIFICATE_EXPIRING,
            due=expires_on,
            key=f"certificate:{pk}",
            url=url,
            context={"certificate": title, "issuer": issuer},
            days_before=EXPIRY_REMINDER_DAYS,
        )
        for pk, user_id, title, issuer, expires_on in rows
        if expires_on is not None  # always: the query asks for a date; this tells the checker
    ]
