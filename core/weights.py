"""Multi-source weighting, the one rule shared by the competency 360° and the KPI's
qualitative ratings (DOMAIN.md, "Competency model" and "KPI"), pure and ``Decimal``.

- Per rater type: the plain mean of that type's scores (several peers → their mean).
- Over the types: ``Σ w_t × mean_t / Σ w_t`` with the configured type weights renormalised
  over the types present. A type with weight 0 (or no weight) counts as absent.

Example: weights manager 50, peer 20, subordinate 15, client 15; manager 80, peers 70 and 90
(mean 80), no subordinate, client 60 → (50×80 + 20×80 + 15×60) / 85 = 6500 / 85 = 76.470588…

Every result stays unrounded; callers round with ``core.numbers.round_score``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

ZERO = Decimal(0)


def type_means(ratings: Iterable[tuple[str, int | Decimal]]) -> dict[str, Decimal]:
    """``{rater_type: mean}`` from ``(rater_type, score)`` pairs."""
    sums: dict[str, Decimal] = {}
    counts: dict[str, int] = {}
    for rater_type, value in ratings:
        sums[rater_type] = sums.get(rater_type, ZERO) + Decimal(value)
        counts[rater_type] = counts.get(rater_type, 0) + 1
    return {t: sums[t] / counts[t] for t in sums}


def weighted_mean(means: Mapping[str, Decimal], weights: Mapping[str, Decimal]) -> Decimal | None:
    """Weighted mean over the rater types present (weights renormalised); ``None`` if none."""
    present = {t: Decimal(weights.get(t, ZERO)) for t in means}
    present = {t: w for t, w in present.items() if w > 0}
    total = sum(present.values(), ZERO)
    if total <= 0:
        return None
    return sum((w * means[t] for t, w in present.items()), ZERO) / total
