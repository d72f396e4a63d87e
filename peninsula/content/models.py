"""The newsroom's content: categories (栏目), authors, sources and articles."""

from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import (
    ClusterableModel,
    get_all_child_m2m_relations,
    get_all_child_relations,
)
from taggit.models import TaggedItemBase
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    Revision,
    RevisionMixin,
    WorkflowMixin,
)

from peninsula.core.reversing import reverse
from peninsula.core.text import (
    excerpt_length,
    free_slug,
    html_to_text,
    make_excerpt,
    reading_minutes,
)

from . import listings
from .bulk import TimeAdapter, insert_rows
from .changes import articles_touch, saves_seen
from .fingerprint import simhash

# Top-level paths that other apps own; a category slug may not take them.
# The largest id a row can have (a BigAutoField): a larger one asked for in a URL or a form is
# no row, and some databases refuse to compare with it.
MAX_ID = 2**63 - 1

RESERVED_SLUGS = frozenset(
    {
        "admin", "api", "archive", "author", "authors", "captcha", "documents", "favicon.ico",
        "feeds", "i18n", "media", "pages", "preview", "rankings", "robots.txt", "search",
        "sitemap.xml", "static", "tag", "tags", "topics", "tougao",
    }
)  # fmt: skip


class CategoryQuerySet(models.QuerySet):
    def roots(self):
        return self.filter(parent__isnull=True)

    def in_navigation(self):
        return self.filter(in_navigation=True).order_by("sort_order", "id")

    def chains(self):
        """{id: [id, parent id, grandparent id, …]} for every category: where its articles are
        listed (see ArticlePlacement)."""
        parents = dict(self.values_list("pk", "parent_id"))
        chains = {}
        for pk in parents:
            chain, node = [], pk
            while node is not None and len(chain) <= len(parents):
                chain.append(node)
                node = parents.get(node)
            chains[pk] = chain
        return chains


class Category(models.Model):
    """A 栏目: a section of the site, nested to any depth through `parent`."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(
        _("slug"), max_length=100, unique=True, help_text=_("Used in the category's URL.")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    description = models.TextField(_("description"), blank=True)
    sort_order = models.IntegerField(_("sort order"), default=0)
    in_navigation = models.BooleanField(_("show in navigation"), default=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                "parent", "name", name="category_unique_name_per_parent", nulls_distinct=False
            )
        ]

    def __str__(self):
        return " / ".join(c.name for c in self.ancestors_and_self)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = Category.unique_slug(self.name)
        moved = (
            self.pk is not None
            and not self._state.adding
            and Category.objects.filter(pk=self.pk).exclude(parent_id=self.parent_id).exists()
        )
        super().save(*args, **kwargs)
        if moved:
            ArticlePlacement.objects.refresh(categories=self.descendant_ids())

    def get_absolute_url(self):
        return reverse("content:category", kwargs={"slug": self.slug})

    def clean(self):
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {"slug": _("This slug is reserved for another part of the site.")}
            )
        node = self.parent
        while node is not None:
            if node.pk == self.pk:
                raise ValidationError({"parent": _("A category cannot be inside itself.")})
            node = node.parent

    @classmethod
    def unique_slug(cls, name):
        return free_slug(cls.objects.all(), name, fallback="category", reserved=RESERVED_SLUGS)

    @cached_property
    def ancestors_and_self(self):
        """The chain from the top-level category down to this one, for breadcrumbs."""
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    def descendant_ids(self):
        """This category's id and those of every category below it."""
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(
                Category.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            )
            ids.extend(frontier)
        return ids


