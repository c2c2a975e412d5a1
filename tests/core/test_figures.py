"""Figures shown by unit (core.numbers.format_figure and the ``figure`` template filter)."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from core.numbers import figure_kind, format_figure


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        # scores: always 2 places, half-up, never "-0.00"
        (Decimal("90.005"), "score", "90.01"),
        (Decimal("90.004"), "score", "90.00"),
        (Decimal("-2.345"), "score", "-2.35"),
        (Decimal("-0.001"), "score", "0.00"),
        (88, "score", "88.00"),
        ("87.5000", "score", "87.50"),
        # counts: no decimals when whole, the unit after the number
        ("17.0000", "次", "17 次"),
        (Decimal("17.5"), "次", "17.5 次"),
        (Decimal("1234567.125"), "count", "1,234,567.13"),
        (Decimal("-3"), "count", "-3"),
        # credits: as people write them
        (Decimal("40.00"), "credits", "40"),
        (Decimal("12.50"), "credits", "12.5"),
        (Decimal("0.005"), "credits", "0.01"),
        # percentages: up to 2 places
        (Decimal("85.50"), "%", "85.5%"),
        (Decimal("99.999"), "%", "100%"),
        (Decimal("-12.345"), "%", "-12.35%"),
        (Decimal("0.004"), "%", "0%"),
        # money: ¥, thousands separators, 2 places
        (Decimal("12345"), "¥", "¥12,345.00"),
        (Decimal("1234.565"), "元", "¥1,234.57"),
        (Decimal("-1234.5"), "元", "-¥1,234.50"),
        (Decimal("1234.5"), "万元", "1,234.50 万元"),
        # any other unit: up to 2 places, the unit after
        (3.25, "km", "3.25 km"),
        (0.1, "", "0.1"),
        # nothing, or a rating that is not a number
        (None, "score", "—"),
        ("", "%", "—"),
        ("B", "次", "B"),
    ],
)
def test_format_figure(value, unit, shown):
    assert format_figure(value, unit) == shown


def test_figure_kind_by_unit():
    assert [figure_kind(u) for u in ("次", "%", "万元", "元", "score", "credits", "km", None)] == [
        "count",
        "percent",
        "money",
        "money",
        "score",
        "credits",
        "number",
        "number",
    ]


def test_figure_filter_in_a_template():
    template = Template(
        "{% load figures %}{{ a|figure:unit }} | {{ s|figure:'score' }} | {{ n|figure:'score' }}"
    )
    context = Context({"a": "17.0000", "unit": "次", "s": Decimal("90.005"), "n": None})
    out = template.render(context)
    assert out == "17 次 | 90.01 | —"


def test_a_level_title_equal_to_its_name_is_shown_once(db):
    from django.utils import translation

    from tests.factories import make_ladder

    level = make_ladder()[1]
    level.honorary_title = level.name
    assert level.distinct_title == ""
    level.honorary_title = "金牌客户经理"
    with translation.override("zh-hans"):
        assert level.distinct_title == "金牌客户经理"
