"""Workforce analytics for the committee and the leadership (篇3: the committee evaluates the
team's overall competency and performance and its match to the talent ladder).

Three figures beside the grade and band distributions of :mod:`ranking.distribution`:

- the **competency heat map**: units × competencies of one model, each cell the mean actual
  proficiency of the unit's staff (their latest finalized assessment on the model) against the
  mean requirement of the levels they were assessed at, and the gap (requirement − actual);
- the **flows**: per year, promotions by from → to level, demotions, re-appointments (renewals),
  kept levels and eliminations from the post;
- the **ladder match**: per level, the serving staff and how many meet every eligibility rule
  of the next level today (certification's engine, in bulk).

Each is a constant number of aggregate queries whatever the size of the company
(docs/analytics.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from certification import eligibility
from competency import selectors as competency_selectors
from competency.models import Competency, CompetencyModel
from core.numbers import round_score
from org.models import Appointment, Level, OrgUnit, Staff

from .models import RecertificationCase

SERVING = (Staff.Status.ACTIVE, Staff.Status.ON_LEAVE)

# Gap bands of the heat map's colour scale: (upper bound of the gap, css class). A gap at or
# below 0 meets the requirement.
GAP_BANDS: tuple[tuple[Decimal | None, str], ...] = (
    (Decimal("0"), "gap-none"),
    (Decimal("0.5"), "gap-small"),
    (Decimal("1"), "gap-medium"),
    (None, "gap-large"),
)


GAP_LEGEND = (
    ("gap-none", _("meets the requirement (gap ≤ 0)")),
    ("gap-small", _("gap up to 0.5")),
    ("gap-medium", _("gap over 0.5 up to 1")),
    ("gap-large", _("gap over 1")),
)


def gap_band(gap: Decimal) -> str:
    """The colour class of a gap: ≤ 0 none, ≤ 0.5 small, ≤ 1 medium, above 1 large."""
    for bound, css in GAP_BANDS:
        if bound is None or gap <= bound:
            return css
    return GAP_BANDS[-1][1]  # pragma: no cover


# --- heat map ---------------------------------------------------------------------------------


@dataclass
class Cell:
    competency_id: int
    competency_code: str
    staff: int = 0
    actual: Decimal | None = None
    required: Decimal | None = None

    @property
    def gap(self) -> Decimal | None:
        if self.actual is None or self.required is None:
            return None
        return round_score(self.required - self.actual)

    @property
    def band(self) -> str:
        return "gap-empty" if self.gap is None else gap_band(self.gap)


@dataclass
class HeatRow:
    unit_id: int
    unit: str
    code: str
    cells: list[Cell] = field(default_factory=list)

    @property
    def staff(self) -> int:
        return max((c.staff for c in self.cells), default=0)


@dataclass
class HeatMap:
    model: CompetencyModel | None
    competencies: list[Competency]
    rows: list[HeatRow]


def heat_models() -> list[CompetencyModel]:
    """Published competency models, the heat map's choice (one query)."""
    return list(
        CompetencyModel.objects.filter(status=CompetencyModel.Status.PUBLISHED)
        .select_related("track")
        .order_by("track__code")
    )


def heat_map(*, model: CompetencyModel | None, on_date: dt.date | None = None) -> HeatMap:
    """Units (by their path) × the model's competencies; three queries."""
    if model is None:
        return HeatMap(None, [], [])
    competencies = list(Competency.objects.filter(model=model).order_by("order", "code"))
    codes = {c.pk: c.code for c in competencies}
    sums = competency_selectors.unit_competency_sums(model=model, on_date=on_date)
    by_unit: dict[int, dict[int, Cell]] = {}
    for unit_id, competency_id, n, actual, required in sums:
        by_unit.setdefault(unit_id, {})[competency_id] = Cell(
            competency_id,
            codes.get(competency_id, ""),
            n,
            round_score(Decimal(str(actual)) / n),
            round_score(Decimal(str(required)) / n),
        )
    units = OrgUnit.objects.filter(pk__in=by_unit).only(
        "pk", "code", "path", "path_name", "path_name_en", "name", "name_en"
    )
    rows = [
        HeatRow(
            unit.pk,
            unit.display_path,
            unit.code,
            [by_unit[unit.pk].get(c.pk, Cell(c.pk, c.code)) for c in competencies],
        )
        for unit in sorted(units, key=lambda u: u.path)
    ]
    return HeatMap(model, competencies, rows)


