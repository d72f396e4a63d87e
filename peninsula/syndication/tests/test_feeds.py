import xml.etree.ElementTree as ET
from datetime import datetime
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

import feedparser
import pytest
from django.utils import timezone

from peninsula.content.tests.factories import ArticleFactory, AuthorFactory, CategoryFactory
from peninsula.syndication.feeds import FEED_LENGTH

from .factories import make_article

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "dc": "http://purl.org/dc/elements/1.1/",
    "content": "http://purl.org/rss/1.0/modules/content/",
}
SHANGHAI = ZoneInfo("Asia/Shanghai")
PUBLISHED = datetime(2024, 9, 22, 1, 36, 59, tzinfo=SHANGHAI)

pytestmark = pytest.mark.usefixtures("site_settings")


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return response, parsed, ET.fromstring(response.content)


@pytest.fixture
def demo(db):
    kim = AuthorFactory(name="Kim Bo-eun")
    lee = AuthorFactory(name="Lee Hyo-jin")
    return make_article(
        title="Denuke talks may gain impetus with Kim",
        body="<p>By Kim Bo-eun</p><p>Denuclearization talks <a href='/tag/x/'>x</a></p>",
        byline="By Kim Bo-eun",
        language="en",
        published_at=PUBLISHED,
        tags=["朝鲜", "summit"],
        authors=[kim, lee],
    )


def test_rss_is_valid_rss_2_with_dublin_core_creators(client, demo):
    response, parsed, root = fetch(client, "/feeds/rss/")

    assert parsed.version == "rss20"
    assert response["Content-Type"].startswith("application/rss+xml")
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for required in ("title", "link", "description"):
        assert channel.findtext(required)
    assert channel.find("atom:link[@rel='self']", NS).get("href") == "http://testserver/feeds/rss/"
    [item] = channel.findall("item")
    url = "http://testserver" + demo.get_absolute_url()
    assert item.findtext("title") == "Denuke talks may gain impetus with Kim"
    assert item.findtext("link") == url
    guid = item.find("guid")
    assert guid.text == url and guid.get("isPermaLink") == "true"
    assert [c.text for c in item.findall("dc:creator", NS)] == ["Kim Bo-eun", "Lee Hyo-jin"]
    assert {c.text for c in item.findall("category")} == {demo.category.name, "朝鲜", "summit"}
    assert item.findtext("pubDate") == "Sun, 22 Sep 2024 01:36:59 +0800"
    assert parsedate_to_datetime(item.findtext("pubDate")) == PUBLISHED
    assert item.findtext("description") == demo.excerpt
    assert item.find("content:encoded", NS) is None


def test_atom_has_every_required_element(client, demo):
    response, parsed, root = fetch(client, "/feeds/atom/")

    assert parsed.version == "atom10"
    assert response["Content-Type"].startswith("application/atom+xml")
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    for required in ("atom:id", "atom:title", "atom:updated", "atom:author/atom:name"):
        assert root.findtext(required, namespaces=NS)
    [entry] = root.findall("atom:entry", NS)
    url = "http://testserver" + demo.get_absolute_url()
    assert entry.findtext("atom:id", namespaces=NS) == url
    assert entry.find("atom:link[@rel='alternate']", NS).get("href") == url
    assert entry.findtext("atom:published", namespaces=NS).startswith("2024-09-22T01:36:59")
    assert datetime.fromisoformat(entry.findtext("atom:updated", namespaces=NS)) >= PUBLISHED
    assert [a.text for a in entry.findall("atom:author/atom:name", NS)] == [
        "Kim Bo-eun",
        "Lee Hyo-jin",
    ]
    assert {c.get("term") for c in entry.findall("atom:category", NS)} >= {"朝鲜", "summit"}
    assert parsed.entries[0].published_parsed[:6] == (2024, 9, 21, 17, 36, 59)


