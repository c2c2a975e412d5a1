"""The arithmetic of an assessment (DOMAIN.md, "Competency model"), pure and ``Decimal``.

- Per competency and rater type: the plain mean of that type's ratings (several peers → their
  mean), and over the types the weighted mean with the round's type weights (default manager
  50, peer 20, expert 20, self 10) renormalised over the types that rated — the shared rule of
  ``core.weights`` (``type_means``, ``weighted_mean``), which the KPI's qualitative ratings use
  too.
- Competency index (0–100): ``Σ w × min(actual / required, 1) / Σ w × 100`` over the
  competencies the staff member's level requires, with each competency's requirement weight.
- Gap: ``required − actual`` where positive (0 otherwise).

Every intermediate stays unrounded; callers round a figure with ``core.numbers.round_score``
only when they store or show it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0")
ONE = Decimal("1")
HUNDRED = Decimal("100")


def gap(actual: Decimal, required: int | Decimal) -> Decimal:
    """How far ``actual`` falls short of ``required`` (0 when it reaches it)."""
    shortfall = Decimal(required) - actual
    return shortfall if shortfall > 0 else ZERO


@dataclass(frozen=True)
class IndexItem:
    actual: Decimal
    required: int | Decimal
    weight: Decimal


def competency_index(items: Iterable[IndexItem]) -> Decimal | None:
    """``Σ w × min(actual / required, 1) / Σ w × 100``; ``None`` without required competencies."""
    numerator = ZERO
    denominator = ZERO
    for item in items:
        required = Decimal(item.required)
        if required <= 0 or item.weight <= 0:
            continue
        ratio = item.actual / required
        numerator += Decimal(item.weight) * (ratio if ratio < ONE else ONE)
        denominator += Decimal(item.weight)
    if denominator <= 0:
        return None
    return numerator / denominator * HUNDRED
