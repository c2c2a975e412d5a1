"""docs/pay.md "Worked example": every figure of its table, computed by the product (the
set-based run) and by the rules, and present in the document."""

from decimal import Decimal
from pathlib import Path

import pytest

from pay import rules
from pay.models import PayLine

from .conftest import computed_run

DOC = Path(__file__).resolve().parents[2] / "docs" / "pay.md"

EXPECTED = {
    "张三": ("A", 12, "96000.00", "14400.00", "15000.05", "5250.02", "9750.03", "120150.03"),
    "李四": ("B", 9, "72000.00", "10800.00", "10000.03", "3500.01", "6500.02", "89300.02"),
    "王五": ("C", 12, "96000.00", "14400.00", "10000.03", "3500.01", "6500.02", "116900.02"),
    "赵六": ("E", 12, "96000.00", "14400.00", "0.00", "0.00", "0.00", "110400.00"),
}
INSTALMENTS = {
    "张三": ["1750.01", "1750.01", "1750.00"],
    "李四": ["1166.67"] * 3,
    "王五": ["1166.67"] * 3,
    "赵六": [],
}


@pytest.mark.django_db
def test_the_worked_example_of_the_document(world):
    computed_run(world)
    lines = PayLine.objects.select_related("staff").prefetch_related("instalments")
    got = {
        line.staff.name: (
            line.grade,
            line.months,
            *(
                str(v)
                for v in (
                    line.base_pay,
                    line.allowance_pay,
                    line.performance_pay,
                    line.deferred,
                    line.paid_now,
                    line.year_total,
                )
            ),
        )
        for line in lines
    }
    assert got == EXPECTED
    for line in lines:
        assert [str(i.amount) for i in line.instalments.order_by("number")] == INSTALMENTS[
            line.staff.name
        ]
    text = DOC.read_text()
    for name, row in EXPECTED.items():
        assert name in text
        for figure in row[2:]:
            assert figure in text
    for amounts in INSTALMENTS.values():
        if amounts:
            assert " / ".join(amounts) in text


@pytest.mark.parametrize(
    ("base", "coefficient", "share", "years", "performance", "deferred", "instalments"),
    [
        # the worked example: half a fen rounds up (banker's rounding would give .04)
        ("10000.03", "1.50", "35", 3, "15000.05", "5250.02", ["1750.01", "1750.01", "1750.00"]),
        ("10000.03", "1.00", "35", 3, "10000.03", "3500.01", ["1166.67"] * 3),
        # 0.005 exactly at each step: 100.01 ÷ 2 = 50.005 → 50.01, remainder 50.00
        ("200.02", "0.50", "100", 2, "100.01", "100.01", ["50.01", "50.00"]),
        ("1.00", "0.00", "40", 3, "0.00", "0.00", ["0.00", "0.00", "0.00"]),
        ("0.03", "1.50", "50", 1, "0.05", "0.03", ["0.03"]),
    ],
)
def test_rules(base, coefficient, share, years, performance, deferred, instalments):
    pay = rules.performance_pay(base=Decimal(base), coefficient=Decimal(coefficient))
    assert str(pay) == performance
    part = rules.deferred_part(performance=pay, share_pct=Decimal(share))
    assert str(part) == deferred
    parts = rules.instalments(deferred=part, years=years)
    assert [str(p) for p in parts] == instalments and sum(parts) == part


def test_months_paid():
    import datetime as dt

    assert rules.months_paid(hire_date=dt.date(2020, 6, 1), year=2025) == 12
    assert rules.months_paid(hire_date=dt.date(2025, 1, 31), year=2025) == 12
    assert rules.months_paid(hire_date=dt.date(2025, 4, 15), year=2025) == 9
    assert rules.months_paid(hire_date=dt.date(2025, 12, 1), year=2025) == 1
