"""``manage.py export_benchmark --rows 1000000``: the training-ledger XLSX export at scale.

Inside a transaction that is rolled back at the end (the database keeps nothing), writes
``--rows`` ledger records in one ``INSERT … SELECT`` over a number series, spread over the
staff already in the database (PostgreSQL only; build them first: ``seed_demo --staff
3000``), then times:

- the product: :func:`training.exports.write_ledger` — the export the ledger page streams
  (rows from a chunked cursor into an openpyxl write-only workbook, figures formatted, text
  cells made safe) — and the growth of the process's peak memory while it runs;
- the bare tool: the same rows read with a plain cursor and appended raw to a write-only
  workbook;

and prints both, their ratio and the file sizes. The export is written to a temporary file.
"""

from __future__ import annotations

import resource
import tempfile
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from openpyxl import Workbook

from org.models import Staff
from training.exports import write_ledger
from training.models import TrainingRecord


class _Rollback(Exception):
    """Leaves the benchmark's transaction without keeping its rows."""


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class Command(BaseCommand):
    help = "Time the training-ledger XLSX export of many records (rolled back afterwards)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=1_000_000)

    def handle(self, *args, rows, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The export benchmark runs on PostgreSQL (DATABASE_URL).")
        if not Staff.objects.exists():
            raise CommandError("No staff: build them first (manage.py seed_demo --staff 3000).")
        try:
            with transaction.atomic():
                self._run(rows)
                raise _Rollback
        except _Rollback:
            self.stdout.write("rolled back: the database keeps nothing")

    def _run(self, rows: int) -> None:
        started = time.perf_counter()
        self._insert(rows)
        self.stdout.write(
            f"{connection.vendor}: {rows:,} ledger records written in "
            f"{time.perf_counter() - started:.1f} s"
        )
        records = TrainingRecord.objects.filter(title__startswith="BENCH ")

        before = _peak_mb()
        t0 = time.perf_counter()
        out = write_ledger(records)
        product = time.perf_counter() - t0
        size = out.seek(0, 2)
        out.close()
        grown = _peak_mb() - before

        t0 = time.perf_counter()
        bare_size = self._bare()
        bare = time.perf_counter() - t0

        self.stdout.write(
            f"product: write_ledger {product:.1f} s, {size / 1e6:.1f} MB file, "
            f"peak memory grew by {grown:.0f} MB (process peak {_peak_mb():.0f} MB)"
        )
        self.stdout.write(
            f"bare:    cursor + write-only workbook {bare:.1f} s, {bare_size / 1e6:.1f} MB file"
        )
        self.stdout.write(f"ratio:   {product / bare:.2f}×")

    def _insert(self, rows: int) -> None:
        q = connection.ops.quote_name
        table, staff = q(TrainingRecord._meta.db_table), q(Staff._meta.db_table)
        sql = f"""
WITH people AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM {staff}),
total AS (SELECT COUNT(*) AS c FROM {staff})
INSERT INTO {table} (staff_id, title, {q("date")}, hours, credits, result, source,
                     created_at, updated_at)
SELECT people.id, 'BENCH ' || seq.n, DATE '2020-01-01' + CAST(seq.n % 2000 AS integer),
       4 + seq.n % 5, 0.5 + (seq.n % 4) * 0.5, 'passed', 'manual',
       CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
FROM generate_series(0, {int(rows) - 1}) AS seq(n), total, people
WHERE people.k = seq.n % total.c
"""  # noqa: S608 - quoted identifiers and integers only
        with connection.cursor() as cursor:
            cursor.execute(sql)
            cursor.execute(f"ANALYZE {table}")

    def _bare(self) -> int:
        q = connection.ops.quote_name
        sql = (
            f"SELECT s.employee_no, s.name, s.unit_id, r.title, r.{q('date')}, r.hours, "  # noqa: S608
            f"r.credits, r.result, r.source FROM {q(TrainingRecord._meta.db_table)} r "
            f"JOIN {q(Staff._meta.db_table)} s ON s.id = r.staff_id "
            "WHERE r.title LIKE 'BENCH %' ORDER BY s.employee_no, r.date, r.id"
        )
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("ledger")
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql)
            while chunk := cursor.fetchmany(2000):
                for row in chunk:
                    sheet.append(row)
        with tempfile.TemporaryFile() as out:
            workbook.save(out)
            return out.seek(0, 2)
