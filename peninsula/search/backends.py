"""Tiered full-text queries over the pre-segmented index, one backend per database.

Ranking is by tier, then newest first: tier 1 holds the articles with every query word (and
phrase) in the title, tier 2 the other matches. Within a tier the order is `order_key`
descending, which is (published_at, id) descending, so each tier is a walk of the index in key
order that stops after the rows a page needs; nothing scores or sorts every match.

Each row the walk meets is checked against the candidates QuerySet (always built on
`Article.objects.published()` for readers) by primary key, so what readers may see keeps its
single definition and only the rows walked are checked. A key range bounds the walk (publication
time up to now, a date filter) so that drafts and scheduled articles are skipped wholesale.
"""

from django.db import connection
from django.db.models.expressions import RawSQL

from peninsula.content.models import Article

from .models import ID_MASK

TIERS = (1, 2)
# The walk over every match, in no tier: what the count needs.
EVERY = 0
# Above this many matches they are dense enough to find a page by walking newest first.
DENSE = 1000


class SqliteBackend:
    """FTS5 whose rowid is the order key: `ORDER BY rowid DESC LIMIT n` is an index walk."""

    def expression(self, query, part):
        """The MATCH expression of every match, of tier 1 (all in the title) or of tier 2."""
        clauses = [f'"{term}"' for term in query.terms]
        clauses += ['"' + " ".join(phrase) + '"' for phrase in query.phrases]
        every = " AND ".join(clauses)
        in_title = f"{{title_tokens}}: ({every})"
        return {EVERY: every, 1: in_title, 2: f"({every}) NOT ({in_title})"}[part]

    # FTS5 walks its doclists in rowid order whatever their size: no plan to choose.
    needs_density = False

    def walk_sql(self, part, query, candidates, keys, *, dense=True):
        visible, params = _visible(candidates, f"(search_fts.rowid & {ID_MASK})")
        sql = (
            "SELECT search_fts.rowid AS k FROM search_fts "
            "WHERE search_fts MATCH %s AND search_fts.rowid BETWEEN %s AND %s "
            f"AND {visible} ORDER BY search_fts.rowid DESC LIMIT %s"
        )
        return sql, [self.expression(query, part), *keys, *params]


class PostgresBackend:
    """A title tsvector (tier 1) and a whole-document tsvector, both GIN, and a btree on the key.

    Two plans, chosen by how many rows match (the capped count, known before a page is read).
    Many matches: walk the key's btree backwards testing each row's tsvector; matches are dense,
    so a page is found after a few rows. Few matches: the GIN index finds them all and a top-N
    sort orders them; `order_key + 0` keeps the planner off the btree walk, which it would
    otherwise pick on an over-optimistic estimate for words that rarely occur together and
    then read the whole table. The opposite mistake (estimating few matches for words that
    often occur together, then reading them all through the GIN index) is ruled out for tier 2
    by calling `ts_match_vq`, the function behind `@@`, which no index serves. Tier 1 (titles,
    short and few) is left to the planner. The count has no order, so the planner is free to
    use the GIN index or stop a scan early.
    """

    needs_density = True

    def tsquery(self, query):
        clauses = [f"'{term}'" for term in query.terms]
        clauses += [
            "(" + " <-> ".join(f"'{word}'" for word in phrase) + ")" for phrase in query.phrases
        ]
        return " & ".join(clauses)

    MATCHES = {
        EVERY: "d.search_vector @@ to_tsquery('simple', %s)",
        1: "d.title_vector @@ to_tsquery('simple', %s)",
        2: "d.search_vector @@ to_tsquery('simple', %s) "
        "AND NOT d.title_vector @@ to_tsquery('simple', %s)",
    }

    def walk_sql(self, part, query, candidates, keys, *, dense=True):
        visible, params = _visible(candidates, "d.article_id", fence=" OFFSET 0")
        match = self.MATCHES[part]
        if part == 2 and dense:
            # The function behind @@ is not indexable: the planner must walk, as it should.
            match = match.replace("d.search_vector @@", "ts_match_vq(d.search_vector,")
            match = match.replace("to_tsquery('simple', %s) AND", "to_tsquery('simple', %s)) AND")
        match_params = [self.tsquery(query)] * match.count("%s")
        if part == EVERY:
            order = ""
        else:
            order = "ORDER BY d.order_key DESC" if dense else "ORDER BY d.order_key + 0 DESC"
        sql = (
            "SELECT d.order_key AS k FROM search_searchdocument d "
            f"WHERE {match} AND d.order_key BETWEEN %s AND %s AND {visible} {order} LIMIT %s"
        )
        return sql, [*match_params, *keys, *params]


def _visible(candidates, outer_id, *, fence=""):
    """An EXISTS test that the row `outer_id` names is among the candidates, with its params.

    A correlated EXISTS checks only the rows the walk meets, by primary key; `id IN
    (candidates)` would read every candidate article first. PostgreSQL would turn the EXISTS
    into a join and may then start from the articles (all of a category, say) rather than
    from the index; `OFFSET 0` fences the subquery so that it stays a per-row check.
    """
    if candidates.model is not Article:
        raise TypeError("candidates must be a QuerySet of articles")
    matching = candidates.order_by().filter(pk=RawSQL(outer_id, ())).values("pk")
    sql, params = matching.query.sql_with_params()
    return f"EXISTS ({sql}{fence})", list(params)


class TieredSearch:
    """The two statements a results page needs: a capped count, and one page of keys."""

    def __init__(self, backend, query, candidates, keys):
        self.backend, self.query, self.candidates, self.keys = backend, query, candidates, keys
        self.counted = None  # (cap, count) of the last count

    def _walk(self, part, limit, *, dense=True):
        sql, params = self.backend.walk_sql(
            part, self.query, self.candidates, self.keys, dense=dense
        )
        return sql, [*params, limit]

    def count(self, *, cap):
        """The number of matches, counted only up to `cap`: one walk, whatever the tier."""
        sql, params = self._walk(EVERY, cap)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({sql}) AS matches", params)
            self.counted = (cap, cursor.fetchone()[0])
        return self.counted[1]

    def _dense(self):
        """Whether more than DENSE rows match, counting them unless a count already says so."""
        if not self.backend.needs_density:
            return True
        if self.counted is None or self.counted[0] <= DENSE:
            self.count(cap=DENSE + 1)
        return self.counted[1] > DENSE

    def article_ids(self, *, offset, limit):
        """Ids of the ranked matches [offset, offset + limit): each tier walks at most that far."""
        if limit <= 0:
            return []
        parts, params, dense = [], [], self._dense()
        for tier in TIERS:
            sql, tier_params = self._walk(tier, offset + limit, dense=dense)
            parts.append(f"SELECT {tier} AS tier, k FROM ({sql}) AS tier{tier}")
            params += tier_params
        with connection.cursor() as cursor:
            cursor.execute(
                " UNION ALL ".join(parts) + " ORDER BY tier, k DESC LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            return [key & ID_MASK for _tier, key in cursor.fetchall()]


BACKENDS = {"sqlite": SqliteBackend, "postgresql": PostgresBackend}


def get_backend():
    """The backend for the default database; other databases have no full-text index."""
    try:
        return BACKENDS[connection.vendor]()
    except KeyError:
        raise NotImplementedError(f"search does not support {connection.vendor}") from None
