"""Which pages show an article, and purging them from every cache tier after the commit."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from peninsula.content.models import Article, ArticleAuthor, Author, Category

from .store import Purge, get_store

log = logging.getLogger(__name__)

# Pages that list every article, or any (the 排行榜): they change whenever any article does.
LISTING_PREFIXES = ("/feeds/", "/sitemap", "/rankings/")
# Past this many articles in one batch, purging everything is cheaper than listing pages.
BULK_LIMIT = 200


@dataclass(frozen=True)
class ArticleState:
    """What decides where an article appears, as it was (before a save) or is (after)."""

    pk: int
    live: bool
    category_id: int
    published_at: object
    tag_slugs: frozenset
    author_slugs: frozenset
    linked_ids: frozenset  # its translation and the article it translates

    @classmethod
    def of(cls, article):
        """The state an instance is about to have (tags and credits may still be in memory)."""
        linked = {article.translation_id}
        linked.update(
            Article.objects.filter(translation_id=article.pk).values_list("pk", flat=True)
        )
        return cls(
            pk=article.pk,
            live=article.live,
            category_id=article.category_id,
            published_at=article.published_at,
            tag_slugs=frozenset(t.slug for t in article.tags.all()),
            author_slugs=_author_slugs(article),
            linked_ids=frozenset(pk for pk in linked if pk),
        )

    @classmethod
    def stored(cls, pk):
        """The state in the database, or None for an article not saved yet."""
        article = Article.objects.filter(pk=pk).prefetch_related(ArticleAuthor.prefetch()).first()
        return cls.of(article) if article is not None else None


def _author_slugs(article):
    """The slugs of the article's credited authors: from the prefetched credits, or in one
    query for credits in memory (a revision's), whatever their number."""
    credits = list(article.credits.all())
    missing = {c.author_id for c in credits if not ArticleAuthor.author.is_cached(c)}
    slugs = {c.author.slug for c in credits if c.author_id not in missing}
    if missing:
        slugs.update(Author.objects.filter(pk__in=missing).values_list("slug", flat=True))
    return frozenset(slugs)


def _reverse(name, **kwargs):
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        log.debug("No URL named %s; nothing to purge there", name)
        return None


def article_paths(state):
    """Every path whose page shows the article in this state."""
    paths = {_reverse("content:home")}
    categories = {c.pk: c for c in Category.objects.select_related("parent")}
    category = categories.get(state.category_id)
    if category is not None:
        paths.add(_reverse("content:article", category_slug=category.slug, pk=state.pk))
        while category is not None:
            paths.add(_reverse("content:category", slug=category.slug))
            category = categories.get(category.parent_id)
    paths.update(_reverse("content:tag", slug=slug) for slug in state.tag_slugs)
    paths.update(_reverse("content:author", slug=slug) for slug in state.author_slugs)
    if state.published_at is not None:
        local = timezone.localtime(state.published_at)
        paths.add(_reverse("content:archive-year", year=local.year))
        # "/3/" redirects to "/03/", the one month page that is cached.
        paths.add(_reverse("content:archive-month", year=local.year, month=f"{local.month:02d}"))
    for linked in Article.objects.filter(pk__in=state.linked_ids).select_related("category"):
        paths.add(linked.get_absolute_url())
    paths.discard(None)
    return paths


def purge_article_states(*states):
    """Purge the pages of each state in which the article is (or was) visible to readers."""
    visible = [s for s in states if s is not None and s.live]
    if not visible:
        return None
    paths = set().union(*(article_paths(s) for s in visible))
    return purge_on_commit(Purge(paths, LISTING_PREFIXES))


def purge_articles(ids, before=None):
    """Purge after articles changed: the pages of their states now and, if given, `before`
    (by id); deleted articles have only the second."""
    if len(ids) > BULK_LIMIT:
        return purge_everything()
    articles = Article.objects.filter(pk__in=ids).prefetch_related("tags", ArticleAuthor.prefetch())
    before = (before or {}).values()
    return purge_article_states(*before, *(ArticleState.of(a) for a in articles))


def purge_everything():
    return purge_on_commit(Purge(prefixes=[""]))


def purge_on_commit(purge):
    transaction.on_commit(lambda: purge_now(purge))
    return purge


def purge_now(purge):
    """Drop the pages from this site's cache and, when configured, from the CDN or proxy."""
    try:
        get_store().purge(purge)
    except Exception:
        # A failed purge must not undo the editor's published change; entries expire anyway.
        log.exception("Page cache purge failed")
    if settings.WAGTAILFRONTENDCACHE:
        from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

        purge_urls_from_cache(frontend_urls(purge))


def frontend_urls(purge):
    """Absolute URLs for the CDN: each path on each site base URL, prefixes as their root."""
    bases = settings.PAGECACHE_FRONTEND_BASE_URLS or [settings.WAGTAILADMIN_BASE_URL]
    roots = {"/sitemap": "/sitemap.xml", "": "/"}
    paths = set(purge.paths) | {roots.get(p, p) for p in purge.prefixes}
    return sorted(base.rstrip("/") + path for base in bases for path in paths)
