"""The candidate dossier a committee member reads before scoring (issue 9, journey 2): KPI
history, training ledger against the target level's requirement, competency radar, and the
panel's progress toward quorum — each read from its own app as of the cycle's reference date,
a constant number of queries whatever the history's length.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from committee.arithmetic import tally
from competency import charts as competency_charts
from competency import selectors as competency_selectors
from kpi import charts as kpi_charts
from kpi.models import AnnualScore, PeriodScore
from org.models import Staff
from training import selectors as training_selectors

from .conflicts import committee_candidates, recusals
from .models import Application, Cycle, ScoringSheet
from .results import compute_results
from .scoring import Dim, final_score, round_or_none

KPI_MONTHS = 12


def kpi_history(staff: Staff, on_date: dt.date) -> dict:
    """The last ``KPI_MONTHS`` monthly totals up to ``on_date`` (chart + table, oldest first)
    and every annual score (newest first). Two queries."""
    months = list(
        PeriodScore.objects.filter(
            staff=staff, period__period_type="month", period__start__lte=on_date
        )
        .select_related("period")
        .order_by("-period__start")[:KPI_MONTHS]
    )
    months.reverse()
    annual = list(AnnualScore.objects.filter(staff=staff).order_by("-year"))
    chart = ""
    if months:
        chart = kpi_charts.trend_svg(
            [(m.period.code, m.total) for m in months if m.total is not None],
            title=_("Monthly KPI totals, last %(n)s months") % {"n": len(months)},
        )
    return {"months": months, "annual": annual, "chart": chart}


def training_ledger(staff: Staff, level, on_date: dt.date) -> dict:
    """The training records of the last 12 months of ``on_date`` (newest first) with their
    hours and credits, and the standing against ``level``'s requirement. Five queries."""
    summary = training_selectors.training_summary(staff=staff, on_date=on_date, level=level)
    records = list(
        training_selectors.records_by_staff(staff=staff).filter(
            date__gte=summary.window_start, date__lte=on_date
        )
    )
    crediting = [r for r in records if r.result in r.CREDITING_RESULTS]
    return {
        "summary": summary,
        "records": records,
        "hours": sum((r.hours for r in crediting), Decimal(0)),
    }


def competency_radar(staff: Staff, on_date: dt.date) -> dict:
    """The latest finalized assessment on ``on_date``: index, items and the radar geometry
    (required vs assessed). Two queries."""
    profile = competency_selectors.competency_profile(staff=staff, on_date=on_date)
    radar = None
    if profile["items"]:
        scale = profile["assessment"].model.scale_max if profile["assessment"] else 5
        radar = competency_charts.radar(
            [(i["competency"].display_name, i["required"], i["actual"]) for i in profile["items"]],
            scale_max=scale,
        )
    return {**profile, "radar": radar}


@dataclass
class Progress:
    """A candidate's sheets toward the quorum (non-recused members only)."""

    application: Application
    members: int
    recused: int
    quorum: int
    submitted: int
    committee_score: Decimal | None
    final_score: Decimal | None
    rank: int | None
    recommended: bool | None
    flags: list[str]

    @property
    def eligible_members(self) -> int:
        return self.members - self.recused

    @property
    def reached(self) -> bool:
        return self.submitted >= self.quorum

    @property
    def percent(self) -> int:
        return min(100, int(self.submitted * 100 / self.quorum)) if self.quorum else 0


def candidate_progress(app: Application, dims: list, values: dict) -> Progress:
    """One candidate's progress and live scores (the arithmetic of :func:`results.compute_results`
    for a single candidate, without ranking): ``dims`` the cycle's dimensions, ``values``
    ``{dimension_id: DimensionValue}``. Five queries."""
    cycle = app.cycle
    members = recusals(cycle, [app]).get(app.pk, {})
    eligible = {m for m, kinds in members.items() if not kinds}
    totals = list(
        ScoringSheet.objects.filter(
            application=app, status=ScoringSheet.Status.SUBMITTED, member_id__in=eligible
        ).values_list("total", flat=True)
    )
    counted = tally(
        totals,
        non_recused=len(eligible),
        numerator=cycle.quorum_numerator,
        denominator=cycle.quorum_denominator,
    )
    need, committee_raw = counted.quorum, counted.committee_raw
    scoring_dims = [Dim(d.code, d.weight, d.max_score, d.source == "committee") for d in dims]
    prefilled = {d.code: getattr(values.get(d.pk), "value", None) for d in dims}
    final_raw = final_score(committee_raw, prefilled, scoring_dims)
    return Progress(
        application=app,
        members=len(members),
        recused=len(members) - len(eligible),
        quorum=need,
        submitted=len(totals),
        committee_score=round_or_none(committee_raw),
        final_score=round_or_none(final_raw),
        rank=None,
        recommended=None,
        flags=[],
    )


def panel_progress(user, cycle: Cycle, mine: set[int] | None = None) -> dict[int, Progress]:
    """``{application_id: Progress}`` for the user's non-conflicted candidates of a cycle in
    review (live figures of :func:`results.compute_results`); empty in any other stage.
    ``mine``: those candidates' ids when the caller already has them."""
    if cycle.status != Cycle.Status.REVIEW:
        return {}
    if mine is None:
        mine = set(committee_candidates(user, cycle_id=cycle.pk).values_list("pk", flat=True))
    return {
        row.application.pk: Progress(
            application=row.application,
            members=row.members,
            recused=row.recused,
            quorum=row.quorum,
            submitted=row.submitted,
            committee_score=row.committee_score,
            final_score=row.final_score,
            rank=row.rank,
            recommended=row.recommended,
            flags=row.flags,
        )
        for row in compute_results(cycle)
        if row.application.pk in mine
    }
