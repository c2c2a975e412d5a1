"""Committee results of a cycle (DOMAIN.md, "Certification" step 3), computed from the
submitted sheets, the prefilled dimension values and the conflicts — a constant number of
queries whatever the number of candidates. ``services.publish`` freezes them on the
applications; :func:`cycle_results` answers the frozen figures once published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from committee.arithmetic import tally

from .conflicts import CANDIDATE_STATUSES, recusals
from .models import Application, Cycle, DimensionValue, ScoringSheet
from .scoring import Dim, Ranked, final_score, rank_and_recommend, round_or_none

FLAG_QUORUM = "quorum_not_reached"
FLAG_SPREAD = "spread"
FLAG_TIE = "quota_tie"
FLAG_MISSING = "missing_data"
FLAG_NO_PANEL = "no_panel"
FLAG_OBJECTION = "objection_upheld"
# What the reader sees for each flag (never the code).
FLAG_LABELS = {
    FLAG_QUORUM: _("quorum not reached"),
    FLAG_SPREAD: _("wide spread"),
    FLAG_TIE: _("tie at quota"),
    FLAG_MISSING: _("missing data"),
    FLAG_NO_PANEL: _("no panel"),
    FLAG_OBJECTION: _("objection upheld"),
}


def flag_label(flag: str) -> str:
    return str(FLAG_LABELS.get(flag, flag))


@dataclass
class ResultRow:
    application: Application
    members: int = 0
    recused: int = 0
    quorum: int = 0
    submitted: int = 0
    committee_raw: Decimal | None = None
    spread: Decimal | None = None
    final_raw: Decimal | None = None
    committee_score: Decimal | None = None
    final_score: Decimal | None = None
    rank: int | None = None
    passed: bool | None = None
    recommended: bool | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def blocking(self) -> list[str]:
        """Flags that forbid publication (a spread only calls for discussion)."""
        block = [f for f in self.flags if f in (FLAG_QUORUM, FLAG_MISSING, FLAG_NO_PANEL)]
        if FLAG_TIE in self.flags and self.recommended is None:
            block.append(FLAG_TIE)
        return block


def compute_results(cycle: Cycle) -> list[ResultRow]:
    apps = list(
        Application.objects.filter(cycle=cycle, status__in=CANDIDATE_STATUSES)
        .select_related("staff", "target_level", "override_by")
        .order_by("target_level__order", "staff__employee_no")
    )
    dims = [
        Dim(d.code, d.weight, d.max_score, d.source == "committee") for d in cycle.dimensions.all()
    ]
    prefilled: dict[int, dict[str, Decimal | None]] = {}
    for app_id, code, value in DimensionValue.objects.filter(application__in=apps).values_list(
        "application_id", "dimension__code", "value"
    ):
        prefilled.setdefault(app_id, {})[code] = value
    totals: dict[int, list[tuple[int, Decimal]]] = {}
    for app_id, member_id, total in ScoringSheet.objects.filter(
        application__in=apps, status=ScoringSheet.Status.SUBMITTED
    ).values_list("application_id", "member_id", "total"):
        totals.setdefault(app_id, []).append((member_id, total))
    conflicts = recusals(cycle, apps)
    rows = []
    for app in apps:
        row = ResultRow(application=app)
        members = conflicts.get(app.pk, {})
        row.members = len(members)
        row.recused = sum(1 for kinds in members.values() if kinds)
        if not members:
            row.flags.append(FLAG_NO_PANEL)
        eligible_members = {m for m, kinds in members.items() if not kinds}
        scores = [t for m, t in totals.get(app.pk, []) if m in eligible_members]
        counted = tally(
            scores,
            non_recused=len(eligible_members),
            numerator=cycle.quorum_numerator,
            denominator=cycle.quorum_denominator,
        )
        row.quorum, row.submitted = counted.quorum, counted.submitted
        row.committee_raw, row.spread = counted.committee_raw, counted.spread_raw
        if counted.reached:
            if counted.spread_flag(cycle.spread_threshold):
                row.flags.append(FLAG_SPREAD)
        elif members:
            row.flags.append(FLAG_QUORUM)
        values = prefilled.get(app.pk, {})
        if any(values.get(d.code) is None for d in dims if not d.committee):
            row.flags.append(FLAG_MISSING)
        row.final_raw = final_score(row.committee_raw, values, dims)
        row.committee_score = round_or_none(row.committee_raw)
        row.final_score = round_or_none(row.final_raw)
        rows.append(row)
    offers = {o.level_id: o for o in cycle.offers.all()}
    by_level: dict[int, list[ResultRow]] = {}
    for row in rows:
        by_level.setdefault(row.application.target_level_id, []).append(row)
    for level_id, level_rows in by_level.items():
        offer = offers.get(level_id)
        if offer is None:
            continue
        ranked = [Ranked(key=r.application.pk, final=r.final_score) for r in level_rows]
        rank_and_recommend(
            ranked,
            pass_line=offer.pass_line,
            quota=offer.quota,
            tie_decisions={r.application.pk: r.application.tie_decision for r in level_rows},
        )
        for row, rk in zip(level_rows, ranked, strict=True):
            row.passed = rk.passed if row.final_score is not None else None
            row.rank, row.recommended = rk.rank, rk.recommended
            row.flags.extend(rk.flags)
    return rows


PUBLISHED = (Cycle.Status.PUBLICITY, Cycle.Status.APPROVAL, Cycle.Status.CLOSED)


def cycle_results(cycle: Cycle) -> list[ResultRow]:
    """Live figures during review; the frozen published figures afterwards."""
    if cycle.status not in PUBLISHED:
        return compute_results(cycle)
    apps = (
        Application.objects.filter(
            cycle=cycle, final_score__isnull=False, status__in=CANDIDATE_STATUSES
        )
        .select_related("staff", "target_level", "override_by")
        .order_by("target_level__order", "rank", "staff__employee_no")
    )
    return [
        ResultRow(
            application=a,
            committee_score=a.committee_score,
            final_score=a.final_score,
            rank=a.rank,
            passed=a.passed,
            recommended=a.recommended,
            flags=list(a.flags),
        )
        for a in apps
    ]
