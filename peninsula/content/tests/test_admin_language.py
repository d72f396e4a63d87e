"""Every admin page the three roles can open speaks Chinese: no Latin-script sentence outside
what users typed (issue 14; Wagtail's own English is overridden in locale/, docs/newsroom.md)."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Workflow

from peninsula.content.models import Author, Source
from peninsula.content.tests.admin_helpers import (
    ADMINISTRATOR,
    AUTHOR,
    EDITOR,
    article_url,
    make_user,
)
from peninsula.content.tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db

# Three Latin words in a row make a sentence; a lone name or code (zh, URL, PNG) does not.
LATIN_SENTENCE = re.compile(r"[A-Za-z][A-Za-z'’]*(?:[ ,:]+[A-Za-z][A-Za-z'’]*){2,}")
SKIPPED_TAGS = {"script", "style", "svg", "template", "code", "pre"}
SHOWN_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}


class VisibleText(HTMLParser):
    """The text a person reads (and hears from a screen reader) on a page."""

    def __init__(self):
        super().__init__()
        self.hidden, self.parts, self.sidebar = 0, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") == "wagtail-sidebar-props":
            self.sidebar = []
        if tag in SKIPPED_TAGS:
            self.hidden += 1
        self.parts += [value for name, value in attrs.items() if name in SHOWN_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS:
            self.hidden -= 1

    def handle_data(self, data):
        if self.sidebar is not None and not self.sidebar:
            self.sidebar.append(data)
        elif not self.hidden:
            self.parts.append(data)


def menu_labels(props):
    """The sidebar is drawn from JSON: its labels are text too."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            found.extend(v for k, v in node.items() if k in ("label", "help_text") and v)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(props))
    return found


def latin_sentences(html):
    parser = VisibleText()
    parser.feed(html)
    texts = parser.parts + (menu_labels(parser.sidebar[0]) if parser.sidebar else [])
    found = {m.group() for text in texts for m in LATIN_SENTENCE.finditer(text)}
    # A list of codes (AVIF, GIF, JPG) is not a sentence.
    return sorted(s for s in found if not re.fullmatch(r"[A-Z0-9, ]+", s))


@pytest.fixture
def newsroom(migrated):
    category = CategoryFactory(name="国内", slug="china")
    Author.objects.create(name="王记者", slug="wang")
    Source.objects.create(name="新华社")
    users = {
        role: make_user(name, role)
        for role, name in ((AUTHOR, "li"), (EDITOR, "zhao"), (ADMINISTRATOR, "boss"))
    }
    draft = ArticleFactory(title="港口复航", category=category, owner=users[AUTHOR], live=False)
    draft.save_revision(user=users[AUTHOR], log_action=True)
    live = ArticleFactory(title="台风过境", category=category, owner=users[EDITOR])
    live.save_revision(user=users[EDITOR], log_action=True).publish(user=users[EDITOR])
    return {"users": users, "draft": draft, "live": live, "category": category}


@pytest.fixture
def migrated():
    """The roles and the review workflow come from the migrations."""
    assert Workflow.objects.filter(name="审核").exists()


def admin_urls(newsroom):
    draft, live, category = newsroom["draft"], newsroom["live"], newsroom["category"]
    urls = [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_account"),
        article_url("list"),
        article_url("list") + "?status=draft",
        article_url("list") + "?q=没有这样的稿件",
        article_url("add"),
        article_url("history", live.pk),
        reverse("wagtailsnippets_content_category:list"),
        reverse("wagtailsnippets_content_category:list") + "?ordering=sort_order",
        reverse("wagtailsnippets_content_category:add"),
        reverse("wagtailsnippets_content_category:edit", args=[category.pk]),
        reverse("wagtailsnippets_content_category:delete", args=[category.pk]),
        reverse("wagtailsnippets_content_author:list"),
        reverse("wagtailsnippets_content_source:list"),
        reverse("wagtailimages:index"),
        reverse("wagtailimages:add_multiple"),
        reverse("wagtaildocs:index"),
        reverse("wagtailusers_users:index"),
        reverse("wagtailusers_groups:index"),
        reverse("wagtailadmin_workflows:index"),
        reverse("wagtailsnippets_screening_sensitiveword:list"),
        reverse("wagtailsnippets_screening_sensitiveword:add"),
        reverse("wagtailsnippets_screening_sensitiveword:import"),
        reverse("wagtailsnippets_submissions_submission:list"),
        "/admin/settings/screening/screeningsettings/",
        "/admin/settings/submissions/submissionsettings/",
    ]
    for article in (draft, live):
        urls += [
            article_url("edit", article.pk),
            article_url("history", article.pk),
            reverse("newsroom_admin:article_views", args=[article.pk]),
            reverse("newsroom_admin:preview_links", args=[article.pk]),
        ]
    return urls


@pytest.mark.parametrize("role", [AUTHOR, EDITOR, ADMINISTRATOR])
def test_every_admin_page_a_role_opens_is_in_chinese(client, newsroom, role):
    client.force_login(newsroom["users"][role])
    english = {}
    opened = 0
    for url in admin_urls(newsroom):
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        opened += 1
        if found := latin_sentences(response.content.decode()):
            english[url] = found
    assert opened >= 5
    assert english == {}


def test_wagtail_page_roles_are_gone(migrated):
    """Wagtail's English-named groups and workflow for its page tree are not left beside ours."""
    assert set(Group.objects.values_list("name", flat=True)) == {AUTHOR, EDITOR, ADMINISTRATOR}
    assert list(Workflow.objects.values_list("name", flat=True)) == ["审核"]


def test_create_forms_are_headed_in_chinese(client, newsroom):
    """Wagtail's "New: <model>" heading is one Latin word, below the sentence check above."""
    client.force_login(newsroom["users"][EDITOR])
    page = client.get(article_url("add")).content.decode()
    assert "新建：文章" in page
    assert "New:" not in page
