"""Ordered authors with roles, as the API, the feeds and the JSON-LD give them: in the editor's
order, never sorted by name."""

import xml.etree.ElementTree as ET

import pytest

from peninsula.content.tests.factories import AuthorFactory

from .factories import make_article
from .test_head import page

DC = {"dc": "http://purl.org/dc/elements/1.1/", "atom": "http://www.w3.org/2005/Atom"}


@pytest.fixture
def credited(db):
    """Credits whose order is not the names' order: 王 (文), then 李 (译), then Adams (摄影)."""
    wang = AuthorFactory(name="王小明", slug="wang")
    li = AuthorFactory(name="李华", slug="li")
    adams = AuthorFactory(name="Adams", slug="adams")
    return make_article(
        title="半岛会谈",
        authors=[wang, (li, "translation"), (adams, "photography")],
    )


def test_the_api_lists_authors_in_order_and_their_roles(client, credited):
    [item] = client.get("/api/v1/articles").json()["items"]
    assert [a["slug"] for a in item["authors"]] == ["wang", "li", "adams"]
    assert [(c["author"]["slug"], c["role"]) for c in item["credits"]] == [
        ("wang", "text"),
        ("li", "translation"),
        ("adams", "photography"),
    ]
    assert [c["role_name"] for c in item["credits"]] == ["文", "译", "摄影"]
    detail = client.get(f"/api/v1/articles/{credited.pk}").json()
    assert [c["author"]["name"] for c in detail["credits"]] == ["王小明", "李华", "Adams"]


def test_feeds_credit_the_authors_in_order(client, credited):
    rss = ET.fromstring(client.get("/feeds/rss/").content)
    creators = [c.text for c in rss.find("channel/item").findall("dc:creator", DC)]
    assert creators == ["王小明", "李华", "Adams"]
    atom = ET.fromstring(client.get("/feeds/atom/").content)
    entry = atom.find("atom:entry", DC)
    names = [a.findtext("atom:name", namespaces=DC) for a in entry.findall("atom:author", DC)]
    assert names == ["王小明", "李华", "Adams"]


def test_json_ld_lists_the_authors_in_order(client, site_settings, credited):
    head = page(client, credited.get_absolute_url())
    authors = head.ld("NewsArticle")["author"]
    assert [a["name"] for a in authors] == ["王小明", "李华", "Adams"]
    assert authors[1]["url"] == "http://testserver/author/li/"


def test_an_authors_feed_has_their_articles(client, credited):
    rss = ET.fromstring(client.get("/feeds/rss/author/li/").content)
    assert [i.findtext("title") for i in rss.findall("channel/item")] == ["半岛会谈"]
