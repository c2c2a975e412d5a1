"""The ranking computation: the whole population of a track in one SQL statement.

DOMAIN.md, "Annual ranking and dynamic management" and "Numbers":

- population: staff of the track employed by the year end, active at the year end (status
  ``active``), in post at the year end (an appointment covering 31 December) and with at least
  ``min_months`` whole months of service in the year (hired on or before the year end minus
  ``min_months`` months + 1 day: 6 months → hired on or before 1 July); everyone else of the
  track is an excluded entry with the reason; staff without an annual KPI score (or without a
  competency index when w < 1) are excluded too;
- composite = KPI annual score × w + competency index × (1 − w), rounded half-up to 2 places
  **before** ranking, so what people see is what was ranked;
- rank: descending score per cohort, ties share a rank (SQL ``RANK()``: 1, 2, 2, 4);
- band size = ⌈N × p⌉ per cohort, in exact integer arithmetic; the bottom band is everyone
  with fewer than band-size members scoring strictly lower, i.e. the last member of the band
  and everyone tied with them (the overshoot is reported); the top band likewise from the top
  (rank ≤ band size). All three windows (rank, members scoring at least as much — ``COUNT``
  with the default ``RANGE`` frame, which includes ties — and the cohort size) share one
  ``PARTITION BY cohort ORDER BY score DESC``, so the database sorts once;
- cohorts smaller than ``min_cohort`` are reported and not banded.

A preview is ranked and summarised in one pass without storing anything per staff member
(:func:`compute`: the same CTEs feed an aggregate over every rank); its entries are written
by :func:`write_entries` the first time they are read and at the latest on commit, and the
summary is then taken again from what was written, so the two always agree.

Exactness: the composite is computed in integers on both SQLite and PostgreSQL — the inputs
are scaled to 10⁻⁶ units (``ROUND(x × 10⁶)``, exact for inputs with ≤ 6 decimals even when
SQLite stores them as binary floats), the weight to 10⁻⁴ units, and the half-up rounding to
cents is an integer division. Band sizes are ``(N × basis points + 9999) / 10000``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection

from core import clock
from core.numbers import round_score
from org.models import Appointment, Staff

from . import sources
from .models import RankingEntry, RankingRun, RunInput

UNIT = 1_000_000  # inputs scaled to 10⁻⁶
WEIGHT_UNIT = 10_000  # weight scaled to 10⁻⁴
# composite in 10⁻¹⁰ units; cents are 10⁻² → divide by 10⁸, add half for half-up
CENT_DIVISOR = UNIT * WEIGHT_UNIT // 100
HALF = CENT_DIVISOR // 2


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month)


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def hire_cutoff(year: int, min_months: int) -> dt.date:
    """The last hire date giving ``min_months`` whole months of service in ``year``."""
    return add_months(dt.date(year + 1, 1, 1), -min_months)


def band_size(n: int, pct: Decimal) -> int:
    """⌈n × pct / 100⌉ exactly (21 × 5 % → 2, 20 × 5 % → 1, 10 × 10 % → 1)."""
    bp = int(pct * 100)
    return (n * bp + 9999) // 10000


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _table(model) -> str:
    return _q(model._meta.db_table)


def _col(model, field: str) -> str:
    return _q(model._meta.get_field(field).column)


def needs_inputs(run: RankingRun, *, kpi_table) -> bool:
    """Whether the SQL joins the staged :class:`RunInput` rows."""
    return run.kpi_weight < 1 or kpi_table is None


def stage_inputs(run: RankingRun, *, kpi_table) -> bool:
    """Freeze the inputs that have no table to join (competency index, or KPI scores when the
    KPI app's table is absent) into :class:`RunInput` with one ``bulk_create``. Returns whether
    any input row is needed by the SQL."""
    if not needs_inputs(run, kpi_table=kpi_table):
        return False
    need_ci = run.kpi_weight < 1
    need_kpi = kpi_table is None
    end = year_end(run.year)
    ids = list(
        Staff.objects.filter(track_id=run.track_id, hire_date__lte=end).values_list("pk", flat=True)
    )
    indexes = (sources.competency_indexes(ids, on_date=end) or {}) if need_ci else {}
    kpis = (sources.annual_scores(ids, run.year) or {}) if need_kpi else {}
    rows = []
    for pk in ids:
        ci = indexes.get(pk)
        kpi = kpis.get(pk)
        kpi = getattr(kpi, "score", kpi)
        if ci is None and kpi is None:
            continue
        rows.append(RunInput(run=run, staff_id=pk, kpi_score=kpi, competency_index=ci))
    RunInput.objects.bulk_create(rows, batch_size=2000)
    return True


def scored_sql(run: RankingRun, *, kpi_table, use_inputs: bool) -> tuple[str, list]:
    """The CTEs ``base`` (every staff member of the track with their exclusion reason) and
    ``scored`` (``excl`` 0/1, ``cohort_key``, ``reason`` and the composite in integer ``cents``),
    shared by the entries statement and the preview's summary."""
    end = year_end(run.year)
    staff, appt = _table(Staff), _table(Appointment)
    inputs = _table(RunInput)
    params: list = []

    if kpi_table is not None:
        kpi_expr = f"k.{_q(kpi_table.score_column)}"
        kpi_join = (
            f"LEFT JOIN {_q(kpi_table.table)} k ON k.{_q(kpi_table.staff_column)} = s.id "
            f"AND k.{_q(kpi_table.year_column)} = %s"
        )
        kpi_params = [run.year]
    else:
        kpi_expr, kpi_join, kpi_params = "ri.kpi_score", "", []
    if use_inputs:
        ci_expr = "ri.competency_index"
        inputs_join = f"LEFT JOIN {inputs} ri ON ri.run_id = %s AND ri.staff_id = s.id"
        inputs_params = [run.pk]
    else:
        ci_expr, inputs_join, inputs_params = "CAST(NULL AS NUMERIC)", "", []

    cohort_expr = {
        RankingRun.Cohort.TRACK: "s.track_id",
        RankingRun.Cohort.LEVEL: "ap.level_id",
        RankingRun.Cohort.UNIT: "s.unit_id",
    }[run.cohort]
    weight = int(run.kpi_weight * WEIGHT_UNIT)
    need_ci = 1 if run.kpi_weight < 1 else 0
    kpi_u = f"CAST(ROUND(b.kpi_score * {UNIT}) AS BIGINT)"
    ci_u = f"COALESCE(CAST(ROUND(b.ci * {UNIT}) AS BIGINT), 0)"
    x = f"{kpi_u} * {weight}"
    if weight != WEIGHT_UNIT:
        x = f"({x} + {ci_u} * {WEIGHT_UNIT - weight})"
    cents = (
        f"CASE WHEN {x} >= 0 THEN ({x} + {HALF}) / {CENT_DIVISOR} "
        f"ELSE -((-{x} + {HALF}) / {CENT_DIVISOR}) END"
    )

    # ``excl`` repeats the conditions of ``reason`` as one flag, so that the windows' sort key
    # does not evaluate the reason's CASE again; ``cents`` of an excluded row is not used.
    ci_needed = f" AND {ci_expr} IS NOT NULL" if need_ci else ""

    # Only integers computed here and quoted identifiers are interpolated; values are params.
    sql = f"""
base AS (
  SELECT s.id AS staff_id, s.unit_id AS unit_id, ap.level_id AS level_id,
         {cohort_expr} AS cohort_key,
         {kpi_expr} AS kpi_score, {ci_expr} AS ci,
         CASE
           WHEN s.status = %s THEN %s
           WHEN s.status <> %s THEN %s
           WHEN ap.level_id IS NULL THEN %s
           WHEN s.hire_date > %s THEN %s
           WHEN {kpi_expr} IS NULL THEN %s
           WHEN %s = 1 AND {ci_expr} IS NULL THEN %s
           ELSE ''
         END AS reason,
         CASE WHEN s.status = %s AND ap.level_id IS NOT NULL AND s.hire_date <= %s
                   AND {kpi_expr} IS NOT NULL{ci_needed} THEN 0 ELSE 1 END AS excl
  FROM {staff} s
  LEFT JOIN {appt} ap ON ap.staff_id = s.id AND ap.start <= %s
       AND (ap.closed_on IS NULL OR ap.closed_on > %s)
  {kpi_join}
  {inputs_join}
  WHERE s.track_id = %s AND s.hire_date <= %s
),
scored AS (
  SELECT b.staff_id, b.unit_id, b.level_id, b.cohort_key, b.kpi_score, b.ci, b.reason, b.excl,
         {cents} AS cents
  FROM base b
)"""  # noqa: S608
    R = RankingEntry.Reason
    params = [
        *[Staff.Status.EXITED, R.EXITED, Staff.Status.ACTIVE, R.NOT_ACTIVE, R.NO_LEVEL],
        *[hire_cutoff(run.year, run.min_months), R.SHORT_SERVICE, R.NO_KPI],
        *[need_ci, R.NO_COMPETENCY],
        *[Staff.Status.ACTIVE, hire_cutoff(run.year, run.min_months)],
        end,
        end,
        *kpi_params,
        *inputs_params,
        run.track_id,
        end,
    ]
    return sql, params


def ranking_sql(
    run: RankingRun, *, kpi_table, use_inputs: bool, insert: str = ""
) -> tuple[str, list]:
    """The ``WITH … [INSERT INTO …] SELECT`` giving every entry of ``run`` (the columns of the
    INSERT). ``WITH … INSERT INTO … SELECT`` is valid on SQLite and PostgreSQL."""
    scored, params = scored_sql(run, kpi_table=kpi_table, use_inputs=use_inputs)
    select, select_params = _entries_select(run)
    return f"WITH {scored}\n{insert}\n{select}", [*params, *select_params]


def _entries_select(run: RankingRun) -> tuple[str, list]:
    """The ``SELECT`` of every entry from the CTE ``scored`` (:func:`ranking_sql`)."""
    bp = int(run.bottom_pct * 100)
    n = "COUNT(*) OVER wn"
    band = f"(COUNT(*) OVER wn * {bp} + 9999) / 10000"
    score = "cents / 100.0"
    if connection.vendor == "postgresql":
        score = "CAST(cents AS NUMERIC) / 100"
    sql = f"""
SELECT %s, staff_id, unit_id, level_id, cohort_key, kpi_score, ci,
       CASE WHEN excl = 0 THEN {score} END,
       CASE WHEN excl = 0 THEN RANK() OVER w END,
       CASE WHEN excl = 0 THEN {n} END,
       CASE WHEN excl = 0 THEN {band} END,
       CASE WHEN excl = 0 AND {n} >= %s AND {n} - COUNT(*) OVER w < {band}
            THEN TRUE ELSE FALSE END,
       CASE WHEN excl = 0 AND {n} >= %s AND RANK() OVER w <= {band}
            THEN TRUE ELSE FALSE END,
       CASE WHEN excl = 1 THEN TRUE ELSE FALSE END,
       CASE WHEN excl = 1 THEN reason ELSE '' END
FROM scored
WINDOW w AS (PARTITION BY excl, cohort_key ORDER BY cents DESC),
       wn AS (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
"""  # noqa: S608
    return sql, [run.pk, run.min_cohort, run.min_cohort]


ENTRY_COLUMNS = [
    "run",
    "staff",
    "unit",
    "level",
    "cohort_key",
    "kpi_score",
    "competency_index",
    "score",
    "rank",
    "cohort_size",
    "band_size",
    "in_bottom_band",
    "in_top_band",
    "excluded",
    "reason",
]


def compute(run: RankingRun) -> RankingRun:
    """(Re)compute a preview: every rank and band in one pass, aggregated into the summary;
    entries written earlier are dropped (:func:`write_entries` writes them when they are read).
    Call inside a transaction."""
    if run.entries_written_at is not None:
        RankingEntry.objects.filter(run=run).delete()
    RunInput.objects.filter(run=run).delete()
    kpi_table = sources.kpi_annual_table()
    use_inputs = stage_inputs(run, kpi_table=kpi_table)
    scored, params = scored_sql(run, kpi_table=kpi_table, use_inputs=use_inputs)
    run.summary = summarise(run, summary_sql(run, scored), params)
    run.computed_at = clock.now()
    run.entries_written_at = None
    return run


def write_entries(run: RankingRun) -> RankingRun:
    """Write every entry of a preview with the one ``INSERT … SELECT`` (inputs as staged by
    :func:`compute`), and take the summary again from the rows written. Call inside a
    transaction, with the run locked.

    On PostgreSQL the summary is aggregated in the same statement from the rows the INSERT
    returns (``WITH written AS (INSERT … RETURNING …) SELECT … GROUP BY``), so the 100,000
    rows just written are not read back; elsewhere a second statement reads them."""
    kpi_table = sources.kpi_annual_table()
    columns = ", ".join(_col(RankingEntry, name) for name in ENTRY_COLUMNS)
    insert = f"INSERT INTO {_table(RankingEntry)} ({columns})"
    use_inputs = needs_inputs(run, kpi_table=kpi_table)
    if connection.vendor == "postgresql":
        scored, params = scored_sql(run, kpi_table=kpi_table, use_inputs=use_inputs)
        select, select_params = _entries_select(run)
        returned = ", ".join(_col(RankingEntry, name) for name in SUMMARY_COLUMNS)
        sql = (
            f"WITH {scored},\nwritten AS (\n{insert}\n{select}RETURNING {returned}\n)\n"
            + _stored_summary_select("written")
        )
        run.summary = summarise(run, sql, [*params, *select_params])
    else:
        sql, params = ranking_sql(run, kpi_table=kpi_table, use_inputs=use_inputs, insert=insert)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        run.summary = summarise(run, *stored_summary_sql(run))
    run.computed_at = run.entries_written_at = clock.now()
    return run


# The columns of an entry the summary is aggregated from.
SUMMARY_COLUMNS = ["excluded", "cohort_key", "reason", "band_size"]
SUMMARY_COLUMNS += ["in_bottom_band", "in_top_band", "score"]


def stored_summary_sql(run: RankingRun) -> tuple[str, list]:
    """The rows of :func:`summary_sql`, aggregated from a run's written entries: their rank,
    cohort size, band size and band flags are stored, so one ``GROUP BY`` over the run's rows
    gives the summary without sorting them again."""
    where = f"{_table(RankingEntry)} WHERE {_col(RankingEntry, 'run')} = %s"
    return _stored_summary_select(where), [run.pk]


def _stored_summary_select(source: str) -> str:
    """:func:`stored_summary_sql`'s aggregate over the entries of ``source`` (a table with its
    condition, or the rows an INSERT returned)."""
    e = {name: _col(RankingEntry, name) for name in SUMMARY_COLUMNS}
    bottom, top = e["in_bottom_band"], e["in_top_band"]
    return f"""
SELECT excl, cohort_key, reason, COUNT(*), MAX(band_size),
       SUM(CASE WHEN bottom THEN 1 ELSE 0 END), SUM(CASE WHEN top THEN 1 ELSE 0 END),
       MAX(CASE WHEN bottom THEN cents END), MIN(CASE WHEN top THEN cents END),
       MIN(cents), MAX(cents)
FROM (
  SELECT CASE WHEN {e["excluded"]} THEN 1 ELSE 0 END AS excl,
         {e["cohort_key"]} AS cohort_key,
         CASE WHEN {e["excluded"]} THEN {e["reason"]} END AS reason,
         {e["band_size"]} AS band_size, {bottom} AS bottom, {top} AS top,
         CASE WHEN {e["excluded"]} THEN NULL
              ELSE CAST(ROUND({e["score"]} * 100) AS BIGINT) END AS cents
  FROM {source}
) entry
GROUP BY excl, cohort_key, reason
"""  # noqa: S608 - quoted identifiers only


def summary_sql(run: RankingRun, scored: str) -> str:
    """Per cohort (and per exclusion reason): size, band size, bottom- and top-band members, cut
    score, top line, lowest and highest score — aggregated over every row's rank (``RANK()``),
    members scoring at least as much and cohort size, the windows of :func:`ranking_sql`."""
    bp = int(run.bottom_pct * 100)
    band = f"((n * {bp} + 9999) / 10000)"
    cut = f"n >= {int(run.min_cohort)}"
    bottom = f"{cut} AND n - ge < {band}"
    top = f"{cut} AND r <= {band}"
    return f"""
WITH {scored},
ranked AS (
  SELECT excl, cohort_key, CASE WHEN excl = 1 THEN reason END AS reason, cents,
         RANK() OVER w AS r, COUNT(*) OVER w AS ge,
         COUNT(*) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS n
  FROM scored
  WINDOW w AS (PARTITION BY excl, cohort_key ORDER BY cents DESC)
)
SELECT excl, cohort_key, reason, COUNT(*), MAX({band}),
       SUM(CASE WHEN {bottom} THEN 1 ELSE 0 END), SUM(CASE WHEN {top} THEN 1 ELSE 0 END),
       MAX(CASE WHEN {bottom} THEN cents END), MIN(CASE WHEN {top} THEN cents END),
       MIN(cents), MAX(cents)
FROM ranked
GROUP BY excl, cohort_key, reason
"""  # noqa: S608 - integers only


def _fig(cents) -> str | None:
    """Cents as the 2-place figure people see."""
    return None if cents is None else str(round_score(Decimal(int(cents)) / 100))


def summarise(run: RankingRun, sql: str, params: list) -> dict:
    """The run's ``summary``: per cohort size, band size, band members, overshoot, small
    cohort, cut line, top line, range; exclusions by reason — from one aggregate statement
    (:func:`summary_sql` over :func:`scored_sql` for a preview, :func:`stored_summary_sql`
    once written)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    cohorts, excluded = [], {}
    for excl, key, reason, size, band, bottom, top, cut, top_line, low, high in rows:
        if excl:
            excluded[reason] = excluded.get(reason, 0) + size
            continue
        small = size < run.min_cohort
        band = 0 if small else int(band)
        cohorts.append(
            {
                "key": key,
                "size": size,
                "band_size": band,
                "bottom": int(bottom),
                "overshoot": 0 if small else int(bottom) - band,
                "top": int(top),
                "top_overshoot": 0 if small else int(top) - band,
                "small": small,
                "cut": _fig(cut),
                "top_line": _fig(top_line),
                "low": _fig(low),
                "high": _fig(high),
            }
        )
    cohorts.sort(key=lambda c: c["key"])
    excluded = dict(sorted(excluded.items()))
    return {
        "population": sum(c["size"] for c in cohorts),
        "excluded": excluded,
        "excluded_total": sum(excluded.values()),
        "cohorts": cohorts,
        "bottom_band": sum(c["bottom"] for c in cohorts),
        "top_band": sum(c["top"] for c in cohorts),
        "small_cohorts": sum(1 for c in cohorts if c["small"]),
        "overshoot": sum(c["overshoot"] for c in cohorts),
    }
