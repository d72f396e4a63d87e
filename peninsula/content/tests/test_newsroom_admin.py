"""The newsroom an editor would choose (issue 14): where the admin lands, what the article list
tells, tags and categories as Chinese editors type them, review news without a mail server."""

import datetime as dt
import json
import os
import re
import subprocess
import sys

import pytest
import time_machine
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from wagtail.admin.menu import admin_menu
from wagtail.models import WorkflowState

from peninsula.content.models import Category
from peninsula.content.tests.admin_helpers import (
    ADMINISTRATOR,
    AUTHOR,
    EDITOR,
    article_post,
    article_url,
    make_user,
)
from peninsula.content.tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2024, 11, 27, 4, 5, tzinfo=dt.UTC)  # 12:05 in Asia/Shanghai


@pytest.fixture
def editor():
    return make_user("zhao", EDITOR, family_name="王", given_name="小明")


@pytest.fixture
def author():
    return make_user("li", AUTHOR, family_name="李", given_name="华")


def category_url(name, *args):
    return reverse(f"wagtailsnippets_content_category:{name}", args=args)


def submit_and_approve(client, article, *, author, editor):
    client.force_login(author)
    client.post(
        article_url("edit", article.pk),
        article_post(article.category, title=article.title, action="submit"),
    )
    state = WorkflowState.objects.get(status=WorkflowState.STATUS_IN_PROGRESS)
    client.force_login(editor)
    client.post(
        article_url("workflow_action", article.pk, "approve", state.current_task_state.pk),
        {"comment": ""},
    )


def states_by_title(html):
    """{title: state} for each row of the article list."""
    found = {}
    for row in re.findall(r"<tr>.*?</tr>", html, flags=re.S):
        title = re.search(r'<span id="snippet_\d+_title">(.*?)</span>', row)
        state = re.search(r'data-state="(\w+)"', row)
        if title and state:
            found[title.group(1)] = state.group(1)
    return found


@pytest.mark.parametrize("role", [AUTHOR, EDITOR, ADMINISTRATOR])
def test_articles_come_first_in_the_menu_and_the_page_tree_is_gone(role):
    user = make_user("someone", role)
    request = RequestFactory().get("/admin/")
    request.user = user
    items = sorted(admin_menu.menu_items_for_request(request), key=lambda item: item.order)
    names = [item.name for item in items]

    assert names[0] == "articles"
    assert "explorer" not in names and "help" not in names


def test_the_dashboard_offers_write_and_searches_articles(client):
    superuser = make_user("root", None)
    superuser.is_superuser = True
    superuser.save()
    client.force_login(superuser)

    html = client.get(reverse("wagtailadmin_home")).text

    assert f'href="{article_url("add")}" data-newsroom="write"' in html
    assert f'action="{article_url("list")}"' in html
    assert "Search all pages" not in html and "搜索所有页面" not in html
    assert f'href="{reverse("wagtailadmin_explore_root")}' not in html
    assert "editor guide" not in html


def test_the_sidebar_search_goes_to_the_articles(client, editor):
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_home")).text
    sidebar = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S).group(1)
    # telepath packs a string it has already packed (the same URL object) as {"_val": …}.
    assert re.search(
        rf'SearchModule", "_args": \[(\{{"_val": )?"{re.escape(article_url("list"))}"', sidebar
    )


def test_the_list_tells_the_state_of_every_story(client, editor, author):
    category = CategoryFactory(name="国内")
    with time_machine.travel(NOW, tick=False):
        live = ArticleFactory(title="已发布稿", category=category, owner=author)
        live.save_revision(user=editor).publish(user=editor)
        ArticleFactory(title="草稿稿", category=category, live=False, published_at=None)
        withdrawn = ArticleFactory(title="撤下稿", category=category, owner=editor)
        withdrawn.save_revision(user=editor).publish(user=editor)
        withdrawn.refresh_from_db()
        withdrawn.unpublish(user=editor)
        expired = ArticleFactory(title="过期稿", category=category, live=False, expired=True)
        expired.first_published_at = NOW
        expired.save()
        scheduled = ArticleFactory(title="定时稿", category=category, live=False)
        scheduled.go_live_at = NOW + dt.timedelta(days=1)
        scheduled.save_revision(user=editor).publish(user=editor)
        review = ArticleFactory(title="送审稿", category=category, live=False, owner=author)
        client.force_login(author)
        client.post(
            article_url("edit", review.pk),
            article_post(category, title="送审稿", action="submit"),
        )

        client.force_login(editor)
        response = client.get(article_url("list"))

        assert states_by_title(response.text) == {
            "已发布稿": "live",
            "草稿稿": "draft",
            "撤下稿": "withdrawn",
            "过期稿": "expired",
            "定时稿": "scheduled",
            "送审稿": "in_review",
        }
        for state, label in [("live", "已发布"), ("withdrawn", "已撤稿"), ("in_review", "审核中")]:
            assert label in response.text
            filtered = states_by_title(client.get(article_url("list"), {"status": state}).text)
            assert set(filtered.values()) == {state}
        # Absolute times, and the live page one click away.
        assert "2024-11-27 12:05" in response.text
        assert f'href="{live.get_absolute_url()}"' in response.text
        assert "王小明" in response.text and "李华" in response.text
        by_writer = client.get(article_url("list"), {"owner": author.pk}).text
        assert set(states_by_title(by_writer)) == {"已发布稿", "送审稿"}


