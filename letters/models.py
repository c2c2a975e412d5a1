"""Appointment letters (DOMAIN.md, "Appointment letters (PDF) — 聘任书").

A letter is issued once: its number is taken from a per-year counter row locked in the same
transaction as the letter's insert (no gaps, no duplicates), its PDF and SHA-256 are stored when
it is issued, and afterwards only revocation (with a reason) changes it. ``facts`` is the
snapshot of what the letter states, so the verification page shows what was printed even if
the staff record changes later.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.storage import private_storage
from org.models import Appointment, Level, Staff


def seal_path(instance: LetterSeal, filename: str) -> str:
    extension = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return f"letters/seals/{secrets.token_hex(8)}{extension}"


class LetterSeal(models.Model):
    """An electronic seal image (电子印章) uploaded by an administrator.

    By default a letter leaves a blank space where the company stamps the paper copy; when an
    e-seal is active its image is printed there instead. The image is stored privately (no URL),
    read only when a letter is rendered, and every letter printed with it is audited on the seal
    (``letter_seal:use``) and records it (``Letter.seal``). At most one seal is active."""

    name = models.CharField(_("name"), max_length=100)
    file = models.FileField(_("image"), storage=private_storage, upload_to=seal_path)
    content_type = models.CharField(_("content type"), max_length=32)
    active = models.BooleanField(_("active"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("electronic seal")
        verbose_name_plural = _("electronic seals")
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=models.Q(active=True), name="letter_one_active_seal"
            )
        ]

    def __str__(self) -> str:
        return self.name


class LetterCounter(models.Model):
    """The last sequence number used in one number series (a prefix) and year — one row per
    series and year, locked while numbering."""

    series = models.CharField(_("number series"), max_length=32)
    year = models.PositiveSmallIntegerField(_("year"))
    last_seq = models.PositiveIntegerField(_("last sequence number"), default=0)

    class Meta:
        verbose_name = _("letter counter")
        verbose_name_plural = _("letter counters")
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="letter_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.series}〔{self.year}〕{self.last_seq}"


class LetterKind(models.TextChoices):
    APPOINTMENT = "appointment", _("appointment letter")
    PROMOTION = "promotion", _("promotion letter")
    RENEWAL = "renewal", _("renewal letter")
    KEPT = "kept", _("level kept after re-certification")
    DEMOTION = "demotion", _("demotion notice")
    ELIMINATION = "elimination", _("elimination notice")
    RECERTIFICATION = "recertification", _("re-certification result")


class LetterLanguage(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"


class LetterTemplate(models.Model):
    """One version of the HR-editable wording of a kind of letter in one language.

    ``draft`` → ``published`` → ``superseded``: the office edits a draft (at most one per kind
    and language), publishes it — the published version (at most one) is what new letters use,
    and it is never edited again — and publishing the next version supersedes it. Without a
    published version a kind uses the built-in wording of the code templates. The editable
    parts and the placeholder syntax are :mod:`letters.wording`'s; every letter records the
    version it was written from (``Letter.template``, empty for the built-in wording).
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        SUPERSEDED = "superseded", _("superseded")

    kind = models.CharField(_("kind"), max_length=20, choices=LetterKind.choices)
    language = models.CharField(_("language"), max_length=8, choices=LetterLanguage.choices)
    version = models.PositiveIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    title = models.CharField(_("title"), max_length=200)
    salutation = models.CharField(_("salutation"), max_length=300, blank=True)
    body = models.TextField(_("body"), blank=True)
    closing = models.TextField(_("closing"), blank=True)
    cc = models.CharField(_("copy to (抄送)"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    PARTS = ("title", "salutation", "body", "closing", "cc")

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        ordering = ["kind", "language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "language", "version"], name="letter_template_unique_version"
            ),
            models.UniqueConstraint(
                fields=["kind", "language"],
                condition=models.Q(state="published"),
                name="letter_template_one_published",
            ),
            models.UniqueConstraint(
                fields=["kind", "language"],
                condition=models.Q(state="draft"),
                name="letter_template_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.language} · v{self.version}"

    def save(self, *args, **kwargs):
        """A published (or superseded) version is never edited."""
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("state", flat=True).first()
            if stored is not None and stored != self.State.DRAFT:
                raise TypeError("A published letter template cannot be edited.")
        super().save(*args, **kwargs)

    @property
    def parts(self) -> dict[str, str]:
        return {part: getattr(self, part) for part in self.PARTS}

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT


class LetterQuerySet(models.QuerySet):
    def issued(self):
        return self.filter(issued_at__isnull=False)

    def live(self):
        """Not revoked: the letter that currently stands for its appointment and kind."""
        return self.filter(revoked_at__isnull=True)


class Letter(models.Model):
    Kind = LetterKind

    ADVERSE = frozenset({"demotion", "elimination"})

    Language = LetterLanguage

    number = models.CharField(_("letter number"), max_length=64, unique=True)
    series = models.CharField(_("number series"), max_length=32)
    year = models.PositiveSmallIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("sequence number"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    appointment = models.ForeignKey(
        Appointment, verbose_name=_("appointment"), on_delete=models.PROTECT, related_name="letters"
    )
    staff = models.ForeignKey(
        Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="letters"
    )
    level = models.ForeignKey(
        Level, verbose_name=_("level"), on_delete=models.PROTECT, related_name="+"
    )
    verification_code = models.CharField(_("verification code"), max_length=32, unique=True)
    facts = models.JSONField(_("facts stated in the letter"), default=dict)
    issue_date = models.DateField(_("issue date"))
    pdf_path = models.CharField(_("PDF file"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    issued_at = models.DateTimeField(
        _("issued at"), null=True, blank=True, help_text=_("Empty while the PDF is being made.")
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    job = models.ForeignKey(
        "jobs.Job",
        verbose_name=_("batch job"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    seal = models.ForeignKey(
        LetterSeal,
        verbose_name=_("electronic seal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
        help_text=_("Empty: a blank space for the company's stamp on the printed letter."),
    )
    template = models.ForeignKey(
        LetterTemplate,
        verbose_name=_("template version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
        help_text=_("Empty: the built-in wording."),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoke_reason = models.TextField(_("reason for revocation"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-year", "-seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "seq"], name="letter_unique_series_year_seq"
            ),
            models.UniqueConstraint(
                fields=["appointment", "kind"],
                condition=models.Q(revoked_at__isnull=True),
                name="letter_one_live_per_appointment_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["staff", "-issue_date"]),
            models.Index(fields=["job"]),
        ]

    def __str__(self) -> str:
        return self.number

    REVOCATION_FIELDS = frozenset({"revoked_at", "revoked_by", "revoke_reason"})

    def save(self, *args, **kwargs):
        """An issued letter is never edited: only its revocation may still be saved."""
        if self.pk is not None and self.issued_at is not None:
            fields = kwargs.get("update_fields")
            if fields is None or set(fields) - self.REVOCATION_FIELDS:
                raise TypeError("An issued letter cannot be edited; revoke it and issue a new one.")
        super().save(*args, **kwargs)

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None
