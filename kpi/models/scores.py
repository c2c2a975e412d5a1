"""KPI (DOMAIN.md, "KPI" — 关键绩效指标): indicators, schemes, periods, actuals and scores.

Scores are stored: :class:`PeriodScore` per staff member and period (with its items) and
:class:`AnnualScore` per staff member and year (score and grade A–E). They are recomputed
set-based by ``kpi.score_recompute`` whenever actuals change. Final figures are stored rounded
half-up to 2 places; ``total_raw`` keeps a period total at 12 places so that the annual mean is
computed from (practically) unrounded period totals, as DOMAIN.md ("Numbers") requires.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from org.models import BilingualNameMixin, Level, OrgUnit, Staff, Track

from .. import scoring
from .cycle import Stage
from .ratings import clean_rater_weights


class Indicator(BilingualNameMixin):
    """关键绩效指标: what is measured and how an actual becomes a 0–100(+) score."""

    class Kind(models.TextChoices):
        QUANTITATIVE = "quantitative", _("quantitative")
        QUALITATIVE = "qualitative", _("qualitative")

    class Method(models.TextChoices):
        RATIO = scoring.RATIO, _("ratio (higher is better)")
        INVERSE_RATIO = scoring.INVERSE_RATIO, _("inverse ratio (lower is better)")
        BANDS = scoring.BANDS, _("bands on achievement")
        RATING = scoring.RATING, _("rating A–E by the line manager")
        DEDUCTION = scoring.DEDUCTION, _("deduction per incident")
        SOURCES = scoring.SOURCES, _("multi-source ratings 0–100")

    code = models.CharField(_("code"), max_length=32, unique=True)
    unit = models.CharField(_("unit"), max_length=32, blank=True, help_text=_("e.g. 万元, %, 次"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    method = models.CharField(_("scoring method"), max_length=16, choices=Method.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("KPI indicator")
        verbose_name_plural = _("KPI indicators")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"

    def clean(self):
        errors = {}
        try:
            self.params = scoring.validate_params(self.method, self.params)
        except scoring.ParamsError as exc:
            errors["params"] = exc.messages
        if self.method in (scoring.RATING, scoring.SOURCES) and self.kind != self.Kind.QUALITATIVE:
            errors["kind"] = [_("A rating indicator is qualitative.")]
        if errors:
            raise ValidationError(errors)


class PeriodType(models.TextChoices):
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    YEAR = "year", _("year")


PERIOD_CODE = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4])))?$")


def parse_period_code(code: str) -> tuple[str, dt.date, dt.date]:
    """``2026-03`` → month, ``2026-Q1`` → quarter, ``2026`` → year: (type, start, end)."""
    match = PERIOD_CODE.match(code or "")
    if not match:
        raise ValueError(code)
    year = int(match["year"])
    if year < 1900 or year > 9999:
        raise ValueError(code)
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise ValueError(code)
        last = calendar.monthrange(year, month)[1]
        return PeriodType.MONTH, dt.date(year, month, 1), dt.date(year, month, last)
    if match["quarter"]:
        q = int(match["quarter"])
        first, last_month = 3 * q - 2, 3 * q
        last = calendar.monthrange(year, last_month)[1]
        return PeriodType.QUARTER, dt.date(year, first, 1), dt.date(year, last_month, last)
    return PeriodType.YEAR, dt.date(year, 1, 1), dt.date(year, 12, 31)


class Scheme(models.Model):
    """考核方案: the indicators, weights (Σ = 100) and default targets of one level and period
    type. Items change only through ``kpi.services.scheme_save``."""

    track = models.ForeignKey(
        Track, verbose_name=_("track"), on_delete=models.PROTECT, related_name="kpi_schemes"
    )
    level = models.ForeignKey(
        Level, verbose_name=_("level"), on_delete=models.PROTECT, related_name="kpi_schemes"
    )
    period_type = models.CharField(_("period type"), max_length=8, choices=PeriodType.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("company framework"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="variants",
        help_text=_("Empty: this is a company framework; set: a unit variant of it."),
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("org unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kpi_scheme_variants",
        help_text=_("The unit (with its sub-units) a variant applies to."),
    )
    weight_bounds = models.DecimalField(
        _("variant weight bounds (± points)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(10),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("How far a unit variant may move each indicator's weight from this framework."),
    )
    rater_weights = models.JSONField(
        _("rater-type weights"),
        default=dict,
        blank=True,
        help_text=_(
            "Weights of the rater types for multi-source ratings; empty: manager 50, peer 20, "
            "subordinate 15, client 15."
        ),
    )

    class Meta:
        verbose_name = _("KPI scheme")
        verbose_name_plural = _("KPI schemes")
        ordering = ["track", "level__order", "period_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "period_type"],
                condition=models.Q(parent__isnull=True),
                name="kpi_scheme_unique",
            ),
            models.UniqueConstraint(fields=["parent", "unit"], name="kpi_scheme_variant_unique"),
            models.CheckConstraint(
                condition=models.Q(parent__isnull=True, unit__isnull=True)
                | models.Q(parent__isnull=False, unit__isnull=False),
                name="kpi_scheme_variant_has_unit",
            ),
        ]

    def __str__(self) -> str:
        if self.name:
            return self.name
        text = f"{self.level.code} · {self.get_period_type_display()}"
        return f"{text} · {self.unit}" if self.unit_id else text

    def clean(self):
        try:
            self.rater_weights = clean_rater_weights(self.rater_weights)
        except ValidationError as exc:
            raise ValidationError({"rater_weights": exc.messages}) from exc


class SchemeItem(models.Model):
    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="items"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+"
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )
    target = models.DecimalField(
        _("default target"), max_digits=18, decimal_places=4, null=True, blank=True
    )

    class Meta:
        verbose_name = _("scheme item")
        verbose_name_plural = _("scheme items")
        ordering = ["scheme", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "indicator"], name="kpi_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.weight}"


class StaffTarget(models.Model):
    """A staff member's own target for an indicator (overrides the scheme's default), for one
    period or — with no period — for every period."""

    staff = models.ForeignKey(
        Staff, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="kpi_targets"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey(
        "Period",
        verbose_name=_("period"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: every period."),
    )
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=4)

    class Meta:
        verbose_name = _("staff target")
        verbose_name_plural = _("staff targets")
        ordering = ["staff", "indicator", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "indicator", "period"], name="kpi_target_unique_period"
            ),
            models.UniqueConstraint(
                fields=["staff", "indicator"],
                condition=models.Q(period__isnull=True),
                name="kpi_target_unique_general",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.indicator.code} = {self.target}"


class Period(models.Model):
    """考核期: ``2026-03`` (month), ``2026-Q1`` (quarter), ``2026`` (year); open → locked.

    Its assessment cycle runs through the five stages of :class:`~kpi.models.cycle.Stage`;
    the lock is the end of the assessment stage."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("period status", "open")
        LOCKED = "locked", _("locked")

    code = models.CharField(_("code"), max_length=8, unique=True)
    period_type = models.CharField(_("period type"), max_length=8, choices=PeriodType.choices)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    stage = models.CharField(
        _("stage"),
        max_length=16,
        choices=Stage.choices,
        default=Stage.PREPARATION,
        help_text=_("Where the assessment cycle stands; locking ends the assessment stage."),
    )
    targets_published_at = models.DateTimeField(_("targets published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("KPI period")
        verbose_name_plural = _("KPI periods")
        ordering = ["-start", "period_type"]
        indexes = [models.Index(fields=["year", "period_type"])]

    def __str__(self) -> str:
        return self.code

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.LOCKED


class ImportBatch(models.Model):
    """One accepted import file (rejected files write nothing)."""

    filename = models.CharField(_("file"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("KPI import")
        verbose_name_plural = _("KPI imports")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename or self.sha256[:12]} ({self.rows})"

    @property
    def unchanged(self) -> int:
        """Lines whose value was already the one stored: nothing was written for them."""
        return self.rows - self.created - self.updated


class Actual(models.Model):
    """实际完成值: one staff member's actual for one indicator and period. A number, or for a
    rating indicator the grade A–E. One row per (staff, indicator, period)."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("entered")
        IMPORT = "import", _("imported")
        CORRECTION = "correction", _("correction")
        RATINGS = "ratings", _("multi-source ratings")

    # Foreign-key indexes are left out where a composite index already leads with the column
    # (unique staff+indicator+period, period+staff): every index slows the bulk merge.
    staff = models.ForeignKey(
        Staff,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="kpi_actuals",
        db_index=False,
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="actuals"
    )
    period = models.ForeignKey(
        Period,
        verbose_name=_("period"),
        on_delete=models.PROTECT,
        related_name="actuals",
        db_index=False,
    )
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=1, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # batches are never deleted
        # Only the import sets it, to the batch it has just created in the same transaction:
        # a database check of that reference would cost a lookup and a lock per imported row
        # (a second or more per 200,000 rows) to confirm what cannot be otherwise. Deleting
        # a batch through the ORM still clears the references (SET_NULL).
        db_constraint=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("KPI actual")
        verbose_name_plural = _("KPI actuals")
        ordering = ["period", "staff", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "indicator", "period"], name="kpi_actual_unique"
            )
        ]
        indexes = [models.Index(fields=["period", "staff"])]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.indicator_id} {self.period_id}: {self.display_value}"

    @property
    def display_value(self) -> str:
        return self.grade if self.grade else ("" if self.value is None else f"{self.value:f}")


class Correction(models.Model):
    """更正: a change to an actual of a locked period, with its reason (also audited)."""

    actual = models.ForeignKey(
        Actual, verbose_name=_("actual"), on_delete=models.PROTECT, related_name="corrections"
    )
    old_value = models.CharField(_("old value"), max_length=32, blank=True)
    new_value = models.CharField(_("new value"), max_length=32)
    reason = models.TextField(_("reason"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrected by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    corrected_at = models.DateTimeField(_("corrected at"), auto_now_add=True)

    class Meta:
        verbose_name = _("KPI correction")
        verbose_name_plural = _("KPI corrections")
        ordering = ["-corrected_at", "-id"]

    def __str__(self) -> str:
        return f"{self.actual_id}: {self.old_value} → {self.new_value}"


class PeriodScore(models.Model):
    """A staff member's score for one period: items and Σ wᵢsᵢ / Σ wᵢ.

    Only the recomputation writes scores, from the actuals it has just read, and it locks the
    rows they refer to for its transaction — the periods (``FOR NO KEY UPDATE``), the staff and
    the schemes (``FOR KEY SHARE``, on PostgreSQL), as a foreign-key check would, once per row
    referred to instead of once per score: so the references have no database constraint.
    Deleting a staff member, a period or a scheme through the ORM still cascades (or clears
    the scheme)."""

    # No index of its own: the unique (staff, period) index serves every lookup by staff, and
    # each index is written for each of the 10⁴–10⁵ scores a recomputation upserts.
    staff = models.ForeignKey(
        Staff,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="kpi_scores",
        db_index=False,
        db_constraint=False,
    )
    period = models.ForeignKey(
        Period,
        verbose_name=_("period"),
        on_delete=models.CASCADE,
        related_name="scores",
        db_constraint=False,
    )
    # Not indexed: nothing reads scores by scheme (deleting a scheme, rare, scans them).
    scheme = models.ForeignKey(
        Scheme,
        verbose_name=_("scheme"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    total = models.DecimalField(_("total"), max_digits=7, decimal_places=2)
    total_raw = models.DecimalField(_("unrounded total"), max_digits=24, decimal_places=12)
    items = models.JSONField(_("items"), default=list)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("KPI period score")
        verbose_name_plural = _("KPI period scores")
        ordering = ["-period__start", "staff"]
        constraints = [models.UniqueConstraint(fields=["staff", "period"], name="kpi_score_unique")]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.period_id}: {self.total}"


class GradePolicy(models.Model):
    """年度考核等级: thresholds (score ≥ threshold) and optional quotas per org unit for a year.

    Without a policy for a year the defaults apply (A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, no quota).
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    period_type = models.CharField(
        _("periods averaged"),
        max_length=8,
        choices=PeriodType.choices,
        default=PeriodType.MONTH,
        help_text=_("The annual score is the mean of the staff member's scores of these periods."),
    )
    a_min = models.DecimalField(_("A from"), max_digits=5, decimal_places=2, default=Decimal(90))
    b_min = models.DecimalField(_("B from"), max_digits=5, decimal_places=2, default=Decimal(80))
    c_min = models.DecimalField(_("C from"), max_digits=5, decimal_places=2, default=Decimal(70))
    d_min = models.DecimalField(_("D from"), max_digits=5, decimal_places=2, default=Decimal(60))
    quota_a_pct = models.DecimalField(
        _("A quota (percent of unit)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    quota_ab_pct = models.DecimalField(
        _("A+B quota (percent of unit)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("grade policy")
        verbose_name_plural = _("grade policies")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)

    def clean(self):
        if not (self.a_min > self.b_min > self.c_min > self.d_min >= 0):
            raise ValidationError(_("Thresholds must descend: A > B > C > D ≥ 0."))
        if (
            self.quota_a_pct is not None
            and self.quota_ab_pct is not None
            and self.quota_ab_pct < self.quota_a_pct
        ):
            raise ValidationError(_("The A+B quota cannot be smaller than the A quota."))


class AnnualScore(models.Model):
    """A staff member's annual KPI score (mean of the year's period scores) and grade."""

    class Grade(models.TextChoices):
        A = "A", _("A excellent")
        B = "B", _("B good")
        C = "C", _("C qualified")
        D = "D", _("D basically qualified")
        E = "E", _("E unqualified")

    # No index of its own: the unique (staff, year) index serves every lookup by staff.
    staff = models.ForeignKey(
        Staff,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="kpi_annual",
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("year"))
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    score_raw = models.DecimalField(_("unrounded score"), max_digits=24, decimal_places=12)
    periods = models.PositiveSmallIntegerField(_("periods scored"))
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    threshold_grade = models.CharField(
        _("grade by thresholds"), max_length=1, choices=Grade.choices
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("quota unit"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    unit_rank = models.PositiveIntegerField(_("rank in unit"))
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("KPI annual score")
        verbose_name_plural = _("KPI annual scores")
        ordering = ["-year", "-score", "staff"]
        constraints = [models.UniqueConstraint(fields=["staff", "year"], name="kpi_annual_unique")]
        indexes = [models.Index(fields=["year", "grade"])]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.year}: {self.score} {self.grade}"

    @property
    def capped(self) -> bool:
        """The quota lowered the grade the thresholds gave."""
        return self.grade != self.threshold_grade
