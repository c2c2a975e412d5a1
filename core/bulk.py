"""Write many new rows of one model as fast as the database allows.

For the big builders (the demo company at 30,000 staff, the benchmarks): on PostgreSQL the rows
are streamed with ``COPY … FROM STDIN`` (psycopg 3's ``cursor.copy()``), several times faster
than multi-row ``INSERT``; elsewhere they go through ``bulk_create`` in batches. Both functions
consume their rows as they go, a chunk at a time, so a generator of millions of rows is written
in constant memory — and may query the database as it goes (each chunk is drawn before its
``COPY`` starts). No ``save()``, no signals, no primary keys set: use them for rows nothing
else refers to in the same step.

- :func:`copy_create` takes model instances (every concrete column written);
- :func:`copy_rows` takes plain tuples of the named fields — no model instance per row, the
  fastest way in Python — the other columns left NULL (or their ``db_default``);
- :func:`insert_select` writes rows the database computes from rows it already holds (cases
  opened for a ranking's bottom band, their audit records): one ``INSERT … SELECT``, nothing
  read into Python, the same statement on SQLite and PostgreSQL;
- :func:`loading` wraps the filling of big tables by a builder: their foreign keys, unique
  constraints and secondary indexes are set aside while the rows go in and put back after,
  each checked or built once over the whole table (PostgreSQL's advice for populating a
  database) instead of once per row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from itertools import islice

from django.core.exceptions import EmptyResultSet
from django.db import connections, models, router, transaction
from django.db.models import QuerySet

BATCH = 5000
# Rows taken from the iterable per COPY statement (memory stays at one chunk).
COPY_CHUNK = 20_000


def copy_create(model: type[models.Model], objs: Iterable[models.Model]) -> int:
    """Insert ``objs`` (new instances of ``model``, any iterable); returns how many."""
    alias = router.db_for_write(model)
    if connections[alias].vendor != "postgresql":
        return _bulk_create(model, alias, iter(objs))
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.auto_created)]
    stamped = [
        f for f in fields if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)
    ]
    prepare = [_preparer(f, connections[alias]) for f in fields]
    attnames = [f.attname for f in fields]

    def rows() -> Iterator[list]:
        for obj in objs:
            for field in stamped:  # what ``save`` fills in: auto_now(_add) dates not given
                if getattr(obj, field.attname) is None:
                    field.pre_save(obj, add=True)
            yield [prep(getattr(obj, name)) for prep, name in zip(prepare, attnames, strict=True)]

    return _copy(model, alias, fields, rows())


def copy_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert ``rows``, each a tuple of the values of ``fields`` (attribute names: ``staff_id``
    for a foreign key) as the database takes them — ids, ``Decimal``, dates, aware datetimes,
    strings (a choice's ``.value``, not the member), ``None``, dicts for JSON: only the JSON
    columns are prepared, the other values go to the database as they are (tens of millions
    of them in a big build). Returns how many. (``bulk_create``, used off PostgreSQL, stamps
    ``auto_now`` fields with the current time whatever is given.)"""
    alias = router.db_for_write(model)
    if connections[alias].vendor != "postgresql":
        objs = (model(**dict(zip(fields, row, strict=True))) for row in rows)
        return _bulk_create(model, alias, objs)
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    columns = [by_attname[name] for name in fields]
    json = [
        (i, _preparer(f, connections[alias]))
        for i, f in enumerate(columns)
        if isinstance(f, models.JSONField)
    ]
    if not json:
        return _copy(model, alias, columns, rows)

    def prepared() -> Iterator[list]:
        for row in rows:
            row = list(row)
            for i, prepare in json:
                row[i] = prepare(row[i])
            yield row

    return _copy(model, alias, columns, prepared())


