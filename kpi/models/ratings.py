"""Multi-source ratings of qualitative KPI indicators (多维度评价; DOMAIN.md, "KPI").

The line manager assigns raters (:class:`RaterAssignment`) of a type — manager, peer,
subordinate — to a staff member's qualitative indicator for a period; each rater gives a score
0–100 (:class:`QualitativeRating`). Client ratings are entered by the manager or HR (no rater
account). The indicator's actual for the period is the weighted mean over the rater types
present (``core.weights``), with the weights of the staff member's scheme, fed into the scores
as an :class:`~kpi.models.Actual` of source ``ratings``. Changes go through
``kpi.services.ratings`` (audited).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from org.models import Staff


class RaterType(models.TextChoices):
    MANAGER = "manager", pgettext_lazy("rater type", "manager")
    PEER = "peer", pgettext_lazy("rater type", "peer")
    SUBORDINATE = "subordinate", pgettext_lazy("rater type", "subordinate")
    CLIENT = "client", pgettext_lazy("rater type", "client")


DEFAULT_RATER_WEIGHTS = {
    RaterType.MANAGER.value: Decimal(50),
    RaterType.PEER.value: Decimal(20),
    RaterType.SUBORDINATE.value: Decimal(15),
    RaterType.CLIENT.value: Decimal(15),
}
"""Used when a scheme sets no rater-type weights."""

ANONYMOUS_TYPES = frozenset({RaterType.PEER.value, RaterType.SUBORDINATE.value})
"""Never shown with the rater to the rated person or their manager: aggregates only."""


def clean_rater_weights(raw) -> dict[str, str]:
    """Validate a scheme's ``rater_weights``: an object of rater type → weight ≥ 0, at least
    one above 0 (``{}`` keeps the defaults). Raises ``ValidationError``."""
    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        raise ValidationError(_("The rater-type weights must be an object."))
    result = {}
    for key, value in raw.items():
        if key not in RaterType.values:
            raise ValidationError(_("Unknown rater type “%(t)s”.") % {"t": key})
        try:
            weight = Decimal(str(value))
        except InvalidOperation as exc:
            raise ValidationError(_("A rater-type weight must be a number.")) from exc
        if not weight.is_finite() or weight < 0 or weight > 100:
            raise ValidationError(_("A rater-type weight is between 0 and 100."))
        result[key] = str(weight)
    if result and not any(Decimal(w) > 0 for w in result.values()):
        raise ValidationError(_("At least one rater type needs a weight above 0."))
    return result


MIN_SHOWN = 3
"""An anonymous type's mean is shown on its own only from this many raters; else merged."""


class RaterAssignment(models.Model):
    """A rater the line manager asked to rate a staff member's qualitative indicator."""

    period = models.ForeignKey(
        "kpi.Period", verbose_name=_("period"), on_delete=models.CASCADE, related_name="+"
    )
    staff = models.ForeignKey(
        Staff, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.ForeignKey(
        "kpi.Indicator", verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+"
    )
    rater_type = models.CharField(_("rater type"), max_length=12, choices=RaterType.choices)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rater"),
        on_delete=models.CASCADE,
        related_name="kpi_rater_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"))

    class Meta:
        verbose_name = _("rater assignment")
        verbose_name_plural = _("rater assignments")
        ordering = ["period", "staff", "indicator", "rater_type", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "staff", "indicator", "rater"],
                name="kpi_rater_assignment_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.period_id} {self.staff_id} {self.indicator_id} {self.rater_type}"


class QualitativeRating(models.Model):
    """One rater's score (0–100) of a staff member's qualitative indicator for a period.

    ``rater`` is empty for a client rating, which the manager or HR enters (``entered_by``)."""

    period = models.ForeignKey(
        "kpi.Period", verbose_name=_("period"), on_delete=models.CASCADE, related_name="+"
    )
    staff = models.ForeignKey(
        Staff,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="kpi_ratings",
    )
    indicator = models.ForeignKey(
        "kpi.Indicator", verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+"
    )
    rater_type = models.CharField(_("rater type"), max_length=12, choices=RaterType.choices)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rater"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    comment = models.TextField(_("comment"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"))

    class Meta:
        verbose_name = _("qualitative rating")
        verbose_name_plural = _("qualitative ratings")
        ordering = ["period", "staff", "indicator", "rater_type", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "staff", "indicator", "rater"],
                condition=models.Q(rater__isnull=False),
                name="kpi_rating_unique_rater",
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=100), name="kpi_rating_score_range"
            ),
        ]
        indexes = [models.Index(fields=["period", "staff", "indicator"])]

    def __str__(self) -> str:
        return f"{self.period_id} {self.staff_id} {self.indicator_id} {self.rater_type}"
