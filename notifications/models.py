"""A notification: one message to one person, rendered in their language when it was raised."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Notification(models.Model):
    """Written in the same transaction as the state change it reports (so a rolled-back change
    leaves no message); delivered through the recipient's channels after commit."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    event = models.CharField(_("event"), max_length=80, db_index=True)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=8)
    attachments = models.JSONField(
        _("attachments"),
        default=list,
        blank=True,
        help_text=_("Text attachments: a list of {filename, content_type, content}."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.subject


def _default_language() -> str:
    return settings.LANGUAGE_CODE


class NotificationSettings(models.Model):
    """A person's preferences; absent until they first change one (the defaults apply)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=_default_language
    )
    email_enabled = models.BooleanField(_("by e-mail"), default=True)
    im_enabled = models.BooleanField(_("by enterprise IM"), default=True)
    digest = models.BooleanField(
        _("daily digest"),
        default=False,
        help_text=_("One e-mail / IM message a day instead of one per notification."),
    )
    muted_events = models.JSONField(
        _("muted events"),
        default=list,
        blank=True,
        help_text=_("Event codes not sent by e-mail or IM (they stay in the product)."),
    )

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.user)

    def channel_enabled(self, code: str) -> bool:
        return {"email": self.email_enabled, "im": self.im_enabled}.get(code, True)


class Delivery(models.Model):
    """One notification through one channel (e-mail, IM): sent by the worker after commit,
    retried with exponential backoff, or held for the recipient's daily digest."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("delivery status", "queued")
        SENT = "sent", pgettext_lazy("delivery status", "sent")
        FAILED = "failed", pgettext_lazy("delivery status", "failed")
        HELD_FOR_DIGEST = "held_for_digest", pgettext_lazy("delivery status", "held for digest")
        SKIPPED = "skipped", pgettext_lazy("delivery status", "skipped")

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    channel = models.CharField(_("channel"), max_length=20)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "channel"], name="delivery_status")]

    def __str__(self) -> str:
        return f"{self.channel} #{self.notification_id}: {self.status}"

    @property
    def channel_label(self) -> str:
        from .channels import CHANNELS

        channel = CHANNELS.get(self.channel)
        return str(channel.label) if channel else self.channel


class ReminderSent(models.Model):
    """A reminder already sent (``manage.py notifications_remind``): a re-run sends nothing
    twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE
    )
    event = models.CharField(_("event"), max_length=80)
    key = models.CharField(_("key"), max_length=200)
    due = models.DateField(_("due"))
    days_before = models.PositiveSmallIntegerField(_("days before"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event", "key", "due", "days_before"], name="reminder_sent_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.key} {self.due} (-{self.days_before})"
