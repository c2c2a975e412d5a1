"""Annual ranking and dynamic management (DOMAIN.md, "Annual ranking and dynamic management").

A :class:`RankingRun` is a preview until HR commits it; committing freezes its parameters, its
inputs (each entry keeps the KPI score and competency index it was ranked on) and its results,
and opens a :class:`RecertificationCase` per bottom-band member. A committed run is never
changed or deleted: a new run for the same track and year (with a reason) supersedes it and both
are kept. State changes happen only in ``ranking.services``.
"""

from __future__ import annotations

import os
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import clock
from core.models import UndeletableMixin
from core.storage import private_storage
from org.models import Appointment, Level, OrgUnit, Staff, Track

DEFAULT_BOTTOM_PCT = Decimal("5.00")
MIN_BOTTOM_PCT = Decimal("5")
MAX_BOTTOM_PCT = Decimal("10")


class RankingRun(UndeletableMixin, models.Model):
    """年度业绩考核排名: one ranking of a track's population for a year."""

    class Cohort(models.TextChoices):
        TRACK = "track", _("whole track")
        LEVEL = "level", _("per level")
        UNIT = "unit", _("per org unit")

    class Status(models.TextChoices):
        PREVIEW = "preview", _("preview")
        COMMITTED = "committed", _("committed")
        SUPERSEDED = "superseded", _("superseded")

    track = models.ForeignKey(
        Track, verbose_name=_("track"), on_delete=models.PROTECT, related_name="ranking_runs"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    cohort = models.CharField(
        _("cohorts"), max_length=8, choices=Cohort.choices, default=Cohort.TRACK
    )
    bottom_pct = models.DecimalField(
        _("bottom band (%)"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_BOTTOM_PCT,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
        help_text=_("Between 5 % and 10 %; no other percentage is accepted."),
    )
    early_commit_reason = models.TextField(
        _("reason for committing before the year is closed"),
        blank=True,
        help_text=_(
            "Given when the run was committed before the year ended or with KPI periods of the "
            "year still open."
        ),
    )
    early_commit_grounds = models.JSONField(
        _("what was not closed at the commit"), default=list, blank=True
    )
    min_months = models.PositiveSmallIntegerField(
        _("minimum months of service in the year"),
        default=6,
        validators=[MaxValueValidator(12)],
    )
    min_cohort = models.PositiveIntegerField(
        _("minimum cohort size"), default=10, validators=[MinValueValidator(1)]
    )
    kpi_weight = models.DecimalField(
        _("KPI weight"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Composite = KPI annual score × w + competency index × (1 − w)."),
    )
    pass_line = models.DecimalField(
        _("re-certification pass line"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("60"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    elimination_line = models.DecimalField(
        _("elimination line"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("40"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("A re-certification score under this line eliminates from the post."),
    )
    spread_threshold = models.DecimalField(
        _("std dev flag threshold"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_(
            "A re-certification case whose panel totals spread wider (std dev) is flagged for "
            "discussion."
        ),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PREVIEW
    )
    reason = models.TextField(_("reason for re-running the year"), blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
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
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    # A preview is ranked and summarised without storing its entries; they are written the
    # first time someone reads them (run page, entries API, export) and at the latest on commit.
    entries_written_at = models.DateTimeField(_("entries written at"), null=True, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("committed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("ranking run")
        verbose_name_plural = _("ranking runs")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["track", "year"],
                condition=models.Q(status="committed"),
                name="ranking_one_committed_run_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.track.code} {self.year} #{self.pk}"

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.PREVIEW

    @property
    def pct_is_standard(self) -> bool:
        return MIN_BOTTOM_PCT <= self.bottom_pct <= MAX_BOTTOM_PCT


class RunInput(models.Model):
    """A frozen input of a run that has no table of its own to join: the competency index
    (the competency app computes it on demand) and, when the KPI app's table is absent, the
    KPI annual score."""

    run = models.ForeignKey(RankingRun, on_delete=models.CASCADE, related_name="inputs")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    kpi_score = models.DecimalField(max_digits=12, decimal_places=6, null=True, blank=True)
    competency_index = models.DecimalField(max_digits=12, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name = _("ranking input")
        verbose_name_plural = _("ranking inputs")
        constraints = [
            models.UniqueConstraint(fields=["run", "staff"], name="ranking_input_unique")
        ]

    def __str__(self) -> str:
        return f"{self.run_id} · {self.staff_id}"


class RankingEntry(models.Model):
    """One staff member in a run: ranked, or excluded with the reason."""

    class Reason(models.TextChoices):
        EXITED = "exited", _("exited before the year end")
        NOT_ACTIVE = "not_active", _("not active at the year end (on leave)")
        NO_LEVEL = "no_level", _("not in post at the year end")
        SHORT_SERVICE = "short_service", _("less than the minimum months of service")
        NO_KPI = "no_kpi", _("no annual KPI score")
        NO_COMPETENCY = "no_competency", _("no competency index")

    # Entries are derived rows, written by the one INSERT … SELECT from these very tables in
    # the run's transaction (and org rows are never deleted: PROTECT): per-row foreign-key
    # triggers and extra indexes would only slow the 100,000-row write down — every index is
    # one more tree updated per row. Indexes kept to what the reads use, two in all besides the
    # primary key: the unique (staff, run), which also serves the per-staff reads (history,
    # staff file, the PROTECT check when a staff row is deleted), and (run, cohort, rank) for
    # the per-run lists in their order (and the cascade when a preview is deleted). The case
    # carried is set on a few bottom-band rows after the write: its index is partial (non-null
    # rows only), so the write does not touch it.
    run = models.ForeignKey(
        RankingRun,
        verbose_name=_("run"),
        on_delete=models.CASCADE,
        related_name="entries",
        db_index=False,
        db_constraint=False,
    )
    staff = models.ForeignKey(
        Staff,
        verbose_name=_("staff member"),
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
    level = models.ForeignKey(
        Level,
        verbose_name=_("level at the year end"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    cohort_key = models.BigIntegerField(_("cohort"), null=True, blank=True)
    kpi_score = models.DecimalField(
        _("KPI annual score"), max_digits=12, decimal_places=6, null=True, blank=True
    )
    competency_index = models.DecimalField(
        _("competency index"), max_digits=12, decimal_places=6, null=True, blank=True
    )
    score = models.DecimalField(
        _("composite score"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    cohort_size = models.PositiveIntegerField(_("cohort size"), null=True, blank=True)
    band_size = models.PositiveIntegerField(_("band size"), null=True, blank=True)
    in_bottom_band = models.BooleanField(_("in the bottom band"), default=False)
    in_top_band = models.BooleanField(_("in the top band"), default=False)
    excluded = models.BooleanField(_("excluded"), default=False)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices, blank=True)
    carried_case = models.ForeignKey(
        "RecertificationCase",
        verbose_name=_("case carried"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
        help_text=_(
            "A bottom-band member who already had an open re-certification case: that case is "
            "carried, no second one is opened."
        ),
    )

    class Meta:
        verbose_name = _("ranking entry")
        verbose_name_plural = _("ranking entries")
        ordering = ["run", "cohort_key", "rank", "staff_id"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "run"], name="ranking_entry_unique")
        ]
        indexes = [
            models.Index(fields=["run", "cohort_key", "rank"]),
            models.Index(
                fields=["carried_case"],
                condition=models.Q(carried_case__isnull=False),
                name="ranking_entry_carried_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run} · {self.staff_id} · {self.rank}"

    @property
    def percentile(self) -> Decimal | None:
        """Share of the cohort scoring at or below this entry, in % (rank 1 of 20 → 100)."""
        if self.rank is None or not self.cohort_size:
            return None
        from core.numbers import round_score

        return round_score(
            Decimal(self.cohort_size - self.rank + 1) * 100 / Decimal(self.cohort_size)
        )


class RecertificationCase(models.Model):
    """复核认证: a bottom-band member re-certified at their current level.

    Scored like a certification candidate: panel members (checked for conflicts of interest)
    submit a total each; the committee score is the certification engine's trimmed mean once
    the quorum has submitted. The decision gives the outcome of DOMAIN.md: kept, demoted one
    level, or eliminated from the post.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("scoring")
        PUBLISHED = "published", _("outcome proposed, in publicity")
        APPROVED = "approved", _("approved, appeal window")
        DECIDED = "decided", _("decided")
        WITHDRAWN = "withdrawn", _("withdrawn (run superseded)")

    # A case is "open" (the person is under re-certification) until it is decided or withdrawn.
    ACTIVE = (Status.OPEN, Status.PUBLISHED, Status.APPROVED)

    class Outcome(models.TextChoices):
        KEPT = "kept", _("kept the level")
        DEMOTED = "demoted", _("demoted one level")
        ELIMINATED = "eliminated", _("eliminated from the post")

    class Ground(models.TextChoices):
        PASSED = "passed", _("at or above the pass line")
        FAILED = "failed", _("under the pass line")
        LOWEST_LEVEL = "lowest_level", _("failed at the lowest level")
        UNDER_ELIMINATION_LINE = "under_elimination_line", _("under the elimination line")
        SECOND_FAILURE = "second_failure", _("second failure in a row")

    # A commit opens thousands of cases with one INSERT … SELECT from the entries it has just
    # written (run locked, entries, their staff member and level in the same transaction): a
    # database foreign-key check per case and per key, deferred to the COMMIT, would only
    # re-read those rows. So the run, entry, staff and level keys have no database constraint
    # (``on_delete=PROTECT`` still guards them in Django, runs and entries are never deleted,
    # and a staff member's and a level's rows stay held by the appointments' own constraints).
    # Indexes: only those a read uses — (staff, status) serves every per-staff read, so the
    # staff key has none of its own; the people and documents a case points to (chair,
    # proposer, approver, decider, appointments, letter) are never searched by.
    run = models.ForeignKey(
        RankingRun,
        verbose_name=_("ranking run"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recertifications",
        db_constraint=False,
        help_text=_("Empty for a case a term-end review referred."),
    )
    entry = models.OneToOneField(
        RankingEntry,
        verbose_name=_("ranking entry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recertification",
        db_constraint=False,
    )
    reappointment_case_id = models.PositiveBigIntegerField(
        _("referring re-appointment case"),
        null=True,
        blank=True,
        help_text=_("The term-end (re-appointment) case that referred the staff member, if any."),
    )
    staff = models.ForeignKey(
        Staff,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="recertifications",
        db_index=False,
        db_constraint=False,
    )
    level = models.ForeignKey(
        Level,
        verbose_name=_("level"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("panel members"),
        blank=True,
        related_name="ranking_recertifications",
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("panel chair"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        help_text=_("A member of the panel; only the chair reopens a submitted sheet."),
    )
    committee_score = models.DecimalField(
        _("committee score"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    ground = models.CharField(_("ground"), max_length=24, choices=Ground.choices, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    new_appointment = models.ForeignKey(
        Appointment,
        verbose_name=_("new appointment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    closed_appointment = models.ForeignKey(
        Appointment,
        verbose_name=_("appointment closed by the elimination"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    letter = models.ForeignKey(
        "letters.Letter",
        verbose_name=_("letter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    round = models.PositiveSmallIntegerField(
        _("scoring round"),
        default=1,
        help_text=_("2 and more: re-scored by a new panel after an upheld appeal."),
    )
    sheet_definition = models.JSONField(
        _("scoring sheet"),
        default=list,
        blank=True,
        help_text=_("The parts (code, name, weight, maximum) members score, fixed at the panel."),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    proposed_on = models.DateField(_("proposed on"), null=True, blank=True)
    publicity_start = models.DateField(_("publicity from"), null=True, blank=True)
    publicity_end = models.DateField(_("publicity until"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approval_reason = models.TextField(_("approval note"), blank=True)
    appeal_until = models.DateField(_("appeal possible until"), null=True, blank=True)
    effective_on = models.DateField(_("outcome effective on"), null=True, blank=True)

    class Meta:
        verbose_name = _("re-certification case")
        verbose_name_plural = _("re-certification cases")
        ordering = ["-run__year", "staff__employee_no"]
        indexes = [models.Index(fields=["staff", "status"])]

    def __str__(self) -> str:
        return f"{self.staff} {self.level.code} {self.year}"

    @staticmethod
    def str_expression(year: int) -> Concat:
        """What :meth:`__str__` gives for a case of ``year``, computed by the database (the
        staff member as ``Staff.__str__`` names them): the audit records of the cases a
        commit opens are written in one statement, no case loaded."""
        return Concat(
            models.F("staff__name"),
            models.Value(" ("),
            models.F("staff__employee_no"),
            models.Value(") "),
            models.F("level__code"),
            models.Value(f" {int(year)}"),
            output_field=models.CharField(),
        )

    def delete(self, *args, **kwargs):
        raise TypeError("Re-certification cases are never deleted.")

    # A case opened by a ranking run takes the run's year and lines; a referred case (no run)
    # the year it was opened and the lines a new run has by default.

    def _line(self, name: str) -> Decimal:
        if self.run_id is not None:
            return getattr(self.run, name)
        return RankingRun._meta.get_field(name).get_default()

    @property
    def year(self) -> int:
        if self.run_id is not None:
            return self.run.year
        return timezone.localtime(self.opened_at).year if self.opened_at else clock.today().year

    @property
    def pass_line(self) -> Decimal:
        return self._line("pass_line")

    @property
    def elimination_line(self) -> Decimal:
        return self._line("elimination_line")

    @property
    def spread_threshold(self) -> Decimal:
        return self._line("spread_threshold")


class RecertificationSheet(models.Model):
    """A panel member's total (0–100) for one case: draft until submitted, then locked."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    case = models.ForeignKey(
        RecertificationCase,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="sheets",
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("panel member"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    total = models.DecimalField(
        _("total"),
        max_digits=9,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Σ weight × part score / part maximum ÷ Σ weight × 100, from the lines."),
    )
    comment = models.TextField(_("comment"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    round = models.PositiveSmallIntegerField(_("scoring round"), default=1)

    class Meta:
        verbose_name = _("re-certification sheet")
        verbose_name_plural = _("re-certification sheets")
        ordering = ["case", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "member"], name="recert_sheet_unique_member")
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.member}"

    def delete(self, *args, **kwargs):
        raise TypeError("Sheets are never deleted.")


class RecertificationSheetLine(models.Model):
    """One part of a member's sheet (评分表): the score given within the part's maximum."""

    sheet = models.ForeignKey(
        RecertificationSheet,
        verbose_name=_("sheet"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)
    max_score = models.DecimalField(_("maximum"), max_digits=6, decimal_places=2)
    score = models.DecimalField(_("score"), max_digits=9, decimal_places=4)

    class Meta:
        verbose_name = _("sheet line")
        verbose_name_plural = _("sheet lines")
        ordering = ["sheet", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "code"], name="recert_line_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.sheet_id} {self.code}: {self.score}"


class RecertificationObjection(UndeletableMixin, models.Model):
    """异议 against a published re-certification outcome, filed during its publicity."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DISMISSED = "dismissed", _("dismissed")
        UPHELD = "upheld", _("upheld (back to scoring)")

    case = models.ForeignKey(
        RecertificationCase,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("objection"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("re-certification objection")
        verbose_name_plural = _("re-certification objections")
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.filed_by_id}"


class RecertificationAppeal(UndeletableMixin, models.Model):
    """申诉: the staff member's appeal against an approved demotion or elimination."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        UPHELD = "upheld", _("upheld")
        DISMISSED = "dismissed", _("dismissed")

    class Remedy(models.TextChoices):
        RESCORE = "rescore", _("re-scored by a new panel")
        KEPT = "kept", _("outcome changed to kept")

    case = models.ForeignKey(
        RecertificationCase,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    remedy = models.CharField(_("remedy"), max_length=12, choices=Remedy.choices, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("re-certification appeal")
        verbose_name_plural = _("re-certification appeals")
        ordering = ["case", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="open"),
                name="recert_one_open_appeal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.status}"


def appeal_material_path(instance, filename: str) -> str:
    return f"ranking/appeals/{instance.appeal_id}/{filename}"


class AppealMaterial(UndeletableMixin, models.Model):
    """A file supporting an appeal (checked like certification materials), stored privately."""

    appeal = models.ForeignKey(
        RecertificationAppeal,
        verbose_name=_("appeal"),
        on_delete=models.PROTECT,
        related_name="materials",
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to=appeal_material_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("appeal material")
        verbose_name_plural = _("appeal materials")
        ordering = ["appeal", "id"]

    def __str__(self) -> str:
        return self.original_name


def honour_photo_path(instance, filename: str) -> str:
    extension = os.path.splitext(filename)[1].lower()
    return f"ranking/honour/{instance.run_id}/{instance.staff_id}{extension}"


class HonourPhoto(models.Model):
    """A photo on the honour roll (光荣榜 — photos are optional): added by the certification
    office for a top-band member of a committed run, shown to every signed-in user there and
    nowhere else; stored privately and served by a view (never a public URL)."""

    run = models.ForeignKey(
        RankingRun, verbose_name=_("ranking run"), on_delete=models.PROTECT, related_name="photos"
    )
    staff = models.ForeignKey(
        Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("photo"), storage=private_storage, upload_to=honour_photo_path)
    content_type = models.CharField(_("content type"), max_length=32)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now=True)

    class Meta:
        verbose_name = _("honour-roll photo")
        verbose_name_plural = _("honour-roll photos")
        constraints = [
            models.UniqueConstraint(fields=["run", "staff"], name="ranking_photo_unique")
        ]

    def __str__(self) -> str:
        return f"{self.run} · {self.staff_id}"


CITATION_MAX_LENGTH = 300


class HonourCitation(models.Model):
    """The achievement write-up (事迹简介) of a top-band member on a committed run's honour
    roll: written and edited by the certification office, every change audited, at most
    :data:`CITATION_MAX_LENGTH` characters so it fits a card and the poster."""

    run = models.ForeignKey(
        RankingRun,
        verbose_name=_("ranking run"),
        on_delete=models.PROTECT,
        related_name="citations",
    )
    staff = models.ForeignKey(
        Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.CharField(_("achievement write-up"), max_length=CITATION_MAX_LENGTH)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("edited by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("edited at"), auto_now=True)

    class Meta:
        verbose_name = _("honour-roll write-up")
        verbose_name_plural = _("honour-roll write-ups")
        constraints = [
            models.UniqueConstraint(fields=["run", "staff"], name="ranking_citation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.run} · {self.staff_id}"
