"""The read API under /api/v1/: published articles, categories, tags and authors, as JSON."""

import base64
import binascii
import json
import logging
from datetime import datetime, time, timedelta

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from ninja import NinjaAPI, Path, Query
from ninja.errors import HttpError, ValidationError
from taggit.models import Tag
from wagtail.images import get_image_model

from peninsula.content.models import MAX_ID, Article, ArticleAuthor, Author, Category
from peninsula.content.tree import category_tree
from peninsula.core.pagination import older_than
from peninsula.engagement import rankings
from peninsula.search.analysis import parse_query
from peninsula.search.services import RankedResults
from peninsula.syndication.metadata import COVER_FILTER

from . import schemas

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="Peninsula read API",
    version="1",
    description="Published articles, categories, tags and authors of the site, read-only.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)

ERRORS = {400: schemas.Error, 404: schemas.Error}
BAD_CURSOR = "Invalid cursor: pass the next_cursor value of a previous response unchanged."


@api.exception_handler(ValidationError)
def invalid_request(request, exc):
    problems = "; ".join(
        f"{'.'.join(str(p) for p in error.get('loc', ())[1:]) or 'request'}: {error.get('msg')}"
        for error in exc.errors
    )
    return api.create_response(request, {"detail": f"Invalid request: {problems}"}, status=400)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)


@api.exception_handler(Exception)
def server_error(request, exc):
    """An unexpected failure still answers JSON; the traceback goes to the log, not the client."""
    logger.exception("API request failed: %s", request.path)
    return api.create_response(request, {"detail": "Internal error."}, status=500)


def encode_cursor(data):
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor, keys):
    """The cursor's fields, checked; anything else is the client's mistake (400), never a 500."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise HttpError(400, BAD_CURSOR) from exc
    if not isinstance(data, dict) or set(data) != set(keys):
        raise HttpError(400, BAD_CURSOR)
    return data


def _cursor_position(cursor):
    data = decode_cursor(cursor, ("t", "i"))
    try:
        published_at = datetime.fromisoformat(data["t"])
    except (TypeError, ValueError) as exc:
        raise HttpError(400, BAD_CURSOR) from exc
    pk = data["i"]
    if timezone.is_naive(published_at) or type(pk) is not int or not 0 < pk <= MAX_ID:
        raise HttpError(400, BAD_CURSOR)
    return published_at, pk


def _search_offset(cursor):
    offset = decode_cursor(cursor, ("o",))["o"]
    if type(offset) is not int or not 0 < offset <= 10_000_000:
        raise HttpError(400, BAD_CURSOR)
    return offset


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered_articles(filters):
    """Published articles narrowed by the list filters (everything but `q` and the cursor)."""
    articles = Article.objects.published()
    if filters.category:
        tree = category_tree()
        category = tree.by_slug.get(filters.category)
        if category is None:
            return Article.objects.none()
        articles = articles.in_category(category)
    if filters.tag:
        tag = Tag.objects.filter(slug=filters.tag).first()
        if tag is None:
            return Article.objects.none()
        articles = articles.tagged(tag.pk)
    if filters.author:
        articles = articles.filter(authors__slug=filters.author)
    if filters.language:
        articles = articles.filter(language__iexact=filters.language)
    if filters.date_from:
        articles = articles.filter(published_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        articles = articles.filter(published_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    return articles


def for_api(articles):
    """What an article's JSON needs, in a fixed number of queries whatever the page size."""
    images = get_image_model().objects.prefetch_renditions(COVER_FILTER)
    return (
        articles.select_related("category")
        .defer("body")
        .prefetch_related(
            ArticleAuthor.prefetch(), "tags", Prefetch("cover_image", queryset=images)
        )
    )


def chronological_page(articles, filters):
    if filters.cursor:
        position = _cursor_position(filters.cursor)
        articles = older_than(articles, *position, key=articles.listing_key)
    items = list(for_api(articles.latest())[: filters.limit + 1])
    next_cursor = None
    if len(items) > filters.limit:
        items = items[: filters.limit]
        last = items[-1]
        next_cursor = encode_cursor({"t": last.published_at.isoformat(), "i": last.pk})
    return {"items": items, "next_cursor": next_cursor}


