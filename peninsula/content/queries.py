"""The queries of the article page, home, category and tag pages, built and compiled once per
process (core.prepared): compiling them cost more CPU than running them (docs/decisions.md,
"Prepared reader queries")."""

from functools import lru_cache

from django.db import connections
from django.db.models import (
    BigIntegerField,
    CharField,
    DateTimeField,
    Exists,
    OuterRef,
    Q,
    Subquery,
)
from taggit.models import Tag

from peninsula.core.pagination import newer_than, older_than
from peninsula.core.prepared import Param, Prepared, PreparedListing

from .listings import AroundLink
from .models import (
    MAX_ID,
    Article,
    ArticleAuthor,
    ArticleTag,
    Correction,
    GalleryImage,
    RelatedArticle,
)

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


def _has(relation):
    """Whether the article has rows of this child relation: most have no corrections or gallery,
    and many no credits, so their queries are skipped (an EXISTS seek in the article's query)."""
    rel = Article._meta.get_field(relation)
    return Exists(rel.related_model.objects.filter(**{rel.field.name: OuterRef("pk")}))


_article = Prepared(
    lambda: (
        _published()
        .for_detail()
        .filter(pk=PK)
        .annotate(**{f"has_{relation}": _has(relation) for relation in _children})
    )
)


def _around():
    """上一篇, 下一篇 and the related articles, in one query: the rows of any of three short
    index walks (the article's neighbours from its (published_at, id) in its category, its
    stored related list), each with its rank in that list."""
    published = _published()
    in_category = published.filter(category_id=CATEGORY)
    walks = [
        older_than(in_category, AT, PK).values("pk")[:1],
        newer_than(in_category, AT, PK).values("pk")[:1],
        published.related_to(PK).values("pk")[:RELATED_COUNT],
    ]
    rank = RelatedArticle.objects.filter(article=PK, related=OuterRef("pk")).values("rank")
    rows = Article.objects.filter(any_of(walks)).annotate(related_rank=Subquery(rank[:1]))
    return rows.as_rows(AroundLink)


_around_rows = Prepared(_around)


def article_for_page(pk, *, now):
    """The article with this id that readers may see at `now`, with its credits, tags,
    corrections and gallery, or None: one query, and one for each kind of child row it has
    (and one for a cover picture's renditions).

    The child rows are handed to the article as its in-memory cluster (modelcluster's `set`,
    as a preview's are), so `article.tags.all()` and the rest read them without a query."""
    found = _article.list(pk=pk, now=now)
    if not found:
        return None
    article = found[0]
    for relation, query in _children.items():
        rows = query.list(pk=pk) if getattr(article, f"has_{relation}") else []
        getattr(article, relation).set(rows)
    return article


def article_around(article, *, now):
    """(上一篇, 下一篇, related articles) of the article that readers may see, as links: the
    neighbours in its category (None at either end) and its stored related list (RelatedArticle).

    The query returns the rows of the three walks together. Those in the article's category and
    older than it are its 上一篇 and related articles no newer than the 上一篇, so the newest of
    them is the 上一篇; the oldest of those newer than it is the 下一篇. A neighbour may also be
    further down the related list than the list shows: the list is the first RELATED_COUNT
    ranked rows."""
    rows = _around_rows.list(
        now=now, category=article.category_id, at=article.published_at, pk=article.pk
    )
    position = (article.published_at, article.pk)
    siblings = [row for row in rows if row.category_id == article.category_id]
    older = [row for row in siblings if (row.published_at, row.pk) < position]
    newer = [row for row in siblings if (row.published_at, row.pk) > position]
    return (
        max(older, key=_position, default=None),
        min(newer, key=_position, default=None),
        sorted((row for row in rows if row.related_rank is not None), key=_rank)[:RELATED_COUNT],
    )


def _position(row):
    return (row.published_at, row.pk)


def _rank(row):
    return row.related_rank


def any_of(walks):
    """A filter for the rows of any of these short queries (each `.values("pk")[:n]`), in one
    statement. PostgreSQL answers OR'ed IN subqueries by scanning the whole table; it walks each
    branch of a UNION ALL on its index. SQLite allows no LIMIT inside a UNION, and walks each
    OR'ed IN subquery on its index as far as its own rows."""
    if connections[walks[0].db].features.supports_slicing_ordering_in_compound:
        return Q(pk__in=walks[0].union(*walks[1:], all=True))
    found = Q()
    for walk in walks:
        found |= Q(pk__in=walk)
    return found


def published_article(pk):
    """The article with this id that readers may see, with its category, or None (for an id
    no row can have, too): what the pages about one article (its comments, its QR code) ask."""
    if not 0 < pk <= MAX_ID:
        return None
    return Article.objects.published().select_related("category").filter(pk=pk).first()


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
        return Article.objects.filter(any_of(blocks)).latest().links()

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
