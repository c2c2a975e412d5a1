"""Grade quotas allocated per unit each year (优秀、良好指标数每年分配一次; 篇18).

A :class:`QuotaAllocation` takes the company's A and A+B quota for a year, holds back a reserve
(机动指标), and apportions the rest to the quota units (:class:`UnitQuota`) by a documented
formula. HR grants the reserve to units or people (:class:`QuotaGrant`) and calibrates within a
unit's quota (:class:`QuotaAdjustment`). Once published, the grading of the year uses the unit
ceilings instead of the grade policy's percentages. Changes go through ``kpi.services.quotas``
(audited).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from org.models import OrgUnit, Staff

from .. import rules


class QuotaAllocation(models.Model):
    """指标分配: the company quota of a year and how it is apportioned to units."""

    class Basis(models.TextChoices):
        PERFORMANCE = rules.PERFORMANCE, _("headcount × unit mean score / company mean")
        HEADCOUNT = rules.HEADCOUNT, _("headcount only")
        IMPROVEMENT = rules.IMPROVEMENT, _("headcount × rise of the unit mean score over last year")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    basis = models.CharField(
        _("basis"), max_length=12, choices=Basis.choices, default=Basis.PERFORMANCE
    )
    a_pct = models.DecimalField(
        _("company A quota (percent)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    ab_pct = models.DecimalField(
        _("company A+B quota (percent)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    reserve_a = models.PositiveIntegerField(_("A places held in reserve"), default=0)
    reserve_b = models.PositiveIntegerField(_("B places held in reserve"), default=0)
    population = models.PositiveIntegerField(_("staff scored"), default=0)
    company_a = models.PositiveIntegerField(_("company A places"), default=0)
    company_b = models.PositiveIntegerField(_("company B places"), default=0)
    company_mean = models.DecimalField(
        _("company mean score"), max_digits=24, decimal_places=12, default=0
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("quota allocation")
        verbose_name_plural = _("quota allocations")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}"


class UnitQuota(models.Model):
    """A unit's share of the year's quota, with the numbers of the formula."""

    allocation = models.ForeignKey(
        QuotaAllocation,
        on_delete=models.CASCADE,
        related_name="units",
        verbose_name=_("allocation"),
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    headcount = models.PositiveIntegerField(_("staff scored"))
    mean_score = models.DecimalField(_("mean score"), max_digits=24, decimal_places=12)
    improvement = models.DecimalField(
        _("improvement over last year"),
        max_digits=24,
        decimal_places=12,
        null=True,
        blank=True,
        help_text=_("This year's mean score minus last year's (empty: not scored last year)."),
    )
    weight = models.DecimalField(_("weight"), max_digits=24, decimal_places=12)
    share_a = models.DecimalField(_("exact A share"), max_digits=24, decimal_places=12)
    share_b = models.DecimalField(_("exact B share"), max_digits=24, decimal_places=12)
    places_a = models.PositiveIntegerField(_("A places"))
    places_b = models.PositiveIntegerField(_("B places"))

    class Meta:
        verbose_name = _("unit quota")
        verbose_name_plural = _("unit quotas")
        ordering = ["unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["allocation", "unit"], name="kpi_unit_quota_unique")
        ]

    def __str__(self) -> str:
        return f"{self.allocation_id} {self.unit_id}: A {self.places_a} B {self.places_b}"


class QuotaGrant(models.Model):
    """机动指标: a reserve place granted to a unit (adds to its ceiling) or to a person (who is
    then graded outside the unit's quota), with the reason."""

    class Grade(models.TextChoices):
        A = "A", _("A excellent")
        B = "B", _("B good")

    allocation = models.ForeignKey(
        QuotaAllocation,
        on_delete=models.CASCADE,
        related_name="grants",
        verbose_name=_("allocation"),
    )
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    staff = models.ForeignKey(
        Staff,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"))

    class Meta:
        verbose_name = _("reserve grant")
        verbose_name_plural = _("reserve grants")
        ordering = ["granted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=True) ^ models.Q(staff__isnull=True),
                name="kpi_grant_unit_xor_staff",
            ),
            models.UniqueConstraint(
                fields=["allocation", "staff"], name="kpi_grant_one_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.allocation_id} {self.grade} {self.unit_id or self.staff_id}"


class QuotaAdjustment(models.Model):
    """Calibration (校准): HR sets a person's final grade within the unit's quota, with a reason.
    The latest adjustment of a person and year counts."""

    allocation = models.ForeignKey(
        QuotaAllocation,
        on_delete=models.CASCADE,
        related_name="adjustments",
        verbose_name=_("allocation"),
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, related_name="+", verbose_name=_("staff member")
    )
    from_grade = models.CharField(_("from grade"), max_length=1)
    grade = models.CharField(_("grade"), max_length=1)
    reason = models.TextField(_("reason"))
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("adjusted by"),
    )
    adjusted_at = models.DateTimeField(_("adjusted at"))

    class Meta:
        verbose_name = _("calibration adjustment")
        verbose_name_plural = _("calibration adjustments")
        ordering = ["adjusted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.from_grade}→{self.grade}"
