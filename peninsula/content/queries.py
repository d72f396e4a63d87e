"""The queries of the article page, home, category and tag pages, built and compiled once per
process (core.prepared): compiling them cost more CPU than running them (docs/decisions.md,
"Prepared reader queries")."""

from functools import lru_cache

from django.db import connections
from django.db.models import BigIntegerField, CharField, DateTimeField, Q
from taggit.models import Tag

from peninsula.core.pagination import newer_than, older_than
from peninsula.core.prepared import Param, Prepared, PreparedListing

from .models import Article, ArticleAuthor, ArticleTag, Correction, GalleryImage

RELATED_COUNT = 6
HOME_LATEST = 12
HOME_BLOCK_SIZE = 5

NOW = Param("now", DateTimeField())
PK = Param("pk", BigIntegerField())
CATEGORY = Param("category", BigIntegerField())
AT = Param("at", DateTimeField())
TAG = Param("tag", BigIntegerField())
SLUG = Param("slug", CharField())


def _published():
    return Article.objects.published(now=NOW)


_article = Prepared(lambda: _published().for_detail().filter(pk=PK))
# The article's child rows, each in its model's order (tags in the order they were added).
_children = {
    "credits": Prepared(lambda: ArticleAuthor.objects.select_related("author").filter(article=PK)),
    "tagged_items": Prepared(
        lambda: ArticleTag.objects.select_related("tag").filter(content_object=PK).order_by("pk")
    ),
    "corrections": Prepared(lambda: Correction.objects.filter(article=PK)),
    "gallery_images": Prepared(
        lambda: (
            GalleryImage.objects.select_related("image__details")
            .prefetch_related("image__renditions")
            .filter(article=PK)
        )
    ),
}
# 上一篇 and 下一篇: two index seeks from the article's (published_at, id) in its category.
_older = Prepared(lambda: older_than(_published().filter(category_id=CATEGORY), AT, PK).links()[:1])
_newer = Prepared(lambda: newer_than(_published().filter(category_id=CATEGORY), AT, PK).links()[:1])
_related = Prepared(lambda: _published().related_to(PK).links()[:RELATED_COUNT])


def article_for_page(pk, *, now):
    """The article with this id that readers may see at `now`, with its credits, tags,
    corrections and gallery, or None: five queries (six with a cover picture).

    The child rows are handed to the article as its in-memory cluster (modelcluster's `set`,
    as a preview's are), so `article.tags.all()` and the rest read them without a query."""
    found = _article.list(pk=pk, now=now)
    if not found:
        return None
    article = found[0]
    for relation, query in _children.items():
        getattr(article, relation).set(query.list(pk=pk))
    return article


def article_neighbours(article, *, now):
    """(上一篇, 下一篇) in the article's category, as links (None at either end)."""
    values = {"category": article.category_id, "at": article.published_at, "pk": article.pk}
    older = _older.list(now=now, **values)
    newer = _newer.list(now=now, **values)
    return (older[0] if older else None, newer[0] if newer else None)


def article_related(article, *, now):
    """The article's related articles (RelatedArticle) that readers may see, as links."""
    return _related.list(pk=article.pk, now=now)


_home_latest = Prepared(lambda: _published().latest().cards()[:HOME_LATEST])


def home_latest(*, now):
    """Home's latest articles, as cards."""
    return _home_latest.list(now=now)


def home_blocks(tree, *, now):
    """[(top-level category, its latest articles including subcategories)] for the top-level
    categories in the navigation, in one query."""
    roots = [root for root in tree.roots() if root.in_navigation]
    if not roots:
        return []
    by_root = {root.pk: [] for root in roots}
    for article in _home_blocks(tuple(root.pk for root in roots)).list(now=now):
        by_root[tree.root_id(article.category_id)].append(article)
    return [(root, by_root[root.pk]) for root in roots if by_root[root.pk]]


@lru_cache(maxsize=8)
def _home_blocks(root_ids):
    """The blocks' query for this list of top-level categories (it changes when an editor
    changes the navigation: a handful of lists in a process's life)."""

    def build():
        published = _published()
        # One IN (… LIMIT n) subquery per block: each reads its category's placement index only
        # as far as its own few rows, where one ranking over all articles would read the whole
        # table.
        blocks = [
            published.in_category(root_id).latest().values("pk")[:HOME_BLOCK_SIZE]
            for root_id in root_ids
        ]
        if connections[published.db].features.supports_slicing_ordering_in_compound:
            # PostgreSQL answers OR'ed IN subqueries by scanning the whole table; it walks each
            # branch of a UNION ALL on its index. SQLite allows no LIMIT inside a UNION.
            latest_of_each = Q(pk__in=blocks[0].union(*blocks[1:], all=True))
        else:
            latest_of_each = Q()
            for block in blocks:
                latest_of_each |= Q(pk__in=block)
        return Article.objects.filter(latest_of_each).latest().links()

    return Prepared(build)


_category_listing = PreparedListing(
    lambda: _published().in_category(CATEGORY).cards(), key=("listed_at", "listed_id")
)
_tag_listing = PreparedListing(
    lambda: _published().tagged(TAG).cards(), key=("listed_at", "listed_id")
)
_tag = Prepared(lambda: Tag.objects.filter(slug=SLUG))


def category_listing(category_id, *, now):
    """A category page's articles (with those of the categories below it), as cards, for
    `core.pagination.paginate`."""
    return _category_listing.rows(category=category_id, now=now)


def tag_listing(tag_id, *, now):
    """A tag page's articles, as cards, for `core.pagination.paginate`."""
    return _tag_listing.rows(tag=tag_id, now=now)


def tag_by_slug(slug):
    found = _tag.list(slug=slug)
    return found[0] if found else None
