"""Assessment profiles (考核侧重方案; docs/kpi.md, "Assessment profiles"): named weight sets on
a company framework (e.g. 销售导向 / 服务导向) that an employee chooses for a year during the
preparation stage and their line manager approves; the approved profile's weights replace the
scheme's weights in that year's periods. Changes go through ``kpi.services.profiles``."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from org.models import Staff


class AssessmentProfile(models.Model):
    """A named weight set on a framework: the same indicators, other weights (Σ = 100)."""

    framework = models.ForeignKey(
        "kpi.Scheme",
        verbose_name=_("company framework"),
        on_delete=models.CASCADE,
        related_name="profiles",
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("assessment profile")
        verbose_name_plural = _("assessment profiles")
        ordering = ["framework", "name"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "name"], name="kpi_profile_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ProfileItem(models.Model):
    profile = models.ForeignKey(
        AssessmentProfile,
        verbose_name=_("assessment profile"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    indicator = models.ForeignKey(
        "kpi.Indicator", verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+"
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )

    class Meta:
        verbose_name = _("profile item")
        verbose_name_plural = _("profile items")
        ordering = ["profile", "id"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "indicator"], name="kpi_profile_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.weight}"


class ProfileChoice(models.Model):
    """An employee's choice of a profile for a year, and the line manager's approval (or
    refusal with a reason, after which the employee chooses again)."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("profile choice status", "awaiting approval")
        APPROVED = "approved", pgettext_lazy("profile choice status", "approved")
        REFUSED = "refused", pgettext_lazy("profile choice status", "refused")

    staff = models.ForeignKey(
        Staff,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="kpi_profile_choices",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    profile = models.ForeignKey(
        AssessmentProfile,
        verbose_name=_("assessment profile"),
        on_delete=models.PROTECT,
        related_name="choices",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    chosen_at = models.DateTimeField(_("chosen at"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    refusal_reason = models.TextField(
        _("reason for the refusal"),
        blank=True,
        help_text=_("Why the line manager refused the choice; the employee chooses again."),
    )

    class Meta:
        verbose_name = _("profile choice")
        verbose_name_plural = _("profile choices")
        ordering = ["-year", "staff"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "year"], name="kpi_profile_choice_unique")
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.year}: {self.profile_id} ({self.status})"
