"""Sitemaps of everything a reader can open: articles (paged), categories, tags, authors, news."""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from peninsula.content.models import Article, ArticleTag, Author, Category
from peninsula.core.models import SiteSettings
from peninsula.core.text import strip_control_characters
from peninsula.syndication import metadata

# Google reads at most this many URLs from a News sitemap and only those of the last two days.
NEWS_LIMIT = 1000
NEWS_WINDOW = timedelta(days=2)


def _modified(articles):
    """The newest change among `articles`, in one aggregate query."""
    dates = articles.aggregate(
        updated=Max("updated_at"), published=Max("last_published_at"), shown=Max("published_at")
    )
    present = [d for d in dates.values() if d is not None]
    return max(present) if present else None


def _latest_article_in(field):
    """A subquery: the publication time of the newest published article matching OuterRef."""
    return Subquery(
        Article.objects.published()
        .filter(**{field: OuterRef("pk")})
        .order_by("-published_at")
        .values("published_at")[:1]
    )


class ArticleSitemap(Sitemap):
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .select_related("category")
            .only("id", "published_at", "updated_at", "last_published_at", "category__slug")
            .latest()
        )

    def lastmod(self, item):
        return metadata.modified_at(item)

    def get_latest_lastmod(self):
        return _modified(Article.objects.published())


class CategorySitemap(Sitemap):
    def items(self):
        return Category.objects.annotate(latest=_latest_article_in("category")).order_by(
            "sort_order", "id"
        )

    def lastmod(self, item):
        return item.latest

    def get_latest_lastmod(self):
        return None


class TagSitemap(Sitemap):
    """Tags used by at least one published article."""

    def items(self):
        used = ArticleTag.objects.filter(
            tag=OuterRef("pk"), content_object__in=Article.objects.published()
        )
        return Tag.objects.filter(Exists(used)).order_by("slug")

    def location(self, item):
        return reverse("content:tag", kwargs={"slug": item.slug})


class AuthorSitemap(Sitemap):
    def items(self):
        return (
            Author.objects.annotate(latest=_latest_article_in("authors"))
            .filter(latest__isnull=False)
            .order_by("name")
        )

    def lastmod(self, item):
        return item.latest

    def get_latest_lastmod(self):
        return None


class NewsSitemap(Sitemap):
    """Google News: the articles of the last two days, with publication name and language."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .select_related("category")
            .only(
                "id",
                "title",
                "language",
                "published_at",
                "updated_at",
                "last_published_at",
                "category__slug",
            )
            .latest()[:NEWS_LIMIT]
        )

    def lastmod(self, item):
        return metadata.modified_at(item)

    def get_latest_lastmod(self):
        return _modified(
            Article.objects.published().filter(published_at__gte=timezone.now() - NEWS_WINDOW)
        )

    def get_urls(self, page=1, site=None, protocol=None):
        # The texts are cleaned of what XML forbids, as a row may predate that rule on input.
        publication = strip_control_characters(SiteSettings.load().site_name)
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            url["publication"] = publication
            url["title"] = strip_control_characters(url["item"].title)
            url["news_language"] = metadata.news_language(url["item"].language)
        return urls


SITEMAPS = {
    "articles": ArticleSitemap,
    "news": NewsSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}
