"""``manage.py ranking_benchmark --staff 100000``: time a ranking run on the current database.

Builds (or reuses) a synthetic track ``BENCH`` — units, a 5-level ladder, ``--staff`` staff
(``BENCH1`` … ``BENCH<n>``) with an appointment and an annual KPI score each, a few exited and
short-service members — with set-based ``INSERT … SELECT`` statements (a recursive number
series), then times, best of ``--repeat`` each,

- the ranking itself: ``ranking.services.run_create`` — validation, every rank, band and
  exclusion computed in one pass by the database and aggregated into the preview's summary,
  the audit record; a preview stores nothing per staff member — against the bare SQL query
  computing the same ranks (population filter, rounded composite,
  ``RANK() OVER (PARTITION BY cohort ORDER BY score DESC)``), its rows fetched (target ≤ 1.5×);
- the ranking commit: ``ranking.services.run_commit`` of such a preview, end to end — the one
  ``INSERT … SELECT`` of every entry, the summary taken again from them, a re-certification
  case opened (and audited) for every bottom-band member, the transaction committed — against
  the bare query's rows stored (``CREATE TABLE AS``, committed) (target ≤ 2×).

The benchmark's runs, entries and cases are removed after each repeat (their audit records
stay: the audit trail is append-only); the population stays for the next call (``--drop``
removes it — only the staff it built, and only when no other rows refer to them).
"""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, connection, models, transaction

from core import clock
from core.models import AuditEvent
from kpi.models import AnnualScore
from notifications.models import Notification
from org.models import Appointment, Level, OrgUnit, Staff, Track
from ranking import engine, services, sources
from ranking.models import RankingEntry, RankingRun, RecertificationCase, RunInput

TRACK = "BENCH"
UNITS = 40
# The staff this benchmark builds: BENCH1 … BENCH<n> (other benchmarks' BENCH0000001 … differ).
OURS = r"^BENCH[1-9][0-9]*$"


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _ours_sql() -> str:
    """The SQL condition on ``s`` (the staff table) selecting the staff this benchmark builds."""
    op = "~" if connection.vendor == "postgresql" else "REGEXP"
    return f"s.employee_no {op} '{OURS}'"


def _series(n: int) -> str:
    head = "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < "
    return f"{head}{int(n)})"


