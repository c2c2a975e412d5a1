"""Bulk import of KPI actuals (API.md: ``kpi/actuals/import/``; DOMAIN.md, "KPI").

Columns ``employee_no, indicator, period, value`` in a CSV file (UTF-8, header row) or an XLSX
workbook (first sheet, header row). ``value`` is a number, or A–E for a rating indicator, or a
whole number of incidents for a deduction indicator.

Set-based, whatever the file's size:

1. the rows are streamed into a temporary staging table (``kpi.loaders``: ``COPY`` on
   PostgreSQL, chunked ``executemany`` elsewhere);
2. one SQL query finds every bad row — unknown employee, unknown indicator, unknown period,
   period locked, not a number (or not a grade), duplicate of an earlier line of the file —
   each with its line (the header is line 1) and column;
3. if there is any, the transaction rolls back (nothing written) and :class:`ImportRejected`
   lists them; otherwise one ``INSERT … SELECT … ON CONFLICT DO UPDATE`` merges the rows, so
   importing the same file again updates instead of duplicating. A line whose value is the
   one already stored is left as it is (no write; the actual keeps who set it and when):
   the import reports how many actuals it created, changed and left unchanged. On
   PostgreSQL the merge runs first, guarded so that it takes every row exactly when the file
   is valid (the same value rule, :func:`_bad_value_sql`; a duplicate line makes the
   statement fail). When it reports every line created or changed, the file was valid and
   is read once; otherwise the query of step 2 runs — and a problem undoes the merge (a
   savepoint) — and one more query checks that the table now holds every line's value;
4. the scores of the periods in which an actual was created or changed, and the annual
   scores of their years, are recomputed: an import that changes nothing scores nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import DataError, ProgrammingError, connection, transaction
from django.utils.translation import gettext as _

from core import audit, clock
from core import imports as core_imports
from core.errors import ImportRejected

from . import score_recompute, scoring
from .loaders import STAGE, loader_for
from .models import Actual, ImportBatch, Indicator, Period
from .services import require_office

COLUMNS = ("employee_no", "indicator", "period", "value")
# The header may name a column in Chinese as well (the template in Chinese does).
HEADER_ALIASES = {
    "工号": "employee_no",
    "员工编号": "employee_no",
    "指标": "indicator",
    "指标代码": "indicator",
    "期间": "period",
    "考核期间": "period",
    "实际值": "value",
    "完成值": "value",
}
# The template's header in Chinese: the first alias of each column.
CHINESE_HEADER = ("工号", "指标代码", "考核期间", "实际值")
MAX_ERRORS = 1000
NUMBER = r"^[+-]?[0-9]{1,14}([.][0-9]{1,4})?$"
COUNT = r"^[0-9]{1,9}$"
MAX_FIELD = 64


@dataclass
class ImportResult:
    created: int
    updated: int
    rows: int
    batch: ImportBatch
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def unchanged(self) -> int:
        """Lines whose value was already the one stored (nothing written for them)."""
        return self.batch.unchanged

    def summary(self) -> str:
        """What the import did, in the reader's language (the page's and the admin's message)."""
        return _(
            "Imported: %(created)s new actuals, %(updated)s changed, %(unchanged)s unchanged."
        ) % {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


def _error(line: int, column: str, message: str, value: str = "") -> dict:
    """A row error; ``value`` is the offending cell as read (shown beside the message)."""
    return {"line": line, "column": column, "message": str(message), "value": value}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value) if value != int(value) else str(int(value))
    return str(value).strip()[:MAX_FIELD]


