"""Ranked full-text queries over the pre-segmented index, one backend per database.

Both take a parsed `Query` and a QuerySet of candidate articles (always built on
`Article.objects.published()` for readers), embed the QuerySet's SQL as a subquery so that what
readers may see keeps its single definition, and rank title matches above body matches, newer
first among equals.
"""

from django.db import connection

from peninsula.content.models import Article


class SqliteBackend:
    """FTS5 with bm25(); the title column weighs ten times the body."""

    def match(self, query):
        clauses = [f'"{term}"' for term in query.terms]
        clauses += ['"' + " ".join(phrase) + '"' for phrase in query.phrases]
        return " AND ".join(clauses)

    def count(self, query, candidates):
        sql, params = _subquery(candidates)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM search_fts WHERE search_fts MATCH %s "
                f"AND search_fts.rowid IN ({sql})",
                [self.match(query), *params],
            )
            return cursor.fetchone()[0]

    def ranked_ids(self, query, candidates, *, offset, limit):
        sql, params = _subquery(candidates)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.id FROM search_fts JOIN content_article a ON a.id = search_fts.rowid "
                f"WHERE search_fts MATCH %s AND a.id IN ({sql}) "
                "ORDER BY bm25(search_fts, 10.0, 1.0), a.published_at DESC, a.id DESC "
                "LIMIT %s OFFSET %s",
                [self.match(query), *params, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]


class PostgresBackend:
    """A weighted tsvector (title 'A', body 'B') ranked with ts_rank_cd."""

    # ts_rank_cd's weights for {D, C, B, A}: a title hit counts ten times a body hit.
    WEIGHTS = "{0, 0, 0.1, 1.0}"

    def tsquery(self, query):
        clauses = [f"'{term}'" for term in query.terms]
        clauses += ["(" + " <-> ".join(f"'{word}'" for word in phrase) + ")" for phrase in query.phrases]
        return " & ".join(clauses)

    def count(self, query, candidates):
        sql, params = _subquery(candidates)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM search_searchdocument d "
                "WHERE d.search_vector @@ to_tsquery('simple', %s) "
                f"AND d.article_id IN ({sql})",
                [self.tsquery(query), *params],
            )
            return cursor.fetchone()[0]

    def ranked_ids(self, query, candidates, *, offset, limit):
        sql, params = _subquery(candidates)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.id FROM search_searchdocument d "
                "JOIN content_article a ON a.id = d.article_id, "
                "to_tsquery('simple', %s) q "
                f"WHERE d.search_vector @@ q AND a.id IN ({sql}) "
                "ORDER BY ts_rank_cd(%s::float4[], d.search_vector, q) DESC, "
                "a.published_at DESC, a.id DESC LIMIT %s OFFSET %s",
                [self.tsquery(query), *params, self.WEIGHTS, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]


def _subquery(candidates):
    """The SQL and parameters selecting the candidates' ids."""
    if candidates.model is not Article:
        raise TypeError("candidates must be a QuerySet of articles")
    return candidates.order_by().values("pk").query.sql_with_params()


BACKENDS = {"sqlite": SqliteBackend, "postgresql": PostgresBackend}


def get_backend():
    """The backend for the default database; other databases have no full-text index."""
    try:
        return BACKENDS[connection.vendor]()
    except KeyError:
        raise NotImplementedError(f"search does not support {connection.vendor}") from None
