"""`slot("key")` places a slot by its key, so a designer adds one without Python;
`article_topics(article)` links an article page to the topics it is in."""

from django.utils.text import Truncator
from django.utils.translation import gettext
from jinja2.ext import Extension

from jinja2 import pass_context
from peninsula.core import fragments
from peninsula.core import jinja2 as templates
from peninsula.core.reversing import reverse
from peninsula.syndication import metadata
from peninsula.syndication.jinja2tags import listing_head

from . import shelf
from .views import Crumb


def slot(key, template_name=None):
    """The slot's current entries through `curation/slots/<kind>.html` (or `template_name`),
    which is given `slot_key`, `name`, `kind` and `items`; nothing when the slot is empty or
    unknown. All slots of a page cost the same few queries (see `shelf`)."""
    view = shelf.shelf().get(key)
    if not view.items:
        return ""
    values = {"slot_key": key, "name": view.name, "kind": view.kind, "items": view.items}
    return fragments.render(template_name or view.template_name, values, (key, view.digest))


def article_topics(article):
    """Links to the published topics the article is in (no query once read, see `shelf`)."""
    topics = shelf.topics_of(article.pk)
    if not topics:  # most articles are in none
        return ""
    return templates.render("curation/includes/article_topics.html", {"topics": topics})


@pass_context
def topic_head(context, topic=None, sections=()):
    """The head of the topics list, or of a topic: its description, feeds and JSON-LD (a
    CollectionPage listing its articles, and the breadcrumb)."""
    request = context["request"]
    site = metadata.site_settings(request)
    topics = Crumb(gettext("Special topics"), reverse("curation:topics"))
    feeds = [
        {"type": kind, "title": f"{title} ({name})", "href": href}
        for title, links in [(site.site_name, _site_links())]
        + ([(topic.title, _topic_links(topic))] if topic else [])
        for (kind, name), href in links
    ]
    if topic is None:
        title = f"{topics.name} - {site.site_name}"
        description = gettext("Special topics of %(site)s") % {"site": site.site_name}
        trail, json_ld = [topics], []
    else:
        title = f"{topic.title} - {site.site_name}"
        description = Truncator(" ".join(topic.introduction.split())).chars(150) or title
        trail = [topics, Crumb(topic.title, topic.get_absolute_url())]
        json_ld = [collection_page_ld(request, topic, sections, description)]
    json_ld.append(metadata.breadcrumb_ld(request, site, trail))
    return listing_head(
        request, site, title=title, description=description, feeds=feeds, json_ld=json_ld
    )


def _site_links():
    return [
        (("application/rss+xml", "RSS"), reverse("syndication:rss")),
        (("application/atom+xml", "Atom"), reverse("syndication:atom")),
    ]


def _topic_links(topic):
    return [
        (("application/rss+xml", "RSS"), reverse("curation:topic-rss", args=[topic.slug])),
        (("application/atom+xml", "Atom"), reverse("curation:topic-atom", args=[topic.slug])),
    ]


def collection_page_ld(request, topic, sections, description):
    """schema.org CollectionPage: the topic, its sections' articles as one ordered ItemList."""
    articles = [article for _title, listed in sections for article in listed]
    data = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": topic.title,
        "description": description,
        "url": request.build_absolute_uri(topic.get_absolute_url()),
        "dateModified": metadata.w3c_datetime(topic.updated_at),
        "mainEntity": {
            "@type": "ItemList",
            "numberOfItems": len(articles),
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": position,
                    "url": request.build_absolute_uri(article.get_absolute_url()),
                    "name": article.title,
                }
                for position, article in enumerate(articles, start=1)
            ],
        },
    }
    cover = metadata.rendition(topic.cover_image, metadata.COVER_FILTER)
    if cover is not None:
        data["image"] = request.build_absolute_uri(cover.url)
    return data


class CurationExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.globals.update(slot=slot, article_topics=article_topics, topic_head=topic_head)
