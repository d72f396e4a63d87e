"""RSS and Atom feeds of a topic's articles, newest first, built on the site's feeds."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from peninsula.content.models import Article
from peninsula.syndication.feeds import ArticleFeed, AtomFeed, FeedScope

from .models import Topic


class TopicFeed(ArticleFeed):
    def scope(self, site_name, tagline, slug):
        topic = get_object_or_404(Topic.objects.published(), slug=slug)
        return FeedScope(
            title=f"{topic.title} - {site_name}",
            link=topic.get_absolute_url(),
            description=topic.introduction
            or _("The latest articles of the topic %(topic)s") % {"topic": topic.title},
            articles=Article.objects.published().filter(pk__in=topic.article_ids()),
            site_name=site_name,
        )


class TopicAtomFeed(TopicFeed):
    feed_type = AtomFeed
