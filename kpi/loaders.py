"""Staging loaders: put the rows of an import file into a temporary table, fast.

The interface is small — :meth:`StagingLoader.create` and :meth:`StagingLoader.load` — so the
validation and the merge (``kpi.imports``) are the same SQL on every database:

- PostgreSQL: ``COPY … FROM STDIN`` through psycopg 3's ``cursor.copy()`` into a temporary
  table dropped at commit;
- anything else (SQLite): ``executemany`` in chunks into a temporary table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

STAGE = "kpi_import_stage"
COLUMNS = ("line", "employee_no", "indicator", "period", "value")
CHUNK = 20_000


class StagingLoader:
    vendor = "generic"
    number_pattern_sql = "{col} REGEXP %s"  # Django registers REGEXP on SQLite
    numeric_cast = "CAST({col} AS NUMERIC)"

    def create(self, cursor) -> None:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGE} (line integer NOT NULL, employee_no varchar(64) "
            "NOT NULL, indicator varchar(64) NOT NULL, period varchar(16) NOT NULL, "
            "value varchar(64) NOT NULL)"
        )

    def load(self, cursor, rows: Iterable[tuple]) -> int:
        sql = f"INSERT INTO {STAGE} ({', '.join(COLUMNS)}) VALUES (%s, %s, %s, %s, %s)"  # noqa: S608
        count = 0
        iterator: Iterator = iter(rows)
        while chunk := list(islice(iterator, CHUNK)):
            cursor.executemany(sql, chunk)
            count += len(chunk)
        cursor.execute(f"CREATE INDEX {STAGE}_key ON {STAGE} (employee_no, indicator, period)")
        return count

    def drop(self, cursor) -> None:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")


class PostgresLoader(StagingLoader):
    vendor = "postgresql"
    number_pattern_sql = "{col} ~ %s"
    numeric_cast = "CAST({col} AS numeric(18, 4))"

    def create(self, cursor) -> None:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGE} (line integer NOT NULL, employee_no text NOT NULL, "
            "indicator text NOT NULL, period text NOT NULL, value text NOT NULL) "
            "ON COMMIT DROP"
        )

    def load(self, cursor, rows: Iterable[tuple]) -> int:
        raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
        count = 0
        with raw.copy(f"COPY {STAGE} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        cursor.execute(f"ANALYZE {STAGE}")
        return count


def loader_for(connection) -> StagingLoader:
    return PostgresLoader() if connection.vendor == "postgresql" else StagingLoader()
