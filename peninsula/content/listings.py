"""Light rows for lists of articles: cards (`ArticleQuerySet.cards()`) and links
(`ArticleQuerySet.links()`).

A list needs a few plain values per article, and its HTML is usually a fragment hit
(peninsula.core.fragments) that reads nothing more. Read as `.values()` into these rows, a list
costs about half the CPU of model instances with their category, cover image and renditions
prefetch, or less (docs/decisions.md, "Uncached reader pages"). A card's cover image is loaded
only when a card is rendered, for every card of its list at once (two queries: the images, their
renditions).
"""

from django.db.models.query import ValuesIterable

from peninsula.core.reversing import reverse

LINK_FIELDS = ("id", "title", "language", "published_at", "category_id", "category__slug")
CARD_FIELDS = (
    *LINK_FIELDS,
    "category__name",
    "excerpt",
    "views",
    "comments",
    "cover_image_id",
    "cover_image__file_hash",
)


class CategoryLink:
    """What a list shows of an article's category: its name and address."""

    __slots__ = ("name", "pk", "slug")

    def __init__(self, pk, slug, name=""):
        self.pk, self.slug, self.name = pk, slug, name

    def get_absolute_url(self):
        return reverse("content:category", kwargs={"slug": self.slug})


class ArticleLink:
    """An article as a list of headlines shows it: title, language, time and address."""

    fields = LINK_FIELDS

    def __init__(self, row, covers):
        self.pk = self.id = row["id"]
        self.title = row["title"]
        self.language = row["language"]
        self.published_at = row["published_at"]
        self.category_id = row["category_id"]
        self.category = CategoryLink(row["category_id"], row["category__slug"])

    def get_absolute_url(self):
        return reverse(
            "content:article", kwargs={"category_slug": self.category.slug, "pk": self.pk}
        )

    def __eq__(self, other):
        """Equal to a row or a model instance of the same article, as model instances are."""
        if isinstance(other, ArticleLink) or getattr(other, "_meta", None) is _article_meta():
            return self.pk == other.pk
        return NotImplemented

    def __hash__(self):
        return hash(self.pk)

    def __repr__(self):
        return f"<{type(self).__name__} {self.pk}: {self.title}>"


def _article_meta():
    from .models import Article

    return Article._meta


class ArticleCard(ArticleLink):
    """An article as its card shows it (includes/article_card.html)."""

    fields = CARD_FIELDS

    def __init__(self, row, covers):
        super().__init__(row, covers)
        self.category.name = row["category__name"]
        self.excerpt = row["excerpt"]
        self.views = row["views"]
        self.comments = row["comments"]
        self.cover_image_id = row["cover_image_id"]
        self.cover_file_hash = row["cover_image__file_hash"]
        self._covers = covers

    @property
    def cover_image(self):
        return self._covers.get(self.cover_image_id)


class _Covers:
    """The cover images of one list, read together the first time a card needs one."""

    def __init__(self, ids):
        self.ids = {pk for pk in ids if pk is not None}
        self.images = None

    def get(self, pk):
        if pk is None:
            return None
        if self.images is None:
            from wagtail.images import get_image_model

            images = get_image_model().objects.filter(pk__in=self.ids)
            self.images = images.prefetch_related("renditions").in_bulk()
        return self.images.get(pk)


def row_iterable(row_class):
    """A queryset iterable class yielding `row_class` objects for `.values(*row_class.fields)`."""

    class RowIterable(ValuesIterable):
        def __iter__(self):
            rows = list(super().__iter__())
            covers = _Covers(row.get("cover_image_id") for row in rows)
            for row in rows:
                yield row_class(row, covers)

    return RowIterable


ITERABLES = {row_class: row_iterable(row_class) for row_class in (ArticleLink, ArticleCard)}
