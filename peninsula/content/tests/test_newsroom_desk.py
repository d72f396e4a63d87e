"""The editor's fields and lists a newsroom expects (issue 14): 语言 as a list, scheduling to
the minute, names in Chinese order in the sidebar, navigation order set by dragging."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from peninsula.content.models import Article, Category
from peninsula.content.tests.admin_helpers import EDITOR, article_post, article_url, make_user
from peninsula.content.tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_user("zhao", EDITOR, family_name="王", given_name="小明")


def test_language_is_chosen_from_a_list(client, editor):
    client.force_login(editor)
    html = client.get(article_url("add")).content.decode()
    select = re.search(r'<select name="language".*?</select>', html, flags=re.S).group()
    assert '<option value="zh" selected>中文</option>' in select
    assert '<option value="en">English</option>' in select

    category = CategoryFactory()
    refused = client.post(article_url("add"), article_post(category, language="klingon"))
    assert refused.status_code == 200
    assert not Article.objects.exists()
    client.post(article_url("add"), article_post(category, language="en"))
    assert Article.objects.get().language == "en"


def test_an_imported_language_not_in_the_list_stays_choosable(client, editor):
    article = ArticleFactory(language="vi", owner=editor)
    client.force_login(editor)
    html = client.get(article_url("edit", article.pk)).content.decode()
    assert '<option value="vi" selected>vi</option>' in html


def test_scheduling_is_to_the_minute(client, editor):
    article = ArticleFactory(live=False, owner=editor)
    client.force_login(editor)
    html = client.get(article_url("edit", article.pk)).content.decode()
    for name in ("go_live_at", "expire_at", "published_at"):
        assert re.search(rf'<input type="datetime-local" name="{name}"[^>]*step="60"', html), name

    client.post(
        article_url("edit", article.pk),
        article_post(article.category, title=article.title, go_live_at="2030-01-02T09:37"),
    )
    revision = Article.objects.get(pk=article.pk).get_latest_revision_as_object()
    # 09:37 in Asia/Shanghai.
    assert revision.go_live_at == dt.datetime(2030, 1, 2, 1, 37, tzinfo=dt.UTC)
    html = client.get(article_url("edit", article.pk)).content.decode()
    assert 'value="2030-01-02T09:37"' in html


def test_the_sidebar_account_shows_the_name_in_chinese_order(client, editor):
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
        html,
        flags=re.S,
    )
    assert "王小明" in json.loads(props.group(1)).__repr__()


def reorder(client, category, position):
    url = reverse("wagtailsnippets_content_category:reorder", args=[category.pk])
    response = client.post(f"{url}?position={position}")
    assert response.status_code == 200


def test_navigation_order_is_set_by_dragging(client, editor):
    # Categories as they are made: all at sort order 0.
    news, sport, world = (
        CategoryFactory(name=n, slug=s)
        for n, s in [("新闻", "news"), ("体育", "sport"), ("国际", "world")]
    )
    client.force_login(editor)
    listing = client.get(reverse("wagtailsnippets_content_category:list") + "?ordering=sort_order")
    assert listing.status_code == 200
    assert (
        "data-w-orderable" in listing.content.decode() or "w-orderable" in listing.content.decode()
    )

    reorder(client, world, 0)
    assert list(Category.objects.in_navigation()) == [world, news, sport]
    reorder(client, news, 2)
    assert list(Category.objects.in_navigation()) == [world, sport, news]
    reorder(client, world, 99)
    assert list(Category.objects.in_navigation()) == [sport, news, world]


def test_reordering_purges_the_navigation_of_cached_pages(client, editor):
    news = CategoryFactory(name="要闻", slug="news")
    sport = CategoryFactory(name="体育", slug="sport")
    ArticleFactory(category=news)
    before = client.get("/").content.decode()
    assert before.index(">要闻<") < before.index(">体育<")
    client.force_login(editor)
    reorder(client, sport, 0)
    client.logout()
    after = client.get("/").content.decode()
    assert after.index(">体育<") < after.index(">要闻<")


def choices(html):
    return re.findall(r"data-chooser-modal-choice[^>]*>\s*(.*?)\s*</a>", html)


def test_the_category_picker_is_a_searchable_tree(client, editor):
    world = CategoryFactory(name="国际", slug="world", sort_order=1)
    CategoryFactory(name="国内", slug="china", sort_order=0)
    asia = CategoryFactory(name="亚洲", slug="asia", parent=world, sort_order=1)
    CategoryFactory(name="日本", slug="japan", parent=asia)
    CategoryFactory(name="欧洲", slug="europe", parent=world, sort_order=0)
    client.force_login(editor)
    chooser = reverse("wagtailsnippetchoosers_content_category:choose")
    html = json.loads(client.get(chooser).content)["html"]
    assert choices(html) == ["国内", "国际", "国际 / 欧洲", "国际 / 亚洲", "国际 / 亚洲 / 日本"]
    assert 'name="q"' in html

    results = reverse("wagtailsnippetchoosers_content_category:choose_results")
    # A match is shown with its path, so its place in the tree is read at a glance.
    assert choices(client.get(results, {"q": "亚"}).content.decode()) == ["国际 / 亚洲"]
    assert choices(client.get(results, {"q": "日本"}).content.decode()) == ["国际 / 亚洲 / 日本"]
