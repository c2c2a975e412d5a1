"""Platform models: the append-only audit trail shared by every app."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UndeletableMixin:
    """For rows that are records (runs, materials, objections): ``delete()`` refuses."""

    def delete(self, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} rows are never deleted.")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Audit events are append-only.")

    def delete(self):
        raise TypeError("Audit events are append-only.")


class AuditEvent(models.Model):
    """One recorded change: who did what to which object, from which state to which, and why.

    Append-only: the model refuses updates and deletes, and a database trigger (see migration
    0002) refuses them too, so not even a raw query can rewrite history.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(pgettext_lazy("audit", "object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=255)
    action = models.CharField(_("action"), max_length=64)
    from_state = models.CharField(_("from state"), max_length=64, blank=True)
    to_state = models.CharField(_("to state"), max_length=64, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    changes = models.JSONField(_("changed data"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit events are append-only.")


class WorkdayOverride(models.Model):
    """One date whose working-day status the office sets by hand.

    The Chinese statutory calendar (holidays and the make-up working days, 调休) comes from
    the ``chinesecalendar`` package, which knows each year once the State Council publishes
    it. An override wins over the package: it fills a year the package does not know yet and
    corrects a local arrangement. See :mod:`core.workdays`.
    """

    day = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {'+' if self.is_workday else '-'}"


class DownloadRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Download records are append-only.")

    def delete(self):
        raise TypeError("Download records are append-only.")


class DownloadRecord(models.Model):
    """One download of a sensitive file — a letter, an application material, a training
    certificate, an honour-roll photo, a profile PDF or an export (who, what, when, from
    where). Written by the download views through :func:`core.downloads.download_record`;
    append-only like the audit trail, shown to HR on the downloads page and in the admin."""

    class Kind(models.TextChoices):
        LETTER = "letter", _("letter")
        MATERIAL = "material", _("application material")
        CERTIFICATE = "certificate", _("training certificate")
        PHOTO = "photo", _("honour-roll photo")
        PROFILE = "profile", _("competency profile")
        EXPORT = "export", _("export")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    user_name = models.CharField(_("user name"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(pgettext_lazy("audit", "object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("what"), max_length=255)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = DownloadRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("download")
        verbose_name_plural = _("downloads")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["user", "-at"], name="core_download_user_at"),
            models.Index(fields=["kind", "-at"], name="core_download_kind_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_name} {self.kind} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Download records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Download records are append-only.")
