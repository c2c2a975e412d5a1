"""E-mail through Django's mail framework (SMTP in production, configured from the
environment; the console in development; the in-memory outbox in tests)."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import Channel, DeliveryFailed


def absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL + (url if url.startswith("/") else "/" + url)


class EmailChannel(Channel):
    code = "email"
    label = _("E-mail")

    def available_for(self, user) -> bool:
        return bool(getattr(user, "email", ""))

    def send(self, notification, user) -> None:
        if not user.email:
            raise DeliveryFailed(gettext("The recipient has no e-mail address."))
        body = notification.body
        if notification.url:
            body += "\n\n" + gettext("Open in Ladder: %(url)s") % {
                "url": absolute(notification.url)
            }
        message = EmailMessage(
            subject=f"{settings.EMAIL_SUBJECT_PREFIX}{notification.subject}",
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
        )
        for attachment in notification.attachments or []:
            message.attach(
                attachment["filename"], attachment["content"], attachment["content_type"]
            )
        try:
            message.send(fail_silently=False)
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from exc
