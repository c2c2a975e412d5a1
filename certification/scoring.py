"""The committee arithmetic of DOMAIN.md ("Certification", step 3), as pure functions.

Everything works on unrounded ``Decimal`` values; only the figures that are shown or stored as
final (committee score, final score) are rounded with :func:`core.numbers.round_score`, and the
ranking uses the rounded final scores ("what people see is what was ranked").

Scales (documented in docs/certification.md):

- a member's sheet total = Σ wᵢ · sᵢ / maxᵢ / Σ wᵢ × 100 over the committee-scored dimensions
  (0–100);
- committee score = trimmed mean of the submitted totals (the committee engine's
  :func:`committee.arithmetic.tally`);
- final score = Σ over all dimensions of wᵢ × (dimension score / maxᵢ), with the weights summing
  to 100, where the committee-scored dimensions take the committee score (0–100) scaled to
  their maximum — i.e. final = Σ_prefilled wᵢ·vᵢ/maxᵢ + (Σ_committee wᵢ / 100) × committee score.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from core.numbers import round_score, to_decimal

HUNDRED = Decimal("100")


@dataclass(frozen=True)
class Dim:
    code: str
    weight: Decimal
    max_score: Decimal
    committee: bool


def sheet_total(scores: dict[str, Decimal], dims: Iterable[Dim]) -> Decimal:
    """A member's total over the committee-scored dimensions, on a 0–100 scale."""
    committee = [d for d in dims if d.committee]
    weight = sum((d.weight for d in committee), Decimal(0))
    if not weight:
        return Decimal(0)
    acc = sum((d.weight * to_decimal(scores[d.code]) / d.max_score for d in committee), Decimal(0))
    return acc / weight * HUNDRED


def final_score(
    committee_score: Decimal | None, prefilled: dict[str, Decimal | None], dims: Iterable[Dim]
) -> Decimal | None:
    """Σ wᵢ × scoreᵢ / maxᵢ (weights sum to 100); ``None`` while an input is missing."""
    total = Decimal(0)
    for d in dims:
        if d.committee:
            if committee_score is None:
                return None
            total += d.weight * committee_score / HUNDRED
        else:
            value = prefilled.get(d.code)
            if value is None:
                return None
            total += d.weight * to_decimal(value) / d.max_score
    return total


def scale_to_max(source: str, raw: Decimal | None, max_score: Decimal, required=None):
    """A prefilled dimension's score from its system figure, on 0..max:

    - ``kpi``: annual KPI score (0–100, capped at 100) / 100 × max;
    - ``training``: min(credits / required credits, 1) × max (no requirement → max when any
      credits, else 0);
    - ``competency``: competency index (0–100) / 100 × max.
    """
    if raw is None:
        return None
    raw = to_decimal(raw)
    if source == "training":
        if required:
            ratio = min(raw / to_decimal(required), Decimal(1))
        else:
            ratio = Decimal(1) if raw > 0 else Decimal(0)
        return max(ratio, Decimal(0)) * max_score
    return min(max(raw, Decimal(0)), HUNDRED) / HUNDRED * max_score


# --- ranking ------------------------------------------------------------------------------


@dataclass
class Ranked:
    key: object
    final: Decimal | None  # rounded
    passed: bool = False
    rank: int | None = None
    recommended: bool | None = False
    flags: list[str] = field(default_factory=list)


def rank_and_recommend(
    rows: list[Ranked], *, pass_line: Decimal, quota: int, tie_decisions: dict | None = None
) -> list[Ranked]:
    """Rank candidates at or above the pass line by their rounded final score (ties share a
    rank: 1, 2, 2, 4); the first ``quota`` are recommended. When candidates tied on one score
    straddle the quota boundary they are all flagged ``quota_tie`` and recommended only by the
    panel's decision (``tie_decisions[key]``; ``None`` until decided)."""
    tie_decisions = tie_decisions or {}
    for row in rows:
        row.passed = row.final is not None and row.final >= pass_line
        row.rank = None
        row.recommended = False
    passing = sorted((r for r in rows if r.passed), key=lambda r: -(r.final or 0))
    rank_of: dict[Decimal | None, int] = {}  # a score's rank: its first position
    for position, row in enumerate(passing, start=1):
        row.rank = rank_of.setdefault(row.final, position)
    for row in passing:
        tied = [r for r in passing if r.final == row.final]
        first = rank_of[row.final]
        last = first + len(tied) - 1
        if first <= quota < last:
            row.flags.append("quota_tie")
            row.recommended = tie_decisions.get(row.key)
        else:
            row.recommended = last <= quota
    return rows


def round_or_none(value):
    return None if value is None else round_score(value)
