"""``manage.py kpi_benchmark_import --rows 200000``: generate an actuals file, import it through
the real import service, then a file of the same lines with every value changed (every actual
updated, every score recomputed), then that file once more (nothing changes: nothing is written
or rescored), and print each phase, rows/second and — on PostgreSQL — the bare tool's time
on the same file, in the same run, with the ratios against the targets (docs/kpi.md,
"Benchmark").

The **bare tool** is what a database administrator would type: ``COPY`` of the CSV into a
temporary table, one ``INSERT … SELECT … ON CONFLICT (staff, indicator, period) DO UPDATE``
joining staff, indicators and periods by their codes, and ``COMMIT`` — no validation, no
batch, no audit, no scores. It writes into a scratch table, ``kpi_bench_bare_actual``, created
for the run as a copy of the actuals table with the same columns, indexes, unique and check
constraints (``LIKE … INCLUDING ALL``) and the same foreign keys (same targets, same
``DEFERRABLE INITIALLY DEFERRED``), so it pays the same index maintenance and foreign-key
checks as the product — a scratch table rather than the real one after a rollback because a
rollback would not measure the commit, where deferred checks run. Each pass of the bare tool
runs just before the product's pass on the same file (inserts into an empty table, then an
update of every row on both re-imports: the bare tool writes a line whether or not its value
changed), so both see the same machine load. The scratch table is dropped at the end.

Run it on a scratch database: it adds benchmark staff (``BENCH…``), indicators (``BENCH_…``)
and the periods of year 2099.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import os
import random
import tempfile
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings

from kpi import scoring
from kpi.imports import import_actuals
from kpi.models import Actual, Indicator, Period, Scheme, SchemeItem, parse_period_code
from org.models import Level, OrgUnit, Staff, Track

YEAR = 2099
INDICATORS = [
    ("BENCH_REV", scoring.RATIO, {"cap": "1.2"}, 40, Decimal(100)),
    ("BENCH_CPL", scoring.INVERSE_RATIO, {"cap": "1.2"}, 20, Decimal(4)),
    ("BENCH_VIS", scoring.BANDS, {"bands": [["0.8", "60"], ["1", "100"]]}, 20, Decimal(10)),
    ("BENCH_RAT", scoring.RATING, {}, 10, None),
    ("BENCH_CMP", scoring.DEDUCTION, {"points": "5"}, 10, None),
]
BARE_TABLE = "kpi_bench_bare_actual"
# Targets of the import against the bare tool (product time / bare time).
TARGET_IMPORT = 1.2
TARGET_WITH_SCORES = 1.5


class Command(BaseCommand):
    help = "Benchmark the set-based KPI import (generate, import, re-import; rows/second)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=1_000_000)
        parser.add_argument("--periods", type=int, default=12, help="months of 2099 (1–12)")
        parser.add_argument("--keep-file", action="store_true")
        parser.add_argument(
            "--no-recompute", action="store_true", help="measure the import without scoring"
        )

    def handle(self, *args, rows, periods, keep_file, no_recompute, **options):
        if rows < 1 or not 1 <= periods <= 12:
            raise CommandError("--rows ≥ 1 and 1 ≤ --periods ≤ 12")
        staff_needed = math.ceil(rows / (periods * len(INDICATORS)))
        self.stdout.write(
            f"Database: {connection.vendor} ({connection.settings_dict['NAME']}); "
            f"{rows:,} rows = {staff_needed:,} staff × {periods} months × "
            f"{len(INDICATORS)} indicators"
        )
        mark = time.perf_counter()
        employee_nos = self._setup(staff_needed, periods)
        self._clear()
        self.stdout.write(f"setup: {time.perf_counter() - mark:.1f} s")
        mark = time.perf_counter()
        path = self._write_file(rows, employee_nos, periods)
        corrected = self._write_file(rows, employee_nos, periods, changed=True)
        size = max(os.path.getsize(path), os.path.getsize(corrected))
        self.stdout.write(
            f"file: {size / 2**20:.1f} MB written in {time.perf_counter() - mark:.1f} s"
        )
        # The product caps an import (IMPORT_MAX_ROWS, IMPORT_MAX_BYTES); the benchmark
        # measures the engine beyond them, so it lifts the caps for its own file.
        limits = override_settings(IMPORT_MAX_ROWS=rows, IMPORT_MAX_BYTES=size)
        bare = connection.vendor == "postgresql"
        try:
            if bare:
                self._create_bare_table()
            for label, source in (
                ("first import (inserts)", path),
                ("re-import with every value changed (updates)", corrected),
                ("re-import of the same file (nothing changes)", corrected),
            ):
                bare_time = self._bare_import(source) if bare else None
                with limits, open(source, "rb") as fh:
                    mark = time.perf_counter()
                    result = import_actuals(
                        actor=None, fileobj=fh, filename=path, recompute=not no_recompute
                    )
                    elapsed = time.perf_counter() - mark
                self._report(label, result, elapsed, bare_time)
        finally:
            if bare:
                with connection.cursor() as cursor:
                    cursor.execute(f"DROP TABLE IF EXISTS {BARE_TABLE}")
            if not keep_file:
                os.unlink(path)
                os.unlink(corrected)

    def _report(self, label: str, result, elapsed: float, bare_time: float | None) -> None:
        t = result.timings
        phases = ("load", "validate", "merge", "constraints", "commit")
        importing = sum(t.get(k, 0) for k in phases)
        self.stdout.write(
            self.style.SUCCESS(
                f"{label}: {result.rows:,} rows, created {result.created:,}, "
                f"updated {result.updated:,}, unchanged {result.unchanged:,}; "
                + ", ".join(
                    f"{k} {t[k]:.2f} s" for k in (*phases[:-1], "recompute", "commit") if k in t
                )
                + f"; total {elapsed:.2f} s"
            )
        )
        if "recompute" in t:
            self.stdout.write(
                "  recompute: "
                + ", ".join(
                    f"{k} {t[k]:.2f} s"
                    for k in ("period scores", "annual scores", "score constraints")
                )
            )
        self.stdout.write(
            f"  product import (load + validate + merge + constraints + commit): "
            f"{importing:.2f} s → {result.rows / importing:,.0f} rows/s"
        )
        self.stdout.write(
            f"  product import + recompute: {elapsed:.2f} s → "
            f"{result.rows / elapsed:,.0f} rows/s end to end"
        )
        if bare_time is None:
            self.stdout.write("  bare tool: measured on PostgreSQL only")
            return
        self.stdout.write(
            f"  bare tool (COPY + INSERT … SELECT … ON CONFLICT + commit): {bare_time:.2f} s"
        )
        for what, product, target in (
            ("import / bare", importing, TARGET_IMPORT),
            ("import + recompute / bare", elapsed, TARGET_WITH_SCORES),
        ):
            ratio = product / bare_time
            verdict = "within" if ratio <= target else "OVER"
            self.stdout.write(f"  {what}: {ratio:.3f}× ({verdict} the target {target}×)")

    def _create_bare_table(self) -> None:
        """The scratch table of the bare tool: the actuals table's columns, indexes and
        constraints, foreign keys included (``LIKE`` does not copy those)."""
        table = Actual._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {BARE_TABLE}")
            cursor.execute(f"CREATE TABLE {BARE_TABLE} (LIKE {table} INCLUDING ALL)")
            cursor.execute(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f'",
                [table],
            )
            for (definition,) in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {BARE_TABLE} ADD {definition}")

    def _bare_import(self, path: str) -> float:
        """COPY + one INSERT … SELECT … ON CONFLICT DO UPDATE + COMMIT; seconds."""
        mark = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMPORARY TABLE kpi_bench_bare_stage (employee_no text, indicator text, "
                "period text, value text) ON COMMIT DROP"
            )
            with (
                open(path, "rb") as fh,
                cursor.cursor.copy(
                    "COPY kpi_bench_bare_stage FROM STDIN (FORMAT csv, HEADER true)"
                ) as copy,
            ):
                while block := fh.read(1 << 20):
                    copy.write(block)
            cursor.execute(
                f"INSERT INTO {BARE_TABLE} (staff_id, indicator_id, period_id, value, grade, "  # noqa: S608
                "source, updated_at) "
                "SELECT st.id, i.id, p.id, "
                "CASE WHEN i.method = %s THEN NULL ELSE s.value::numeric(18, 4) END, "
                "CASE WHEN i.method = %s THEN s.value ELSE '' END, 'import', now() "
                "FROM kpi_bench_bare_stage s "
                "JOIN org_staff st ON st.employee_no = s.employee_no "
                "JOIN kpi_indicator i ON i.code = s.indicator "
                "JOIN kpi_period p ON p.code = s.period "
                "ON CONFLICT (staff_id, indicator_id, period_id) DO UPDATE SET "
                "value = excluded.value, grade = excluded.grade, source = excluded.source, "
                "updated_at = excluded.updated_at",
                [scoring.RATING, scoring.RATING],
            )
        return time.perf_counter() - mark

    def _clear(self) -> None:
        """Remove what an earlier run imported into year 2099, so that the first import
        inserts into tables without dead rows — as the bare tool's fresh scratch table."""
        periods = "SELECT id FROM kpi_period WHERE year = %s"
        tables = ("kpi_periodscore", "kpi_actual")
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"DELETE FROM {table} WHERE period_id IN ({periods})", [YEAR])  # noqa: S608
            cursor.execute("DELETE FROM kpi_annualscore WHERE year = %s", [YEAR])
            if connection.vendor == "postgresql" and connection.get_autocommit():
                for table in (*tables, "kpi_annualscore"):
                    cursor.execute(f"VACUUM ANALYZE {table}")

    def _setup(self, n: int, periods: int) -> list[str]:
        track, _ = Track.objects.get_or_create(code="BENCH", defaults={"name": "Benchmark"})
        level, _ = Level.objects.get_or_create(
            track=track, code="B1", defaults={"order": 1, "name": "Benchmark"}
        )
        unit = OrgUnit.objects.filter(code="BENCH").first()
        if unit is None:
            unit = OrgUnit.objects.create(code="BENCH", name="Benchmark", path="/BENCH/")
        # Other benchmarks leave their own ``BENCH…`` staff in a scratch database: create
        # exactly the numbers this file uses that are not there yet.
        wanted = [f"BENCH{i:07d}" for i in range(n)]
        existing = set(
            Staff.objects.filter(employee_no__in=wanted).values_list("employee_no", flat=True)
        )
        Staff.objects.bulk_create(
            [
                Staff(
                    employee_no=no,
                    name=f"Bench {no[5:]}",
                    unit=unit,
                    track=track,
                    level=level,
                    hire_date=dt.date(2020, 1, 1),
                )
                for no in wanted
                if no not in existing
            ],
            batch_size=5000,
        )
        scheme, created = Scheme.objects.get_or_create(
            level=level, period_type="month", defaults={"track": track}
        )
        for code, method, params, weight, target in INDICATORS:
            indicator, _ = Indicator.objects.get_or_create(
                code=code,
                defaults={
                    "name": code,
                    "kind": "qualitative" if method == scoring.RATING else "quantitative",
                    "method": method,
                    "params": scoring.validate_params(method, params),
                },
            )
            if created:
                SchemeItem.objects.create(
                    scheme=scheme, indicator=indicator, weight=weight, target=target
                )
        for m in range(1, periods + 1):
            code = f"{YEAR}-{m:02d}"
            ptype, start, end = parse_period_code(code)
            Period.objects.get_or_create(
                code=code,
                defaults={"period_type": ptype, "year": YEAR, "start": start, "end": end},
            )
        return wanted

    def _write_file(
        self, rows: int, employee_nos: list[str], periods: int, *, changed: bool = False
    ) -> str:
        """The benchmark's file; ``changed``: the same lines, each with another value (a
        number + 1, the next grade, one incident more)."""
        rng = random.Random(7)  # noqa: S311 - benchmark data
        fd, path = tempfile.mkstemp(suffix=".csv", prefix="kpi-bench-")
        written = 0
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow(["employee_no", "indicator", "period", "value"])
            for employee_no in employee_nos:
                for m in range(1, periods + 1):
                    period = f"{YEAR}-{m:02d}"
                    for code, method, *_rest in INDICATORS:
                        if written == rows:
                            return path
                        if method == scoring.RATING:
                            value = rng.choice("ABBCCD")
                            value = "ABCDEA"["ABCDEA".index(value) + changed]
                        elif method == scoring.DEDUCTION:
                            value = str(rng.choice((0, 0, 0, 1, 2)) + changed)
                        else:
                            value = f"{rng.uniform(1, 150) + changed:.2f}"
                        out.writerow([employee_no, code, period, value])
                        written += 1
        return path
