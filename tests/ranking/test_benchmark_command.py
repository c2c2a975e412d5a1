"""The ranking benchmark builds its synthetic population with raw ``INSERT … SELECT``: run it
small, so a column added to the staff table cannot break it unnoticed."""

from io import StringIO

import pytest
from django.core.management import call_command

from kpi.models import AnnualScore
from org.models import Appointment, Staff
from pay.models import PayLine
from ranking.models import RankingEntry, RankingRun, RecertificationCase

pytestmark = pytest.mark.django_db


def test_the_ranking_benchmark_runs_on_a_small_population():
    out = StringIO()
    call_command("ranking_benchmark", staff=300, repeat=1, stdout=out)
    text = out.getvalue()
    assert "population of 300 staff built" in text
    bench = Staff.objects.filter(employee_no__startswith="BENCH")
    assert bench.count() == 300
    assert set(bench.values_list("name_initials", "exit_reason").distinct()) == {("jz", "")}


def test_the_benchmark_commits_and_removes_what_it_committed():
    out = StringIO()
    call_command("ranking_benchmark", staff=300, repeat=2, stdout=out)
    text = out.getvalue()
    assert "ranking commit (entries written: 300 rows" in text
    assert "ranks identical to the bare query: True" in text
    assert not RankingRun.objects.filter(track__code="BENCH").exists()
    assert not RankingEntry.objects.exists()
    assert not RecertificationCase.objects.exists()


def test_drop_keeps_staff_other_rows_refer_to_and_prints_no_rows():
    """Another benchmark's pay lines on the same staff: ``--drop`` says so in one line instead
    of failing with every protected row listed."""
    call_command("ranking_benchmark", staff=60, repeat=1, stdout=StringIO())
    call_command("pay_benchmark", staff=60, repeat=1, year=2025, stdout=StringIO())
    # another benchmark's staff in the same track (kpi_benchmark_import numbers them BENCH0…)
    mine = Staff.objects.filter(employee_no="BENCH1").get()
    other = Staff.objects.create(
        employee_no="BENCH0000001",
        name="other",
        unit=mine.unit,
        track=mine.track,
        level=mine.level,
        hire_date=mine.hire_date,
    )
    out = StringIO()
    call_command("ranking_benchmark", drop=True, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines == [
        "benchmark runs removed; the 60 benchmark staff are kept: pay.PayLine (60 rows) "
        "still refer to them"
    ]
    assert Staff.objects.filter(employee_no__startswith="BENCH").count() == 61

    PayLine.objects.all()._raw_delete(PayLine.objects.db)
    out = StringIO()
    call_command("ranking_benchmark", drop=True, stdout=out)
    assert out.getvalue().splitlines() == [
        # the other staff member's level, unit (so its parent) and track stay
        "synthetic population removed (60 staff); kept, still in use: levels, units, root unit, "
        "track"
    ]
    assert list(Staff.objects.filter(employee_no__startswith="BENCH")) == [other]
    assert not Appointment.objects.filter(staff__employee_no__startswith="BENCH").exists()
    assert not AnnualScore.objects.filter(staff__employee_no__startswith="BENCH").exists()
