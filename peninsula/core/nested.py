"""Rows read inside another query's row, as JSON: an article's tags and credits, its 上一篇 and
下一篇, read with the article itself.

A query of its own costs Django several times what it costs the database: an article's tags
took 15 µs to run and 75 µs to become model instances through a QuerySet (docs/decisions.md,
"The article page in one query"). A column holding the few rows as one JSON array costs the
database a seek in the same statement, and Python one `json.loads`. The rows come back as lists
of the values named, in that order; the caller makes its objects from them.
"""

from datetime import UTC, datetime

from django.db.models import Aggregate, Func, JSONField, OuterRef, Subquery


class JSONRow(Func):
    """The values of `expressions` as one JSON array.

    Not Django's JSONArray: that asks the connection whether SQLite has JSON, with a query, once
    in a process's life, and a query refused while another process holds the write lock makes
    the answer no for good (every article page then failed; tests/faults found it)."""

    function = "JSON_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_BUILD_ARRAY", **extra_context)


class JSONList(Aggregate):
    """The rows' values of `expression` (a JSON array each) as one JSON array."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def rows_column(queryset, parent, *fields):
    """A column of the outer query: the `fields` of the rows of `queryset` whose `parent` is the
    outer row, as a JSON array of arrays; NULL where there are none (see `rows`). In no order:
    name a field to sort by."""
    return Subquery(
        queryset.filter(**{parent: OuterRef("pk")})
        .values(parent)
        .annotate(rows=JSONList(JSONRow(*fields)))
        .values("rows")
    )


def first_row_column(queryset, *fields):
    """A column of the outer query: the `fields` of the first row of `queryset` (which refers to
    the outer row with OuterRef), as a JSON array; NULL where there is none."""
    return Subquery(queryset.values(row=JSONRow(*fields))[:1])


def rows(value):
    """The rows of a `rows_column`: NULL, no rows, is []."""
    return value or []


def time(value):
    """A time as a JSON column gives it (SQLite's stored text in UTC, PostgreSQL's ISO 8601 with
    an offset), as an aware datetime; None stays None."""
    if value is None:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
