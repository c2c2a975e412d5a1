"""Training (DOMAIN.md, "Training"): the course catalogue, sessions (培训班) with enrolments,
the training ledger (培训台账), external certificates, per-level requirements and training
packages (培训礼包).

Credits are ``Decimal``. A training record is the single source of truth for credits: sessions,
imports and verified external certificates all end up as records, each with its ``source``.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.storage import private_storage
from org.models import Appointment, Level, Staff


class Course(models.Model):
    """课程: one entry of the catalogue."""

    class Category(models.TextChoices):
        BASIC = "basic", _("basic course")
        PROFESSIONAL = "professional", _("professional course")

    class Form(models.TextChoices):
        OFF_JOB = "off_job", _("off-the-job training")
        SELF_STUDY = "self_study", _("self-study / online")
        ON_JOB = "on_job", _("on-the-job learning")

    code = models.CharField(_("code"), max_length=32, unique=True)
    title = models.CharField(pgettext_lazy("course", "title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    form = models.CharField(_("form"), max_length=16, choices=Form.choices)
    hours = models.DecimalField(
        _("hours"), max_digits=6, decimal_places=1, validators=[MinValueValidator(0)]
    )
    credits = models.DecimalField(
        _("credits"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)]
    )
    active = models.BooleanField(_("active"), default=True)
    competencies = models.ManyToManyField(
        "competency.Competency",
        verbose_name=_("competencies developed"),
        blank=True,
        related_name="courses",
        help_text=_("Competency gaps recommend the courses that develop them."),
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["code"]
        indexes = [models.Index(fields=["category", "form"])]

    def __str__(self) -> str:
        return f"{self.code} {self.display_title}"

    @property
    def display_title(self) -> str:
        lang = get_language() or ""
        if lang.startswith("en") and self.title_en:
            return self.title_en
        return self.title


class TrainingSession(models.Model):
    """培训班: one run of a course with a schedule, a place and a capacity."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("enrolment status", "open")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="sessions"
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    pass_mark = models.DecimalField(
        _("pass mark"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Leave empty for a session without an exam: attendance is enough to pass."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    self_enrolment = models.BooleanField(_("self-enrolment allowed"), default=True)
    trainer = models.CharField(
        _("trainer"),
        max_length=100,
        blank=True,
        help_text=_("Participants' evaluations are also aggregated per trainer."),
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="training_session_end_ge_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course.code} {self.start:%Y-%m-%d}"


class Enrolment(models.Model):
    """One staff member on one session: attendance, exam score, and the outcome at completion."""

    session = models.ForeignKey(
        TrainingSession,
        verbose_name=pgettext_lazy("training", "session"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    staff = models.ForeignKey(
        Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="enrolments"
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enrolled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    attended = models.BooleanField(_("attended"), default=False)
    score = models.DecimalField(
        _("exam score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    evaluated = models.BooleanField(
        _("evaluated"),
        default=False,
        help_text=_(
            "The participant has rated the session. The rating itself is stored without the person."
        ),
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["session", "staff__employee_no"]
        constraints = [
            models.UniqueConstraint(fields=["session", "staff"], name="enrolment_once_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.staff} @ {self.session}"


def _random_id() -> str:
    return secrets.token_hex(16)


class CourseEvaluation(models.Model):
    """A participant's anonymous rating of a session they attended (篇3): 1–5 on content,
    trainer and usefulness, and an optional comment. It holds **nothing that identifies the
    person** — no staff, no user, no time, and a random id (so its order says nothing about
    who rated when); the enrolment's ``evaluated`` flag alone prevents a second rating."""

    SCORES = [MinValueValidator(1), MaxValueValidator(5)]

    id = models.CharField(primary_key=True, max_length=32, default=_random_id, editable=False)
    session = models.ForeignKey(
        TrainingSession,
        verbose_name=pgettext_lazy("training", "session"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    content = models.PositiveSmallIntegerField(
        pgettext_lazy("course evaluation", "content"), validators=SCORES
    )
    trainer = models.PositiveSmallIntegerField(_("trainer"), validators=SCORES)
    usefulness = models.PositiveSmallIntegerField(_("usefulness"), validators=SCORES)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("course evaluation")
        verbose_name_plural = _("course evaluations")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(content__gte=1, content__lte=5)
                & models.Q(trainer__gte=1, trainer__lte=5)
                & models.Q(usefulness__gte=1, usefulness__lte=5),
                name="evaluation_scores_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.content}/{self.trainer}/{self.usefulness}"


class RecordImport(models.Model):
    """One accepted ledger import (file name, checksum, counts) — the audit anchor."""

    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"))
    created = models.PositiveIntegerField(_("created"))
    updated = models.PositiveIntegerField(_("updated"))
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
        verbose_name = _("training record import")
        verbose_name_plural = _("training record imports")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.imported_at:%Y-%m-%d %H:%M})"


class ExternalCertificate(models.Model):
    """An external certificate a staff member submits with a file; HR verifies it and the
    verification writes a training record (source ``external``)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        VERIFIED = "verified", _("verified")
        REJECTED = "rejected", _("rejected")

    staff = models.ForeignKey(
        Staff,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="training_certificates",
    )
    title = models.CharField(_("certificate"), max_length=200)
    issuer = models.CharField(_("issuer"), max_length=200)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(
        _("expires on"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a certificate that does not expire."),
    )
    course = models.ForeignKey(
        Course,
        verbose_name=_("equivalent course"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        help_text=_("The catalogue course this certificate counts as, if any."),
    )
    hours = models.DecimalField(
        _("hours"), max_digits=6, decimal_places=1, default=0, validators=[MinValueValidator(0)]
    )
    credits = models.DecimalField(
        _("credits claimed"),
        max_digits=6,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to="training/certificates/")
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_reason = models.TextField(_("review note"), blank=True)

    class Meta:
        verbose_name = _("external certificate")
        verbose_name_plural = _("external certificates")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["expires_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gte=models.F("issued_on")),
                name="certificate_expires_after_issue",
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff.name}: {self.title}"


class TrainingRecord(models.Model):
    """培训台账: one line of the ledger. Credits count towards the 12-month total when the
    result is ``passed`` or ``completed``."""

    class Result(models.TextChoices):
        PASSED = "passed", _("passed")
        COMPLETED = "completed", _("completed (no exam)")
        FAILED = "failed", _("failed")

    class Source(models.TextChoices):
        SESSION = "session", _("training session")
        IMPORT = "import", _("import")
        EXTERNAL = "external", _("external certificate")
        MENTORING = "mentoring", _("mentoring")
        ROTATION = "rotation", _("job rotation")

    CREDITING_RESULTS = (Result.PASSED, Result.COMPLETED)

    staff = models.ForeignKey(
        Staff,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="training_records",
    )
    course = models.ForeignKey(
        Course,
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    title = models.CharField(
        pgettext_lazy("course", "title"),
        max_length=200,
        blank=True,
        help_text=_("For records without a course."),
    )
    date = models.DateField(_("date"), db_index=True)
    hours = models.DecimalField(
        _("hours"), max_digits=6, decimal_places=1, validators=[MinValueValidator(0)]
    )
    credits = models.DecimalField(
        _("credits"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)]
    )
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    session = models.ForeignKey(
        TrainingSession,
        verbose_name=pgettext_lazy("training", "session"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    certificate = models.OneToOneField(
        ExternalCertificate,
        verbose_name=_("external certificate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="record",
    )
    batch = models.ForeignKey(
        RecordImport,
        verbose_name=_("import"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
        help_text=_("The last import that wrote this record."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["staff", "date"]), models.Index(fields=["course", "date"])]
        constraints = [
            # A session writes one record per participant, whatever happens (idempotent).
            models.UniqueConstraint(
                fields=["session", "staff"],
                condition=models.Q(session__isnull=False),
                name="training_record_once_per_session",
            ),
            # The natural key of an imported line: re-importing updates instead of duplicating.
            models.UniqueConstraint(
                fields=["staff", "course", "date"],
                condition=models.Q(source="import"),
                name="training_record_import_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff.name} {self.course_code_or_title} {self.date}"

    @property
    def course_code_or_title(self) -> str:
        if self.course_id:
            return self.course.code
        return self.title


class TrainingActivity(models.Model):
    """A training form other than a course (篇3): mentoring (导师带教) — a mentor develops a
    mentee over a period — or job rotation (岗位轮换) — the staff member works in a host unit
    for a period. HR records it; recording writes one ledger record (source ``mentoring`` or
    ``rotation``) with the credits of :func:`training.rules.activity_credits`, so it counts
    towards the requirement exactly as a course does."""

    class Kind(models.TextChoices):
        MENTORING = "mentoring", _("mentoring")
        ROTATION = "rotation", _("job rotation")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    staff = models.ForeignKey(
        Staff,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="training_activities",
        help_text=_("The mentee, or the staff member on rotation."),
    )
    mentor = models.ForeignKey(
        Staff,
        verbose_name=_("mentor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentored_activities",
    )
    host_unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("host unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    goals = models.TextField(_("goals"), blank=True)
    hours = models.DecimalField(
        _("hours"), max_digits=6, decimal_places=1, validators=[MinValueValidator(0)]
    )
    record = models.OneToOneField(
        "TrainingRecord",
        verbose_name=_("training record"),
        on_delete=models.PROTECT,
        related_name="activity",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("training activity")
        verbose_name_plural = _("training activities")
        ordering = ["-end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="activity_end_ge_start"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="mentoring", mentor__isnull=False)
                    | models.Q(kind="rotation", host_unit__isnull=False)
                ),
                name="activity_has_mentor_or_host_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.staff.name} {self.start}–{self.end}"


class Requirement(models.Model):
    """Training requirement of one ladder level: minimum credits in the last 12 months and the
    courses one must have passed (DOMAIN.md, "Training")."""

    level = models.OneToOneField(
        Level,
        verbose_name=_("level"),
        on_delete=models.PROTECT,
        related_name="training_requirement",
    )
    min_credits_12m = models.DecimalField(
        _("minimum credits in the last 12 months"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    required_courses = models.ManyToManyField(
        Course, verbose_name=_("required courses"), blank=True, related_name="required_by"
    )

    class Meta:
        verbose_name = _("training requirement")
        verbose_name_plural = _("training requirements")
        ordering = ["level__track", "level__order"]

    def __str__(self) -> str:
        return f"{self.level.code}: ≥ {self.min_credits_12m}"


class TrainingPackage(models.Model):
    """培训礼包: granted with a promotion to a senior level (L3 or above), worth the level's
    ``training_package_value``; the staff member picks a programme and HR records its use."""

    class Status(models.TextChoices):
        GRANTED = "granted", _("granted")
        CHOSEN = "chosen", _("programme chosen")
        USED = "used", _("used up")

    staff = models.ForeignKey(
        Staff,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="training_packages",
    )
    appointment = models.OneToOneField(
        Appointment,
        verbose_name=_("appointment"),
        on_delete=models.PROTECT,
        related_name="training_package",
    )
    level = models.ForeignKey(
        Level, verbose_name=_("level"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(pgettext_lazy("money", "value"), max_digits=10, decimal_places=2)
    granted_on = models.DateField(_("granted on"))
    valid_until = models.DateField(_("valid until"))
    programme = models.CharField(_("programme"), max_length=200, blank=True)
    course = models.ForeignKey(
        Course,
        verbose_name=_("catalogue course"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    chosen_at = models.DateTimeField(_("chosen at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.GRANTED
    )

    class Meta:
        verbose_name = _("training package")
        verbose_name_plural = _("training packages")
        ordering = ["-granted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.staff.name} {self.level.code} {self.value}"


class PackageUsage(models.Model):
    """One use of a training package (an invoice, a course fee)."""

    package = models.ForeignKey(
        TrainingPackage, verbose_name=_("package"), on_delete=models.PROTECT, related_name="usages"
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(
        _("amount"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    description = models.CharField(_("description"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("package usage")
        verbose_name_plural = _("package usages")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.package} − {self.amount}"


class TrainingPlan(models.Model):
    """年度培训计划: one unit's training plan for a year, with its budget. HR drafts it line by
    line against the unit's competency gaps and approves it — never over budget."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("plan status", "draft")
        APPROVED = "approved", pgettext_lazy("plan status", "approved")

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="+"
    )
    budget = models.DecimalField(
        _("budget"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")
        ordering = ["-year", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["year", "unit"], name="training_plan_once_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.unit}"


class TrainingPlanLine(models.Model):
    """One line of a plan: a catalogue course or a topic, the competency it develops, the
    participants planned and the cost."""

    plan = models.ForeignKey(
        TrainingPlan,
        verbose_name=_("training plan"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    course = models.ForeignKey(
        Course,
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    topic = models.CharField(
        _("topic"), max_length=200, blank=True, help_text=_("For a line without a course.")
    )
    competency = models.ForeignKey(
        "competency.Competency",
        verbose_name=_("competency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    participants = models.PositiveIntegerField(_("planned participants"))
    cost = models.DecimalField(
        _("cost"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("training plan line")
        verbose_name_plural = _("training plan lines")
        ordering = ["plan", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(course__isnull=False) | ~models.Q(topic=""),
                name="plan_line_course_or_topic",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.course or self.topic}"


class DevelopmentGoal(models.Model):
    """An agreed development goal of an appraisal's review conversation (篇14): the line
    manager records it on the review page, linked to the competency gap it closes and/or the
    course that develops it, with a due date."""

    appraisal = models.ForeignKey(
        "kpi.Appraisal",
        verbose_name=_("appraisal"),
        on_delete=models.CASCADE,
        related_name="development_goal_items",
    )
    staff = models.ForeignKey(
        Staff,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="development_goals",
        help_text=_("The appraisal's staff member (kept for scoped lists)."),
    )
    text = models.CharField(_("goal"), max_length=500)
    due_on = models.DateField(_("due on"))
    competency = models.ForeignKey(
        "competency.Competency",
        verbose_name=_("competency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    course = models.ForeignKey(
        Course,
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("development goal")
        verbose_name_plural = _("development goals")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.staff.name}: {self.text}"
