"""Promotion certification (DOMAIN.md, "Certification"): cycles with their offers and scoring
sheet, applications with materials, eligibility policy, committee panels and sheets,
publicity objections, and the two records the eligibility rules read (disciplinary records,
re-certification cases).

Rows are never deleted once submitted: models refuse ``delete()`` where the domain says so and
the admin hides the delete action. State changes happen only in ``certification.services``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import UndeletableMixin
from core.storage import PrivateStorage
from org.models import Level, Staff, Track

ZERO = Decimal("0")


private_storage = PrivateStorage()


# --- policy and rule inputs ----------------------------------------------------------------


class EligibilityPolicy(models.Model):
    """Promotion thresholds for one target level (晋升条件). Without a row, defaults apply."""

    level = models.OneToOneField(
        Level,
        verbose_name=_("target level"),
        on_delete=models.PROTECT,
        related_name="eligibility_policy",
    )
    min_years_at_level = models.PositiveSmallIntegerField(
        _("minimum whole years at current level"), default=2
    )
    min_grade = models.CharField(
        _("minimum last annual grade"),
        max_length=1,
        default="B",
        choices=[(g, g) for g in "ABCDE"],
    )
    min_credits_12m = models.DecimalField(
        _("minimum training credits in 12 months"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty: the training requirement of the level applies."),
    )
    require_courses = models.BooleanField(_("required courses must be done"), default=True)
    min_competency_index = models.DecimalField(
        _("minimum competency index"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("60"),
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))],
    )
    discipline_months = models.PositiveSmallIntegerField(
        _("months without disciplinary record"), default=12
    )

    class Meta:
        verbose_name = _("eligibility policy")
        verbose_name_plural = _("eligibility policies")

    def __str__(self) -> str:
        return str(self.level)


class DisciplinaryRecord(UndeletableMixin, models.Model):
    """纪律处分: a disciplinary measure; one within the policy window blocks promotion."""

    staff = models.ForeignKey(
        Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("measure"), max_length=100)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("disciplinary record")
        verbose_name_plural = _("disciplinary records")
        ordering = ["-date"]
        indexes = [models.Index(fields=["staff", "date"])]

    def __str__(self) -> str:
        return f"{self.staff} {self.date} {self.kind}"


# --- cycles -----------------------------------------------------------------------------


class Cycle(models.Model):
    """认证批次: one promotion round of a track."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open for applications")
        QUALIFICATION = "qualification", _("qualification review")
        REVIEW = "review", _("committee review")
        PUBLICITY = "publicity", _("publicity")
        APPROVAL = "approval", _("approved")
        CLOSED = "closed", _("closed")

    name = models.CharField(_("name"), max_length=200)
    track = models.ForeignKey(
        Track, verbose_name=_("track"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    window_start = models.DateField(_("applications from"))
    window_end = models.DateField(_("applications until"))
    reference_date = models.DateField(
        _("reference date"),
        null=True,
        blank=True,
        help_text=_("Date the eligibility rules are evaluated on. Empty: the window end."),
    )
    same_unit_conflict = models.BooleanField(
        _("members of the candidate's org unit are conflicted"), default=False
    )
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum numerator"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(
        _("quorum denominator"), default=3, validators=[MinValueValidator(1)]
    )
    spread_threshold = models.DecimalField(
        _("std dev flag threshold"), max_digits=6, decimal_places=2, default=Decimal("10")
    )
    publicity_days = models.PositiveSmallIntegerField(
        _("publicity working days"), default=5, validators=[MinValueValidator(1)]
    )
    publicity_start = models.DateField(_("publicity from"), null=True, blank=True)
    publicity_end = models.DateField(_("publicity until"), null=True, blank=True)
    appointment_start = models.DateField(
        _("appointments start"),
        null=True,
        blank=True,
        help_text=_("Empty: the approval date."),
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    strict_eligibility = models.BooleanField(
        _("strict eligibility (no overrides)"),
        default=False,
        help_text=_(
            "When set, an application that fails an eligibility rule cannot be qualified, "
            "even with a reason."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certification cycle")
        verbose_name_plural = _("certification cycles")
        ordering = ["-window_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_end__gte=models.F("window_start")),
                name="cycle_window_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def eval_date(self):
        return self.reference_date or self.window_end

    def window_open_on(self, day) -> bool:
        return self.status == self.Status.OPEN and self.window_start <= day <= self.window_end


class CycleOffer(models.Model):
    """A target level the cycle offers, with its quota (名额) and pass line (合格线)."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="offers"
    )
    level = models.ForeignKey(Level, verbose_name=_("target level"), on_delete=models.PROTECT)
    quota = models.PositiveIntegerField(_("quota"))
    pass_line = models.DecimalField(
        _("pass line"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["cycle", "level__order"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "level"], name="offer_unique_level")
        ]

    def __str__(self) -> str:
        return f"{self.cycle} {self.level.code}"


class Dimension(models.Model):
    """A dimension of the scoring sheet (评分表): weight (Σ = 100), source and maximum."""

    class Source(models.TextChoices):
        COMMITTEE = "committee", _("scored by the committee")
        KPI = "kpi", _("annual KPI score")
        TRAINING = "training", _("training credits")
        COMPETENCY = "competency", _("competency index")

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="dimensions"
    )
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    max_score = models.DecimalField(
        _("maximum"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("100"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("scoring dimension")
        verbose_name_plural = _("scoring dimensions")
        ordering = ["cycle", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="dimension_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def prefilled(self) -> bool:
        return self.source != self.Source.COMMITTEE


# --- applications -------------------------------------------------------------------------


class LeadershipDecision(models.TextChoices):
    """The leadership group's decision on one candidate of the approval list."""

    APPROVED = "approved", pgettext_lazy("leadership decision", "approved")
    RETURNED = "returned", pgettext_lazy("leadership decision", "returned")


class Application(models.Model):
    """个人申请: a staff member's application for the level directly above theirs."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for completion")
        QUALIFIED = "qualified", _("qualified")
        REJECTED = "rejected", pgettext_lazy("application status", "rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")
        PROMOTED = "promoted", _("promoted")
        NOT_PROMOTED = "not_promoted", _("not promoted")

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="applications"
    )
    staff = models.ForeignKey(
        Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="+"
    )
    from_level = models.ForeignKey(
        Level, verbose_name=_("level when applying"), on_delete=models.PROTECT, related_name="+"
    )
    target_level = models.ForeignKey(
        Level, verbose_name=_("target level"), on_delete=models.PROTECT, related_name="+"
    )
    statement = models.TextField(_("statement"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    eligibility = models.JSONField(_("eligibility snapshot"), default=list, blank=True)
    eligible = models.BooleanField(_("eligible when last evaluated"), null=True)
    check_eligibility = models.BooleanField(_("eligibility confirmed"), default=False)
    check_materials = models.BooleanField(_("materials complete"), default=False)
    check_facts = models.BooleanField(_("facts truthful"), default=False)
    check_procedure = models.BooleanField(_("procedure regular"), default=False)
    decision_reason = models.TextField(_("reason of the last decision"), blank=True)
    # Qualified although eligibility rules failed (an override, DOMAIN.md step 2): the reason,
    # the failed rules as evaluated then, and who decided.
    override_reason = models.TextField(_("eligibility override reason"), blank=True)
    override_rules = models.JSONField(_("rules failed when overridden"), default=list, blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("overridden by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    override_at = models.DateTimeField(_("overridden at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Results, frozen when the cycle is published (see services.publish).
    committee_score = models.DecimalField(
        _("committee score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    final_score = models.DecimalField(
        _("final score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    passed = models.BooleanField(_("at or above the pass line"), null=True)
    recommended = models.BooleanField(_("recommended"), null=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    tie_decision = models.BooleanField(
        _("panel decision on a quota tie"),
        null=True,
        blank=True,
        help_text=_("Set by the panel chair when a tie crosses the quota boundary."),
    )
    # The leadership group's decision on this candidate of the approval list (DOMAIN.md,
    # step 5): approved, or returned with a comment (not appointed); empty until decided.
    # The cycle's approval appoints the approved and the undecided recommended candidates.
    leadership_decision = models.CharField(
        _("leadership decision"),
        max_length=16,
        choices=LeadershipDecision.choices,
        blank=True,
    )
    leadership_comment = models.TextField(_("leadership comment"), blank=True)
    leadership_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by (leadership)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    leadership_at = models.DateTimeField(_("leadership decision at"), null=True, blank=True)
    appointment = models.ForeignKey(
        "org.Appointment",
        verbose_name=_("appointment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    LIVE_EXCLUDED = ("withdrawn",)
    # Not live for the one-application-per-level rule: nothing more can come of these.
    ENDED = ("withdrawn", "rejected", "promoted", "not_promoted")
    EDITABLE = ("draft", "returned")

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["cycle", "target_level__order", "staff__employee_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "staff"],
                condition=~models.Q(status="withdrawn"),
                name="application_one_live_per_cycle",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.staff.name} → {self.target_level.code}"

    def delete(self, *args, **kwargs):
        if self.status != self.Status.DRAFT:
            raise TypeError("A submitted application is never deleted.")
        return super().delete(*args, **kwargs)

    @property
    def overridden(self) -> bool:
        return bool(self.override_reason)

    @property
    def override_rule_labels(self) -> list[str]:
        """The failed rules recorded with the override, in the reader's language."""
        from .eligibility import RuleResult

        return [f"{r.label}: {r.detail}" for r in map(RuleResult.from_dict, self.override_rules)]

    @property
    def checklist_complete(self) -> bool:
        return all(
            (self.check_eligibility, self.check_materials, self.check_facts, self.check_procedure)
        )


def material_path(instance, filename):
    return f"certification/{instance.application.cycle_id}/{instance.application_id}/{filename}"


class Material(UndeletableMixin, models.Model):
    """An evidence file of an application, stored privately and served through a scoped view."""

    class Kind(models.TextChoices):
        PERFORMANCE = "performance", _("performance evidence")
        CASE = "case", _("client case")
        CERTIFICATE = "certificate", _("certificate")
        OTHER = "other", _("other")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="materials",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    file = models.FileField(_("file"), storage=private_storage, upload_to=material_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["application", "id"]

    def __str__(self) -> str:
        return self.original_name


class DimensionValue(models.Model):
    """The value of a prefilled dimension for one application: from system data when the
    review starts, or entered by the office by hand (with a reason)."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="dimension_values",
    )
    dimension = models.ForeignKey(
        Dimension, verbose_name=_("dimension"), on_delete=models.CASCADE, related_name="+"
    )
    source_value = models.DecimalField(
        _("source figure"), max_digits=9, decimal_places=4, null=True, blank=True
    )
    value = models.DecimalField(
        _("dimension score"), max_digits=9, decimal_places=4, null=True, blank=True
    )
    manual = models.BooleanField(_("entered by hand"), default=False)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("dimension value")
        verbose_name_plural = _("dimension values")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "dimension"], name="dimension_value_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}/{self.dimension_id}: {self.value}"


# --- committee ----------------------------------------------------------------------------


class Panel(models.Model):
    """评审小组: the committee panel of one target level in a cycle."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="panels"
    )
    level = models.ForeignKey(Level, verbose_name=_("target level"), on_delete=models.PROTECT)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), related_name="certification_panels"
    )
    deadline = models.DateField(
        _("scoring deadline"),
        null=True,
        blank=True,
        help_text=_(
            "The day by which the members submit their sheets: shown in their to-do list and "
            "reminded beforehand."
        ),
    )

    class Meta:
        verbose_name = _("panel")
        verbose_name_plural = _("panels")
        ordering = ["cycle", "level__order"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "level"], name="panel_unique_level")
        ]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.level.code}"


