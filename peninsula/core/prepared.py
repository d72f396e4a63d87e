"""Reader queries built and compiled once per process, then run with each request's values.

Building a QuerySet and compiling it to SQL costs more CPU than running it on an indexed table:
a third of an uncached article render went to compiling its eight queries (docs/decisions.md,
"Prepared reader queries"). A reader page asks the same questions every time with other values
(this id, this moment), so each question is built once with `Param` placeholders where the
values go, compiled once per database, and each run binds the values to the kept SQL. A run
returns exactly what evaluating the QuerySet would: model instances with their `select_related`
rows, annotations and `prefetch_related` (made as Django's `ModelIterable` makes them, see
`_Instances`), and any other iterable's rows (`.values()`, light rows) through that iterable.
"""

import copy
import operator
import threading

from django.db import connections, router
from django.db.models import BigIntegerField, DateTimeField, Expression, prefetch_related_objects
from django.db.models.query import ModelIterable, get_related_populators

from . import pagination


class Param(Expression):
    """Where a value given to `Prepared.list` goes. `output_field` converts it for the
    database as the compared column would (a time in SQLite's text form, say)."""

    def __init__(self, name, output_field):
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(self, compiler, connection):
        return "%s", [self]

    def bind(self, value, connection):
        """The value as the database takes it; `_OutOfRange` for an integer the column cannot
        hold (a hostile id in a URL), which matches nothing, as Django's own lookups answer."""
        value = self.output_field.get_db_prep_value(value, connection)
        bounds = connection.ops.integer_field_ranges.get(self.output_field.get_internal_type())
        if bounds:
            low, high = bounds
            if (low is not None and value < low) or (high is not None and value > high):
                raise _OutOfRange
        return value

    def __repr__(self):
        return f"Param({self.name!r})"


class _OutOfRange(Exception):
    pass


# The attribute of a database connection that holds its converters for each compiled query.
CONVERTERS = "peninsula_prepared_converters"


class _Compiled:
    def __init__(self, queryset, alias):
        self.queryset = queryset
        self.compiler = queryset.query.get_compiler(using=alias)
        self.sql, self.params = self.compiler.as_sql()
        self.names = {param.name for param in self.params if isinstance(param, Param)}
        # A value is bound once per run for each name and column type, however many times the
        # query uses it (the home page's blocks compare each block's rows with the same time).
        self.slots = [
            (param.name, param.output_field.get_internal_type())
            if isinstance(param, Param)
            else None
            for param in self.params
        ]
        self.bindings = {
            slot: param for slot, param in zip(self.slots, self.params, strict=True) if slot
        }
        self.columns = [column for column, *_ in self.compiler.select[: self.compiler.col_count]]
        self.composite = self.compiler.has_composite_fields(self.columns)
        self.instances = (
            _Instances(self.compiler, alias)
            if queryset._iterable_class is ModelIterable
            and not queryset._known_related_objects
            and not self.composite
            else None
        )

    def converters(self, connection):
        """The selected columns' converters for this connection (see `converters_for`)."""
        kept = connection.__dict__.setdefault(CONVERTERS, {})
        converters = kept.get(self)
        if converters is None:
            compiler = copy.copy(self.compiler)
            compiler.connection = connection
            converters = kept[self] = compiler.get_converters(self.columns)
        return converters

    def converters_for(self, compiler):
        """`compiler.get_converters`, remembered for the selected columns: Django asks each
        column's field and the backend for its converters on every run (a tenth of an article
        render went there). They are bound to the connection (one per thread), so they are kept
        in it, and go with it."""
        uncached = type(compiler).get_converters

        def get_converters(expressions):
            if not self.selects(expressions):
                return uncached(compiler, expressions)
            return self.converters(compiler.connection)

        return get_converters

    def composite_for(self, compiler):
        """`compiler.has_composite_fields`, answered once for the selected columns (Django
        checks each column's type on every run)."""
        uncached = type(compiler).has_composite_fields

        def has_composite_fields(expressions):
            if not self.selects(expressions):
                return uncached(compiler, expressions)
            return self.composite

        return has_composite_fields

    def selects(self, expressions):
        """Whether `expressions` are this query's selected columns."""
        return len(expressions) == len(self.columns) and all(
            map(operator.is_, expressions, self.columns)
        )


