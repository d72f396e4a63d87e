"""The 专题 pages: the list of topics and one topic with its sections."""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from peninsula.content.models import Article
from peninsula.core.http import public_page
from peninsula.core.jinja2 import render_page

from .models import Topic


@dataclass(frozen=True)
class Crumb:
    """A step of the breadcrumb (includes/breadcrumb.html reads `name` and the URL)."""

    name: str
    url: str

    def get_absolute_url(self):
        return self.url


def _crumbs(topic=None):
    crumbs = [Crumb(_("Special topics"), reverse("curation:topics"))]
    if topic is not None:
        crumbs.append(Crumb(topic.title, topic.get_absolute_url()))
    return crumbs


@public_page
def topic_list(request):
    topics = Topic.objects.published().select_related("cover_image")
    return render_page(request, "curation/topic_list.html", {"topics": topics, "crumbs": _crumbs()})


@public_page
def topic_detail(request, slug):
    topic = get_object_or_404(Topic.objects.published().select_related("cover_image"), slug=slug)
    return render_page(
        request,
        "curation/topic_detail.html",
        {"topic": topic, "sections": topic_sections(topic), "crumbs": _crumbs(topic)},
    )


def topic_sections(topic):
    """[(title, [article, …])] with only what readers may see, in one query; empty sections are
    left out."""
    sections = topic.section_ids()
    wanted = {pk for _title, ids in sections for pk in ids}
    articles = Article.objects.published().filter(pk__in=wanted).for_listing().in_bulk()
    shown = [(title, [articles[pk] for pk in ids if pk in articles]) for title, ids in sections]
    return [(title, listed) for title, listed in shown if listed]
