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


# How a figure is shown, by what it measures (DOMAIN.md, "Numbers"). Counts and credits drop
# trailing zeros (17, 12.5), percentages keep up to 2 places (85.5%), money and scores always
# 2 places (¥12,345.00, 90.00). Every figure is rounded half-up to 2 places first.
SCORE = "score"
COUNT = "count"
CREDITS = "credits"
PERCENT = "percent"
MONEY = "money"
NUMBER = "number"

COUNT_UNITS = frozenset({"count", "次", "个", "人", "户", "家", "件", "笔", "项", "times"})
PERCENT_UNITS = frozenset({"percent", "%", "％"})
YUAN_UNITS = frozenset({"money", "¥", "￥", "元", "yuan", "CNY", "RMB"})
WAN_YUAN_UNITS = frozenset({"万元"})


def figure_kind(unit: str | None) -> str:
    """The kind of a unit as entered on an indicator ("次", "%", "万元") or named ("score")."""
    unit = (unit or "").strip()
    if unit in (SCORE, CREDITS, NUMBER):
        return unit
    if unit in COUNT_UNITS:
        return COUNT
    if unit in PERCENT_UNITS:
        return PERCENT
    if unit in YUAN_UNITS or unit in WAN_YUAN_UNITS:
        return MONEY
    return NUMBER


def _grouped(value: Decimal, places: int | None) -> str:
    """``value`` (already rounded) with thousands separators; ``places=None`` drops trailing
    zeros, otherwise exactly ``places`` decimals."""
    if value == 0:
        value = abs(value)  # never "-0.00"
    text = f"{value:,.{places}f}" if places is not None else f"{value.normalize():,f}"
    return text


def format_figure(value, unit: str | None = None) -> str:
    """A figure as people read it, by its unit: ``None`` or "" → "—"; text that is not a
    number (a rating "B") is shown as it is.

    score → "90.01"; count / 次 → "17", "17.5 次"; credits → "40", "12.5"; % → "85.5%";
    ¥ / 元 → "¥12,345.00"; 万元 → "1,234.50 万元"; any other unit → "3.25 km".
    """
    if value is None or value == "":
        return "—"
    try:
        number = round_score(value)
    except (ArithmeticError, ValueError, TypeError):
        return str(value)
    unit = (unit or "").strip()
    kind = figure_kind(unit)
    if kind == SCORE:
        return _grouped(number, 2)
    if kind == MONEY:
        text = _grouped(number, 2)
        if unit in WAN_YUAN_UNITS:
            return f"{text} {unit}"
        return f"-¥{text[1:]}" if text.startswith("-") else f"¥{text}"
    text = _grouped(number, None)
    if kind == PERCENT:
        return f"{text}%"
    if unit and unit not in (COUNT, CREDITS, NUMBER):
        return f"{text} {unit}"
    return text
