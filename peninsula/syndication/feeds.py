"""RSS 2.0 and Atom feeds of the latest published articles: site-wide, by category, tag, author."""

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import feedgenerator, timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from taggit.models import Tag
from wagtail.rich_text import expand_db_html

from peninsula.content.models import Article, ArticleAuthor, Author, Category
from peninsula.core.text import strip_control_characters
from peninsula.syndication import metadata

FEED_LENGTH = 50
DC_NS = "http://purl.org/dc/elements/1.1/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
_RELATIVE_URL = re.compile(r"""(\s(?:href|src)=)(["'])(/(?!/)[^"']*)\2""")


def absolutize_urls(html, base):
    """Feed readers show content away from the site, so root-relative links must carry the host."""
    return _RELATIVE_URL.sub(lambda m: f'{m[1]}"{urljoin(base, m[3])}"', html)


class XmlSafe:
    """Feed text without the characters XML forbids, which Django's writer refuses with an
    error: a row written before they were stripped on input must not take the feed down."""

    def __init__(self, *args, **kwargs):
        super().__init__(*strip_control_characters(args), **strip_control_characters(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*strip_control_characters(args), **strip_control_characters(kwargs))


class RssFeed(XmlSafe, feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with Dublin Core creators (RSS's own <author> must be an e-mail address)."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DC_NS, "xmlns:content": CONTENT_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item["creators"]:
            handler.addQuickElement("dc:creator", name)
        if item["origin"] is not None:
            name, url = item["origin"]
            handler.addQuickElement("source", name, {"url": url})
        if item["content_html"] is not None:
            handler.addQuickElement(
                "content:encoded", absolutize_urls(item["content_html"], item["link"])
            )


class AtomFeed(XmlSafe, feedgenerator.Atom1Feed):
    """Atom with one <author> per credited person and the full text in <content> when enabled."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item["creators"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")
        if item["origin"] is not None:
            name, url = item["origin"]
            handler.addQuickElement("link", None, {"rel": "via", "href": url, "title": name})
        if item["content_html"] is not None:
            html = absolutize_urls(item["content_html"], item["link"])
            handler.addQuickElement("content", html, {"type": "html"})


@dataclass(frozen=True)
class FeedScope:
    """What one feed covers; every Feed method receives it as `obj`."""

    title: str
    link: str
    description: str
    articles: QuerySet
    site_name: str


class ArticleFeed(Feed):
    """The site-wide feed; subclasses narrow `scope()` to a category, tag or author."""

    feed_type = RssFeed
    item_guid_is_permalink = True

    def get_object(self, request, slug=None):
        site = metadata.site_settings(request)
        return self.scope(site.site_name, site.tagline, slug)

    def scope(self, site_name, tagline, slug):
        return FeedScope(
            title=site_name,
            link=reverse("content:home"),
            description=tagline or _("The latest articles from %(site)s") % {"site": site_name},
            articles=Article.objects.published(),
            site_name=site_name,
        )

    def title(self, scope):
        return scope.title

    def link(self, scope):
        return scope.link

    def description(self, scope):
        return scope.description

    subtitle = description

    def author_name(self, scope):
        # Atom requires an author for the feed unless every entry has one.
        return scope.site_name

    def items(self, scope):
        return (
            scope.articles.select_related("category", "source")
            .prefetch_related(ArticleAuthor.prefetch(), "tags")
            .latest()[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Readers render a description (RSS) or an html summary (Atom) as HTML; the excerpt is
        # plain text, in which "<script>" typed by an editor must stay text.
        return escape(item.excerpt)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return timezone.localtime(item.published_at)

    def item_updateddate(self, item):
        return timezone.localtime(metadata.modified_at(item))

    def item_categories(self, item):
        return [item.category.name, *metadata.tag_names(item)]

    def item_extra_kwargs(self, item):
        full = settings.PENINSULA_FEED_FULL_CONTENT
        return {
            "creators": metadata.credit_names(item),
            "origin": metadata.origin(item),
            "content_html": expand_db_html(item.body) if full else None,
        }


class ArticleAtomFeed(ArticleFeed):
    feed_type = AtomFeed


class CategoryFeed(ArticleFeed):
    """A category's articles, those of its subcategories included."""

    def scope(self, site_name, tagline, slug):
        category = get_object_or_404(Category, slug=slug)
        return FeedScope(
            title=f"{category.name} - {site_name}",
            link=category.get_absolute_url(),
            description=category.description
            or _("The latest articles in %(category)s") % {"category": category.name},
            articles=Article.objects.published().in_category(category),
            site_name=site_name,
        )


class CategoryAtomFeed(CategoryFeed):
    feed_type = AtomFeed


class TagFeed(ArticleFeed):
    def scope(self, site_name, tagline, slug):
        tag = get_object_or_404(Tag, slug=slug)
        return FeedScope(
            title=f"{tag.name} - {site_name}",
            link=reverse("content:tag", kwargs={"slug": tag.slug}),
            description=_("The latest articles tagged %(tag)s") % {"tag": tag.name},
            articles=Article.objects.published().tagged(tag.pk),
            site_name=site_name,
        )


class TagAtomFeed(TagFeed):
    feed_type = AtomFeed


class AuthorFeed(ArticleFeed):
    def scope(self, site_name, tagline, slug):
        author = get_object_or_404(Author, slug=slug)
        return FeedScope(
            title=f"{author.name} - {site_name}",
            link=author.get_absolute_url(),
            description=_("The latest articles by %(author)s") % {"author": author.name},
            articles=Article.objects.published().filter(authors=author),
            site_name=site_name,
        )


class AuthorAtomFeed(AuthorFeed):
    feed_type = AtomFeed