class _Reader:
    """Streams ``(line, employee_no, indicator, period, value)`` tuples from the file and
    remembers the header problems (which reject the file before any row is staged)."""

    def __init__(self, fileobj, filename: str):
        self.fileobj = fileobj
        size = getattr(fileobj, "size", None)
        if size is None:
            size = fileobj.seek(0, io.SEEK_END)
        core_imports.check_size(size)
        fileobj.seek(0)
        head = fileobj.read(4)
        fileobj.seek(0)
        self.xlsx = core_imports.is_xlsx(head, filename)
        self.digest = hashlib.sha256()
        # Row errors found while streaming (NUL characters), merged with the SQL checks'.
        self.errors: list[dict] = []
        # Whether a NUL byte was read: a CSV row is searched for one only then (the block
        # holding a row is always read before the row is parsed). An XLSX cell may hold one.
        self.nul = self.xlsx

    def _csv_lines(self) -> Iterator[list]:
        class Hashing(io.RawIOBase):
            def __init__(inner, source, digest):
                inner.source, inner.digest = source, digest

            def readable(inner):
                return True

            def readinto(inner, buffer):
                data = inner.source.read(len(buffer))
                inner.digest.update(data)
                if b"\x00" in data:
                    self.nul = True
                buffer[: len(data)] = data
                return len(data)

        stream = io.BufferedReader(Hashing(self.fileobj, self.digest), buffer_size=1 << 20)
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        try:
            yield from csv.reader(text)
        except UnicodeDecodeError as exc:
            raise ImportRejected(
                [_error(0, "", _("The file is not UTF-8 encoded text (CSV) or an XLSX workbook."))]
            ) from exc
        except csv.Error as exc:
            raise ImportRejected(
                [_error(0, "", _("The CSV file cannot be read: %s") % exc)]
            ) from exc

    def _xlsx_lines(self) -> Iterator[list]:
        content = self.fileobj.read()  # at most IMPORT_MAX_BYTES (checked above)
        self.digest.update(content)
        workbook = io.BytesIO(content)
        core_imports.check_xlsx(workbook)
        yield from core_imports.xlsx_rows(workbook)

    def rows(self) -> Iterator[tuple]:
        """Reads and checks the header now (so a bad header rejects the file before anything
        is staged); returns the iterator of data rows."""
        lines = core_imports.capped(self._xlsx_lines() if self.xlsx else self._csv_lines())
        header = next(lines, None)
        if header is None:
            raise ImportRejected([_error(1, "", _("The file is empty."))])
        names = [_cell(h).lower().lstrip("\ufeff").strip() for h in header]
        names = [HEADER_ALIASES.get(name, name) for name in names]
        missing = [c for c in COLUMNS if c not in names]
        if missing:
            raise ImportRejected(
                [_error(1, c, _("Missing column “%(column)s”.") % {"column": c}) for c in missing]
            )
        index = [names.index(c) for c in COLUMNS]
        return self._data(lines, index)

    def _data(self, lines, index) -> Iterator[tuple]:
        width = max(index) + 1
        at_employee, at_indicator, at_period, at_value = index
        for line, cells in enumerate(lines, start=2):
            if len(cells) < width:
                cells = list(cells) + [None] * (width - len(cells))
            if self.xlsx:
                values = (
                    _cell(cells[at_employee]),
                    _cell(cells[at_indicator]),
                    _cell(cells[at_period]),
                    _cell(cells[at_value]),
                )
            else:  # CSV cells are already text: the fast path
                values = (
                    (cells[at_employee] or "").strip()[:MAX_FIELD],
                    (cells[at_indicator] or "").strip()[:MAX_FIELD],
                    (cells[at_period] or "").strip()[:MAX_FIELD],
                    (cells[at_value] or "").strip()[:MAX_FIELD],
                )
            if not (values[0] or values[1] or values[2] or values[3]):
                continue  # blank lines are not rows
            if self.nul and any("\x00" in v for v in values):
                self.errors += core_imports.nul_errors(
                    line, dict(zip(COLUMNS, values, strict=True))
                )
                # Staged without the NUL (PostgreSQL refuses one) but never valid.
                values = tuple(v.replace("\x00", "\ufffd") for v in values)
            yield (line, *values)


