"""Keeping the index in step with the articles, and searching it.

Every article row is indexed, drafts included, because editors search drafts in the admin;
readers' searches re-apply `Article.objects.published()` at query time, so an article that is
unpublished or expires leaves the public results at once, before any signal has run.
"""

import threading
from dataclasses import dataclass
from functools import lru_cache

from django.db import transaction
from django.db.models import BigIntegerField, DateTimeField
from django.utils import timezone

from peninsula.content.bulk import insert_rows
from peninsula.content.models import Article
from peninsula.core.prepared import Param, Prepared

from .analysis import index_tokens, parse_query
from .backends import TieredSearch, get_backend
from .hits import SearchHit
from .models import SearchDocument, key_range, order_key

# The admin asks for at most this many ids, best first.
ADMIN_RESULT_LIMIT = 500
# Matches are counted up to this many; the results page offers no page beyond it.
RESULT_CAP = 1000
INDEX_BATCH_SIZE = 500


# What an index row is made of, read as plain values: building Article instances (with their
# Wagtail page machinery) would cost more than the analysis of short articles.
DOCUMENT_SOURCE = ("pk", "title", "summary", "byline", "body", "language", "published_at")


DOCUMENT_FIELDS = ("article", "order_key", "title_tokens", "body_tokens", "language")


def document_tokens(*, title, summary, byline, body):
    """(title tokens, text tokens) of an article's index row; pure, so that an import can
    compute them in a worker process (see `document_tokens_remember`)."""
    text = Article.text_for(summary=summary, byline=byline, body=body)
    return index_tokens(title), index_tokens(text)


# Tokens computed ahead for articles about to be written, by their texts; each is taken once.
# An import keeps at most a batch and a few chunks ahead, so the bound is never reached there.
REMEMBERED_MAX = 1024
_remembered = {}
_remembered_lock = threading.Lock()


def document_tokens_remember(*, title, summary, byline, body, tokens):
    """Keep `document_tokens` of these texts, computed ahead (by an import's worker process),
    for the index row written once the article is: that row then takes them instead of
    analysing the texts again. The texts are the key, so a row whose text differs is analysed."""
    with _remembered_lock:
        _remembered[title, summary, byline, body] = tokens
        while len(_remembered) > REMEMBERED_MAX:
            del _remembered[next(iter(_remembered))]


def document_for(pk, title, summary, byline, body, language, published_at):
    """The index row of one article, as values of DOCUMENT_FIELDS: the title, then the text."""
    with _remembered_lock:
        tokens = _remembered.pop((title, summary, byline, body), None)
    if tokens is None:
        tokens = document_tokens(title=title, summary=summary, byline=byline, body=body)
    return (pk, order_key(published_at, pk), *tokens, language)


def documents_update(*, article_ids):
    """(Re)index the given articles; ids of deleted articles just lose their row.

    Rows go in as plain INSERTs (`insert_rows`): building model instances for `bulk_create`
    cost more than the database's own work on SQLite.
    """
    article_ids = list(article_ids)
    for start in range(0, len(article_ids), INDEX_BATCH_SIZE):
        batch = article_ids[start : start + INDEX_BATCH_SIZE]
        rows = Article.objects.filter(pk__in=batch).values_list(*DOCUMENT_SOURCE)
        documents = [document_for(*row) for row in rows]
        with transaction.atomic():
            SearchDocument.objects.filter(article_id__in=batch).delete()
            insert_rows(SearchDocument, DOCUMENT_FIELDS, documents)


def index_rebuild(*, progress=None):
    """Index every article afresh; `progress(done, total)` is called after each batch."""
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        SearchDocument.objects.all().delete()
    for start in range(0, len(ids), INDEX_BATCH_SIZE):
        documents_update(article_ids=ids[start : start + INDEX_BATCH_SIZE])
        if progress:
            progress(min(start + INDEX_BATCH_SIZE, len(ids)), len(ids))
    return len(ids)


