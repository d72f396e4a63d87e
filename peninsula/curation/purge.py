"""Which cached pages show a slot or a topic (docs/caching.md, docs/curation.md)."""

from django.urls import reverse

from peninsula.content.models import Article
from peninsula.pagecache.purge import purge_on_commit
from peninsula.pagecache.store import Purge

from . import shelf
from .models import Slot, SlotEntry, Topic, TopicArticle


def slot_paths(slots):
    """The pages the slots say they are shown on."""
    return {path for slot in slots for path in slot.path_list}


def topic_paths(topic_slug, article_ids):
    """A topic's page and feeds, the topics list, and the pages of its articles (they link to
    the topic)."""
    paths = {reverse("curation:topics")}
    if topic_slug:
        paths |= {
            reverse("curation:topic", kwargs={"slug": topic_slug}),
            reverse("curation:topic-rss", kwargs={"slug": topic_slug}),
            reverse("curation:topic-atom", kwargs={"slug": topic_slug}),
        }
    articles = Article.objects.filter(pk__in=article_ids).select_related("category")
    paths |= {article.get_absolute_url() for article in articles.only("pk", "category__slug")}
    return paths


def purge_paths(paths, prefixes=()):
    """Purge after the commit, and forget this worker's slots at once."""
    shelf.forget()
    if paths or prefixes:
        purge_on_commit(Purge(set(paths), list(prefixes)))


def purge_for_articles(ids):
    """Pages showing these articles through a slot or a topic (the articles' own purge covers
    their usual pages)."""
    slots = Slot.objects.filter(pk__in=SlotEntry.objects.filter(article_id__in=ids).values("slot"))
    topics = Topic.objects.filter(
        pk__in=TopicArticle.objects.filter(article_id__in=ids).values("topic")
    )
    paths = slot_paths(slots)
    for topic in topics.only("slug"):
        paths |= topic_paths(topic.slug, ())
    purge_paths(paths)
