"""The committee arithmetic of DOMAIN.md ("Certification", step 3), as pure functions.

Everything works on unrounded ``Decimal`` values; a figure is rounded half-up with
:func:`core.numbers.round_score` only when it is shown or stored (committee score, spread).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

from core.numbers import round_score, to_decimal


def quorum(non_recused: int, numerator: int = 2, denominator: int = 3) -> int:
    """⌈non_recused × numerator / denominator⌉, at least 1 (7 members, 2 recused → 4)."""
    if non_recused <= 0:
        return 1
    return max(1, math.ceil(Fraction(non_recused * numerator, denominator)))


def trimmed_mean(totals: Sequence[Decimal]) -> Decimal:
    """Mean of the totals, dropping one highest and one lowest when there are ≥ 5."""
    values = sorted(to_decimal(t) for t in totals)
    if not values:
        raise ValueError("no totals")
    if len(values) >= 5:
        values = values[1:-1]
    return sum(values, Decimal(0)) / len(values)


def std_dev(totals: Sequence[Decimal]) -> Decimal:
    """Population standard deviation of the submitted totals (all of them, untrimmed)."""
    values = [to_decimal(t) for t in totals]
    if len(values) < 2:
        return Decimal(0)
    mean = sum(values, Decimal(0)) / len(values)
    variance = sum(((v - mean) ** 2 for v in values), Decimal(0)) / len(values)
    with localcontext() as ctx:
        ctx.prec = 28
        return variance.sqrt()


def spread(totals: Sequence[Decimal], threshold: Decimal) -> tuple[Decimal | None, bool]:
    """(std dev of the totals rounded half-up, whether it is above ``threshold`` — the subject
    is then flagged for discussion). ``(None, False)`` under two sheets. The comparison uses
    the unrounded value."""
    if len(totals) < 2:
        return None, False
    value = std_dev(totals)
    return round_score(value), value > threshold


@dataclass(frozen=True)
class Tally:
    """A subject's submitted totals against its quorum."""

    non_recused: int
    quorum: int
    submitted: int
    committee_raw: Decimal | None  # trimmed mean, only once the quorum has submitted
    spread_raw: Decimal | None  # std dev, only once the quorum has submitted

    @property
    def reached(self) -> bool:
        return self.submitted > 0 and self.submitted >= self.quorum

    @property
    def committee_score(self) -> Decimal | None:
        return None if self.committee_raw is None else round_score(self.committee_raw)

    def spread_flag(self, threshold: Decimal) -> bool:
        return self.spread_raw is not None and self.spread_raw > threshold


def tally(
    totals: Sequence[Decimal], *, non_recused: int, numerator: int = 2, denominator: int = 3
) -> Tally:
    """The committee score of a subject: the trimmed mean of the submitted totals of its
    non-recused members, computed only once ⌈numerator/denominator × non-recused⌉ of them
    have submitted (``None`` before)."""
    need = quorum(non_recused, numerator, denominator)
    reached = bool(totals) and len(totals) >= need
    return Tally(
        non_recused=non_recused,
        quorum=need,
        submitted=len(totals),
        committee_raw=trimmed_mean(totals) if reached else None,
        spread_raw=std_dev(totals) if reached else None,
    )