MESSAGES = {
    "required": lambda extra: _("Required."),
    "unknown_employee": lambda extra: _("Unknown employee number."),
    "unknown_indicator": lambda extra: _("Unknown indicator code."),
    "unknown_period": lambda extra: _("Unknown period (create it first, e.g. 2026-03)."),
    "period_locked": lambda extra: _(
        "The period is locked; its actuals change only through a correction."
    ),
    "not_number": lambda extra: _(
        "Not a number (up to 14 digits before and 4 after the decimal point)."
    ),
    "not_grade": lambda extra: _("A rating is one of A, B, C, D, E."),
    "not_count": lambda extra: _("The number of incidents is a whole number ≥ 0."),
    "from_ratings": lambda extra: _(
        "This indicator's actual is the weighted mean of its multi-source ratings."
    ),
    "duplicate": lambda extra: (
        _("Duplicate of line %(line)s (same employee, indicator and period).") % {"line": extra}
    ),
}


def _bad_value_sql(loader, *, method: str, value: str) -> tuple[str, list]:
    """The condition, and its parameters, of a value its indicator's method does not accept:
    not a grade A–E for a rating, not a whole count for a deduction, not a number (at most
    14 digits and 4 decimals) otherwise — the one rule, shared by the validation query and
    the merge's guard."""
    pattern = loader.number_pattern_sql.format(col=value)
    sql = f"""(({method} = %s AND UPPER({value}) NOT IN ('A', 'B', 'C', 'D', 'E'))
          OR ({method} = %s AND NOT ({pattern}))
          OR ({method} NOT IN (%s, %s) AND NOT ({pattern})))"""
    rating, deduction = scoring.RATING, scoring.DEDUCTION
    return sql, [rating, deduction, COUNT, rating, deduction, NUMBER]


def _errors_sql(loader) -> tuple[str, list]:
    """One query: every bad row with (line, column, code, extra, value).

    The staged rows are read once — joined to staff, indicators and periods, and to the first
    line of each (employee, indicator, period) that occurs more than once (a hash aggregate:
    a window over the whole file would sort it) — and only the rows with a problem are kept;
    each problem of those few rows then becomes one error."""
    bad_value, value_params = _bad_value_sql(loader, method="c.method", value="c.value")
    rating, deduction = scoring.RATING, scoring.DEDUCTION
    sql = f"""
    WITH c AS (
      SELECT c.* FROM (
        SELECT s.line, s.employee_no, s.indicator, s.period, s.value,
               st.id AS staff_id, i.id AS indicator_id, i.method, p.id AS period_id,
               p.status, d.first_line
          FROM {STAGE} s
          LEFT JOIN (SELECT employee_no, indicator, period, MIN(line) AS first_line
                       FROM {STAGE}
                      GROUP BY employee_no, indicator, period
                     HAVING COUNT(*) > 1) d
            ON d.employee_no = s.employee_no AND d.indicator = s.indicator
           AND d.period = s.period
          LEFT JOIN org_staff st ON st.employee_no = s.employee_no
          LEFT JOIN kpi_indicator i ON i.code = s.indicator
          LEFT JOIN kpi_period p ON p.code = s.period
      ) c
      WHERE c.staff_id IS NULL OR c.indicator_id IS NULL OR c.period_id IS NULL
         OR c.status = %s OR c.method = %s OR c.line > c.first_line
         OR {bad_value}
    )
    SELECT line, col, code, extra, value FROM (
      SELECT c.line AS line, 'employee_no' AS col,
             CASE WHEN c.employee_no = '' THEN 'required' ELSE 'unknown_employee' END AS code,
             0 AS extra, c.employee_no AS value
        FROM c WHERE c.staff_id IS NULL
      UNION ALL
      SELECT c.line, 'indicator',
             CASE WHEN c.indicator = '' THEN 'required' ELSE 'unknown_indicator' END, 0,
             c.indicator
        FROM c WHERE c.indicator_id IS NULL
      UNION ALL
      SELECT c.line, 'period',
             CASE WHEN c.period = '' THEN 'required'
                  WHEN c.period_id IS NULL THEN 'unknown_period'
                  ELSE 'period_locked' END, 0, c.period
        FROM c WHERE c.period_id IS NULL OR c.status = %s
      UNION ALL
      SELECT c.line, 'value',
             CASE WHEN c.value = '' THEN 'required'
                  WHEN c.method = %s THEN 'not_grade'
                  WHEN c.method = %s THEN 'not_count'
                  ELSE 'not_number' END, 0, c.value
        FROM c WHERE c.indicator_id IS NOT NULL AND ({bad_value})
      UNION ALL
      SELECT c.line, 'indicator', 'from_ratings', 0, c.indicator
        FROM c WHERE c.method = %s
      UNION ALL
      SELECT c.line, 'employee_no', 'duplicate', c.first_line, c.employee_no
        FROM c WHERE c.line > c.first_line
    ) e
    ORDER BY line, col
    LIMIT {MAX_ERRORS + 1}
    """  # noqa: S608 - constant table names; values are parameters
    locked = Period.Status.LOCKED
    params = [
        locked,
        scoring.SOURCES,
        *value_params,
        locked,
        rating,
        deduction,
        *value_params,
        scoring.SOURCES,
    ]
    return sql, params


