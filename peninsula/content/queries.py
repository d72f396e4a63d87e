"""The queries of the article page, home, category and tag pages, built and compiled once per
process (core.prepared): compiling them cost more CPU than running them (docs/decisions.md,
"Prepared reader queries")."""

from functools import cache, lru_cache

from django.db import connections
from django.db.models import (
    BigIntegerField,
    CharField,
    DateTimeField,
    Exists,
    OuterRef,
    Q,
)
from modelcluster.queryset import FakeQuerySet
from taggit.models import Tag

from peninsula.core import nested
from peninsula.core.pagination import newer_than, older_than
from peninsula.core.prepared import Param, Prepared, PreparedListing

from .listings import LINK_FIELDS, ArticleLink
from .models import (
    MAX_ID,
    Article,
    ArticleAuthor,
    ArticleTag,
    Author,
    Correction,
    GalleryImage,
)

RELATED_COUNT = 6
HOME_LATEST = 12
HOME_BLOCK_SIZE = 5

NOW = Param("now", DateTimeField())
PK = Param("pk", BigIntegerField())
CATEGORY = Param("category", BigIntegerField())
TAG = Param("tag", BigIntegerField())
SLUG = Param("slug", CharField())


def _published():
    return Article.objects.published(now=NOW)


# The article's child rows that most articles lack (most have no corrections or gallery), each
# in its model's order, read in a query of their own when the article has them.
_children = {
    "corrections": Prepared(lambda: Correction.objects.filter(article=PK)),
    "gallery_images": Prepared(
        lambda: (
            GalleryImage.objects.select_related("image__details")
            .prefetch_related("image__renditions")
            .filter(article=PK)
        )
    ),
}

# What the article's row carries of its credits and tags (in the article's query, core.nested):
# the fields of each model the page reads. The others load if something asks for them.
CREDIT_FIELDS = ("id", "sort_order", "role", "author_id", "author__name", "author__slug")
TAG_FIELDS = ("id", "tag_id", "tag__name", "tag__slug")


def _has(relation):
    """Whether the article has rows of this child relation, so that their query is skipped when
    it has none (an EXISTS seek in the article's query)."""
    rel = Article._meta.get_field(relation)
    return Exists(rel.related_model.objects.filter(**{rel.field.name: OuterRef("pk")}))


def _around():
    """The columns of 上一篇, 下一篇 and the related articles: the article's neighbours from its
    (published_at, id) in its category, each a short walk of an index, and its stored related
    list (RelatedArticle, at most related.STORED rows) with each row's rank."""
    published = _published()
    in_category = published.filter(category_id=OuterRef("category_id"))
    at, pk = OuterRef("published_at"), OuterRef("pk")
    return {
        "previous_link": nested.first_row_column(older_than(in_category, at, pk), *LINK_FIELDS),
        "next_link": nested.first_row_column(newer_than(in_category, at, pk), *LINK_FIELDS),
        "related_links": nested.rows_column(
            published, "related_listings__article", *LINK_FIELDS, "related_listings__rank"
        ),
    }


_article = Prepared(
    lambda: (
        _published()
        .for_detail()
        .filter(pk=PK)
        .annotate(
            credit_rows=nested.rows_column(ArticleAuthor.objects, "article", *CREDIT_FIELDS),
            tag_rows=nested.rows_column(ArticleTag.objects, "content_object", *TAG_FIELDS),
            **{f"has_{relation}": _has(relation) for relation in _children},
            **_around(),
        )
    )
)


def article_for_page(pk, *, now):
    """The article with this id that readers may see at `now`, with its credits, tags,
    corrections and gallery and its 上一篇, 下一篇 and related articles (`article_around`), or
    None: one query, and one for each kind of child row that few articles have (and one for a
    cover picture's renditions).

    The child rows are handed to the article as its in-memory cluster (modelcluster's `set`,
    as a preview's are), and its tags as `prefetch_related("tags")` leaves them, so
    `article.credits.all()`, `article.tags.all()` and the rest read them without a query. (The
    tags need no tagged-item rows to be read: making those was a tenth of the page's query.)"""
    found = _article.list(pk=pk, now=now)
    if not found:
        return None
    article = found[0]
    db = article._state.db
    article.credits.set(sorted(_credits(article, db), key=_credit_order))
    prefetched = article.__dict__.setdefault("_prefetched_objects_cache", {})
    prefetched["tags"] = FakeQuerySet(Tag, list(_tags(article, db)))
    for relation, query in _children.items():
        rows = query.list(pk=pk) if getattr(article, f"has_{relation}") else []
        getattr(article, relation).set(rows)
    return article


def _credits(article, db):
    for pk, sort_order, role, author_id, name, slug in nested.rows(article.credit_rows):
        credit = _instance(
            ArticleAuthor,
            db,
            id=pk,
            sort_order=sort_order,
            article_id=article.pk,
            author_id=author_id,
            role=role,
        )
        _relate(credit, "author", _instance(Author, db, id=author_id, name=name, slug=slug))
        yield credit


def _tags(article, db):
    """The article's tags in the order they were given (their tagged items' ids)."""
    for _, tag_id, name, slug in sorted(nested.rows(article.tag_rows)):
        yield _instance(Tag, db, id=tag_id, name=name, slug=slug)


def _instance(model, db, **values):
    """A `model` instance as a query reading these fields gives it: the others are deferred."""
    names = _field_names(model, frozenset(values))
    return model.from_db(db, names, [values[name] for name in names])


@cache
def _field_names(model, given):
    """The model's fields among `given`, in the model's order (as `from_db` takes them)."""
    return [f.attname for f in model._meta.concrete_fields if f.attname in given]


def _relate(instance, name, related):
    """Set the row's foreign key `name` to `related`, as `select_related` does: the descriptor's
    own setter checks the pair with the database routers, for rows just read together."""
    instance._meta.get_field(name).set_cached_value(instance, related)


def _credit_order(credit):
    # The model's order (sort_order), with SQLite's place for a missing one: first.
    return (credit.sort_order is not None, credit.sort_order or 0, credit.pk)


def article_around(article):
    """(上一篇, 下一篇, related articles) of an article from `article_for_page`, as links: the
    neighbours in its category (None at either end) and the first RELATED_COUNT articles of its
    stored related list that readers may see, read with the article."""
    related = sorted(nested.rows(article.related_links), key=_rank)[:RELATED_COUNT]
    return (
        _link(article.previous_link),
        _link(article.next_link),
        [_link(row[:-1]) for row in related],
    )


def _link(values):
    if values is None:
        return None
    row = dict(zip(LINK_FIELDS, values, strict=True))
    row["published_at"] = nested.time(row["published_at"])
    return ArticleLink(row, None)


def _rank(row):
    # A related row is the link's fields, then its rank (see `_around`).
    return row[-1]


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