class Author(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    bio = models.TextField(_("biography"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
    )

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = free_slug(Author.objects.all(), self.name, fallback="author")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("content:author", kwargs={"slug": self.slug})


class Source(models.Model):
    """Where a republished article first appeared (for example The Korea Times)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    url = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "content.Article", on_delete=models.CASCADE, related_name="tagged_items"
    )
    # A copy of the article's publication time, kept equal by Article.save(), here and the bulk
    # writer (services.articles_bulk_write), so that a tag's articles are listed newest first
    # from one range of an index, whether the tag is on ten articles or on a hundred thousand
    # (see ArticleQuerySet.tagged).
    published_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        indexes = [
            models.Index(
                fields=["tag", "-published_at", "-content_object"], name="articletag_latest"
            )
        ]

    def save(self, *args, **kwargs):
        self.published_at = self.content_object.published_at
        super().save(*args, **kwargs)


class PlacementQuerySet(models.QuerySet):
    def write(self, articles, *, replace=True, adapt=None):
        """The placements of (article id, category id, published_at) triples: a row for the
        category and one for each category above it. The one rule for every path. `adapt`: a
        TimeAdapter that has seen these times already (the bulk writer's)."""
        articles = list(articles)
        if replace:
            self.filter(article_id__in=[pk for pk, _, _ in articles]).delete()
        if not articles:
            return
        chains, adapt = Category.objects.chains(), adapt if adapt is not None else TimeAdapter()
        insert_rows(
            self.model,
            ("category", "article", "published_at"),
            [
                (category_id, pk, adapt(published_at))
                for pk, leaf_id, published_at in articles
                for category_id in chains[leaf_id]
            ],
        )

    def refresh(self, *, categories):
        """Re-file the articles of these categories (after one of them moved)."""
        self.filter(article__category_id__in=categories).delete()
        filed = Article.objects.filter(category_id__in=categories)
        self.write(filed.values_list("pk", "category_id", "published_at"), replace=False)


class ArticlePlacement(models.Model):
    """An article as category pages list it: a row for its category and one for each category
    above it, with a copy of its publication time, kept in step by Article.save(),
    Category.save() and the bulk writer (all through PlacementQuerySet.write). A category page
    reads one range of the (category, published_at, article) index however many categories lie
    below it, where filtering the articles by a list of categories makes the database sort every
    article of a large section for each page."""

    # Both lookups are served by the composite index and the unique constraint below.
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    article = models.ForeignKey(
        "content.Article", on_delete=models.CASCADE, related_name="placements", db_index=False
    )
    published_at = models.DateTimeField(null=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["category", "-published_at", "-article"], name="placement_latest")
        ]
        constraints = [
            models.UniqueConstraint(fields=["article", "category"], name="placement_unique")
        ]

    def __str__(self):
        return f"{self.article_id} in {self.category_id}"


# Changes within this time of publication are not shown as an update (更新时间).
REVISION_GRACE = timedelta(minutes=1)

TEXT_MEMO_MAX_CHARS = 20000


def _article_text(summary, byline, body):
    return " ".join(part for part in (summary, byline, html_to_text(body)) if part)


_remembered_article_text = lru_cache(maxsize=1024)(_article_text)


def _child_relation_names(instance):
    return [rel.get_accessor_name() for rel in get_all_child_relations(instance)] + [
        field.name for field in get_all_child_m2m_relations(instance)
    ]


def _unread_of_translation():
    """The fields of an article's translation (and its category) that its page leaves unread:
    all but whether readers may see it, its address, language and title."""
    read = {"id", "live", "published_at", "expire_at", "language", "title", "category"}
    return [
        *(f"translation__{f.name}" for f in Article._meta.concrete_fields if f.name not in read),
        *(
            f"translation__category__{f.name}"
            for f in Category._meta.concrete_fields
            if f.name not in {"id", "slug"}
        ),
    ]


class Unindexed(Func):
    """A column's value, in a condition that SQLite is not to seek an index with (its unary
    `+`; other databases choose among conditions by their cost).

    Of two bounds on one column, SQLite seeks with the one written first. Readers' queries
    start with `published()`, so its `published_at <= now` came before the bound of a cursor
    or a date, and SQLite walked the index from the newest article down to the rows asked for:
    at a million articles, /archive/2017/ took 159 ms (2026's 3 ms), an API page half way down
    60 ms, an article's 上一篇 4.5 ms. Nothing is after now but a few scheduled articles."""

    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="+%(expressions)s", **extra_context)


class ArticleQuerySet(models.QuerySet):
    def published(self, *, now=None):
        """The single definition of what readers may see (at `now`: this moment by default, or
        a `core.prepared.Param` in a prepared query)."""
        if now is None:
            now = timezone.now()
        return self.filter(
            LessThanOrEqual(Unindexed("published_at"), now),
            Q(expire_at__isnull=True) | Q(expire_at__gt=now),
            live=True,
        )

    def in_category(self, category):
        """Articles filed in the category (a Category or its id) or in any category below it,
        keyed for listing by their placement rows (see ArticlePlacement and `latest`)."""
        return self.filter(placements__category=category).alias(
            listed_at=F("placements__published_at"),
            listed_id=F("placements__article_id"),
        )

    def latest(self):
        return self.order_by(*(f"-{name}" for name in self.listing_key))

    def tagged(self, tag_id):
        """Articles carrying the tag, keyed for listing by the tag row's copy of their
        publication time: ordered by it (see `latest`), the database reads the tag's newest rows
        from the (tag, published_at, article) index and stops after a page, where ordering by
        the article's own column would make it read and sort every row of a common tag."""
        return self.filter(tagged_items__tag_id=tag_id).alias(
            listed_at=F("tagged_items__published_at"),
            listed_id=F("tagged_items__content_object_id"),
        )

    @property
    def listing_key(self):
        """The (time, id) fields that order this listing newest first and key its pages."""
        if "listed_at" in self.query.annotations:
            return ("listed_at", "listed_id")
        return ("published_at", "id")

    def for_listing(self):
        """What a list of article cards needs, fetched without N+1 queries."""
        return (
            self.select_related("category", "cover_image")
            .prefetch_related("cover_image__renditions")
            .defer("body")
        )

    def cards(self):
        """Light rows with what an article card shows (listings.ArticleCard), one query."""
        return self.as_rows(listings.ArticleCard)

    def links(self):
        """Light rows with what a headline link shows (listings.ArticleLink), one query."""
        return self.as_rows(listings.ArticleLink)

    def as_rows(self, row_class):
        """Light rows of `row_class` (content.listings), whose `fields` are read, one query."""
        rows = self.values(*row_class.fields)
        rows._iterable_class = listings.ITERABLES[row_class]
        return rows

    def for_detail(self):
        """The article with what its page shows of its own row's relations, in one query (plus
        the cover's renditions). Its child rows are read by `content.queries.article_for_page`.
        Of the translation, the link to it is shown: the rest of its row is left unread."""
        return (
            self.select_related(
                "category",
                "source",
                "cover_image__details",
                "translation__category",
            )
            .prefetch_related("cover_image__renditions")
            .defer(*_unread_of_translation())
        )

    def related_to(self, article):
        """The article's stored related articles (see RelatedArticle), best first."""
        return self.filter(related_listings__article=article).order_by("related_listings__rank")

    def most_read(self):
        return self.order_by("-views", "-published_at", "-id")

    def with_schedule(self):
        """Annotate `scheduled_at`: when a revision approved for publication is due to go live."""
        approved = Revision.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model),
            object_id=Cast(OuterRef("pk"), models.CharField()),
            approved_go_live_at__isnull=False,
        ).order_by("approved_go_live_at")
        return self.annotate(scheduled_at=Subquery(approved.values("approved_go_live_at")[:1]))

    def _scheduled(self):
        return self if "scheduled_at" in self.query.annotations else self.with_schedule()

    def scheduled(self):
        """Articles approved to go live at a time still to come."""
        return self._scheduled().filter(scheduled_at__gt=timezone.now())

    def overdue(self):
        """Articles whose go-live or expiry time has passed without the change being made."""
        now = timezone.now()
        return self._scheduled().filter(
            Q(scheduled_at__lte=now)
            | Q(live=False, first_published_at__isnull=True, go_live_at__lte=now)
            | Q(live=True, expire_at__lte=now)
        )