def test_feeds_hold_only_what_readers_may_see(client):
    shown = ArticleFactory(title="shown")
    ArticleFactory(title="draft", live=False)
    ArticleFactory(title="scheduled", published_at=timezone.now() + timezone.timedelta(hours=2))
    ArticleFactory(title="expired", expire_at=timezone.now() - timezone.timedelta(minutes=1))

    for url in ("/feeds/rss/", "/feeds/atom/"):
        _, parsed, _ = fetch(client, url)
        assert [e.title for e in parsed.entries] == [shown.title]


def test_feed_has_the_latest_fifty_newest_first(client):
    now = timezone.now()
    articles = [
        ArticleFactory(published_at=now - timezone.timedelta(minutes=n))
        for n in range(FEED_LENGTH + 2)
    ]

    _, parsed, _ = fetch(client, "/feeds/rss/")

    assert [e.link for e in parsed.entries] == [
        "http://testserver" + a.get_absolute_url() for a in articles[:FEED_LENGTH]
    ]


def test_category_feed_includes_subcategories(client):
    news = CategoryFactory(name="新闻", slug="news")
    korea = CategoryFactory(name="韩国", slug="korea", parent=news)
    in_parent = ArticleFactory(category=news, title="parent")
    in_child = ArticleFactory(category=korea, title="child")
    ArticleFactory(title="elsewhere")

    for url in ("/feeds/rss/category/news/", "/feeds/atom/category/news/"):
        _, parsed, _ = fetch(client, url)
        assert {e.title for e in parsed.entries} == {in_parent.title, in_child.title}
        assert parsed.feed.title == "新闻 - 半岛新闻网"
        assert parsed.feed.link == "http://testserver/news/"
    _, parsed, _ = fetch(client, "/feeds/rss/category/korea/")
    assert [e.title for e in parsed.entries] == ["child"]


def test_tag_and_author_feeds(client):
    kim = AuthorFactory(name="Kim", slug="kim")
    tagged = make_article(title="tagged", tags=["朝鲜"])
    written = make_article(title="written", authors=[kim])

    _, parsed, _ = fetch(client, "/feeds/rss/tag/朝鲜/")
    assert [e.title for e in parsed.entries] == [tagged.title]
    _, parsed, _ = fetch(client, "/feeds/atom/tag/朝鲜/")
    assert [e.title for e in parsed.entries] == [tagged.title]
    _, parsed, _ = fetch(client, "/feeds/rss/author/kim/")
    assert [e.title for e in parsed.entries] == [written.title]
    _, parsed, _ = fetch(client, "/feeds/atom/author/kim/")
    assert [e.title for e in parsed.entries] == [written.title]


@pytest.mark.parametrize(
    "url",
    ["/feeds/rss/category/nope/", "/feeds/atom/tag/nope/", "/feeds/rss/author/nope/"],
)
def test_unknown_feed_subject_is_404(client, db, url):
    assert client.get(url).status_code == 404


def test_full_content_setting_adds_the_body_with_absolute_links(client, demo, settings):
    settings.PENINSULA_FEED_FULL_CONTENT = True

    _, _, root = fetch(client, "/feeds/rss/")
    encoded = root.find("channel/item/content:encoded", NS).text
    assert "Denuclearization talks" in encoded
    assert 'href="http://testserver/tag/x/"' in encoded
    assert root.findtext("channel/item/description") == demo.excerpt

    _, _, root = fetch(client, "/feeds/atom/")
    content = root.find("atom:entry/atom:content", NS)
    assert content.get("type") == "html" and 'href="http://testserver/tag/x/"' in content.text


def test_empty_site_feed_is_still_valid(client, db):
    _, parsed, root = fetch(client, "/feeds/atom/")
    assert parsed.entries == []
    assert root.findtext("atom:updated", namespaces=NS)


@pytest.mark.parametrize("count", [3, 12])
def test_feed_queries_do_not_grow_with_items(client, django_assert_num_queries, count):
    for _ in range(count):
        make_article(tags=["a", "b"], authors=[AuthorFactory()])

    # Settings, articles with categories, authors, tags.
    with django_assert_num_queries(4):
        fetch(client, "/feeds/rss/")
    with django_assert_num_queries(4):
        fetch(client, "/feeds/atom/")