class Prepared:
    """A reader query, `build()` returning its QuerySet with `Param`s in it. `list(**values)`
    runs it. The built QuerySet must not depend on anything but its parameters: a value read
    while building (a setting, the time) would be kept for the life of the process. An integer
    parameter out of its column's range makes the run return no rows, so use them for equality
    (an id), where that is the answer."""

    def __init__(self, build):
        self.build = build
        self.model = None
        self._compiled = {}
        self._lock = threading.Lock()

    def _compiled_for_read(self):
        """(database alias, compiled query): the query is built once, on the first run."""
        alias = router.db_for_read(self.model) if self.model else None
        compiled = self._compiled.get(alias)
        if compiled is None:
            with self._lock:
                queryset = self.build()
                self.model = queryset.model
                alias = router.db_for_read(self.model)
                if alias not in self._compiled:
                    self._compiled[alias] = _Compiled(queryset, alias)
                compiled = self._compiled[alias]
        return alias, compiled

    def _bind(self, values):
        """(connection, compiled query, its parameters with `values` bound), or None for a value
        out of its column's range."""
        alias, compiled = self._compiled_for_read()
        if values.keys() != compiled.names:
            raise TypeError(f"expected values for {sorted(compiled.names)}, got {sorted(values)}")
        connection = connections[alias]
        try:
            bound = {
                slot: param.bind(values[param.name], connection)
                for slot, param in compiled.bindings.items()
            }
        except _OutOfRange:
            return None
        params = [
            bound[slot] if slot else param
            for slot, param in zip(compiled.slots, compiled.params, strict=True)
        ]
        return connection, compiled, params

    def count(self, **values):
        """How many rows a run would return, counted by the database: one row comes back, where
        `len(list())` makes a model instance or a tuple of each."""
        bound = self._bind(values)
        if bound is None:
            return 0
        connection, compiled, params = bound
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({compiled.sql}) counted", params)
            return cursor.fetchone()[0]

    def list(self, **values):
        bound = self._bind(values)
        if bound is None:
            return []
        connection, compiled, params = bound
        if compiled.instances is not None:
            return compiled.instances.run(connection, compiled, params)
        alias = connection.alias
        compiler = copy.copy(compiled.compiler)
        compiler.connection = connection
        compiler.as_sql = lambda *args, **kwargs: (compiled.sql, params)
        compiler.get_converters = compiled.converters_for(compiler)
        compiler.has_composite_fields = compiled.composite_for(compiler)
        query = copy.copy(compiled.queryset.query)
        query.get_compiler = lambda *args, **kwargs: compiler
        return list(_bound(compiled.queryset, query, alias))


class _Instances:
    """Model instances from a run's rows, as Django's ModelIterable makes them (each with its
    `select_related` rows and annotations, then the query's `prefetch_related`), with what that
    works out on every run worked out once: the fields each model takes and the related rows'
    populators. For the article page's one row, the QuerySet's own work was a quarter of the
    query's cost (docs/decisions.md, "Cheaper parts of the article render")."""

    def __init__(self, compiler, alias):
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        self.model = klass_info["model"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
        # Stateless once made (their model, columns and setters), so shared by every run.
        self.related = get_related_populators(klass_info, select, alias)
        self.annotations = tuple(compiler.annotation_col_map.items())
        self.width = compiler.col_count if compiler.has_extra_select else None

    def run(self, connection, compiled, params):
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        converters = compiled.converters(connection).items()
        db = connection.alias
        instances = []
        for fetched in rows:
            row = list(fetched[: self.width] if self.width else fetched)
            for position, (functions, expression) in converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            instance = self.model.from_db(db, self.init_list, row[self.start : self.end])
            for populator in self.related:
                populator.populate(row, instance)
            for name, position in self.annotations:
                setattr(instance, name, row[position])
            instances.append(instance)
        lookups = compiled.queryset._prefetch_related_lookups
        if lookups and instances:
            prefetch_related_objects(instances, *lookups)
        return instances


def _bound(template, query, alias):
    """A QuerySet like `template` (same iterable, same prefetches) whose SQL is `query`'s."""
    queryset = template.__class__(model=template.model, query=query, using=alias)
    queryset._iterable_class = template._iterable_class
    queryset._fields = template._fields
    queryset._prefetch_related_lookups = template._prefetch_related_lookups
    return queryset


class PreparedListing:
    """The four queries `core.pagination.paginate` reads a listing with (how many, a numbered
    page, older and newer than a cursor), prepared: `build()` returns the listing's QuerySet
    with `Param`s, `key` its (time, id) fields as in `pagination.QuerySetRows`. Each shape (a
    numbered page's offset, the page size) is compiled the first time it is asked for: at most
    a dozen per listing."""

    AT = Param("at", DateTimeField())
    PK = Param("pk", BigIntegerField())

    def __init__(self, build, *, key):
        self.build = build
        self.key = key
        self._shapes = {}
        self._lock = threading.Lock()

    def _ordered(self):
        return self.build().order_by(*(f"-{name}" for name in self.key))

    def _query(self, shape, make):
        prepared = self._shapes.get(shape)
        if prepared is None:
            with self._lock:
                prepared = self._shapes.setdefault(shape, Prepared(lambda: make(self._ordered())))
        return prepared

    def rows(self, **values):
        """The listing for these values, as `paginate` reads it."""
        return _ListingRows(self, values)


class _ListingRows:
    def __init__(self, listing, values):
        self.listing, self.values = listing, values

    def count(self, limit):
        ids = self.listing._query(("count", limit), lambda rows: rows.values_list("pk")[:limit])
        return ids.count(**self.values)

    def page(self, offset, limit):
        rows = self.listing._query(
            ("page", offset, limit), lambda rows: rows[offset : offset + limit]
        )
        return rows.list(**self.values)

    def older(self, published_at, pk, limit):
        return self._beyond(pagination.older_than, published_at, pk, limit)

    def newer(self, published_at, pk, limit):
        return self._beyond(pagination.newer_than, published_at, pk, limit)

    def _beyond(self, seek, published_at, pk, limit):
        """The rows past the cursor (published_at, pk), `seek` being pagination's older_than
        or newer_than."""
        key = self.listing.key

        def make(rows):
            return seek(rows, PreparedListing.AT, PreparedListing.PK, key=key)[:limit]

        rows = self.listing._query((seek.__name__, limit), make)
        return rows.list(at=published_at, pk=pk, **self.values)