class _Phases:
    """Where a commit's time goes: its statements' time by the table they write (or read, for
    the summary taken from the entries), the transaction's ``COMMIT``, and the rest (Python,
    Django). A statement wrapper (``connection.execute_wrapper``): statements are timed as
    they run, nothing else changes."""

    def __init__(self) -> None:
        q = connection.ops.quote_name
        entries, cases = q(RankingEntry._meta.db_table), q(RecertificationCase._meta.db_table)
        self.kinds = [
            ("entries written (on PostgreSQL with their summary)", f"INSERT INTO {entries}"),
            ("summary from the entries", f"FROM {entries} WHERE"),
            ("cases opened", f"INSERT INTO {cases}"),
            ("their audit records", f"INSERT INTO {q(AuditEvent._meta.db_table)}"),
            ("their notifications", f"INSERT INTO {q(Notification._meta.db_table)}"),
        ]
        self.spent: dict[str, float] = {label: 0.0 for label, _ in self.kinds}
        self.spent["other statements"] = 0.0

    def __call__(self, execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            label = next((lb for lb, marker in self.kinds if marker in sql), "other statements")
            self.spent[label] += time.perf_counter() - t0

    def close(self, *, total: float, commit: float) -> None:
        self.spent["COMMIT"] = commit
        self.spent["Python"] = max(0.0, total - sum(self.spent.values()))


class Command(BaseCommand):
    help = "Rank a synthetic population and compare with the bare SQL ranking query."

    def add_arguments(self, parser):
        parser.add_argument("--staff", type=int, default=100_000)
        parser.add_argument("--year", type=int, help="the ranked year (default: last year)")
        parser.add_argument("--cohort", choices=RankingRun.Cohort.values, default="level")
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--drop", action="store_true", help="Remove the synthetic track.")

    def handle(self, *args, staff, year, cohort, repeat, drop, **options):
        year = year or clock.today().year - 1
        kpi = sources.kpi_annual_table()
        if kpi is None:
            raise CommandError("The KPI app's annual score table is needed.")
        if drop:
            self._drop()
            return
        started = time.perf_counter()
        track, built = self._population(staff, year)
        self.stdout.write(
            f"{connection.vendor}: population of {staff:,} staff "
            f"{'built' if built else 'reused'} in {time.perf_counter() - started:.2f} s"
        )
        run_times, bare_times, commit_times, stored_times = [], [], [], []
        engine_counted, bare_counted = [], []
        commit_phases: list[_Phases] = []
        run, rows, same = None, [], False
        for _ in range(max(1, repeat)):
            t0 = time.perf_counter()
            with transaction.atomic():
                run = services.run_create(
                    actor=None, track=track, year=year, cohort=cohort, reason="benchmark"
                )
            run_times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            rows = self._bare(track, year, cohort, kpi)
            bare_times.append(time.perf_counter() - t0)
            phases = _Phases()
            t0 = time.perf_counter()
            with transaction.atomic():  # the same transaction; its COMMIT timed apart
                with connection.execute_wrapper(phases):
                    run = services.run_commit(actor=None, run=run, reason="benchmark")
                done = time.perf_counter()
            commit_times.append(time.perf_counter() - t0)
            phases.close(total=commit_times[-1], commit=time.perf_counter() - done)
            commit_phases.append(phases)
            t0 = time.perf_counter()
            self._bare(track, year, cohort, kpi, store=True)
            stored_times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            self._engine_counted(run)
            engine_counted.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            self._bare(track, year, cohort, kpi, count=True)
            bare_counted.append(time.perf_counter() - t0)
            same = self._same_ranks(run, rows)
            cases = RecertificationCase.objects.filter(run=run).count()
            self._remove_runs(track)
            self._vacuum()
        summary = run.summary
        best_run, best_bare = min(run_times), min(bare_times)
        best_commit, best_stored = min(commit_times), min(stored_times)
        written = summary["population"] + summary["excluded_total"]
        self.stdout.write(
            f"ranking run (preview: every rank, band and exclusion in one pass, summary): "
            f"{best_run:.3f} s for {summary['population']:,} ranked "
            f"+ {summary['excluded_total']:,} excluded, {len(summary['cohorts'])} cohorts, "
            f"{summary['bottom_band']:,} in the bottom band"
        )
        self.stdout.write(f"bare SQL ranking query, rows fetched: {best_bare:.3f} s")
        self.stdout.write(
            self.style.SUCCESS(
                f"ratio of the ranking run to the bare query: {best_run / best_bare:.2f}× "
                f"(target ≤ 1.5×)"
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"ranking commit (entries written: {written:,} rows, summary taken from them, "
                f"{cases:,} re-certification cases opened and audited): {best_commit:.3f} s "
                f"vs bare CREATE TABLE AS {best_stored:.3f} s: "
                f"ratio {best_commit / best_stored:.2f}× (target ≤ 2×)"
            )
        )
        phases = commit_phases[commit_times.index(best_commit)]
        self.stdout.write(
            "  where the commit's time goes: "
            + ", ".join(f"{label} {spent:.3f} s" for label, spent in phases.spent.items())
        )
        self.stdout.write(
            f"preview + commit (from nothing to a committed run): "
            f"{best_run + best_commit:.3f} s, {(best_run + best_commit) / best_stored:.2f}× "
            f"the bare CREATE TABLE AS"
        )
        best_engine, best_bare_counted = min(engine_counted), min(bare_counted)
        self.stdout.write(
            f"entries statement only (rows counted in the database, none fetched or written): "
            f"{best_engine:.3f} s, the bare query {best_bare_counted:.3f} s, "
            f"ratio {best_engine / best_bare_counted:.2f}×"
        )
        self.stdout.write(f"ranks identical to the bare query: {same}")

    def _remove_runs(self, track) -> None:
        """The benchmark's runs with their cases, entries and inputs, in set-based deletes
        (the runs' audit records stay)."""
        runs = RankingRun.objects.filter(track=track).values("pk")
        for model in (RecertificationCase, RankingEntry, RunInput):
            rows = model._base_manager.filter(run__in=runs)
            rows._raw_delete(rows.db)
        RankingRun.objects.filter(track=track).update(supersedes=None)
        RankingRun.objects.filter(track=track)._raw_delete(connection.alias)

    def _vacuum(self) -> None:
        """On PostgreSQL, reclaim the rows just removed, so that every repeat writes its entries
        and cases into tables as clean as the bare query's new table (outside a transaction
        only)."""
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            return
        with connection.cursor() as cursor:
            for model in (RankingEntry, RecertificationCase):
                cursor.execute(f"VACUUM {_q(model._meta.db_table)}")

    # --- the bare query ---------------------------------------------------------------------

    def _engine_counted(self, run) -> int:
        """The run's own statement (population, exclusions, composite, ranks, bands) without
        its INSERT, aggregated in the database over every computed column (so that no window
        can be optimised away)."""
        sql, params = engine.ranking_sql(
            run, kpi_table=sources.kpi_annual_table(), use_inputs=False
        )
        cols = [f"c{i}" for i in range(len(engine.ENTRY_COLUMNS))]
        used = ", ".join(f"COUNT({c})" for c in cols)
        wrapped = f"WITH q({', '.join(cols)}) AS ({sql}) SELECT {used} FROM q"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(wrapped, params)
            return cursor.fetchone()[0]

    def _bare(self, track, year, cohort, kpi, store=False, count=False) -> list[tuple[int, int]]:
        cohort_col = {"track": "s.track_id", "level": "ap.level_id", "unit": "s.unit_id"}[cohort]
        end = engine.year_end(year)
        score = _q(kpi.score_column)
        sql = f"""
SELECT s.id AS staff_id,
       RANK() OVER (PARTITION BY {cohort_col} ORDER BY ROUND(k.{score}, 2) DESC) AS rnk
FROM {_q(Staff._meta.db_table)} s
JOIN {_q(Appointment._meta.db_table)} ap ON ap.staff_id = s.id AND ap.start <= %s
     AND (ap.closed_on IS NULL OR ap.closed_on > %s)
JOIN {_q(kpi.table)} k ON k.{_q(kpi.staff_column)} = s.id AND k.{_q(kpi.year_column)} = %s
WHERE s.track_id = %s AND s.status = %s AND s.hire_date <= %s
"""  # noqa: S608 - quoted identifiers only
        params = [end, end, year, track.pk, Staff.Status.ACTIVE, engine.hire_cutoff(year, 6)]
        with connection.cursor() as cursor:
            if count:
                head = "WITH q(staff_id, rnk) AS ("
                wrapped = f"{head}{sql}) SELECT COUNT(staff_id), COUNT(rnk) FROM q"  # noqa: S608
                cursor.execute(wrapped, params)
                return cursor.fetchall()
            if not store:
                cursor.execute(sql, params)
                return cursor.fetchall()
            with transaction.atomic():
                cursor.execute(f"CREATE TABLE bench_ranks AS {sql}", params)
                cursor.execute("DROP TABLE bench_ranks")
            return []

    def _same_ranks(self, run, rows) -> bool:
        ours = dict(
            RankingEntry.objects.filter(run=run, excluded=False).values_list("staff_id", "rank")
        )
        return ours == dict(rows)

    # --- the synthetic population -----------------------------------------------------------

    def _ours(self, track: Track):
        return Staff.objects.filter(track=track, employee_no__regex=OURS)

    def _population(self, n: int, year: int) -> tuple[Track, bool]:
        track = Track.objects.filter(code=TRACK).first()
        if track is not None and self._ours(track).count() == n:
            return track, False
        if track is not None and self._ours(track).exists() and not self._drop():
            raise CommandError(
                "The benchmark's staff of another size are still referred to; remove what "
                "refers to them first, or pass the same --staff."
            )
        with transaction.atomic():
            track, _ = Track.objects.get_or_create(
                code=TRACK, defaults={"name": "基准测试序列", "name_en": "Benchmark"}
            )
            for order in range(1, 6):
                Level.objects.get_or_create(
                    track=track, code=f"B{order}", defaults={"name": f"B{order}", "order": order}
                )
            root = OrgUnit.objects.filter(code="BENCH").first()
            if root is None:
                root = OrgUnit.objects.create(code="BENCH", name="基准测试", path="")
                root.path = f"/{root.pk}/"
                root.save(update_fields=["path"])
            for i in range(UNITS):
                if OrgUnit.objects.filter(code=f"BENCH-U{i}").exists():
                    continue
                unit = OrgUnit.objects.create(
                    code=f"BENCH-U{i}", name=f"基准部门{i}", parent=root, path="", depth=1
                )
                unit.path = f"{root.path}{unit.pk}/"
                unit.save(update_fields=["path"])
            self._insert_staff(track, n, year)
            self._insert_appointments(track)
            self._insert_scores(track, year)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh tables: give the planner statistics
        return track, True

    def _insert_staff(self, track: Track, n: int, year: int) -> None:
        staff = _q(Staff._meta.db_table)
        units, levels = _q(OrgUnit._meta.db_table), _q(Level._meta.db_table)
        short = dt.date(year, 9, 1)
        sql = f"""
{_series(n)}
INSERT INTO {staff} (employee_no, name, name_initials, unit_id, track_id, level_id, hire_date,
                     level_since, status, exit_reason)
SELECT 'BENCH' || seq.n, '基准' || seq.n, 'jz', u.id, %s, l.id,
       CASE WHEN seq.n %% 50 = 0 THEN %s ELSE %s END,
       CASE WHEN seq.n %% 50 = 0 THEN %s ELSE %s END,
       CASE WHEN seq.n %% 97 = 0 THEN %s ELSE %s END, ''
FROM seq
JOIN {units} u ON u.code = 'BENCH-U' || (seq.n %% {UNITS})
JOIN {levels} l ON l.track_id = %s AND l.{_q("order")} = 1 + (seq.n %% 5)
"""  # noqa: S608 - quoted identifiers and integers only
        since = dt.date(2015, 1, 1)
        params = [
            track.pk,
            *[short, since, short, since],
            *[Staff.Status.EXITED, Staff.Status.ACTIVE],
            track.pk,
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    def _insert_appointments(self, track: Track) -> None:
        sql = f"""
INSERT INTO {_q(Appointment._meta.db_table)} (staff_id, level_id, start, {_q("end")}, reason,
                                               decision, created_at)
SELECT id, level_id, level_since, %s, %s, %s, %s FROM {_q(Staff._meta.db_table)} s
WHERE track_id = %s AND {_ours_sql()}
"""  # noqa: S608 - quoted identifiers only
        params = [
            dt.date(2099, 1, 1),
            Appointment.Reason.INITIAL,
            "benchmark",
            clock.now(),
            track.pk,
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    def _insert_scores(self, track: Track, year: int) -> None:
        """Annual KPI scores 40.00–100.00 (two decimals, many ties) in the KPI app's table."""
        model = AnnualScore
        values = {
            "staff": "s.id",
            "year": "%s",
            "score": "40 + (s.id * 7919 %% 6001) / 100.0",
            "score_raw": "40 + (s.id * 7919 %% 6001) / 100.0",
            "periods": "12",
            "grade": "'B'",
            "threshold_grade": "'B'",
            "unit": "s.unit_id",
            "unit_rank": "1",
            "computed_at": "%s",
        }
        fields = [
            f
            for f in model._meta.concrete_fields
            if not f.primary_key and (f.name in values or not (f.null or f.has_default()))
        ]
        missing = [f.name for f in fields if f.name not in values]
        if missing:
            raise CommandError(f"Unknown required KPI fields: {missing}")
        columns = ", ".join(_q(f.column) for f in fields)
        exprs = ", ".join(values[f.name] for f in fields)
        params = [
            year if f.name == "year" else clock.now() for f in fields if values[f.name] == "%s"
        ]
        if connection.vendor == "postgresql":
            exprs = exprs.replace("/ 100.0", "/ 100.0::numeric")
        sql = (
            f"INSERT INTO {_q(model._meta.db_table)} ({columns}) SELECT {exprs} "  # noqa: S608
            f"FROM {_q(Staff._meta.db_table)} s WHERE s.track_id = %s AND {_ours_sql()}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, track.pk])

    def _drop(self) -> bool:
        """Remove what the benchmark built — its runs, its staff (``BENCH1`` … with their
        appointments and annual scores), then the ladder, units and track if nothing else
        uses them — in set-based deletes. Staff that other rows still refer to (another
        benchmark's pay lines or KPI actuals, say) are kept, with one line saying by what;
        nothing is ever printed per row. Returns whether the staff are gone."""
        track = Track.objects.filter(code=TRACK).first()
        if track is None:
            return True
        with transaction.atomic():
            self._remove_runs(track)
            ours = self._ours(track)
            ids = ours.values("pk")
            own = {Appointment, AnnualScore}
            blockers = {}
            for rel in Staff._meta.related_objects:
                if rel.related_model in own:
                    continue
                if rel.many_to_many:
                    n = Staff.objects.filter(pk__in=ids, **{f"{rel.name}__isnull": False}).count()
                else:
                    n = rel.related_model._base_manager.filter(
                        **{f"{rel.field.name}__in": ids}
                    ).count()
                if n:
                    blockers[rel.related_model._meta.label] = n
            if blockers:
                listed = ", ".join(f"{label} ({n:,} rows)" for label, n in sorted(blockers.items()))
                self.stdout.write(
                    f"benchmark runs removed; the {ours.count():,} benchmark staff are kept: "
                    f"{listed} still refer to them"
                )
                return False
            removed = ours.count()
            for model in (AnnualScore, Appointment):
                rows = model._base_manager.filter(staff__in=ids)
                rows._raw_delete(rows.db)
            ours._raw_delete(ours.db)
            kept = self._drop_unused(track)
        self.stdout.write(
            f"synthetic population removed ({removed:,} staff)"
            + (f"; kept, still in use: {', '.join(kept)}" if kept else "")
        )
        return True

    def _drop_unused(self, track: Track) -> list[str]:
        """The ladder, units and track, each in a savepoint: a row another benchmark still uses
        stays (named, never listed row by row)."""
        kept = []
        steps = [
            ("levels", lambda: Level.objects.filter(track=track).delete()),
            ("units", lambda: OrgUnit.objects.filter(code__startswith="BENCH-U").delete()),
            ("root unit", lambda: OrgUnit.objects.filter(code="BENCH").delete()),
            ("track", lambda: Track.objects.filter(pk=track.pk).delete()),
        ]
        for label, step in steps:
            try:
                with transaction.atomic():
                    step()
                    connection.check_constraints()
            except (models.ProtectedError, models.RestrictedError, IntegrityError):
                kept.append(label)
        return kept
