"""``pay_benchmark`` on a small population: it runs, and the product's totals equal the bare
SQL's."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_pay_benchmark_small():
    out = io.StringIO()
    call_command("pay_benchmark", staff=60, repeat=1, year=2025, stdout=out)
    text = out.getvalue()
    assert "ratio of the pay run to the bare SQL" in text
    assert "totals identical to the bare SQL: True" in text
    # 60 staff in post at the year end (the 50th hired in September: 4 months)
    assert "for 60 lines" in text