def test_the_list_shows_the_responsible_editor_who_approved(client, editor, author):
    article = ArticleFactory(title="审稿人测试", owner=author, live=False)
    submit_and_approve(client, article, author=author, editor=editor)
    article.refresh_from_db()
    assert article.live

    listing = client.get(article_url("list")).text
    row = next(r for r in re.findall(r"<tr>.*?</tr>", listing, re.S) if "审稿人测试" in r)
    assert "王小明" in row


def test_the_list_costs_the_same_queries_for_a_page_of_many(
    client, editor, django_assert_max_num_queries
):
    client.force_login(editor)
    ArticleFactory.create_batch(2)
    client.get(article_url("list"))
    with django_assert_max_num_queries(40) as few:
        client.get(article_url("list"))
    few = len(few.captured_queries)  # read now: the next request empties Django's query log
    ArticleFactory.create_batch(20)
    client.get(article_url("list"))  # the new articles' purge cleared this process's memos
    with django_assert_max_num_queries(few):
        client.get(article_url("list"))


def test_the_edit_page_links_to_the_live_article(client, editor):
    live = ArticleFactory(title="线上稿")
    live.save_revision(user=editor).publish(user=editor)
    draft = ArticleFactory(title="未发布稿", live=False, published_at=None)
    client.force_login(editor)

    assert f'href="{live.get_absolute_url()}"' in client.get(article_url("edit", live.pk)).text
    assert 'data-newsroom="view-live"' not in client.get(article_url("edit", draft.pk)).text


def test_tags_split_on_chinese_separators(client, editor):
    article = ArticleFactory(owner=editor)
    client.force_login(editor)

    client.post(
        article_url("edit", article.pk),
        article_post(article.category, tags="港口，航运、东南亚；台风, 物流", action="publish"),
    )

    article.refresh_from_db()
    assert sorted(t.name for t in article.tags.all()) == sorted(
        ["港口", "航运", "东南亚", "台风", "物流"]
    )


def test_a_new_category_gets_a_pinyin_slug(client, editor):
    client.force_login(editor)
    response = client.post(
        category_url("add"),
        {"name": "国际新闻", "slug": "", "parent": "", "description": "", "sort_order": 0},
    )

    assert response.status_code == 302, response.text[:3000]
    assert Category.objects.get(name="国际新闻").slug == "guojixinwen"


def test_deleting_a_category_with_articles_is_refused_with_the_count(client, editor):
    category = CategoryFactory(name="体育")
    ArticleFactory.create_batch(3, category=category)
    client.force_login(editor)

    confirm = client.get(category_url("delete", category.pk))
    refused = client.post(category_url("delete", category.pk), follow=True)

    assert confirm.status_code == 200
    assert "3 篇文章" in confirm.text
    assert f"{article_url('list')}?category={category.pk}" in confirm.text
    assert 'type="submit" class="button serious"' not in confirm.text
    assert refused.status_code == 200 and "没有删除" in refused.text
    assert Category.objects.filter(pk=category.pk).exists()

    empty = CategoryFactory(name="空栏目")
    assert client.post(category_url("delete", empty.pk)).status_code == 302
    assert not Category.objects.filter(pk=empty.pk).exists()


def test_without_a_mail_server_notifications_are_not_mailed():
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    code = "from django.conf import settings; print(settings.EMAIL_BACKEND)"
    backend = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    ).stdout.strip()
    assert backend == "django.core.mail.backends.dummy.EmailBackend"


def test_the_writer_sees_the_review_result_on_the_dashboard(client, editor, author):
    article = ArticleFactory(title="等待结果的稿件", owner=author, live=False)
    submit_and_approve(client, article, author=author, editor=editor)

    client.force_login(author)
    html = client.get(reverse("wagtailadmin_home")).text
    panel = re.search(r'data-newsroom="review-outcomes">(.*?)</div>', html, re.S).group(1)
    assert "等待结果的稿件" in panel and "已通过" in panel and "王小明" in panel


def test_names_read_in_chinese_order(editor):
    assert editor.get_full_name() == "王小明"
    assert editor.get_short_name() == "王小明"
    latin = make_user("ann", None)
    latin.first_name, latin.last_name = "Ann", "Lee"
    assert latin.get_full_name() == "Ann Lee" and latin.get_short_name() == "Ann"


def test_a_live_articles_main_button_publishes(client, editor, author):
    live = ArticleFactory(owner=editor)
    live.save_revision(user=editor).publish(user=editor)
    draft = ArticleFactory(owner=editor, live=False, published_at=None)

    def main_button(user, article):
        client.force_login(user)
        html = client.get(article_url("edit", article.pk)).text
        footer = html[html.index('<footer class="footer') :]
        return re.search(r"<button[^>]*>", footer).group(0)

    assert 'name="action-publish"' in main_button(editor, live)
    assert "action-save" in main_button(editor, draft)
    live.owner = author
    live.save()
    assert "action-save" in main_button(author, live)


def test_the_bell_counts_stories_awaiting_review_for_reviewers(client, editor, author):
    article = ArticleFactory(title="待审的稿件", owner=author, live=False)
    client.force_login(author)
    client.post(
        article_url("edit", article.pk),
        article_post(article.category, title=article.title, action="submit"),
    )

    def sidebar(user):
        client.force_login(user)
        html = client.get(reverse("wagtailadmin_home")).text
        props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S).group(1)
        return json.dumps(json.loads(props), ensure_ascii=False)

    assert "待审核（1）" in sidebar(editor)
    assert f"{article_url('list')}?status=in_review" in sidebar(editor)
    assert "待审核" not in sidebar(author)