# The staged lines joined to the staff, indicators and periods their codes name.
JOINED = f"""
      FROM {STAGE} s
      JOIN org_staff st ON st.employee_no = s.employee_no
      JOIN kpi_indicator i ON i.code = s.indicator
      JOIN kpi_period p ON p.code = s.period"""


def _stored_sql(loader) -> tuple[str, str, list]:
    """The value and the grade a staged line stores, and their parameters."""
    cast = loader.numeric_cast.format(col="s.value")
    return (
        f"CASE WHEN i.method = %s THEN NULL ELSE {cast} END",
        "CASE WHEN i.method = %s THEN UPPER(s.value) ELSE '' END",
        [scoring.RATING, scoring.RATING],
    )


def _changed_sql(old: str, new_value: str, new_grade: str) -> str:
    """The condition of an actual ``old`` whose value or grade is not the new one."""
    return f"({old}.value IS DISTINCT FROM {new_value} OR {old}.grade <> {new_grade})"


def _merge_sql(loader, *, guarded: bool = False) -> tuple[str, list]:
    """The merge and its parameters after the six of the ``SELECT`` list (method twice,
    source, batch, user, time). An actual whose value and grade are the line's already is
    not written. ``guarded``: it also leaves out every row the validation would refuse — a
    locked period, an indicator fed by ratings, a value its method does not accept (unknown
    codes fall out of the joins already) — so that it merges every row of the file whose
    value is new exactly when the file is valid (a duplicate line makes PostgreSQL refuse the
    statement: ``ON CONFLICT DO UPDATE`` cannot touch a row twice)."""
    value, grade, _params = _stored_sql(loader)
    guard, params = "1 = 1", []
    if guarded:
        bad_value, value_params = _bad_value_sql(loader, method="i.method", value="s.value")
        guard = f"p.status <> %s AND i.method <> %s AND NOT {bad_value}"
        params = [Period.Status.LOCKED, scoring.SOURCES, *value_params]
    table = Actual._meta.db_table
    changed = _changed_sql(table, "excluded.value", "excluded.grade")
    sql = f"""
    INSERT INTO {table}
        (staff_id, indicator_id, period_id, value, grade, source, batch_id, updated_by_id,
         updated_at)
    SELECT st.id, i.id, p.id, {value}, {grade}, %s, %s, %s, %s
    {JOINED}
     WHERE {guard}
    ON CONFLICT (staff_id, indicator_id, period_id) DO UPDATE SET
        value = excluded.value, grade = excluded.grade, source = excluded.source,
        batch_id = excluded.batch_id, updated_by_id = excluded.updated_by_id,
        updated_at = excluded.updated_at
     WHERE {changed}
    """
    return sql, params