def insert_select(
    model: type[models.Model],
    *,
    fields: Sequence[str],
    rows: QuerySet,
    constants: Mapping[str, object] | None = None,
) -> int:
    """Insert one row of ``model`` per row of ``rows`` in a single ``INSERT … SELECT``.

    ``rows`` is a ``values_list`` queryset whose columns are, in order, the values of
    ``fields`` (attribute names: ``staff_id`` for a foreign key) — columns, joins or database
    expressions (``Concat``, ``JSONObject``, ``Cast``). ``constants`` gives the value of other
    fields, the same for every row, prepared as ``save`` would (``get_db_prep_save``). Columns
    named in neither are left to their database default (NULL). Rows are written in the
    queryset's order (their keys follow it). Returns how many rows were written. No
    ``save()``, no signals: for rows computed from rows the same transaction wrote or
    validated."""
    constants = constants or {}
    alias = router.db_for_write(model)
    connection = connections[alias]
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    fixed = [by_attname[name] for name in constants]
    q = connection.ops.quote_name
    columns = [q(str(f.column)) for f in [*fixed, *(by_attname[name] for name in fields)]]
    try:
        select, select_params = rows.query.sql_with_params()
    except EmptyResultSet:  # ``pk__in=[]`` and the like: nothing to select, nothing written
        return 0
    heads = ["%s"] * len(fixed) + ["per_row.*"]
    sql = (
        f"INSERT INTO {q(model._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {', '.join(heads)} FROM ({select}) per_row"
    )
    params = [f.get_db_prep_save(constants[f.attname], connection) for f in fixed]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *select_params])
        return int(cursor.rowcount)


@contextmanager
def loading(*targets: type[models.Model]) -> Iterator[None]:
    """Fill the tables of ``targets`` in bulk: on PostgreSQL, their foreign keys, unique
    constraints and secondary indexes (not the primary keys) are dropped on entry and created
    again, as they were, on exit — each foreign key then validated by one query over the whole
    table and each index built by one sort, not row by row as the rows arrive (for five
    million KPI actuals, minutes). Nothing is lost by it: a row that breaks a constraint makes
    its re-creation fail, and the transaction with it.

    Must run inside a transaction (the constraints are back before anything else sees the
    tables) and holds an exclusive lock on the tables until it ends: for builders that fill
    tables nobody else uses meanwhile (the demo company, the benchmarks), never for a request;
    and it needs a role that owns the tables (the runtime role of docs/deploy.md owns none).
    Checks other writes of the transaction still owe (deferred foreign keys) are run on entry,
    as PostgreSQL alters no table with checks pending. Elsewhere than PostgreSQL it does
    nothing."""
    alias = router.db_for_write(targets[0])
    connection = connections[alias]
    if connection.vendor != "postgresql":
        yield
        return
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError("bulk.loading() needs a transaction.")
    tables = [model._meta.db_table for model in targets]
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # The constraints and indexes to set aside, each with the statement that makes it again.
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, c.contype,
                   pg_get_constraintdef(c.oid)
              FROM pg_constraint c
             WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype IN ('f', 'u')
            """,
            [tables],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
              FROM pg_index i
             WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid
                                                               AND c.conrelid = i.indrelid)
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _kind, _definition in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {q(name)}")
        for index, _definition in indexes:
            cursor.execute(f"DROP INDEX {index}")
    yield
    with connection.cursor() as cursor:
        for _index, definition in indexes:
            cursor.execute(definition)
        # Unique constraints before the foreign keys (a key may refer to one).
        for table, name, _kind, definition in sorted(constraints, key=lambda c: c[2] != "u"):
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {q(name)} {definition}")


def _copy(model, alias: str, fields: list, rows: Iterable[Sequence]) -> int:
    """``COPY`` the rows, a chunk of :data:`COPY_CHUNK` at a time. Each chunk is taken from
    ``rows`` before its ``COPY`` starts: a generator that queries the database as it goes (a
    content type not yet cached, a lazy relation, a server-side cursor) runs between two
    ``COPY`` statements — during one, any other statement on the connection would wait for
    the connection's lock forever."""
    connection = connections[alias]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    rows = iter(rows)
    written = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
        while chunk := list(islice(rows, COPY_CHUNK)):
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in chunk:
                    copy.write_row(row)
            written += len(chunk)
    return written


def _bulk_create(model, alias: str, objs: Iterator[models.Model]) -> int:
    written = 0
    while batch := list(islice(objs, BATCH)):
        model._default_manager.using(alias).bulk_create(batch, batch_size=BATCH)
        written += len(batch)
    return written


_PLAIN = (int, str, Decimal)
"""Values every non-JSON column stores as they are: preparing them changes nothing."""


def _preparer(field, connection) -> Callable[[object], object]:
    """``field.get_db_prep_save`` with what it looks up per call resolved once: a foreign key
    saves its value as the target field does; ``None``, and ints, strings and decimals outside
    JSON columns, are written as they are (millions of ids per big build)."""
    target = field.target_field if field.is_relation else field
    prep = target.get_db_prep_save
    if isinstance(target, models.JSONField):
        return lambda value: None if value is None else prep(value, connection)

    def prepared(value):
        if value is None or type(value) in _PLAIN:
            return value
        return prep(value, connection)

    return prepared