class RankedResults:
    """A lazy, sliceable list of ranked articles (as `SearchHit` rows) that Django's Paginator
    can page through.

    Counting stops at RESULT_CAP: `count()` is then RESULT_CAP and `capped` is true, so the page
    says "more than 1,000" and offers the pages up to the cap. `newest` and `oldest` bound the
    publication times walked; the candidates QuerySet still decides exactly what is shown.
    `narrow` says that the candidates are a small share of the articles (see TieredSearch).
    """

    def __init__(self, query, candidates, *, newest=None, oldest=None, narrow=False, values=None):
        self.query = query
        self.search = TieredSearch(
            get_backend(),
            query,
            candidates,
            key_range(newest, oldest),
            narrow=narrow,
            values=values,
        )
        self.capped = False

    def count(self):
        if not self.query:
            return 0
        found = self.search.count(cap=RESULT_CAP + 1)
        self.capped = found > RESULT_CAP
        return min(found, RESULT_CAP)

    def ids(self, *, offset, limit):
        if not self.query:
            return []
        return self.search.article_ids(offset=offset, limit=limit)

    def __getitem__(self, item):
        if not isinstance(item, slice) or item.step is not None:
            raise TypeError("RankedResults supports plain slices only")
        offset = item.start or 0
        ids = self.ids(offset=offset, limit=max((item.stop or offset) - offset, 0))
        rows = _hit_rows(len(ids)).list(**{f"id{n}": pk for n, pk in enumerate(ids)}) if ids else []
        by_id = {row["id"]: row for row in rows}
        terms = self.query.highlight_terms
        return [SearchHit(by_id[pk], terms) for pk in ids if pk in by_id]


@lru_cache(maxsize=64)
def _hit_rows(count):
    """The rows of `count` results by id, prepared (core.prepared): a page has one of a few
    lengths (up to its size, or the API's)."""
    ids = [Param(f"id{n}", BigIntegerField()) for n in range(count)]
    return Prepared(lambda: Article.objects.filter(pk__in=ids).values(*SearchHit.fields))


@dataclass
class SearchRequest:
    """What a reader asked for, already validated."""

    q: str = ""
    category: object = None
    published_from: object = None
    published_before: object = None


NOW = Param("now", DateTimeField())
CATEGORY = Param("category", BigIntegerField())
PUBLISHED_FROM = Param("published_from", DateTimeField())
PUBLISHED_BEFORE = Param("published_before", DateTimeField())


@lru_cache(maxsize=8)
def _candidates(*, category, published_from, published_before):
    """The articles a reader's search may return, for a search that gives (or not) a category
    and each end of a date range, with Params where its values go (see backends.Candidates)."""
    candidates = Article.objects.published(now=NOW)
    if category:
        candidates = candidates.in_category(CATEGORY)
    if published_from:
        candidates = candidates.filter(published_at__gte=PUBLISHED_FROM)
    if published_before:
        candidates = candidates.filter(published_at__lt=PUBLISHED_BEFORE)
    return candidates


def articles_search(*, request):
    """Ranked published articles for a validated SearchRequest, with the parsed query."""
    query = parse_query(request.q)
    newest = timezone.now()
    values = {
        "now": newest,
        "category": request.category.pk if request.category is not None else None,
        "published_from": request.published_from,
        "published_before": request.published_before,
    }
    values = {name: value for name, value in values.items() if value is not None}
    candidates = _candidates(
        category="category" in values,
        published_from="published_from" in values,
        published_before="published_before" in values,
    )
    if request.published_before is not None:
        newest = min(newest, request.published_before)
    oldest = request.published_from
    # A category holds a small share of the articles: walk its own listing (see TieredSearch).
    narrow = request.category is not None
    return query, RankedResults(
        query, candidates, newest=newest, oldest=oldest, narrow=narrow, values=values
    )


def search_article_ids(query, *, published_only=False, limit=ADMIN_RESULT_LIMIT):
    """Ids of the articles matching `query`, best first: the admin's article search uses this.

    With `published_only` it sees what readers see; otherwise drafts and expired articles too.
    """
    if published_only:
        candidates, newest = Article.objects.published(), timezone.now()
    else:
        candidates, newest = Article.objects.all(), None
    return RankedResults(parse_query(query), candidates, newest=newest).ids(offset=0, limit=limit)
