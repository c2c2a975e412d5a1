"""Term-end re-appointment (续聘) — DOMAIN.md, "Organisation and career ladder" (appointments,
terms) and "Training" (credits as a condition of re-appointment, 篇14).

A :class:`ReappointmentReview` is a batch HR opens for expiring appointments; each appointment
in it gets one :class:`ReappointmentCase` (one per term: the ``appointment`` is unique), which
holds the evidence the conditions were evaluated on and, once decided, the outcome. The nightly
check also creates a case (without a batch) for an appointment past its end with no decision,
and marks it overdue, so a term never expires silently.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from org.models import Appointment, Level, Staff


class ReappointmentReview(models.Model):
    """续聘评审批次: a batch of expiring appointments reviewed together."""

    name = models.CharField(_("name"), max_length=200)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    opened_on = models.DateField(_("opened on"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("re-appointment review")
        verbose_name_plural = _("re-appointment reviews")
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return self.name


class ReappointmentCase(models.Model):
    """One term's re-appointment decision (API: ``certification/reappointments/``)."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("decision", "pending")
        OVERDUE = "overdue", _("overdue")
        DECIDED = "decided", _("decided")

    class Outcome(models.TextChoices):
        RENEWED = "renewed", _("renewed")
        RENEWED_WITH_CONDITIONS = "renewed_with_conditions", _("renewed with conditions")
        REFERRED = "referred", _("referred to re-certification")

    review = models.ForeignKey(
        ReappointmentReview,
        verbose_name=_("review"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    appointment = models.OneToOneField(
        Appointment,
        verbose_name=_("appointment"),
        on_delete=models.PROTECT,
        related_name="reappointment_case",
        help_text=_("The expiring term. One case per term, so a term is decided once."),
    )
    staff = models.ForeignKey(
        Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.ForeignKey(Level, verbose_name=_("level"), on_delete=models.PROTECT)
    term_end = models.DateField(_("term end"), db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    evaluated_on = models.DateField(_("conditions evaluated on"), null=True, blank=True)
    evaluation = models.JSONField(
        _("evidence"), default=list, blank=True, help_text=_("The rule results, as evaluated.")
    )
    suggested_outcome = models.CharField(
        _("suggested outcome"), max_length=32, choices=Outcome.choices, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=32, choices=Outcome.choices, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    condition_deadline = models.DateField(
        _("deadline to meet the conditions"), null=True, blank=True
    )
    shortfall = models.DecimalField(
        _("credit shortfall"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    new_appointment = models.OneToOneField(
        Appointment,
        verbose_name=_("new appointment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewed_from_case",
    )
    letter = models.ForeignKey(
        "letters.Letter",
        verbose_name=_("letter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    letter_number = models.CharField(_("letter number"), max_length=64, blank=True)
    recertification_case = models.ForeignKey(
        "ranking.RecertificationCase",
        verbose_name=_("re-certification case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referred_by",
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("re-appointment case")
        verbose_name_plural = _("re-appointment cases")
        ordering = ["term_end", "staff__employee_no", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(status="decided", outcome__gt="")
                    | (~models.Q(status="decided") & models.Q(outcome=""))
                ),
                name="reappointment_outcome_iff_decided",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(outcome__in=["renewed", "renewed_with_conditions"])
                    | models.Q(new_appointment__isnull=True)
                ),
                name="reappointment_new_term_only_when_renewed",
            ),
        ]
        indexes = [models.Index(fields=["status", "term_end"])]

    def __str__(self) -> str:
        return f"{self.staff} {self.level.code} → {self.term_end}"

    @property
    def is_decided(self) -> bool:
        return self.status == self.Status.DECIDED
