"""Competency model (素质模型, DOMAIN.md "Competency model").

A :class:`CompetencyModel` belongs to a track and is versioned: draft → published → retired.
A published version is immutable; editing means a new draft copied from it. Its
:class:`Competency` rows carry a category, a kind and a behaviour-anchored description for every
proficiency level (:class:`ProficiencyLevel`, 分级描述). A :class:`Requirement` gives, per ladder
level, the required proficiency and a weight for a competency (the requirement profile).

An :class:`AssessmentRound` assesses a set of staff against one published version; each
:class:`Assessment` gathers :class:`Rating` rows from invited :class:`Rater` s of four types and,
once finalized, stores its :class:`AssessmentResult` per competency and its competency index.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from org.models import BilingualNameMixin, Level, Staff, Track

DEFAULT_SCALE = 5


class BilingualDescriptionMixin(models.Model):
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)

    class Meta:
        abstract = True

    @property
    def display_description(self) -> str:
        lang = get_language() or ""
        if lang.startswith("en") and self.description_en:
            return self.description_en
        return self.description


class CompetencyModel(BilingualNameMixin, BilingualDescriptionMixin):
    """素质模型: one version of a track's competency model."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        RETIRED = "retired", _("retired")

    track = models.ForeignKey(
        Track, verbose_name=_("track"), on_delete=models.PROTECT, related_name="competency_models"
    )
    version = models.PositiveSmallIntegerField(_("version"), validators=[MinValueValidator(1)])
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    scale_max = models.PositiveSmallIntegerField(
        _("highest proficiency level"),
        default=DEFAULT_SCALE,
        validators=[MinValueValidator(2), MaxValueValidator(9)],
        help_text=_("Proficiency is rated from 1 to this level."),
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="drafts",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("competency model")
        verbose_name_plural = _("competency models")
        ordering = ["track", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["track", "version"], name="compmodel_unique_version"),
            models.UniqueConstraint(
                fields=["track"],
                condition=models.Q(status="published"),
                name="compmodel_one_published_per_track",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} v{self.version}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def scale(self) -> range:
        return range(1, self.scale_max + 1)


class Competency(BilingualNameMixin, BilingualDescriptionMixin):
    """素质: one competency of a model version."""

    class Category(models.TextChoices):
        ATTITUDE = "attitude", _("attitude")
        KNOWLEDGE = "knowledge", _("knowledge")
        SKILL = "skill", _("skill")

    class Kind(models.TextChoices):
        BASIC = "basic", _("basic competency")
        PROFESSIONAL = "professional", _("professional competency")

    model = models.ForeignKey(
        CompetencyModel,
        verbose_name=_("competency model"),
        on_delete=models.CASCADE,
        related_name="competencies",
    )
    code = models.CharField(_("code"), max_length=32)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["model", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["model", "code"], name="competency_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"


class ProficiencyLevel(BilingualDescriptionMixin):
    """分级描述: the observable behaviour at one proficiency level of a competency."""

    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.CASCADE, related_name="levels"
    )
    level = models.PositiveSmallIntegerField(
        _("proficiency level"), validators=[MinValueValidator(1), MaxValueValidator(9)]
    )

    class Meta:
        verbose_name = _("proficiency level description")
        verbose_name_plural = _("proficiency level descriptions")
        ordering = ["competency", "level"]
        constraints = [
            models.UniqueConstraint(fields=["competency", "level"], name="proficiency_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.competency.code} {self.level}"


class Requirement(models.Model):
    """要求: the proficiency a ladder level requires for one competency, and its weight."""

    model = models.ForeignKey(
        CompetencyModel,
        verbose_name=_("competency model"),
        on_delete=models.CASCADE,
        related_name="requirements",
    )
    level = models.ForeignKey(
        Level, verbose_name=_("level"), on_delete=models.PROTECT, related_name="+"
    )
    competency = models.ForeignKey(
        Competency,
        verbose_name=_("competency"),
        on_delete=models.CASCADE,
        related_name="requirements",
    )
    required_level = models.PositiveSmallIntegerField(
        _("required proficiency"), validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    class Meta:
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        ordering = ["model", "level__order", "competency__order", "competency__code"]
        constraints = [
            models.UniqueConstraint(fields=["level", "competency"], name="requirement_unique"),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0), name="requirement_weight_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level.code} {self.competency.code} ≥ {self.required_level}"


class RaterType(models.TextChoices):
    SELF = "self", _("self")
    MANAGER = "manager", _("manager")
    PEER = "peer", _("peer")
    EXPERT = "expert", _("expert")


DEFAULT_RATER_WEIGHTS: dict[str, Decimal] = {
    RaterType.MANAGER: Decimal("50"),
    RaterType.PEER: Decimal("20"),
    RaterType.EXPERT: Decimal("20"),
    RaterType.SELF: Decimal("10"),
}


def _weight_field(label, default):
    return models.DecimalField(
        label,
        max_digits=6,
        decimal_places=2,
        default=default,
        validators=[MinValueValidator(Decimal("0"))],
    )


class AssessmentRound(models.Model):
    """测评批次: one 360° assessment of a set of staff against a published model version."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    name = models.CharField(_("name"), max_length=200)
    model = models.ForeignKey(
        CompetencyModel,
        verbose_name=_("competency model"),
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    weight_manager = _weight_field(_("manager weight"), Decimal("50"))
    weight_peer = _weight_field(_("peer weight"), Decimal("20"))
    weight_expert = _weight_field(_("expert weight"), Decimal("20"))
    weight_self = _weight_field(_("self weight"), Decimal("10"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def rater_weights(self) -> dict[str, Decimal]:
        return {
            RaterType.MANAGER: self.weight_manager,
            RaterType.PEER: self.weight_peer,
            RaterType.EXPERT: self.weight_expert,
            RaterType.SELF: self.weight_self,
        }


class Assessment(models.Model):
    """素质测评: the assessment of one staff member within a round."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        FINALIZED = "finalized", _("finalized")
        CANCELLED = "cancelled", _("cancelled")

    round = models.ForeignKey(
        AssessmentRound,
        verbose_name=_("assessment round"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    staff = models.ForeignKey(
        Staff,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="competency_assessments",
    )
    model = models.ForeignKey(
        CompetencyModel,
        verbose_name=_("competency model"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    level = models.ForeignKey(
        Level,
        verbose_name=_("level assessed against"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The staff member's level when the round opened; its profile applies."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    index = models.DecimalField(
        _("competency index"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    finalized_on = models.DateField(_("finalized on"), null=True, blank=True)
    finalized_at = models.DateTimeField(_("finalized at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "staff"], name="assessment_unique_per_round"),
        ]
        indexes = [models.Index(fields=["staff", "status", "finalized_on"])]

    def __str__(self) -> str:
        return f"{self.staff.name} · {self.round.name}"


class Rater(models.Model):
    """An invitation to rate one assessment as one rater type."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="raters"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rater"),
        on_delete=models.PROTECT,
        related_name="competency_rater_invitations",
    )
    rater_type = models.CharField(_("rater type"), max_length=16, choices=RaterType.choices)
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rater")
        verbose_name_plural = _("raters")
        ordering = ["assessment", "rater_type", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "user"], name="rater_unique_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.get_rater_type_display()} #{self.pk}"


class Rating(models.Model):
    """评分: one rater's proficiency level for one competency, with the evidence (行为事例)."""

    rater = models.ForeignKey(
        Rater, verbose_name=_("rater"), on_delete=models.CASCADE, related_name="ratings"
    )
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="ratings"
    )
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(
        _("proficiency level"), validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    evidence = models.TextField(_("evidence"))
    rated_at = models.DateTimeField(_("rated at"), auto_now=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["assessment", "competency__order", "rater__rater_type", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rater", "competency"], name="rating_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.competency.code}: {self.level}"


class AssessmentResult(models.Model):
    """The finalized result of one competency: weighted mean, requirement and gap (rounded)."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="results"
    )
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="+"
    )
    actual = models.DecimalField(_("actual proficiency"), max_digits=5, decimal_places=2)
    required_level = models.PositiveSmallIntegerField(_("required proficiency"), null=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, null=True)
    gap = models.DecimalField(_("gap"), max_digits=5, decimal_places=2, default=Decimal("0"))
    by_type = models.JSONField(_("mean per rater type"), default=dict)

    class Meta:
        verbose_name = _("assessment result")
        verbose_name_plural = _("assessment results")
        ordering = ["assessment", "competency__order", "competency__code"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "competency"], name="result_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.competency.code}: {self.actual}"

    @property
    def is_gap(self) -> bool:
        return self.gap > 0