# --- flows ------------------------------------------------------------------------------------


@dataclass
class YearFlows:
    year: int
    promotions: dict[tuple[str, str], int] = field(default_factory=dict)
    demotions: int = 0
    renewals: int = 0
    kept: int = 0
    eliminations: int = 0

    @property
    def promoted(self) -> int:
        return sum(self.promotions.values())

    def promotion_lines(self) -> list[tuple[str, str, int]]:
        return [(a, b, n) for (a, b), n in sorted(self.promotions.items())]


def flows(*, years: list[int] | None = None) -> list[YearFlows]:
    """Per year (of the appointment's start, of the elimination's effect), newest first: two
    aggregate queries."""
    previous = (
        Appointment.objects.filter(staff_id=OuterRef("staff_id"), start__lt=OuterRef("start"))
        .order_by("-start", "-id")
        .values("level__code")[:1]
    )
    qs = Appointment.objects.filter(
        reason__in=[
            Appointment.Reason.PROMOTION,
            Appointment.Reason.DEMOTION,
            Appointment.Reason.RENEWAL,
            Appointment.Reason.KEPT,
            Appointment.Reason.ELIMINATION,
        ]
    ).annotate(year=ExtractYear("start"))
    if years:
        qs = qs.filter(year__in=years)
    out: dict[int, YearFlows] = {}
    for year, reason, before, after, n in (
        qs.annotate(before=Subquery(previous))
        .values_list("year", "reason", "before", "level__code")
        .annotate(n=Count("id"))
        .values_list("year", "reason", "before", "level__code", "n")
        .order_by()
    ):
        row = out.setdefault(year, YearFlows(year))
        if reason == Appointment.Reason.PROMOTION:
            key = (before or "—", after)
            row.promotions[key] = row.promotions.get(key, 0) + n
        elif reason == Appointment.Reason.DEMOTION:
            row.demotions += n
        elif reason == Appointment.Reason.RENEWAL:
            row.renewals += n
        elif reason == Appointment.Reason.KEPT:
            row.kept += n
        else:
            row.eliminations += n
    cases = RecertificationCase.objects.filter(
        status=RecertificationCase.Status.DECIDED,
        outcome=RecertificationCase.Outcome.ELIMINATED,
        effective_on__isnull=False,
    ).annotate(year=ExtractYear("effective_on"))
    if years:
        cases = cases.filter(year__in=years)
    for year, n in cases.values_list("year").annotate(n=Count("id")).values_list("year", "n"):
        out.setdefault(year, YearFlows(year)).eliminations += n
    return [out[y] for y in sorted(out, reverse=True)]


# --- ladder match -----------------------------------------------------------------------------


@dataclass
class LadderRow:
    level: Level
    staff: int = 0
    next_level: Level | None = None
    eligible: int = 0

    @property
    def percent(self) -> int | None:
        if self.next_level is None or not self.staff:
            return None
        return round(100 * self.eligible / self.staff)


def ladder_match(*, on_date: dt.date) -> list[LadderRow]:
    """Per level of every track: the serving staff at it and how many meet every eligibility
    rule of the next level on ``on_date`` (certification's engine, in bulk)."""
    levels = list(Level.objects.select_related("track").order_by("track__code", "order"))
    above = {(lv.track_id, lv.order): lv for lv in levels}
    rows = {
        lv.pk: LadderRow(lv, next_level=above.get((lv.track_id, lv.order + 1))) for lv in levels
    }
    staff = list(
        Staff.objects.filter(status__in=SERVING, level__isnull=False).select_related("level")
    )
    evaluations = eligibility.evaluate_many(staff_list=staff, on_date=on_date)
    for person in staff:
        row = rows[person.level_id]
        row.staff += 1
        evaluation = evaluations.get(person.pk)
        if evaluation is not None and evaluation.eligible:
            row.eligible += 1
    return list(rows.values())
