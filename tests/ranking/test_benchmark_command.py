"""The ranking benchmark builds its synthetic population with raw ``INSERT … SELECT``: run it
small, so a column added to the staff table cannot break it unnoticed."""

from io import StringIO

import pytest
from django.core.management import call_command

from org.models import Staff

pytestmark = pytest.mark.django_db


def test_the_ranking_benchmark_runs_on_a_small_population():
    out = StringIO()
    call_command("ranking_benchmark", staff=300, repeat=1, stdout=out)
    text = out.getvalue()
    assert "population of 300 staff built" in text
    bench = Staff.objects.filter(employee_no__startswith="BENCH")
    assert bench.count() == 300
    assert set(bench.values_list("name_initials", "exit_reason").distinct()) == {("jz", "")}