def _counts_before(cursor, loader) -> list[tuple[int, int, int]]:
    """``(period_id, created, changed)`` of each period of a valid file, before its merge:
    how many of its lines have no actual yet, and how many have one with another value."""
    value, grade, params = _stored_sql(loader)
    cursor.execute(
        f"SELECT p.id, COUNT(*) - COUNT(a.id), "
        f"SUM(CASE WHEN a.id IS NOT NULL AND {_changed_sql('a', value, grade)} "
        f"THEN 1 ELSE 0 END) {JOINED} "
        f"LEFT JOIN {Actual._meta.db_table} a ON a.staff_id = st.id "
        "AND a.indicator_id = i.id AND a.period_id = p.id GROUP BY p.id",
        params,
    )
    return cursor.fetchall()


def _check_every_line_stored(cursor, loader, rows: int) -> None:
    """Raise unless each of the ``rows`` lines of a valid file now has its value stored: the
    merge left out only lines whose value was there already."""
    value, grade, params = _stored_sql(loader)
    cursor.execute(
        f"SELECT COUNT(*) {JOINED} JOIN {Actual._meta.db_table} a "
        "ON a.staff_id = st.id AND a.indicator_id = i.id AND a.period_id = p.id "
        f"WHERE NOT {_changed_sql('a', value, grade)}",
        params,
    )
    stored = cursor.fetchone()[0]
    if stored != rows:
        raise RuntimeError(
            f"the merge left out lines of a file the validation accepts ({rows - stored} of "
            f"{rows} lines have another value stored)"
        )


def _check_constraints() -> None:
    """PostgreSQL: run the deferred foreign-key checks of the rows written so far now rather
    than at commit, so that each phase's timing includes its own checks (the commit is then the
    write of the transaction log only). The checks themselves are unchanged."""
    if connection.vendor == "postgresql":
        connection.check_constraints()


def import_actuals(*, actor, fileobj, filename: str = "", recompute: bool = True) -> ImportResult:
    """All-or-nothing import of actuals; see the module docstring for the rules."""
    require_office(actor)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    reader = _Reader(fileobj, filename)
    loader = loader_for(connection)
    user = actor if getattr(actor, "is_authenticated", False) else None
    data = reader.rows()
    # Any exception below rolls the transaction back, staging table included.
    with transaction.atomic(), connection.cursor() as cursor:
        loader.create(cursor)
        rows = loader.load(cursor, data)
        timings["load"] = time.perf_counter() - started
        if rows == 0:
            raise ImportRejected([_error(2, "", _("The file has no rows."))])
        mark = time.perf_counter()
        if loader.vendor == "postgresql" and not reader.errors:
            # The merge validates as it goes (its guard): when it reports every line
            # created or changed, the file was valid and the validation query need not run.
            # Otherwise the lines it left out either hold the value stored already or have a
            # problem: the validation names the problems (and raising undoes the merge), then
            # one query checks that every line's value is stored.
            try:
                with transaction.atomic():
                    merged = _merge(cursor, loader, reader, rows, user, filename, guarded=True)
                    timings["merge"] = time.perf_counter() - mark
                    if merged[2] != rows:
                        mark = time.perf_counter()
                        _validate(cursor, loader, reader)
                        _check_every_line_stored(cursor, loader, rows)
                        timings["validate"] = time.perf_counter() - mark
            except (DataError, ProgrammingError):
                _validate(cursor, loader, reader)
                raise
        else:
            _validate(cursor, loader, reader)
            timings["validate"] = time.perf_counter() - mark
            mark = time.perf_counter()
            merged = _merge(cursor, loader, reader, rows, user, filename, guarded=False)
            timings["merge"] = time.perf_counter() - mark
        batch, period_ids, _merged = merged
        loader.drop(cursor)
        audit.record(
            actor=actor,
            obj=batch,
            action="kpi.actuals.import",
            changes={
                "rows": rows,
                "created": batch.created,
                "updated": batch.updated,
                "unchanged": batch.unchanged,
            },
        )
        mark = time.perf_counter()
        _check_constraints()
        timings["constraints"] = time.perf_counter() - mark
        if recompute and period_ids:
            mark = time.perf_counter()
            score_recompute.recompute(period_ids, timings=timings)
            checks = time.perf_counter()
            _check_constraints()
            timings["score constraints"] = time.perf_counter() - checks
            timings["recompute"] = time.perf_counter() - mark
        mark = time.perf_counter()
    timings["commit"] = time.perf_counter() - mark
    return ImportResult(batch.created, batch.updated, rows, batch, timings)


