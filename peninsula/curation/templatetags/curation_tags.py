"""`{% slot "key" %}` places a slot by its key, so a designer adds one without Python;
`{% article_topics article %}` links an article page to the topics it is in."""

from django import template
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext

from peninsula.core import fragments
from peninsula.syndication import metadata

from .. import shelf
from ..views import Crumb

register = template.Library()


@register.simple_tag(takes_context=True)
def slot(context, key, template_name=None):
    """The slot's current entries through `curation/slots/<kind>.html` (or `template_name`),
    which is given `slot_key`, `name`, `kind` and `items`; nothing when the slot is empty or
    unknown. All slots of a page cost the same few queries (see `shelf`)."""
    view = shelf.shelf().get(key)
    if not view.items:
        return ""
    values = {"slot_key": key, "name": view.name, "kind": view.kind, "items": view.items}
    if template_name is None:
        return fragments.render(context, view.template_name, values, (key, view.digest))
    return fragments.render(context, template_name, values, (key, view.digest))


@register.inclusion_tag("curation/includes/article_topics.html")
def article_topics(article):
    """Links to the published topics the article is in (no query once read, see `shelf`)."""
    return {"topics": shelf.topics_of(article.pk)}


@register.inclusion_tag("syndication/page_head.html", takes_context=True)
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
    return {
        "site": site,
        "title": title,
        "description": description,
        "url": request.build_absolute_uri(request.path),
        "locale": metadata.og_locale(site.default_language),
        "feeds": feeds,
        "json_ld": [metadata.ld_json(data) for data in json_ld],
    }


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
