"""Write many new rows of one model as fast as the database allows.

For the big builders (the demo company at 30,000 staff, the benchmarks): on PostgreSQL the rows
are streamed with ``COPY … FROM STDIN`` (psycopg 3's ``cursor.copy()``), several times faster
than multi-row ``INSERT``; elsewhere they go through ``bulk_create`` in batches. Both functions
consume their rows as they go, chunk by chunk, so a generator of millions of rows is written
in constant memory; the rows of a chunk are drawn before its ``COPY`` opens, so a generator
may query the database. No ``save()``, no signals, no primary keys set: use them for rows
nothing else refers to in the same step.

- :func:`copy_create` takes model instances (every concrete column written);
- :func:`copy_rows` takes plain tuples of the named fields — no model instance per row, the
  fastest way in Python — the other columns left NULL (or their ``db_default``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import islice

from django.db import connections, models, router

BATCH = 5000


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
    strings, ``None``, dicts for JSON. Returns how many. (``bulk_create``, used off PostgreSQL,
    stamps ``auto_now`` fields with the current time whatever is given.)"""
    alias = router.db_for_write(model)
    if connections[alias].vendor != "postgresql":
        objs = (model(**dict(zip(fields, row, strict=True))) for row in rows)
        return _bulk_create(model, alias, objs)
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    columns = [by_attname[name] for name in fields]
    prepare = [_preparer(f, connections[alias]) for f in columns]
    prepared = ([p(v) for p, v in zip(prepare, row, strict=True)] for row in rows)
    return _copy(model, alias, columns, prepared)


# Rows drawn from the caller's iterable before each COPY statement.
COPY_CHUNK = 20_000


def _copy(model, alias: str, fields: list, rows: Iterable[Sequence]) -> int:
    """Stream ``rows`` with one ``COPY`` per chunk of :data:`COPY_CHUNK` rows, each chunk drawn
    from ``rows`` *before* its ``COPY`` opens: the iterable may query the database (an audit
    event's content type on a cold cache, an object's ``str``), and a query on the connection
    while its ``COPY`` is open would wait for the connection forever. Memory stays bounded by
    one chunk."""
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
