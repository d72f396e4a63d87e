"""Plain INSERTs for bulk writes: model instances and `bulk_create`'s per-value preparation cost
more than the insert itself (the import rate more than doubles); see docs/import-format.md."""

import sqlite3
from operator import itemgetter

from django.db import connection
from django.db.models import DateTimeField


def insert_rows(model, field_names, rows, *, returning=False):
    """INSERT rows of values for the named fields; with `returning`, the new ids in order."""
    if not rows:
        return []
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in field_names)
    row_sql = "(" + ", ".join(["%s"] * len(field_names)) + ")"
    if not returning:
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES {row_sql}", rows)
        return []
    pk = quote(model._meta.pk.column)
    per_statement = max(1, _max_query_params() // len(field_names))
    ids = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([row_sql] * len(chunk))} "
                f"RETURNING {pk}",
                [value for row in chunk for value in row],
            )
            ids.extend(row[0] for row in cursor.fetchall())
    return ids


def _max_query_params():
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return connection.features.max_query_params or 65535


class TimeAdapter(dict):
    """Datetimes as the database driver takes them, each distinct value adapted once (a batch
    shares `now`, and an article's publication times are mostly one moment)."""

    def __missing__(self, value):
        adapted = self[value] = connection.ops.adapt_datetimefield_value(value)
        return adapted

    def __call__(self, value):
        return None if value is None else self[value]


def insert_instances(model, rows, *, defaults=None, adapt=None):
    """Insert rows given as dicts of field values, the other fields at their defaults (or
    `defaults`); the values are already validated, only datetimes are adapted (by `adapt`, a
    TimeAdapter the caller may share with the rows it writes next). Returns the ids."""
    if not rows:
        return []
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    base = {f.attname: f.get_default() for f in fields} | (defaults or {})
    # A row's values in column order are read in one C call (a comprehension over the forty
    # columns of an article cost as much as its INSERT); datetimes are then adapted in place.
    names = [f.attname for f in fields]
    values_of = itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
    times = [i for i, f in enumerate(fields) if isinstance(f, DateTimeField)]
    adapt = adapt if adapt is not None else TimeAdapter()
    values = []
    for row in rows:
        row_values = list(values_of(base | row))
        for i in times:
            row_values[i] = adapt(row_values[i])
        values.append(row_values)
    return insert_rows(model, [f.name for f in fields], values, returning=True)
