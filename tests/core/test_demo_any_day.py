"""The demo company is built relative to the day ``seed_demo`` runs: whatever that day, a
newcomer finds a certification cycle open for applications, one in committee review, one in
publicity, last year's committed ranking and terms ending within three months."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection

from certification.models import Cycle
from core import clock
from kpi.models import Actual
from org.models import Appointment, Staff
from ranking.models import RankingRun
from reappointment.selectors import add_months
from tests.clock import FROZEN_AT

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "day",
    [
        dt.date(2027, 1, 1),  # the first day of a year: "last year" has just ended
        dt.date(2028, 2, 29),  # 29 February of a leap year
        dt.date(2026, 12, 31),  # the last day of a year
    ],
    ids=str,
)
def test_a_demo_built_on_any_day_has_every_stage_to_show(time_machine, day):
    time_machine.move_to(dt.datetime.combine(day, dt.time(9), tzinfo=FROZEN_AT.tzinfo))
    assert clock.today() == day

    call_command("seed_demo", staff=80, quiet=True, stdout=io.StringIO())

    open_cycles = Cycle.objects.filter(
        status=Cycle.Status.OPEN, window_start__lte=day, window_end__gte=day
    )
    assert open_cycles.exists(), "a cycle open for applications today"
    assert Cycle.objects.filter(status=Cycle.Status.REVIEW).exists()
    publicity = Cycle.objects.get(status=Cycle.Status.PUBLICITY)
    assert publicity.publicity_start == day
    assert publicity.publicity_end > day
    assert RankingRun.objects.filter(
        year=day.year - 1, status=RankingRun.Status.COMMITTED
    ).exists(), "last year's ranking, committed"
    assert Appointment.objects.filter(
        closed_on__isnull=True, end__gte=day, end__lte=add_months(day=day, months=3)
    ).exists(), "terms ending within three months"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_the_demo_leaves_the_planner_statistics_of_what_it_wrote():
    """A table never analysed has ``reltuples`` −1; ANALYZE counts the rows the build wrote."""
    call_command("seed_demo", staff=40, quiet=True, stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN ('org_staff', 'kpi_actual')"
        )
        tuples = dict(cursor.fetchall())
    # a table this small is read whole: the estimate is the count
    assert tuples["org_staff"] == Staff.objects.count() > 0
    assert tuples["kpi_actual"] == Actual.objects.count() > 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's visibility map")
@pytest.mark.django_db(transaction=True)
def test_the_demo_built_outside_a_transaction_is_vacuumed():
    """Freshly filled tables have no page marked all-visible until VACUUM: index-only scans
    would visit every row. The command run from the shell vacuums what it wrote."""
    call_command("seed_demo", staff=40, quiet=True, stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, relallvisible FROM pg_class "
            "WHERE relname IN ('org_staff', 'kpi_actual')"
        )
        visible = dict(cursor.fetchall())
    assert visible["org_staff"] > 0 and visible["kpi_actual"] > 0
