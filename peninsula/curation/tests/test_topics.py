"""专题: the topic page with its ordered sections, the list, feeds, sitemap, JSON-LD and the
article page's links to its topics."""

import json
import re
import xml.etree.ElementTree as ET
from itertools import pairwise

import pytest

from peninsula.content.tests.factories import ArticleFactory
from peninsula.curation.models import TopicArticle

from .factories import TopicFactory, section

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic():
    latest = [ArticleFactory(title="最新：双方恢复会谈"), ArticleFactory(title="最新：联合声明")]
    background = [ArticleFactory(title="背景：停战协定七十年")]
    comment = [ArticleFactory(title="评论：和平的代价", live=False)]
    return TopicFactory(
        title="朝鲜半岛局势",
        slug="korea",
        sections=[
            section("最新进展", latest),
            section("背景", background),
            section("评论", comment),
        ],
    )


def json_ld(html):
    return [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)
    ]


def test_topic_page_shows_sections_in_order_without_unpublished_articles(client, topic):
    response = client.get("/topics/korea/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "朝鲜半岛局势" in html
    positions = [html.index(t) for t in ("最新：双方恢复会谈", "最新：联合声明", "背景：停战")]
    assert positions == sorted(positions)
    assert html.index("最新进展") < html.index("背景")
    assert "评论：和平的代价" not in html
    # A section left with no published article is not shown.
    assert 'id="section-3"' not in html
    assert '<meta name="description" content="半岛局势的最新进展、背景与评论。">' in html
    # Headings in order: one h1, the sections h2, the cards h3.
    levels = [int(level) for level in re.findall(r"<h([1-6])", html)]
    assert levels.count(1) == 1
    assert all(b - a <= 1 for a, b in pairwise(levels))


def test_topic_page_json_ld_is_a_collection_page(client, topic):
    data = json_ld(client.get("/topics/korea/").content.decode())
    page = next(d for d in data if d["@type"] == "CollectionPage")
    assert page["name"] == "朝鲜半岛局势"
    assert page["url"] == "http://testserver/topics/korea/"
    names = [item["name"] for item in page["mainEntity"]["itemListElement"]]
    assert names == ["最新：双方恢复会谈", "最新：联合声明", "背景：停战协定七十年"]
    crumbs = next(d for d in data if d["@type"] == "BreadcrumbList")
    assert crumbs["itemListElement"][-1]["item"] == "http://testserver/topics/korea/"


def test_unpublished_and_unknown_topics_answer_404(client, topic):
    assert client.get("/topics/nope/").status_code == 404
    topic.live = False
    topic.save()
    assert client.get("/topics/korea/").status_code == 404
    assert "朝鲜半岛局势" not in client.get("/topics/").content.decode()


def test_topic_list(client, topic):
    TopicFactory(title="两会", slug="lianghui")
    html = client.get("/topics/").content.decode()
    assert "朝鲜半岛局势" in html and "/topics/korea/" in html and "/topics/lianghui/" in html


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_topic_feed_lists_its_published_articles(client, topic, kind):
    response = client.get(f"/feeds/{kind}/topic/korea/")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    text = ET.tostring(root, encoding="unicode")
    assert "朝鲜半岛局势" in text
    for title in ("最新：双方恢复会谈", "最新：联合声明", "背景：停战协定七十年"):
        assert title in text
    assert "评论：和平的代价" not in text
    assert client.get(f"/feeds/{kind}/topic/nope/").status_code == 404


def test_topic_page_links_its_feeds(client, topic):
    html = client.get("/topics/korea/").content.decode()
    assert 'href="/feeds/rss/topic/korea/"' in html
    assert 'href="/feeds/atom/topic/korea/"' in html


def test_topics_are_in_the_sitemap(client, topic):
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-topics.xml" in index
    section_xml = client.get("/sitemap-topics.xml").content.decode()
    assert "http://testserver/topics/korea/" in section_xml


def test_article_page_links_the_topics_it_is_in(client, topic):
    article = topic_article(topic, "背景：停战协定七十年")
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'href="/topics/korea/"' in html
    other = ArticleFactory()
    assert "/topics/korea/" not in client.get(other.get_absolute_url()).content.decode()


def test_membership_rows_follow_the_sections(topic):
    members = set(TopicArticle.objects.values_list("article__title", flat=True))
    assert "背景：停战协定七十年" in members and len(members) == 4
    topic.sections = [section("最新进展", [topic_article(topic, "最新：联合声明")])]
    topic.save()
    assert list(TopicArticle.objects.values_list("article__title", flat=True)) == ["最新：联合声明"]


def topic_article(topic, title):
    memberships = TopicArticle.objects.filter(topic=topic).select_related("article")
    return next(m.article for m in memberships if m.article.title == title)