class Article(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, PreviewableMixin, ClusterableModel
):
    """One news article. Its URL holds its id, so edits never break links."""

    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("Shown as 简介. Left empty, it is taken from the body."),
    )
    body = RichTextField(_("body"), blank=True)
    byline = models.CharField(_("byline"), max_length=255, blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="articles"
    )
    # For queries only (an author's articles); the credits, ordered and with roles, are the
    # `credits` children (ArticleAuthor), edited inline and kept in revisions.
    authors = models.ManyToManyField(
        Author,
        verbose_name=_("authors"),
        blank=True,
        related_name="articles",
        through="ArticleAuthor",
    )
    tags = ClusterTaggableManager(verbose_name=_("tags"), through=ArticleTag, blank=True)
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    # Provenance of a republished article (互联网新闻信息服务管理规定): shown on its page.
    original_title = models.CharField(
        _("original title"),
        max_length=255,
        blank=True,
        help_text=_("The headline where it first appeared; shown when it differs."),
    )
    original_author = models.CharField(
        _("original author"),
        max_length=255,
        blank=True,
        help_text=_("The author where it first appeared; shown when it differs from the byline."),
    )
    responsible_editor = models.CharField(_("responsible editor"), max_length=100, blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    translation = models.OneToOneField(
        "self",
        verbose_name=_("translation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translated_from",
        help_text=_("The same story in another language; each version links to the other."),
    )
    language = models.CharField(
        _("language"), max_length=35, default="zh", help_text=_("A BCP 47 tag: zh, en, …")
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_("Shown on the page; set on first publication when left empty."),
    )
    external_id = models.CharField(
        _("external id"), max_length=200, null=True, blank=True, unique=True, editable=False
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="owned_articles",
    )
    # The counters are written only with F() updates by the engagement app; `save()` leaves them
    # alone so that publishing a revision never writes back a stale count.
    views = models.PositiveBigIntegerField(_("views"), default=0, editable=False)
    likes = models.PositiveBigIntegerField(_("likes"), default=0, editable=False)
    # Approved reader comments (评论(N)), kept by the comments app in the moderation transaction.
    comments = models.PositiveIntegerField(_("comments"), default=0, editable=False)
    excerpt = models.TextField(_("excerpt"), blank=True, editable=False)
    # SimHash of the title and text (content.fingerprint): near-duplicates of any article,
    # however it came in, are caught by it. Written with the excerpt, by the same writers.
    simhash = models.BigIntegerField(_("text fingerprint"), null=True, editable=False)
    # 阅读时间: counted from the body when it is written, not on every render of the page (it
    # read the whole text: 0.2 ms for a page of English, more than the article's query).
    reading_minutes = models.PositiveIntegerField(
        _("reading time in minutes"), default=1, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # 更新时间: when readers' text (title, summary, body, byline, cover) last changed after the
    # article was first published; not touched by counters, drafts or a republish of the same
    # text (see `_note_revision`).
    revised_at = models.DateTimeField(_("revised at"), null=True, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    COUNTER_FIELDS = ("views", "likes", "comments")
    # The stored fields that follow from the text: those `derived_for` gives, and those a save
    # of the text writes with it.
    TEXT_DERIVED_FIELDS = ("excerpt", "simhash", "reading_minutes")

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="article_latest"),
            models.Index(fields=["category", "-published_at", "-id"], name="article_cat_latest"),
            models.Index(fields=["-views", "-id"], name="article_most_read"),
            # The articles written lately, whose fingerprints a new story is compared with.
            models.Index(fields=["created_at"], name="article_created"),
        ]

    def __init__(self, *args, **kwargs):
        # ClusterableModel's constructor lists the model's child relations on every instance,
        # to take children given as keywords. A row read from the database comes as positional
        # values, with no children to take: the listing was 8 µs of each article read.
        if kwargs:
            super().__init__(*args, **kwargs)
        else:
            models.Model.__init__(self, *args)

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.translation_id is not None:
            if self.translation_id == self.pk:
                raise ValidationError({"translation": _("An article cannot translate itself.")})
            other_language = (
                Article.objects.filter(pk=self.translation_id)
                .values_list("language", flat=True)
                .first()
            )
            if other_language == self.language:
                raise ValidationError(
                    {"translation": _("The translation must be in another language.")}
                )

    # What readers read: a change of one of these after publication is an update (更新时间).
    REVISED_FIELDS = ("title", "summary", "body", "byline", "cover_image_id")

    def _note_revision(self, fields):
        """Stamp `revised_at` when a published article's text is saved changed."""
        if self._state.adding or self.pk is None or self.published_at is None or not self.live:
            return fields
        watched = [
            f
            for f in self.REVISED_FIELDS
            if fields is None or f in fields or f.removesuffix("_id") in fields
        ]
        stored = (
            Article.objects.filter(pk=self.pk).values(*watched, "live").first() if watched else None
        )
        if not stored or not stored.pop("live"):
            return fields
        if any(stored[f] != getattr(self, f) for f in watched):
            self.revised_at = timezone.now()
            if fields is not None:
                fields = [*fields, "revised_at"]
        return fields

    def save(self, *args, **kwargs):
        fields = self._note_revision(kwargs.get("update_fields"))
        if fields is not None:
            kwargs["update_fields"] = fields
        pairing = fields is None or bool({"translation", "translation_id"} & set(fields))
        if pairing and self.translation_id is not None:
            # The link is one-to-one: whoever pointed at the new partner lets go first.
            Article.objects.filter(translation_id=self.translation_id).exclude(pk=self.pk).update(
                translation=None
            )
        self.derive_from_text()
        if fields is None or {"title", "summary", "byline", "body"} & set(fields):
            self.simhash = self.fingerprint_for(
                title=self.title, summary=self.summary, byline=self.byline, body=self.body
            )
            if fields is not None:
                kwargs["update_fields"] = fields = [*fields, *self.TEXT_DERIVED_FIELDS]
        if self.live and self.published_at is None:
            # First publication, or a scheduled article going live: dated by its go-live time
            # rather than the scheduler's run.
            self.published_at = self.go_live_at or self.last_published_at or timezone.now()
            if fields is not None:
                kwargs["update_fields"] = fields = [*fields, "published_at"]
        if self.pk and not self._state.adding and kwargs.get("update_fields") is None:
            # The child relations (tags, authors) are named too, or ClusterableModel.save()
            # would not commit them.
            kwargs["update_fields"] = [
                f.attname
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in self.COUNTER_FIELDS
            ] + _child_relation_names(self)
        super().save(*args, **kwargs)
        if fields is None or {"published_at", "category", "category_id"} & set(fields):
            self.refresh_listings()
        if pairing:
            self._pair_translation()
        if saves_seen(fields):
            articles_touch([self.pk])

    def derive_from_text(self):
        """Set the stored fields that readers see and that follow from the text (the excerpt,
        the reading time), as a save does: a preview shows them before the draft is saved."""
        self.excerpt = self.excerpt_for(summary=self.summary, body=self.body, byline=self.byline)
        self.reading_minutes = reading_minutes(self.body)

    @staticmethod
    def excerpt_for(*, summary, body, byline, length=None):
        """The excerpt cards show: the summary, or the body's opening without its byline."""
        return make_excerpt(
            summary or body,
            byline=byline,
            length=length or excerpt_length(),
            is_summary=bool(summary),
        )

    @staticmethod
    def text_for(*, summary, byline, body):
        """The article's plain text as search reads it: summary, byline, then the body.

        The bulk writer (for the fingerprint) and the index right after it (for its tokens)
        ask for the same texts, so those of ordinary length are remembered for a while.
        """
        if len(body) > TEXT_MEMO_MAX_CHARS:
            return _article_text(summary, byline, body)
        return _remembered_article_text(summary, byline, body)

    @classmethod
    def fingerprint_for(cls, *, title, summary="", byline="", body=""):
        """The SimHash of an article's title and text (content.fingerprint), or None."""
        return simhash(title, cls.text_for(summary=summary, byline=byline, body=body))

    @classmethod
    def derived_for(cls, *, title, summary="", byline="", body="", excerpt_length=None):
        """The stored fields derived from an article's text (TEXT_DERIVED_FIELDS), as a dict;
        pure, so that an import can compute them in a worker process."""
        return {
            "excerpt": cls.excerpt_for(
                summary=summary, body=body, byline=byline, length=excerpt_length
            ),
            "simhash": cls.fingerprint_for(title=title, summary=summary, byline=byline, body=body),
            "reading_minutes": reading_minutes(body),
        }

    def refresh_listings(self):
        """Copy the publication time and category onto the rows that list this article
        (tag rows, category placements)."""
        ArticleTag.objects.filter(content_object_id=self.pk).exclude(
            published_at=self.published_at
        ).update(published_at=self.published_at)
        ArticlePlacement.objects.write([(self.pk, self.category_id, self.published_at)])

    def _pair_translation(self):
        """Keep translations symmetric: the partner points back, a former partner lets go."""
        Article.objects.filter(translation_id=self.pk).exclude(pk=self.translation_id).update(
            translation=None
        )
        if self.translation_id is not None:
            Article.objects.filter(pk=self.translation_id).exclude(translation_id=self.pk).update(
                translation=self.pk
            )

    def get_absolute_url(self):
        return reverse(
            "content:article", kwargs={"category_slug": self.category.slug, "pk": self.pk}
        )

    @property
    def cover_file_hash(self):
        """The cover image's content hash: a replaced file gets new renditions, at new addresses."""
        return self.cover_image.file_hash if self.cover_image_id else None

    def shows_revision(self):
        """Whether the page shows 更新时间: the text changed after it was published (a change
        in the first minute is the same news still being filed)."""
        return (
            self.revised_at is not None
            and self.published_at is not None
            and self.revised_at - self.published_at >= REVISION_GRACE
        )

    def is_published(self):
        now = timezone.now()
        return (
            self.live
            and self.published_at is not None
            and self.published_at <= now
            and (self.expire_at is None or self.expire_at > now)
        )

    def is_overdue(self):
        """The row-level twin of `ArticleQuerySet.overdue()`; uses `scheduled_at` when annotated."""
        now = timezone.now()
        if hasattr(self, "scheduled_at"):
            scheduled_at = self.scheduled_at
        else:
            revision = self.scheduled_revision
            scheduled_at = revision.approved_go_live_at if revision else None
        return bool(
            (scheduled_at is not None and scheduled_at <= now)
            or (
                not self.live
                and self.first_published_at is None
                and self.go_live_at is not None
                and self.go_live_at <= now
            )
            or (self.live and self.expire_at is not None and self.expire_at <= now)
        )

    def with_content_json(self, content):
        """A revision carries the text; the counters, the translation link (kept symmetric on the
        live rows, see `_pair_translation`) and a set publication time stay as they are."""
        obj = super().with_content_json(content)
        obj.views, obj.likes, obj.comments = self.views, self.likes, self.comments
        obj.revised_at = self.revised_at
        obj.translation_id = self.translation_id
        if obj.published_at is None:
            obj.published_at = self.published_at
        return obj

    def ordered_authors(self):
        """The credited authors in the editor's order (from the prefetched or in-memory credits)."""
        return [credit.author for credit in self.credits.all()]

    @property
    def credits_labelled(self):
        """Whether the author line names roles: only when someone is credited other than for
        the text (文／王小明 译／李华); a line of writers alone shows their names."""
        return any(not credit.is_writer for credit in self.credits.all())

    def get_preview_template(self, request, mode_name):
        return "content/article_detail.html"

    def get_preview_context(self, request, mode_name):
        self.derive_from_text()
        return {"article": self, "category": self.category, "is_preview": True}

    def serve_preview(self, request, mode_name):
        # The preview passes through the middleware as a public page would, and the public
        # policy's frame-ancestors 'none' would blank the admin's preview panel (a same-site frame).
        response = super().serve_preview(request, mode_name)
        response._csp_replace = {"frame-ancestors": ["'self'"]}
        return response


class Correction(models.Model):
    """An editor's correction notice (更正), kept with its date: readers see every correction
    an article has had, newest first, under the story."""

    article = ParentalKey(Article, on_delete=models.CASCADE, related_name="corrections")
    noted_at = models.DateTimeField(_("date"), default=timezone.now)
    text = models.TextField(
        _("correction"), help_text=_("What was wrong and what the article now says.")
    )

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["-noted_at", "-id"]

    def __str__(self):
        return f"{self.article_id} {self.noted_at:%Y-%m-%d}"


class ArticleAuthor(Orderable):
    """One credit of an article: an author with their role (文, 译, 摄影, 编辑), in the order
    the editor set. A ParentalKey child, so the credits are part of every revision."""

    class Role(models.TextChoices):
        WRITER = "text", pgettext_lazy("credit role", "Text")
        TRANSLATOR = "translation", pgettext_lazy("credit role", "Translation")
        PHOTOGRAPHER = "photography", pgettext_lazy("credit role", "Photography")
        EDITOR = "editing", pgettext_lazy("credit role", "Editing")

    article = ParentalKey(Article, on_delete=models.CASCADE, related_name="credits")
    author = models.ForeignKey(
        Author, verbose_name=_("author"), on_delete=models.CASCADE, related_name="credits"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.WRITER)

    class Meta(Orderable.Meta):
        verbose_name = _("credit")
        verbose_name_plural = _("credits")

    def __str__(self):
        return f"{self.get_role_display()}／{self.author}"

    @staticmethod
    def prefetch():
        """The prefetch of an article's credits with their authors: one query for any number
        of articles, in each article's order."""
        return models.Prefetch("credits", queryset=ArticleAuthor.objects.select_related("author"))

    @property
    def is_writer(self):
        return self.role == self.Role.WRITER


class GalleryImage(Orderable):
    """One picture of an article's photo gallery (图集), in the order the editor set, with its
    caption (图注) and credit (摄影); left empty, the image's own are shown."""

    article = ParentalKey(Article, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(_("photographer"), max_length=200, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("gallery picture")
        verbose_name_plural = _("gallery")

    def __str__(self):
        return self.caption or str(self.image_id)


class ImageDetails(models.Model):
    """An image's caption (图注) and credit (摄影), shown under it wherever it appears: as a
    cover, in a body or in a gallery. A table of its own rather than a custom image model, so
    every foreign key to Wagtail's image (here and in other apps) stays as it is; edited in
    the image form (forms.ImageForm)."""

    image = models.OneToOneField(
        "wagtailimages.Image", on_delete=models.CASCADE, related_name="details", primary_key=True
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(_("photographer"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("image details")
        verbose_name_plural = _("image details")

    def __str__(self):
        return self.caption or str(self.image_id)


class RelatedArticle(models.Model):
    """One entry of an article's 相关文章 list, computed when articles are written (see
    `related.py`) so that the article page reads its list in one query instead of weighing each
    tag's newest articles on every render. Rows of articles taken off the site are dropped by the
    writer; the page still reads the list through `published()`, so an article that expired with
    no save never shows."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="related_rows", db_index=False
    )
    related = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_listings")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "rank"], name="related_unique_rank")
        ]

    def __str__(self):
        return f"{self.article_id} → {self.related_id} (#{self.rank})"
