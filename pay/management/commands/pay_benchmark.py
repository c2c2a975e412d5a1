"""``manage.py pay_benchmark --staff 30000``: time the pay run on the current database.

Builds (or reuses) the synthetic track ``BENCH`` of ``ranking_benchmark`` — ``--staff`` staff
in post on a 5-level ladder with an annual KPI score — gives them grades A–E, a pay policy per
level, the coefficients and a deferral rule (40 % over 3 years), then times, best of
``--repeat``:

- the product: ``pay.services.run_compute`` — checks, the one ``INSERT … SELECT`` of every pay
  line, the one of every instalment, the summary, the audit record — against
- the bare SQL: the same figures written by two hand-written ``CREATE TABLE … AS SELECT``
  statements (lines, then instalments),

and prints both, their ratio, and whether the totals agree (target: under 5 s for 30 000 staff
on PostgreSQL). ``--drop`` removes the population and the benchmark's pay run.
"""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Sum

from core import clock
from kpi.models import AnnualScore
from org.models import Level, OrgUnit, Staff
from pay import services
from pay.models import (
    DeferralRule,
    DeferredInstalment,
    GradeCoefficient,
    PayLine,
    PayPolicy,
    PayRun,
)
from ranking.management.commands.ranking_benchmark import TRACK, UNITS, _series
from ranking.management.commands.ranking_benchmark import Command as RankingBenchmark

SHARE, YEARS = Decimal("40"), 3