def ranked_page(articles, filters):
    """Search results in the search page's order; the cursor holds the offset into the ranking."""
    offset = _search_offset(filters.cursor) if filters.cursor else 0
    query = parse_query(filters.q.replace("\x00", " "))
    if articles.query.is_empty():
        # The search backend compiles the candidates to SQL, which an empty QuerySet cannot become.
        ids = []
    else:
        # A category holds a small share of the articles: walk its own listing, as the page does.
        narrow = bool(filters.category)
        ranked = RankedResults(query, articles, narrow=narrow)
        ids = ranked.ids(offset=offset, limit=filters.limit + 1)
    more = len(ids) > filters.limit
    ids = ids[: filters.limit]
    by_id = for_api(Article.objects.filter(pk__in=ids)).in_bulk(ids)
    return {
        "items": [by_id[pk] for pk in ids if pk in by_id],
        "next_cursor": encode_cursor({"o": offset + filters.limit}) if more else None,
    }


@api.get(
    "/articles",
    response={200: schemas.ArticlePage, **ERRORS},
    tags=["articles"],
    operation_id="listArticles",
)
def list_articles(request, filters: Query[schemas.ArticleFilters]):
    """The newest published articles first, filtered; with `q`, the best search matches first."""
    articles = filtered_articles(filters)
    if filters.q:
        return ranked_page(articles, filters)
    return chronological_page(articles, filters)


@api.get(
    "/articles/{article_id}",
    response={200: schemas.ArticleDetail, **ERRORS},
    tags=["articles"],
    operation_id="getArticle",
)
def get_article(request, article_id: int = Path(..., ge=1, le=MAX_ID)):
    """One published article with its body; drafts and unknown ids answer 404."""
    articles = for_api(Article.objects.published()).select_related("source").defer(None)
    article = articles.filter(pk=article_id).first()
    if article is None:
        raise Http404("No published article has this id.")
    article.published_translation = _published_translation(article)
    return article


def _published_translation(article):
    other = Article.objects.published().filter(
        Q(pk=article.translation_id) | Q(translation_id=article.pk)
    )
    return other.exclude(pk=article.pk).first()


def _category_node(request, tree, category):
    return {
        "id": category.pk,
        "name": category.name,
        "slug": category.slug,
        "url": request.build_absolute_uri(category.get_absolute_url()),
        "description": category.description,
        "children": [_category_node(request, tree, child) for child in tree.children(category.pk)],
    }


@api.get(
    "/categories",
    response={200: list[schemas.CategoryNode], **ERRORS},
    tags=["categories"],
    operation_id="listCategories",
)
def list_categories(request):
    """Every category as a tree, in navigation order."""
    tree = category_tree()
    return [_category_node(request, tree, root) for root in tree.roots()]


@api.get(
    "/tags", response={200: list[schemas.TagOut], **ERRORS}, tags=["tags"], operation_id="listTags"
)
def list_tags(request, params: Query[schemas.ListLimit]):
    """Tags of published articles, the most used first."""
    published = Article.objects.published()
    return (
        Tag.objects.annotate(
            article_count=Count(
                "content_articletag_items",
                filter=Q(content_articletag_items__content_object__in=published),
            )
        )
        .filter(article_count__gt=0)
        .order_by("-article_count", "slug")[: params.limit]
    )


@api.get(
    "/authors",
    response={200: list[schemas.AuthorOut], **ERRORS},
    tags=["authors"],
    operation_id="listAuthors",
)
def list_authors(request, params: Query[schemas.ListLimit]):
    """Authors with their number of published articles, by name."""
    published = Article.objects.published()
    return Author.objects.annotate(
        article_count=Count("articles", filter=Q(articles__in=published))
    ).order_by("name")[: params.limit]


@api.get(
    "/rankings",
    response={200: schemas.RankingOut, **ERRORS},
    tags=["rankings"],
    operation_id="getRanking",
)
def get_ranking(request, params: Query[schemas.RankingQuery]):
    """A ranked list of the 排行榜 page, site-wide or for one category, as the refresh job
    last computed it (about once a minute)."""
    category = None
    if params.category is not None:
        category = Category.objects.filter(slug=params.category).first()
        if category is None:
            raise Http404("No category has this slug.")
    items = rankings.get(params.kind, category.pk if category else None)
    return {"kind": params.kind, "category": category, "items": items[: params.limit]}
