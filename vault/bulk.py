"""Plain multi-row INSERTs (COPY on PostgreSQL) for imports of a hundred thousand rows.

``bulk_create`` builds a model instance and runs every field's preparation for every value;
on a 100,000-row register that is most of the import's time. Here each column's adapter is
chosen once per model (dates, date-times and JSON need the backend's; text, numbers and
booleans go as they are), defaults are taken once, and rows go to ``executemany``.
Only for models whose rows need no ``save()`` logic. (A general helper: it lives here,
at the bottom of the register's dependencies, until the foundation has a place for it.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connections, models

Adapter = Callable[[Any], Any]


def _adapter(field: models.Field[Any, Any], connection: Any) -> Adapter | None:
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def insert_rows(
    model: type[models.Model],
    rows: Iterable[dict[str, Any]],
    batch: int = 500,
    using: str = "default",
) -> int:
    """Insert ``rows`` (dicts by field attname, e.g. ``owner_id``) into ``model``'s table in
    database ``using``, up to ``batch`` rows per statement (fewer if the backend takes fewer
    parameters); missing fields take their default. Returns how many were written."""
    connection = connections[using]
    fields: Sequence[models.Field[Any, Any]] = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField | models.BigAutoField))
    ]
    defaults = {f.attname: f.get_default() for f in fields}
    adapters = [(f.attname, _adapter(f, connection)) for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    table = quote(str(model._meta.db_table))
    limit = connection.features.max_query_params or 65535
    per_statement = max(1, min(batch, limit // len(fields)))
    written = 0
    chunk: list[Any] = []
    count = 0

    def flush(cursor: Any, n: int) -> None:
        values = ", ".join([one] * n)
        cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values}", chunk)  # noqa: S608

    if connection.vendor == "postgresql":
        return _copy(connection, table, columns, adapters, defaults, rows)
    with connection.cursor() as cursor:
        for row in rows:
            for name, adapt in adapters:
                value = row.get(name, defaults[name])
                chunk.append(adapt(value) if adapt is not None and value is not None else value)
            count += 1
            if count == per_statement:
                flush(cursor, count)
                written += count
                chunk, count = [], 0
        if count:
            flush(cursor, count)
            written += count
    return written


def _copy(
    connection: Any,
    table: str,
    columns: str,
    adapters: list[tuple[str, Adapter | None]],
    defaults: dict[str, Any],
    rows: Iterable[dict[str, Any]],
) -> int:
    """PostgreSQL: one ``COPY … FROM STDIN`` (psycopg), the fastest way in."""
    written = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                values = []
                for name, adapt in adapters:
                    value = row.get(name, defaults[name])
                    values.append(
                        adapt(value) if adapt is not None and value is not None else value
                    )
                copy.write_row(values)
                written += 1
    return written