class Population(RankingBenchmark):
    """The ranking benchmark's population (units, ladder, appointments, annual scores), with
    every not-null text column of the staff table filled."""

    def _insert_staff(self, track, n: int, year: int) -> None:
        q = connection.ops.quote_name
        staff, units, levels = (
            q(Staff._meta.db_table),
            q(OrgUnit._meta.db_table),
            q(Level._meta.db_table),
        )
        sql = f"""
{_series(n)}
INSERT INTO {staff} (employee_no, name, name_initials, unit_id, track_id, level_id, hire_date,
                     level_since, status, exit_reason)
SELECT 'BENCH' || seq.n, '基准' || seq.n, '', u.id, %s, l.id,
       CASE WHEN seq.n %% 50 = 0 THEN %s ELSE %s END,
       CASE WHEN seq.n %% 50 = 0 THEN %s ELSE %s END,
       CASE WHEN seq.n %% 97 = 0 THEN %s ELSE %s END, ''
FROM seq
JOIN {units} u ON u.code = 'BENCH-U' || (seq.n %% {UNITS})
JOIN {levels} l ON l.track_id = %s AND l.{q("order")} = 1 + (seq.n %% 5)
"""  # noqa: S608 - quoted identifiers and integers only
        short, since = dt.date(year, 9, 1), dt.date(2015, 1, 1)
        params = [
            track.pk,
            *[short, since, short, since],
            *[Staff.Status.EXITED, Staff.Status.ACTIVE],
            track.pk,
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


class Command(BaseCommand):
    help = "Compute the pay of a synthetic population and compare with the bare SQL."

    def add_arguments(self, parser):
        parser.add_argument("--staff", type=int, default=30_000)
        parser.add_argument("--year", type=int, help="the paid year (default: last year)")
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--drop", action="store_true", help="Remove the synthetic data.")

    def handle(self, *args, staff, year, repeat, drop, **options):
        year = year or clock.today().year - 1
        builder = Population(stdout=self.stdout, stderr=self.stderr)
        if drop:
            self._drop_run(year)
            builder._drop()
            return
        existing = PayRun.objects.filter(year=year).first()
        if existing is not None and existing.summary.get("benchmark") is None:
            raise CommandError(f"The pay of {year} exists already; pass another --year.")
        started = time.perf_counter()
        track, built = builder._population(staff, year)
        self._grades_and_policy(track, year)
        self.stdout.write(
            f"{connection.vendor}: population of {staff:,} staff "
            f"{'built' if built else 'reused'} in {time.perf_counter() - started:.2f} s"
        )
        run = existing or services.run_create(actor=None, year=year)
        product, bare = [], []
        for _ in range(max(1, repeat)):
            self._clear(run)
            t0 = time.perf_counter()
            run = services.run_compute(actor=None, run=run)
            product.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            totals = self._bare(run)
            bare.append(time.perf_counter() - t0)
        PayRun.objects.filter(pk=run.pk).update(summary={**run.summary, "benchmark": True})
        ours = PayLine.objects.filter(run=run).aggregate(
            p=Sum("performance_pay"), d=Sum("deferred")
        )
        instalments = DeferredInstalment.objects.filter(line__run=run).aggregate(s=Sum("amount"))
        same = (
            Decimal(ours["p"]).quantize(Decimal("0.01")) == totals[0]
            and Decimal(ours["d"]).quantize(Decimal("0.01")) == totals[1]
            and Decimal(instalments["s"]).quantize(Decimal("0.01")) == totals[2]
        )
        best, best_bare = min(product), min(bare)
        self.stdout.write(
            f"pay run (every line and instalment, summary, audit): {best:.3f} s for "
            f"{run.summary['staff']:,} lines, performance pay {run.summary['performance_pay']}, "
            f"deferred {run.summary['deferred']}"
        )
        self.stdout.write(f"bare SQL (lines and instalments, CREATE TABLE AS): {best_bare:.3f} s")
        self.stdout.write(
            self.style.SUCCESS(
                f"ratio of the pay run to the bare SQL: {best / best_bare:.2f}× "
                f"(target: the pay run under 5 s)"
            )
        )
        self.stdout.write(f"totals identical to the bare SQL: {same}")

    def _grades_and_policy(self, track, year: int) -> None:
        staff = Staff.objects.filter(track=track).values("pk")
        grades = AnnualScore.objects.filter(year=year, staff__in=staff)
        for i, letter in enumerate("ABCDE"):
            ids = Staff.objects.filter(track=track, employee_no__endswith=str(i)).values("pk")
            grades.filter(staff__in=ids).update(grade=letter, threshold_grade=letter)
        for level in Level.objects.filter(track=track):
            PayPolicy.objects.update_or_create(
                level=level,
                year=year,
                defaults={
                    "monthly_base": Decimal("5000.00") + level.order * Decimal("1500.33"),
                    "performance_base": Decimal("20000.03") * level.order,
                },
            )
        for letter, value in services.DEFAULT_COEFFICIENTS.items():
            GradeCoefficient.objects.get_or_create(
                year=year, grade=letter, defaults={"coefficient": value}
            )
        DeferralRule.objects.update_or_create(
            year=year, defaults={"share_pct": SHARE, "years": YEARS}
        )

    def _clear(self, run: PayRun) -> None:
        with transaction.atomic():
            rows = DeferredInstalment.objects.filter(line__run=run)
            rows._raw_delete(rows.db)
            lines = PayLine.objects.filter(run=run)
            lines._raw_delete(lines.db)

    def _bare(self, run: PayRun) -> tuple[Decimal, Decimal, Decimal]:
        """The lines and instalments by two plain statements into scratch tables; their
        totals (performance pay, deferred, instalments)."""
        population, params = services.population_sql(run.year)
        share = int(SHARE * 100)
        n = YEARS
        lines = f"""
CREATE TABLE bench_pay_lines AS
SELECT staff_id, level_id, unit_id, grade, months, b * months AS base, a * months AS allowance,
       perf, (perf * {share} + 5000) / 10000 AS deferred
FROM (SELECT y.*, (y.pb * y.c + 50) / 100 AS perf FROM ({population}) y) x
"""  # noqa: S608 - integers only
        series = " UNION ALL ".join(f"SELECT {k} AS n" for k in range(1, n + 1))
        instalments = f"""
CREATE TABLE bench_pay_instalments AS
SELECT l.staff_id, k.n, {run.year} + k.n AS due_year,
       CASE WHEN k.n < {n} THEN (2 * l.deferred + {n}) / {2 * n}
            ELSE l.deferred - {n - 1} * ((2 * l.deferred + {n}) / {2 * n}) END AS amount
FROM bench_pay_lines l CROSS JOIN ({series}) k WHERE l.deferred > 0
"""  # noqa: S608 - integers only
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(lines, params)
            cursor.execute(instalments)
            cursor.execute(
                "SELECT (SELECT SUM(perf) FROM bench_pay_lines), "
                "(SELECT SUM(deferred) FROM bench_pay_lines), "
                "(SELECT SUM(amount) FROM bench_pay_instalments)"
            )
            perf, deferred, amount = cursor.fetchone()
            cursor.execute("DROP TABLE bench_pay_instalments")
            cursor.execute("DROP TABLE bench_pay_lines")
        return tuple(Decimal(int(v or 0)) / 100 for v in (perf, deferred, amount))

    def _drop_run(self, year: int) -> None:
        run = PayRun.objects.filter(year=year).first()
        if run is None or run.summary.get("benchmark") is None:
            return
        self._clear(run)
        PayRun.objects.filter(pk=run.pk)._raw_delete(connection.alias)
        for model in (PayPolicy,):
            model.objects.filter(year=year, level__track__code=TRACK).delete()
