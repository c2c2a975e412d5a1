"""``manage.py kpi_benchmark_import --rows 1000000``: generate an actuals file, import it through
the real import service and print rows/second (load, validate, merge, recompute), then import
the same file again (the idempotent update path).

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
from django.db import connection
from django.test.utils import override_settings

from kpi import scoring
from kpi.imports import import_actuals
from kpi.models import Indicator, Period, Scheme, SchemeItem, parse_period_code
from org.models import Level, OrgUnit, Staff, Track

YEAR = 2099
INDICATORS = [
    ("BENCH_REV", scoring.RATIO, {"cap": "1.2"}, 40, Decimal(100)),
    ("BENCH_CPL", scoring.INVERSE_RATIO, {"cap": "1.2"}, 20, Decimal(4)),
    ("BENCH_VIS", scoring.BANDS, {"bands": [["0.8", "60"], ["1", "100"]]}, 20, Decimal(10)),
    ("BENCH_RAT", scoring.RATING, {}, 10, None),
    ("BENCH_CMP", scoring.DEDUCTION, {"points": "5"}, 10, None),
]


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
        self.stdout.write(f"setup: {time.perf_counter() - mark:.1f} s")
        mark = time.perf_counter()
        path = self._write_file(rows, employee_nos, periods)
        size = os.path.getsize(path)
        self.stdout.write(
            f"file: {size / 2**20:.1f} MB written in {time.perf_counter() - mark:.1f} s"
        )
        # The product caps an import (IMPORT_MAX_ROWS, IMPORT_MAX_BYTES); the benchmark
        # measures the engine beyond them, so it lifts the caps for its own file.
        limits = override_settings(IMPORT_MAX_ROWS=rows, IMPORT_MAX_BYTES=size)
        try:
            for label in ("first import (inserts)", "re-import (updates)"):
                with limits, open(path, "rb") as fh:
                    mark = time.perf_counter()
                    result = import_actuals(
                        actor=None, fileobj=fh, filename=path, recompute=not no_recompute
                    )
                    elapsed = time.perf_counter() - mark
                t = result.timings
                importing = t["load"] + t["validate"] + t["merge"]
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{label}: {result.rows:,} rows, created {result.created:,}, "
                        f"updated {result.updated:,}; load {t['load']:.1f} s, validate "
                        f"{t['validate']:.1f} s, merge {t['merge']:.1f} s → "
                        f"{result.rows / importing:,.0f} rows/s imported; recompute "
                        f"{t.get('recompute', 0):.1f} s; total {elapsed:.1f} s → "
                        f"{result.rows / elapsed:,.0f} rows/s end to end"
                    )
                )
        finally:
            if not keep_file:
                os.unlink(path)

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

    def _write_file(self, rows: int, employee_nos: list[str], periods: int) -> str:
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
                        elif method == scoring.DEDUCTION:
                            value = str(rng.choice((0, 0, 0, 1, 2)))
                        else:
                            value = f"{rng.uniform(1, 150):.2f}"
                        out.writerow([employee_no, code, period, value])
                        written += 1
        return path
