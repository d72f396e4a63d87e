"""The XSS payload list through the import and the admin's editor: what is stored, and what the
feeds and the read API hand out, carries no script (item 10 of issue 6; the browser half is in
tests/browser/test_xss.py)."""

import json
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from peninsula.content.models import Article
from peninsula.content.tests.admin_helpers import EDITOR, make_user
from peninsula.content.tests.factories import CategoryFactory
from peninsula.core.models import SiteSettings

from .hostile import (
    PAYLOADS,
    html_problems,
    import_payloads,
    post_contentstate,
    post_through_editor,
)

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


@pytest.fixture
def imported():
    SiteSettings.objects.create()
    result = import_payloads()
    assert result.errors == []
    assert result.created == len(PAYLOADS)
    return Article.objects.filter(external_id__startswith="xss-")


@pytest.fixture
def editor_client(client):
    client.force_login(make_user("zhao", EDITOR))
    return client


@pytest.fixture
def edited(editor_client):
    """Articles from the editor whose summaries hold entity-encoded markup: the summary is stored
    as typed and its text, entities decoded, becomes the excerpt that feeds hand out."""
    category = CategoryFactory(slug="editor")
    encoded = [p for p in PAYLOADS if "&" in p]
    for payload in encoded:
        assert post_through_editor(editor_client, category, payload).status_code == 302
    return encoded


def stored_problems(articles):
    return {a.title: problems for a in articles if (problems := html_problems(a.body))}


def test_the_payload_list_is_a_real_list():
    assert len(PAYLOADS) >= 80
    assert len(set(PAYLOADS)) == len(PAYLOADS)


def test_imported_bodies_keep_no_script(imported):
    assert stored_problems(imported) == {}
    # The payloads that are plain text survive as text instead of vanishing.
    article = imported.get(external_id=f"xss-{PAYLOADS.index('javascript:alert(1)')}")
    assert "javascript:alert(1)" in article.body


def test_editor_posts_keep_no_script(editor_client):
    category = CategoryFactory(slug="editor")
    for payload in PAYLOADS:
        response = post_through_editor(editor_client, category, payload)
        assert response.status_code == 302, (payload, response.content[:500])
        response = post_contentstate(editor_client, category, payload)
        assert response.status_code == 302, (payload, response.content[:500])
    articles = Article.objects.filter(category=category)
    assert articles.count() == 2 * len(PAYLOADS)
    assert all(a.live for a in articles)
    assert stored_problems(articles) == {}
    assert {a.title for a in articles} == set(PAYLOADS)


def _feed_html(xml):
    """Every element a feed reader renders as HTML: RSS descriptions and content, Atom html."""
    root = ET.fromstring(xml)
    for item in root.iter("item"):
        yield from (
            el.text or "" for el in (item.find("description"), item.find(CONTENT)) if el is not None
        )
    for entry in root.iter(f"{ATOM}entry"):
        for el in entry:
            if el.get("type") == "html":
                yield el.text or ""


@pytest.mark.parametrize("full_content", [False, True])
@pytest.mark.parametrize("feed", ["syndication:rss", "syndication:atom"])
def test_feeds_carry_payloads_as_text(client, settings, imported, edited, feed, full_content):
    settings.PENINSULA_FEED_FULL_CONTENT = full_content
    response = client.get(reverse(feed))
    assert response.status_code == 200
    fragments = list(_feed_html(response.content))
    assert len(fragments) >= 50
    problems = [(fragment, p) for fragment in fragments if (p := html_problems(fragment))]
    assert problems == []


def test_the_api_hands_out_clean_json(client, imported):
    listing = client.get("/api/v1/articles", {"limit": 100})
    assert listing["Content-Type"] == "application/json; charset=utf-8"
    items = json.loads(listing.content)["items"]
    assert {item["title"] for item in items} == set(PAYLOADS)
    for item in items[:20]:
        detail = client.get(f"/api/v1/articles/{item['id']}")
        assert detail["Content-Type"] == "application/json; charset=utf-8"
        assert html_problems(json.loads(detail.content)["body"]) == []