class DeclaredConflict(models.Model):
    """A conflict of interest declared by (or for) a panel member about a staff member."""

    class Kind(models.TextChoices):
        RELATIVE = "relative", _("relative")
        FORMER_MANAGER = "former_manager", _("former manager or report")
        COLLABORATOR = "collaborator", _("close collaborator")
        OTHER = "other", _("other")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("committee member"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    staff = models.ForeignKey(
        Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("declared conflict")
        verbose_name_plural = _("declared conflicts")
        constraints = [
            models.UniqueConstraint(fields=["member", "staff"], name="declared_conflict_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member} ↔ {self.staff} ({self.kind})"


class ScoringSheet(models.Model):
    """评分表 of one member for one candidate: committee-scored dimensions only."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="sheets"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("committee member"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    total = models.DecimalField(_("total"), max_digits=9, decimal_places=4, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scoring sheet")
        verbose_name_plural = _("scoring sheets")
        ordering = ["application", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "member"], name="sheet_unique_member")
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.member}"

    def delete(self, *args, **kwargs):
        raise TypeError("Scoring sheets are never deleted.")


# --- publicity ----------------------------------------------------------------------------


class Objection(UndeletableMixin, models.Model):
    """异议 filed during publicity; the office dismisses or upholds it."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("objection status", "open")
        DISMISSED = "dismissed", _("dismissed")
        UPHELD = "upheld", _("upheld")

    class Outcome(models.TextChoices):
        REVIEW = "review", _("back to review")
        REJECT = "reject", _("application rejected")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.application}"


# --- defence (述职答辩) ---------------------------------------------------------------------


class Defence(models.Model):
    """述职答辩: the candidate presents to the panel of their target level in the cycle, at one
    slot, in a room and/or by video. One per application; cancelling keeps the row (with the
    reason) so that a later re-schedule updates the same calendar invitation (its UID), with a
    higher ``sequence``."""

    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="defence",
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)
    sequence = models.PositiveIntegerField(
        _("revision"),
        default=0,
        help_text=_("Grows with every move or cancellation (the invitation's SEQUENCE)."),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scheduled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("defence")
        verbose_name_plural = _("defences")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="defence_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(place="", video_url=""),
                name="defence_place_or_link",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} @ {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None
