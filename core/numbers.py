"""The one rounding rule of DOMAIN.md ("Numbers").

Every computation works on unrounded ``Decimal`` intermediates; a figure is rounded half-up to
2 places only when it is shown or stored as a final result (90.005 → 90.01).
"""

from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


def to_decimal(value) -> Decimal:
    """Exact conversion: floats go through ``str`` so 0.1 stays 0.1."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    return Decimal(value)


def round_score(value) -> Decimal:
    """Round half-up to 2 places (the final-figure rule)."""
    return to_decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
