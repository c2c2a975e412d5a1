"""Performance pay (绩效薪酬; docs/pay.md, seed 篇3 and 篇14: 基本生活保障金和职级津贴按月发放,
绩效工资以量化考核指标为依据，可实行部分薪酬延期分发).

- :class:`PayPolicy`: per level and year, the monthly base pay and the annual performance-pay
  base. The monthly level allowance is the level's own (``org.Level.allowance``), not stored
  again here.
- :class:`GradeCoefficient`: per year, the performance coefficient of each annual grade A–E.
- :class:`DeferralRule`: per year, the share of the performance pay deferred and over how many
  years it is paid.
- :class:`PayRun`: one year's pay, draft → computed → approved; its :class:`PayLine` rows (one
  per staff member in post at year end) and the :class:`DeferredInstalment` schedule are
  written set-based by ``pay.services.run_compute``.

Money is ``Decimal`` with 2 places (fen), rounded half-up (``pay.rules``).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import UndeletableMixin
from kpi.models import AnnualScore
from org.models import Level, OrgUnit, Staff

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]
MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class PayPolicy(models.Model):
    """薪酬标准: what a level pays in a year (the allowance is the level's own)."""

    level = models.ForeignKey(
        Level, verbose_name=_("level"), on_delete=models.PROTECT, related_name="pay_policies"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    monthly_base = models.DecimalField(_("monthly base pay"), **MONEY)
    performance_base = models.DecimalField(
        _("performance-pay base"),
        help_text=_("The annual performance pay at coefficient 1."),
        **MONEY,
    )

    class Meta:
        verbose_name = _("pay policy")
        verbose_name_plural = _("pay policies")
        ordering = ["-year", "level__track", "level__order"]
        constraints = [
            models.UniqueConstraint(fields=["level", "year"], name="pay_policy_unique_level_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.level.code}"


class GradeCoefficient(models.Model):
    """绩效系数: the multiplier of the performance-pay base for an annual grade in a year."""

    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    grade = models.CharField(_("grade"), max_length=1, choices=AnnualScore.Grade.choices)
    coefficient = models.DecimalField(
        _("coefficient"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("9.99"))],
    )

    class Meta:
        verbose_name = _("performance coefficient")
        verbose_name_plural = _("performance coefficients")
        ordering = ["-year", "grade"]
        constraints = [
            models.UniqueConstraint(fields=["year", "grade"], name="pay_coefficient_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.grade}: {self.coefficient}"


class DeferralRule(models.Model):
    """延期支付: the share of the performance pay deferred and the years it is spread over."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=YEAR_VALIDATORS)
    share_pct = models.DecimalField(
        _("deferred share (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    years = models.PositiveSmallIntegerField(
        _("paid over (years)"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )

    class Meta:
        verbose_name = _("deferral rule")
        verbose_name_plural = _("deferral rules")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.share_pct} % / {self.years}"


class PayRun(UndeletableMixin, models.Model):
    """年度薪酬核算: the pay of one year, computed by the office, approved by the leadership."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("pay run status", "draft")
        COMPUTED = "computed", pgettext_lazy("pay run status", "computed")
        APPROVED = "approved", pgettext_lazy("pay run status", "approved")

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=YEAR_VALIDATORS)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("computed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("pay run")
        verbose_name_plural = _("pay runs")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class PayLine(models.Model):
    """One staff member's pay of the year, every figure kept as it was computed."""

    # Lines are derived rows, written by the one INSERT … SELECT from these very tables in the
    # run's transaction (and org rows are never deleted: PROTECT), as ranking entries are:
    # per-row foreign-key triggers and extra indexes would only slow the yearly write down.
    # Indexes kept to what the reads use: the unique (run, staff) and staff.
    run = models.ForeignKey(
        PayRun,
        verbose_name=_("pay run"),
        on_delete=models.CASCADE,
        related_name="lines",
        db_index=False,
        db_constraint=False,
    )
    staff = models.ForeignKey(
        Staff,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="pay_lines",
        db_constraint=False,
    )
    level = models.ForeignKey(
        Level,
        verbose_name=_("level"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("org unit"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    grade = models.CharField(_("grade"), max_length=1, blank=True)
    months = models.PositiveSmallIntegerField(_("months"))
    monthly_base = models.DecimalField(_("monthly base pay"), max_digits=12, decimal_places=2)
    monthly_allowance = models.DecimalField(
        _("monthly level allowance"), max_digits=12, decimal_places=2
    )
    base_pay = models.DecimalField(_("base pay"), max_digits=12, decimal_places=2)
    allowance_pay = models.DecimalField(_("level allowance"), max_digits=12, decimal_places=2)
    performance_base = models.DecimalField(
        _("performance-pay base"), max_digits=12, decimal_places=2
    )
    coefficient = models.DecimalField(_("coefficient"), max_digits=5, decimal_places=2)
    performance_pay = models.DecimalField(_("performance pay"), max_digits=12, decimal_places=2)
    deferred = models.DecimalField(_("deferred"), max_digits=12, decimal_places=2)
    paid_now = models.DecimalField(_("performance pay now"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("pay line")
        verbose_name_plural = _("pay lines")
        ordering = ["run", "staff__employee_no"]
        constraints = [
            models.UniqueConstraint(fields=["run", "staff"], name="pay_line_unique_staff")
        ]

    def __str__(self) -> str:
        return f"{self.run_id} {self.staff_id}"

    @property
    def year_total(self):
        """What the year pays out with this line: base, allowance and the performance pay now
        (instalments of earlier years come on top, see the payroll)."""
        return self.base_pay + self.allowance_pay + self.paid_now


class DeferredInstalment(models.Model):
    """延期支付分期: a part of a line's deferred pay, due in a later year; forfeited when the
    person is eliminated from the post or leaves before it is paid."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", pgettext_lazy("instalment status", "scheduled")
        PAID = "paid", pgettext_lazy("instalment status", "paid")
        FORFEITED = "forfeited", pgettext_lazy("instalment status", "forfeited")

    class ForfeitReason(models.TextChoices):
        ELIMINATION = "elimination", _("eliminated from the post")
        EXIT = "exit", _("left the company")
        OUT_OF_POST = "out_of_post", _("no longer in post when the pay was computed")

    line = models.ForeignKey(
        PayLine,
        verbose_name=_("pay line"),
        on_delete=models.CASCADE,
        related_name="instalments",
        db_index=False,  # the unique (line, number) serves it
        db_constraint=False,  # derived rows, written from the lines (see PayLine)
    )
    number = models.PositiveSmallIntegerField(_("instalment"))
    due_year = models.PositiveSmallIntegerField(_("due in"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    paid_run = models.ForeignKey(
        PayRun,
        verbose_name=_("paid with"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="paid_instalments",
        db_index=False,
    )
    forfeited_on = models.DateField(_("forfeited on"), null=True, blank=True)
    forfeit_reason = models.CharField(
        _("forfeiture reason"), max_length=16, choices=ForfeitReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("deferred instalment")
        verbose_name_plural = _("deferred instalments")
        ordering = ["due_year", "line"]
        constraints = [
            models.UniqueConstraint(fields=["line", "number"], name="pay_instalment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.line_id}/{self.number}: {self.amount}"
