"""Tiered full-text queries over the pre-segmented index, one backend per database.

Ranking is by tier, then newest first: tier 1 holds the articles with every query word (and
phrase) in the title, tier 2 the other matches. Within a tier the order is `order_key`
descending, which is (published_at, id) descending, so each tier is a walk of the index in key
order that stops after the rows a page needs; nothing scores or sorts every match.

A results page takes at most two statements: the matches counted up to a cap, then one page of
keys from both tiers. Where the count statement also tells each match's tier (PostgreSQL) and
finds fewer than the cap, it has found every match, and pages are cut from those rows without
a second statement.

Each row the walk meets is checked against the candidates QuerySet (always built on
`Article.objects.published()` for readers) by primary key, so what readers may see keeps its
single definition and only the rows walked are checked. A key range bounds the walk (publication
time up to now, a date filter) so that drafts and scheduled articles are skipped wholesale.
"""

from functools import lru_cache

from django.db import connection, transaction
from django.db.models.expressions import RawSQL

from peninsula.content.models import Article
from peninsula.core.prepared import Param

from .models import ID_BITS, ID_MASK

TIERS = (1, 2)
# Every match, in no tier: what the count reads.
EVERY = 0
# PostgreSQL: how far a statement walks the newest rows of the key range before it turns to the
# GIN index for the older matches (see PostgresBackend): at least WALK rows, and more for
# statements that need many rows. A count, which reads the index in no order and stops at the
# cap, turns to it sooner than a page, which must read and sort every match the index finds.
WALK = 5000
WALK_PER_ROW = {"count": 20, "page": 50}
# A walk of the candidates (see TieredSearch) costs a few lookups per row, and a page reads each
# of its steps whole: it turns to the GIN index sooner.
CANDIDATE_WALK = 2000
# The walk reads its first 1/WALK_SAMPLE and goes on only if the matches found there promise to
# fill the statement by the end of the walk.
WALK_SAMPLE = 10


