"""Organisation and career ladder (DOMAIN.md, "Organisation and career ladder").

Org units form a tree stored with a materialised ``path`` so that "everyone in this subtree"
is one indexed ``LIKE 'prefix%'`` query, whatever the depth. A staff member's level history is
their appointments; the current level equals the open appointment, which only
``org.services.appoint`` changes.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core import terms

from .pinyin import initials


class BilingualNameMixin(models.Model):
    """Reference data carries a Chinese ``name`` and an optional English ``name_en``."""

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        lang = get_language() or ""
        if lang.startswith("en") and self.name_en:
            return self.name_en
        return self.name


class OrgUnit(BilingualNameMixin):
    """组织: company → branch → department."""

    AUDIT_DERIVED = ("path_name", "path_name_en")

    code = models.CharField(_("code"), max_length=32, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(_("tree path"), max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    path_name = models.CharField(
        _("full name"),
        max_length=500,
        blank=True,
        editable=False,
        help_text=_("The names from the branch down to this unit: 广州分公司 / 大客户部."),
    )
    path_name_en = models.CharField(
        _("full English name"), max_length=500, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        ordering = ["path"]

    def descendants_and_self(self):
        return OrgUnit.objects.filter(path__startswith=self.path)

    @property
    def display_path(self) -> str:
        """The unit as people tell it apart: "Branch / department" (department names repeat
        across branches), in the reader's language; maintained by ``org.services``."""
        lang = get_language() or ""
        if lang.startswith("en") and self.path_name_en:
            return self.path_name_en
        return self.path_name or self.display_name


class Track(BilingualNameMixin):
    """岗位序列, e.g. 大客户经理 Key Account Manager."""

    code = models.CharField(_("code"), max_length=32, unique=True)

    class Meta:
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        ordering = ["code"]


class Level(BilingualNameMixin):
    """岗位级别: one rung of a track's ladder, with its term (聘期) and benefits (待遇)."""

    track = models.ForeignKey(
        Track, verbose_name=_("track"), on_delete=models.PROTECT, related_name="levels"
    )
    code = models.CharField(_("code"), max_length=16)
    order = models.PositiveSmallIntegerField(_("order"), help_text=_("1 is the lowest level."))
    term_years = models.PositiveSmallIntegerField(
        _("term (years)"), default=3, validators=[MinValueValidator(1)]
    )
    allowance = models.DecimalField(
        _("monthly level allowance"), max_digits=10, decimal_places=2, default=0
    )
    training_package_value = models.DecimalField(
        _("training package value"), max_digits=10, decimal_places=2, default=0
    )
    honorary_title = models.CharField(_("honorary title"), max_length=100, blank=True)
    honorary_title_en = models.CharField(_("honorary title (English)"), max_length=100, blank=True)
    office_entitlement = models.CharField(_("office entitlement"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["track", "order"]
        constraints = [
            models.UniqueConstraint(fields=["track", "order"], name="level_unique_order"),
            models.UniqueConstraint(fields=["track", "code"], name="level_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"

    @property
    def display_title(self) -> str:
        lang = get_language() or ""
        if lang.startswith("en") and self.honorary_title_en:
            return self.honorary_title_en
        return self.honorary_title

    @property
    def distinct_title(self) -> str:
        """The honorary title when it says more than the level's name (L2 客户经理 is titled
        客户经理: shown once, not twice)."""
        title = self.display_title
        return "" if title == self.display_name else title


class StaffManager(models.Manager):
    """Keeps the pinyin initials on the bulk path too (``save`` keeps them on the single one)."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.name_initials = initials(obj.name)
        return super().bulk_create(objs, *args, **kwargs)


class Staff(models.Model):
    """员工: an employee on a track, with a current level that mirrors the open appointment."""

    AUDIT_DERIVED = ("name_initials",)

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("staff status", "active")
        ON_LEAVE = "on_leave", _("on leave")
        EXITED = "exited", _("exited")

    employee_no = models.CharField(_("employee number"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
    )
    name_initials = models.CharField(
        _("pinyin initials"),
        max_length=50,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("Kept from the name (张三丰 → zsf) for the search box."),
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="staff"
    )
    manager = models.ForeignKey(
        "self",
        verbose_name=_("line manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    track = models.ForeignKey(
        Track, verbose_name=_("track"), on_delete=models.PROTECT, related_name="staff"
    )
    level = models.ForeignKey(
        Level,
        verbose_name=_("current level"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("Changed only by an appointment."),
    )
    hire_date = models.DateField(_("hire date"))
    level_since = models.DateField(_("at current level since"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    exit_date = models.DateField(_("exit date"), null=True, blank=True)
    exit_reason = models.CharField(_("exit reason"), max_length=500, blank=True)

    objects = StaffManager()

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["employee_no"]
        indexes = [models.Index(fields=["track", "level"]), models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_no})"

    def save(self, *args, **kwargs):
        """Keeps the pinyin initials with the name (a derived column the search box reads)."""
        self.name_initials = initials(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_initials"}
        super().save(*args, **kwargs)


class Appointment(models.Model):
    """聘任记录: one term at one level. The open one (``closed_on`` empty) is the current level."""

    class Reason(models.TextChoices):
        INITIAL = "initial", _("initial appointment")
        PROMOTION = "promotion", _("promotion")
        KEPT = "kept", _("re-certification kept")
        RENEWAL = "renewal", _("re-appointment")
        DEMOTION = "demotion", _("demotion")
        ELIMINATION = "elimination", _("elimination")

    staff = models.ForeignKey(
        Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="appointments"
    )
    level = models.ForeignKey(
        Level, verbose_name=_("level"), on_delete=models.PROTECT, related_name="appointments"
    )
    start = models.DateField(_("term start"))
    end = models.DateField(_("term end"))
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    decision = models.CharField(
        _("decision"),
        max_length=200,
        blank=True,
        help_text=_("The decision this appointment came from (cycle, ranking run, review)."),
    )
    closed_on = models.DateField(
        _("closed on"), null=True, blank=True, help_text=_("Set when superseded.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["staff", "-start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff"],
                condition=models.Q(closed_on__isnull=True),
                name="appointment_one_open_per_staff",
            ),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="appointment_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["end"]), models.Index(fields=["level", "start"])]

    def __str__(self) -> str:
        return f"{self.staff.name} {self.level.code} {self.start}–{self.end}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def last_day(self):
        """The term's last day as people read it (``end`` is exclusive; see core.terms)."""
        return terms.last_day(self.end)
