"""Page heads for search engines, social networks and feed readers: `article_head()`,
`page_head()`."""

from django.utils.translation import gettext as _
from jinja2.ext import Extension
from taggit.models import Tag

from jinja2 import pass_context
from peninsula.content.models import Author, Category
from peninsula.content.tree import category_tree
from peninsula.core import fragments
from peninsula.core import jinja2 as templates
from peninsula.core.reversing import absolute, reverse
from peninsula.syndication import metadata


def _feed_links(title, rss_name, atom_name, *args):
    return [
        {
            "type": "application/rss+xml",
            "title": f"{title} (RSS)",
            "href": reverse(rss_name, args=args),
        },
        {
            "type": "application/atom+xml",
            "title": f"{title} (Atom)",
            "href": reverse(atom_name, args=args),
        },
    ]


def _site_feeds(site):
    return _feed_links(site.site_name, "syndication:rss", "syndication:atom")


def _site_feed_links(site):
    """The site feed's <link>s, rendered once per process for each site name."""
    return fragments.render(
        "syndication/includes/feed_links.html",
        lambda: {"feeds": _site_feeds(site)},
        ("site", site.site_name),
    )


def _alternates(request, article, url):
    """The article's language versions for hreflang links: itself at `url` and its published
    translation (`Article.save` keeps the link symmetric, so each side names the other); none
    when it has no translation."""
    other = article.translation if article.translation_id else None
    if other is None or not other.is_published() or not article.is_published():
        return []
    return [
        {"lang": article.language, "href": url},
        {"lang": other.language, "href": absolute(request, other.get_absolute_url())},
    ]


@pass_context
def article_head(context, article):
    """Everything an article page's <head> says about the article besides its <title>."""
    if context.get("is_preview"):
        # An unpublished revision has no public URL or publication time to describe.
        return templates.render("syndication/article_head.html", {"is_preview": True})
    request = context["request"]
    site = metadata.site_settings(request)
    cover = metadata.rendition(article.cover_image, metadata.COVER_FILTER)
    url = absolute(request, article.get_absolute_url())
    tags = metadata.tag_names(article)
    published = metadata.w3c_datetime(article.published_at)
    modified = metadata.w3c_datetime(metadata.modified_at(article))
    trail = [*category_tree().ancestors_and_self(article.category_id), article]
    values = {
        "article": article,
        "url": url,
        "site": site,
        "cover": cover,
        "cover_url": absolute(request, cover.url) if cover else "",
        "locale": metadata.og_locale(article.language),
        "published": published,
        "modified": modified,
        "tags": tags,
        "alternates": _alternates(request, article, url),
        "feed_links": _site_feed_links(site),
        "json_ld": [
            metadata.ld_json(
                metadata.news_article_ld(
                    request,
                    article,
                    settings=site,
                    url=url,
                    published=published,
                    modified=modified,
                    keywords=tags,
                    cover=cover,
                )
            ),
            metadata.ld_json(metadata.breadcrumb_ld(request, site, trail)),
        ],
    }
    return templates.render("syndication/article_head.html", values)


@pass_context
def page_head(context, obj=None):
    """The head of a listing page: the site feed, and the feed of `obj` (a category, tag or author).

    Home and category pages also describe the site and the path to the page in JSON-LD. Rendered
    once per process for each version of what it shows (peninsula.core.fragments): the page's
    address, `obj`'s own fields, a category's trail and the site's name, tagline and language.
    """
    request = context["request"]
    site = metadata.site_settings(request)
    trail = []
    if isinstance(obj, Category):
        trail = category_tree(must_contain=obj.pk).ancestors_and_self(obj.pk)
    key = (
        request.scheme,
        request.get_host(),
        request.path,
        _described(obj),
        tuple((c.pk, c.slug, c.name) for c in trail),
        site.site_name,
        site.tagline,
        site.default_language,
    )
    return fragments.render(
        "syndication/page_head.html", lambda: _page_head_values(request, site, obj, trail), key
    )


def _described(obj):
    """What a listing's head shows of its category, tag or author."""
    if isinstance(obj, Category):
        return ("category", obj.pk, obj.slug, obj.name, obj.description)
    if isinstance(obj, Tag):
        return ("tag", obj.pk, obj.slug, obj.name)
    if isinstance(obj, Author):
        return ("author", obj.pk, obj.slug, obj.name, obj.bio)
    return None


def _page_head_values(request, site, obj, trail):
    feeds = _site_feeds(site)
    description = site.tagline
    title = site.site_name
    json_ld = []
    is_home = request.path == reverse("content:home")
    if isinstance(obj, Category):
        feeds += _feed_links(
            obj.name, "syndication:category-rss", "syndication:category-atom", obj.slug
        )
        description = obj.description or _("The latest articles in %(category)s") % {
            "category": obj.name
        }
        title = f"{obj.name} - {site.site_name}"
        json_ld.append(metadata.breadcrumb_ld(request, site, trail))
    elif isinstance(obj, Tag):
        feeds += _feed_links(obj.name, "syndication:tag-rss", "syndication:tag-atom", obj.slug)
        title = f"{obj.name} - {site.site_name}"
    elif isinstance(obj, Author):
        feeds += _feed_links(
            obj.name, "syndication:author-rss", "syndication:author-atom", obj.slug
        )
        description = obj.bio or description
        title = f"{obj.name} - {site.site_name}"
    elif is_home:
        json_ld.append(metadata.breadcrumb_ld(request, site, []))
        # Search engines show this under the site's name; a site without a tagline still has one.
        description = description or _("The latest news from %(site)s") % {"site": site.site_name}
    if is_home or isinstance(obj, Category):
        json_ld.append(metadata.website_ld(request, site))
    return _head_values(
        request, site, title=title, description=description, feeds=feeds, json_ld=json_ld
    )


def listing_head(request, site, *, title, description, feeds, json_ld):
    """syndication/page_head.html for the page `request` asked: its title and description for
    search engines and social networks, its feed links, and its JSON-LD objects."""
    values = _head_values(
        request, site, title=title, description=description, feeds=feeds, json_ld=json_ld
    )
    return templates.render("syndication/page_head.html", values)


def _head_values(request, site, *, title, description, feeds, json_ld):
    return {
        "site": site,
        "title": title,
        "description": description,
        "url": request.build_absolute_uri(request.path),
        "locale": metadata.og_locale(site.default_language),
        "feeds": feeds,
        "json_ld": [metadata.ld_json(data) for data in json_ld],
    }


class SyndicationExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.globals.update(article_head=article_head, page_head=page_head)
        environment.filters["w3c_datetime"] = metadata.w3c_datetime