class SqliteBackend:
    """FTS5 whose rowid is the order key: `ORDER BY rowid DESC LIMIT n` is an index walk."""

    # Its count reads FTS5 doclists only; telling tiers apart would take a second MATCH.
    lists_tiers = False

    def fetch(self, sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def expression(self, query, part):
        """The MATCH expression of every match, of tier 1 (all in the title) or of tier 2."""
        clauses = [f'"{term}"' for term in query.terms]
        clauses += ['"' + " ".join(phrase) + '"' for phrase in query.phrases]
        every = " AND ".join(clauses)
        in_title = f"{{title_tokens}}: ({every})"
        return {EVERY: every, 1: in_title, 2: f"({every}) NOT ({in_title})"}[part]

    def count_sql(self, query, candidates, keys, cap, *, narrow=False):
        """Rows (key, tier) of up to `cap` matches; the tier is unknown here (NULL)."""
        sql, params = self.keys_sql(EVERY, query, candidates, keys, cap)
        return f"SELECT k, NULL FROM ({sql}) AS matches", params

    def keys_sql(self, part, query, candidates, keys, limit, *, narrow=False):
        """Up to `limit` keys of `part` (a tier, or EVERY), newest first.

        FTS5 reads the doclists of the query's words whatever the candidates: `narrow` (see
        TieredSearch) changes nothing here."""
        visible, params = candidates.exists(f"(search_fts.rowid & {ID_MASK})")
        sql = (
            "SELECT search_fts.rowid AS k FROM search_fts "
            "WHERE search_fts MATCH %s AND search_fts.rowid BETWEEN %s AND %s "
            f"AND {visible} ORDER BY search_fts.rowid DESC LIMIT %s"
        )
        return sql, [self.expression(query, part), *keys, *params, limit]


class PostgresBackend:
    """A title tsvector (tier 1) and a whole-document tsvector, both GIN, and a btree on the key.

    Every statement first walks the newest rows of the key range backwards along the key's
    btree, testing each row's tsvector (kept in the row, see migration 0004) and stopping as
    soon as it has what it needs. A common word is found within a few rows of the newest,
    whatever the size of the table: that keeps its results page as fast at a million articles
    as at 100,000. The walk reads a sample first and goes on only if the sample's matches
    promise to fill the statement; otherwise, or if the walk ends short, the statement asks the
    GIN index for the matches older than the rows walked: such words are rare, or common but
    rarely together, and the index finds them without reading the rows that do not match. Each
    later branch is gated on what the earlier ones found, so PostgreSQL never starts it when it
    is not needed, and `order_key + 0` keeps the planner from answering the index branch with
    another walk of the btree.
    """

    lists_tiers = True

    # Settings for a search's own statements (local to their transaction). JIT compiles a
    # statement whose estimated cost passes jit_above_cost, and these statements count in the
    # index branches they seldom run: it would spend many times longer compiling them than they
    # take to run. Parallel workers cost more to start than a search reads.
    SETTINGS = (
        "SELECT set_config('jit', 'off', true), "
        "set_config('max_parallel_workers_per_gather', '0', true)"
    )

    def fetch(self, sql, params):
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            cursor.execute(self.SETTINGS)
            cursor.execute(sql, params)
            return cursor.fetchall()

    def tsquery(self, query):
        clauses = [f"'{term}'" for term in query.terms]
        clauses += [
            "(" + " <-> ".join(f"'{word}'" for word in phrase) + ")" for phrase in query.phrases
        ]
        return " & ".join(clauses)

    MATCHES = {
        EVERY: "{t}.search_vector @@ {q}",
        1: "{t}.title_vector @@ {q}",
        2: "{t}.search_vector @@ {q} AND NOT {t}.title_vector @@ {q}",
    }
    TSQUERY = "to_tsquery('simple', %s)"

    def count_sql(self, query, candidates, keys, cap, *, narrow=False):
        """Rows (key, tier) of up to `cap` matches, in no particular order."""
        return _Statement(self, EVERY, query, candidates, keys, cap, narrow).sql()

    def keys_sql(self, part, query, candidates, keys, limit, *, narrow=False):
        """Up to `limit` keys of the tier `part`, newest first."""
        return _Statement(self, part, query, candidates, keys, limit, narrow).sql()


class _Statement:
    """One PostgreSQL statement: a walk in two steps (a sample, then the rest if the sample
    promises to fill the statement), then the GIN index for what the walk did not reach."""

    def __init__(self, backend, part, query, candidates, keys, limit, narrow):
        self.part, self.candidates, self.limit, self.narrow = part, candidates, limit, narrow
        self.low, self.high = keys
        self.tsquery = backend.tsquery(query)
        self.matches = backend.MATCHES
        self.tsquery_sql = backend.TSQUERY
        self.walk = max(
            CANDIDATE_WALK if narrow else WALK,
            WALK_PER_ROW["count" if part == EVERY else "page"] * limit,
        )
        self.sample = max(self.walk // WALK_SAMPLE, 1)
        self.walk = max(self.walk, self.sample + 1)

    def sql(self):
        return self.candidate_walk() if self.narrow else self.index_walk()

    def match(self, table, part=None):
        sql = self.matches[self.part if part is None else part].format(t=table, q=self.tsquery_sql)
        return sql, [self.tsquery] * sql.count("%s")

    def output(self, table):
        if self.part != EVERY:
            return f"{table}.order_key AS k", []
        title, params = self.match(table, 1)
        return f"{table}.order_key AS k, CASE WHEN {title} THEN 1 ELSE 2 END AS tier", params

    def order(self, key):
        return f" ORDER BY {key} DESC" if self.part != EVERY else ""

    def visible(self, table):
        return self.candidates.exists(f"{table}.article_id", fence=" OFFSET 0")

    def found(self, name):
        return f"(SELECT count(*) FROM {name})"

    def promising(self):
        """Whether the sample's matches promise to fill the statement by the end of the walk."""
        return (f"{self.found('sample')} * {WALK_SAMPLE} >= %s", [self.limit])

    def index_branch(self, gate, *exclude):
        """The matches the walk did not reach, from the GIN index, if `gate` says so."""
        return [
            "SELECT ",
            self.output("d"),
            " FROM search_searchdocument d WHERE ",
            gate,
            " AND ",
            self.match("d"),
            (" AND d.order_key BETWEEN %s AND %s AND ", [self.low, self.high]),
            *exclude,
            self.visible("d"),
            self.order("d.order_key + 0"),
            (" LIMIT %s", [self.limit]),
        ]

    def index_walk(self):
        """Walk the newest rows of the index along the key's btree, each checked for
        visibility; the index branch reads the keys below the last row walked."""

        def walked(name, below, rows, gate, wanted):
            return [
                f"{name} AS MATERIALIZED (SELECT ",
                self.output("w"),
                " FROM (SELECT d.order_key, d.article_id, d.title_vector, d.search_vector "
                "FROM search_searchdocument d WHERE ",
                ("d.order_key >= %s AND ", [self.low]),
                below,
                (" ORDER BY d.order_key DESC LIMIT %s) AS w WHERE ", [rows]),
                gate,
                " AND ",
                self.match("w"),
                " AND ",
                self.visible("w"),
                self.order("w.order_key"),
                " LIMIT ",
                wanted,
                "), ",
            ]

        def edge(name, offset):
            """The key `offset` rows below the newest of the range: the last one walked."""
            return (
                f"{name} AS MATERIALIZED (SELECT d.order_key FROM search_searchdocument d "
                "WHERE d.order_key BETWEEN %s AND %s ORDER BY d.order_key DESC "
                "OFFSET %s LIMIT 1), ",
                [self.low, self.high, offset],
            )

        found, limit = self.found("sample"), self.limit
        return _compose(
            "SELECT * FROM (WITH ",
            *walked(
                "sample", ("d.order_key <= %s", [self.high]), self.sample, "TRUE", ("%s", [limit])
            ),
            edge("sample_edge", self.sample - 1),
            *walked(
                "rest",
                "d.order_key < (SELECT order_key FROM sample_edge)",
                self.walk - self.sample,
                _compose((f"{found} < %s AND ", [limit]), self.promising()),
                (f"(%s - {found})", [limit]),
            ),
            edge("rest_edge", self.walk - 1),
            # The newest key left to the index branch: none if the walk found enough.
            "bound AS MATERIALIZED (SELECT CASE ",
            (f"WHEN {found} + {self.found('rest')} >= %s THEN NULL WHEN ", [limit]),
            self.promising(),
            " THEN (SELECT order_key FROM rest_edge) - 1 "
            "ELSE (SELECT order_key FROM sample_edge) - 1 END AS k) "
            "SELECT * FROM sample UNION ALL SELECT * FROM rest UNION ALL (",
            *self.index_branch(
                "(SELECT k FROM bound) IS NOT NULL",
                "d.order_key + 0 <= (SELECT k FROM bound) AND ",
            ),
            (f")) AS found{self.order('k')} LIMIT %s", [limit]),
        )

    def candidate_walk(self):
        """Walk the candidates newest first (a category's own listing index) and look up
        their index rows: for candidates that are a small share of the articles, many times
        fewer rows than walking the index and checking each one. The index branch reads the
        candidates not walked.

        Candidates come in order of publication time, the index in order of its second, so a
        page can only be cut from the walked matches published in a later second than the last
        candidate walked (every candidate of those seconds was walked): a statement that needs
        order reads each step whole, to know that second."""
        limit, ordered = self.limit, self.part != EVERY

        def walked(name, wanted):
            return [
                f"{name} AS MATERIALIZED (SELECT ",
                self.output("d"),
                f" FROM {name}_candidates c "
                "JOIN search_searchdocument d ON d.article_id = c.pk WHERE ",
                ("d.order_key BETWEEN %s AND %s AND ", [self.low, self.high]),
                self.match("d"),
                self.order("d.order_key"),
                " LIMIT ",
                wanted,
                "), ",
            ]

        def reached(name, rows):
            """The second of the last candidate walked; NULL if the candidates ran out."""
            return (
                f"{name}_reached AS MATERIALIZED (SELECT CASE WHEN count(*) = %s THEN "
                "floor(extract(epoch FROM min(c.published_at)))::bigint END AS s "
                f"FROM {name}_candidates c)",
                [rows],
            )

        def short(*names):
            """Whether the steps `names` fell short of the limit without running out."""
            second = f"(SELECT s FROM {names[-1]}_reached)"
            found = " UNION ALL ".join(f"SELECT k FROM {name}" for name in names)
            # Unordered, every match counts; ordered, only those of a later second.
            sure = f" WHERE k >= ({second} + 1) * {1 << ID_BITS}" if ordered else ""
            return (
                f"({second} IS NOT NULL AND (SELECT count(*) FROM ({found}) AS found{sure}) < %s)",
                [limit],
            )

        found = self.found("sample")
        return _compose(
            "SELECT * FROM (WITH sample_candidates AS MATERIALIZED (",
            self.candidates.listing(slice(0, self.sample)),
            "), ",
            *walked("sample", ("%s", [limit])),
            reached("sample", self.sample),
            ", "
            # The rest of the walk, only if the sample fell short but promises to fill it.
            "rest_candidates AS MATERIALIZED (SELECT * FROM (",
            self.candidates.listing(slice(self.sample, self.walk)),
            ") AS c WHERE ",
            short("sample"),
            " AND ",
            self.promising(),
            "), ",
            *walked("rest", (f"(%s - {found})", [limit]) if not ordered else ("%s", [limit])),
            reached("rest", self.walk - self.sample),
            " SELECT * FROM sample UNION ALL SELECT * FROM rest UNION ALL (",
            *self.index_branch(
                _compose(
                    "CASE WHEN (SELECT count(*) FROM rest_candidates) = 0 THEN ",
                    short("sample"),
                    " ELSE ",
                    short("sample", "rest"),
                    " END",
                ),
                "d.article_id NOT IN (SELECT pk FROM sample_candidates) "
                "AND d.article_id NOT IN (SELECT pk FROM rest_candidates) AND ",
            ),
            (f")) AS found{self.order('k')} LIMIT %s", [limit]),
        )


def _compose(*pieces):
    """One (sql, params) from SQL text and (sql, params) pairs, in order."""
    sql, params = [], []
    for piece in pieces:
        if isinstance(piece, str):
            sql.append(piece)
        else:
            sql.append(piece[0])
            params += piece[1]
    return "".join(sql), params


class Candidates:
    """The articles a search may return (a QuerySet of them), compiled into the SQL that its
    statements embed.

    A reader's search gives a QuerySet built once per shape with `core.prepared.Param`s where
    each request's values go (see `services.articles_search`), and the values: its SQL is then
    compiled once per process and shape, and each request binds its values (compiling it, with
    the result rows, was nearly a quarter of a search page's CPU). Any other QuerySet is
    compiled once for its one search."""

    OUTER = "search_outer_row_id"

    def __init__(self, queryset, values=None):
        if queryset.model is not Article:
            raise TypeError("candidates must be a QuerySet of articles")
        self.queryset, self.values = queryset, values
        self._compiled_here = {}

    def exists(self, outer_id, *, fence=""):
        """An EXISTS test that the row `outer_id` names is a candidate, with its params.

        A correlated EXISTS checks only the rows the walk meets, by primary key; `id IN
        (candidates)` would read every candidate article first. PostgreSQL would turn the EXISTS
        into a join and may then start from the articles (all of a category, say) rather than
        from the index; `OFFSET 0` fences the subquery so that it stays a per-row check.
        """
        sql, params = self._compiled("exists")
        return f"EXISTS ({sql.replace(self.OUTER, outer_id)}{fence})", params

    def listing(self, rows):
        """The ids and publication times of a slice of the candidates, newest first, read from
        the listing's own index (see `ArticleQuerySet.latest`)."""
        return self._compiled("listing", rows.start, rows.stop)

    def _compiled(self, *statement):
        if self.values is None:
            if statement not in self._compiled_here:
                self._compiled_here[statement] = _compile(self.queryset, *statement)
            sql, params = self._compiled_here[statement]
            return sql, list(params)
        sql, params = _compiled_shape(self.queryset, *statement)
        return sql, [
            param.bind(self.values[param.name], connection) if isinstance(param, Param) else param
            for param in params
        ]


def _compile(queryset, kind, start=None, stop=None):
    if kind == "exists":
        found = queryset.order_by().filter(pk=RawSQL(Candidates.OUTER, ())).values("pk")
    else:
        found = queryset.latest().values("pk", "published_at")[start:stop]
    sql, params = found.query.sql_with_params()
    return sql, list(params)


# A few shapes (which of category and dates a search gives) times a few statements.
_compiled_shape = lru_cache(maxsize=64)(_compile)


class TieredSearch:
    """The statements a results page needs: a capped count, and one page of keys.

    `narrow` says that the candidates are a small share of the articles (a category), so that
    walking them beats walking the index and checking each row.
    """

    def __init__(self, backend, query, candidates, keys, *, narrow=False, values=None):
        """`values`: the values of the candidates' Params, if it has any (see Candidates)."""
        self.backend, self.query, self.keys = backend, query, keys
        self.candidates, self.narrow = Candidates(candidates, values), narrow
        # Every match's key in ranking order, when the count found them all with their tiers.
        self.ranked = None

    def count(self, *, cap):
        """The number of matches, counted only up to `cap`."""
        sql, params = self.backend.count_sql(
            self.query, self.candidates, self.keys, cap, narrow=self.narrow
        )
        rows = self.backend.fetch(sql, params)
        if len(rows) < cap and self.backend.lists_tiers:
            self.ranked = [key for key, _tier in sorted(rows, key=lambda row: (row[1], -row[0]))]
        return len(rows)

    def article_ids(self, *, offset, limit):
        """Ids of the ranked matches [offset, offset + limit): each tier walks at most that far."""
        if limit <= 0:
            return []
        if self.ranked is not None:
            return [key & ID_MASK for key in self.ranked[offset : offset + limit]]
        parts, params = [], []
        for tier in TIERS:
            sql, tier_params = self.backend.keys_sql(
                tier, self.query, self.candidates, self.keys, offset + limit, narrow=self.narrow
            )
            parts.append(f"SELECT {tier} AS tier, k FROM ({sql}) AS tier{tier}")
            params += tier_params
        rows = self.backend.fetch(
            " UNION ALL ".join(parts) + " ORDER BY tier, k DESC LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        return [key & ID_MASK for _tier, key in rows]


BACKENDS = {"sqlite": SqliteBackend, "postgresql": PostgresBackend}


def get_backend():
    """The backend for the default database; other databases have no full-text index."""
    try:
        return BACKENDS[connection.vendor]()
    except KeyError:
        raise NotImplementedError(f"search does not support {connection.vendor}") from None