def _validate(cursor, loader, reader) -> None:
    """Run the validation query; raise :class:`ImportRejected` with every problem found
    (those of the file's reading first), at most ``MAX_ERRORS``."""
    sql, params = _errors_sql(loader)
    cursor.execute(sql, params)
    found = cursor.fetchall()
    if not found and not reader.errors:
        return
    flagged = {(e["line"], e["column"]) for e in reader.errors}
    errors = sorted(
        reader.errors
        + [
            _error(line, col, MESSAGES[code](extra), value)
            for line, col, code, extra, value in found
            if (line, col) not in flagged
        ],
        key=lambda e: (e["line"], e["column"]),
    )[:MAX_ERRORS]
    if len(found) + len(reader.errors) > MAX_ERRORS:
        errors.append(
            _error(
                0,
                "",
                _("More than %(n)s problems; only the first %(n)s are listed.") % {"n": MAX_ERRORS},
            )
        )
    raise ImportRejected(errors)


def _merge(cursor, loader, reader, rows: int, user, filename: str, *, guarded: bool):
    """Record the batch and merge the staged rows; ``(batch, ids of the periods in which an
    actual was created or changed, how many lines were merged)`` — a line whose value is
    stored already is not merged. ``guarded``: see :func:`_merge_sql` (PostgreSQL)."""
    returning = loader.vendor == "postgresql"
    before = [] if returning else _counts_before(cursor, loader)
    batch = ImportBatch.objects.create(
        filename=(filename or "")[:255],
        sha256=reader.digest.hexdigest(),
        rows=rows,
        created=sum(created for _p, created, _c in before),
        updated=sum(changed for _p, _c, changed in before),
        imported_by=user,
    )
    merge, guard_params = _merge_sql(loader, guarded=guarded)
    if returning:
        # The merge reports what it did, saving a count over the whole file: a row it
        # inserted has xmax 0, a row it updated carries this transaction's id there.
        merge = (
            f"WITH merged AS ({merge} RETURNING period_id, xmax = 0 AS inserted) "  # noqa: S608
            "SELECT period_id, COUNT(*) FILTER (WHERE inserted), "
            "COUNT(*) FILTER (WHERE NOT inserted) FROM merged GROUP BY period_id"
        )
    _value, _grade, stored_params = _stored_sql(loader)
    cursor.execute(
        merge,
        [
            *stored_params,
            Actual.Source.IMPORT,
            batch.pk,
            user.pk if user else None,
            clock.now(),
            *guard_params,
        ],
    )
    if returning:
        before = cursor.fetchall()
        batch.created = sum(created for _p, created, _c in before)
        batch.updated = sum(changed for _p, _c, changed in before)
        batch.save(update_fields=["created", "updated"])
    periods = [period_id for period_id, created, changed in before if created + changed]
    return batch, periods, batch.created + batch.updated


def indicator_codes() -> list[str]:
    return list(Indicator.objects.values_list("code", flat=True))
