"""Set-based computation of the actuals of multi-source qualitative indicators (DOMAIN.md,
"KPI"; docs/kpi.md, "Multi-source ratings").

For each (staff member, indicator, period) with ratings: the mean of each rater type's scores,
then the weighted mean over the types present with the rater-type weights of the staff member's
scheme (``Scheme.rater_weights``, else manager 50, peer 20, subordinate 15, client 15),
renormalised over the types that rated (``core.weights``), rounded half-up to 2 places. The
result is written as the indicator's :class:`~kpi.models.Actual` with source ``ratings`` (one
batched upsert), and the periods' scores are recomputed — a constant number of queries.

Example: manager 80, peers 70 and 90 (mean 80), no subordinate, client 60 →
(50×80 + 20×80 + 15×60) / (50 + 20 + 15) = 6500 / 85 = 76.470588… → 76.47.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from core import clock, weights
from core.numbers import round_score

from . import score_recompute
from .models import DEFAULT_RATER_WEIGHTS, Actual, Period, QualitativeRating, Scheme


def rater_weights(configured: dict | None) -> dict[str, Decimal]:
    """The rater-type weights a scheme sets (as ``Decimal``), else the defaults."""
    if not configured:
        return dict(DEFAULT_RATER_WEIGHTS)
    return {t: Decimal(str(w)) for t, w in configured.items()}


def apply(period_ids, *, staff_ids=None, actor=None) -> int:
    """Write the ratings' actuals of ``period_ids`` (for ``staff_ids``, else everyone rated)
    and recompute those periods' scores. Returns the number of actuals written."""
    period_ids = list(period_ids)
    periods = list(Period.objects.filter(pk__in=period_ids))
    if not periods:
        return 0
    rated = QualitativeRating.objects.filter(period_id__in=period_ids)
    if staff_ids is not None:
        rated = rated.filter(staff_id__in=list(staff_ids))
    by_key: dict[tuple[int, int, int], list] = defaultdict(list)
    for staff_id, ind_id, period_id, rater_type, score in rated.values_list(
        "staff_id", "indicator_id", "period_id", "rater_type", "score"
    ):
        by_key[(staff_id, ind_id, period_id)].append((rater_type, score))
    people = {key[0] for key in by_key}
    resolved = score_recompute.resolve_schemes(people, periods)
    configured = dict(
        Scheme.objects.filter(pk__in=set(resolved.values())).values_list("pk", "rater_weights")
    )
    now = clock.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    rows = []
    for (staff_id, ind_id, period_id), ratings in by_key.items():
        scheme_id = resolved.get((staff_id, period_id))
        type_weights = rater_weights(configured.get(scheme_id) if scheme_id else None)
        value = weights.weighted_mean(weights.type_means(ratings), type_weights)
        if value is None:
            continue
        rows.append(
            Actual(
                staff_id=staff_id,
                indicator_id=ind_id,
                period_id=period_id,
                value=round_score(value),
                grade="",
                source=Actual.Source.RATINGS,
                updated_by=user,
                updated_at=now,
            )
        )
    kept = {(r.staff_id, r.indicator_id, r.period_id) for r in rows}
    stale = Actual.objects.filter(period_id__in=period_ids, source=Actual.Source.RATINGS)
    if staff_ids is not None:
        stale = stale.filter(staff_id__in=list(staff_ids))
    stale_ids = [
        pk
        for pk, s, i, p in stale.values_list("pk", "staff_id", "indicator_id", "period_id")
        if (s, i, p) not in kept
    ]
    if stale_ids:
        Actual.objects.filter(pk__in=stale_ids).delete()
    Actual.objects.bulk_create(
        rows,
        batch_size=score_recompute.BATCH,
        update_conflicts=True,
        unique_fields=["staff", "indicator", "period"],
        update_fields=["value", "grade", "source", "batch", "updated_by", "updated_at"],
    )
    score_recompute.recompute(period_ids)
    return len(rows)
