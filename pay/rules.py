"""The pay rules of docs/pay.md as pure functions (no database), table-tested.

Money is ``Decimal`` rounded half-up to the fen (0.01) once per figure: performance pay
(base × coefficient), its deferred part (performance pay × share), each instalment (deferred ÷
years, the last one taking the remainder so that the instalments add up to the deferred part
exactly). ``pay.services.run_compute`` computes the same figures set-based in whole fen; the
tests check both against each other.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from core.numbers import round_score, to_decimal


def money(value) -> Decimal:
    """Half-up to the fen (0.005 → 0.01): the rounding rule of DOMAIN.md "Numbers"."""
    return round_score(value)


def months_paid(*, hire_date: dt.date, year: int) -> int:
    """Months of base pay and allowance in ``year``: 12, or from the month of hire."""
    if hire_date.year < year:
        return 12
    if hire_date.year > year:
        return 0
    return 13 - hire_date.month


def performance_pay(*, base, coefficient) -> Decimal:
    """绩效工资 = performance-pay base × coefficient of the annual grade, to the fen."""
    return money(to_decimal(base) * to_decimal(coefficient))


def deferred_part(*, performance, share_pct) -> Decimal:
    """The deferred part = performance pay × share %, to the fen."""
    return money(to_decimal(performance) * to_decimal(share_pct) / 100)


def instalments(*, deferred, years: int) -> list[Decimal]:
    """The deferred part in ``years`` instalments: each deferred ÷ years to the fen, the last
    the remainder (they add up to ``deferred`` exactly)."""
    deferred = to_decimal(deferred)
    if years < 1:
        raise ValueError("years must be at least 1")
    each = money(deferred / years)
    return [each] * (years - 1) + [deferred - each * (years - 1)]
