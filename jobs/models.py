"""A background job that users can watch: what it does, how far it is, what came out.

The work itself runs as Django tasks (``jobs.tasks``) on the worker; this row is the
user-facing record: ``done``/``failed`` out of ``total`` items, item errors, and the result.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", pgettext_lazy("job status", "failed")

    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("items in total"), default=0)
    done = models.PositiveIntegerField(_("items done"), default=0)
    failed = models.PositiveIntegerField(_("items failed"), default=0)
    skipped = models.PositiveIntegerField(
        _("items skipped"),
        default=0,
        help_text=_("Items that needed nothing (e.g. a letter that already existed)."),
    )
    run = models.PositiveSmallIntegerField(
        pgettext_lazy("job", "run"),
        default=1,
        help_text=_("Raised by each resume; work queued for an earlier run is not counted."),
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    result_url = models.CharField(_("result link"), max_length=300, blank=True)
    skipped_url = models.CharField(_("link to the skipped items"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title or self.kind}"

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", args=[self.pk])

    @property
    def processed(self) -> int:
        return self.done + self.failed + self.skipped

    @property
    def state(self) -> str:
        """The status as people read it: a job whose work has begun is running, even while
        some of its chunks still wait in the queue."""
        if self.status == self.Status.QUEUED and (self.started_at or self.processed):
            return self.Status.RUNNING
        return self.status

    @property
    def state_label(self) -> str:
        return str(self.Status(self.state).label)

    @property
    def progress(self) -> int:
        """Whole percent of items processed (done, skipped or failed); 100 for an empty job."""
        if not self.total:
            return 100 if self.is_finished else 0
        return min(100, self.processed * 100 // self.total)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
