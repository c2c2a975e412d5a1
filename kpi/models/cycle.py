"""The assessment cycle of a KPI period (考核阶段) and each staff member's appraisal of it:
target acknowledgement, self-appraisal, the review conversation and the employee's answer.

The period's current stage is ``Period.stage``; :class:`PeriodStage` holds each stage's planned
dates and when it actually started and ended. Changes go through ``kpi.services.cycle`` and
``kpi.services.appraisal`` (audited).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from org.models import Staff

from .. import rules


class Stage(models.TextChoices):
    PREPARATION = rules.PREPARATION, pgettext_lazy("kpi stage", "preparation")
    MOBILISATION = rules.MOBILISATION, pgettext_lazy("kpi stage", "mobilisation")
    ASSESSMENT = rules.ASSESSMENT, pgettext_lazy("kpi stage", "assessment")
    ANALYSIS = rules.ANALYSIS, pgettext_lazy("kpi stage", "analysis and grading")
    FEEDBACK = rules.FEEDBACK, pgettext_lazy("kpi stage", "feedback")
    CLOSED = rules.CLOSED, pgettext_lazy("kpi stage", "closed")


# The stages that have planned dates (every stage but ``closed``).
PLANNED_STAGE_CHOICES = Stage.choices[:-1]


class StageState(models.TextChoices):
    PENDING = rules.PENDING, pgettext_lazy("kpi stage state", "pending")
    ACTIVE = rules.ACTIVE, pgettext_lazy("kpi stage state", "active")
    DONE = rules.DONE, pgettext_lazy("kpi stage state", "done")


class PeriodStage(models.Model):
    """One stage of one period: planned dates, and when it actually started and ended."""

    period = models.ForeignKey(
        "kpi.Period", verbose_name=_("period"), on_delete=models.CASCADE, related_name="stages"
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices[:-1])
    starts = models.DateField(_("planned start"))
    ends = models.DateField(_("planned end"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("KPI period stage")
        verbose_name_plural = _("KPI period stages")
        ordering = ["period", "starts", "id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "stage"], name="kpi_period_stage_unique")
        ]

    def __str__(self) -> str:
        return f"{self.period_id} {self.stage}"


class Appraisal(models.Model):
    """考核面谈: one staff member's appraisal of one period — the targets acknowledged in
    preparation, the self-appraisal per indicator group in the assessment stage, the review
    conversation the line manager records in feedback, and the employee's answer to it."""

    class Response(models.TextChoices):
        AGREED = "agreed", pgettext_lazy("appraisal response", "acknowledged")
        DISAGREED = "disagreed", pgettext_lazy("appraisal response", "disagreed")

    staff = models.ForeignKey(
        Staff, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="appraisals"
    )
    period = models.ForeignKey(
        "kpi.Period", verbose_name=_("period"), on_delete=models.CASCADE, related_name="appraisals"
    )
    targets_acknowledged_at = models.DateTimeField(
        _("targets acknowledged at"), null=True, blank=True
    )
    self_quantitative = models.TextField(_("self-assessment: quantitative indicators"), blank=True)
    self_qualitative = models.TextField(_("self-assessment: qualitative indicators"), blank=True)
    self_submitted_at = models.DateTimeField(
        _("self-assessment submitted at"), null=True, blank=True
    )
    review_date = models.DateField(_("review conversation on"), null=True, blank=True)
    review_summary = models.TextField(_("summary of the conversation"), blank=True)
    coaching_actions = models.TextField(_("coaching actions"), blank=True)
    development_goals = models.TextField(_("agreed development goals"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("review held by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("review recorded at"), null=True, blank=True)
    response = models.CharField(
        _("employee's answer"), max_length=12, choices=Response.choices, blank=True
    )
    response_comment = models.TextField(_("employee's comment"), blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        ordering = ["period", "staff"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "period"], name="kpi_appraisal_unique")
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.period_id}"

    @property
    def status(self) -> str:
        """Where the appraisal stands, for lists: the furthest step reached."""
        if self.responded_at:
            return self.response
        if self.reviewed_at:
            return "reviewed"
        if self.self_submitted_at:
            return "self_assessed"
        if self.targets_acknowledged_at:
            return "targets_acknowledged"
        return "not_started"
