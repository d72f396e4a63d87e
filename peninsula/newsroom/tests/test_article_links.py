"""A body link to another article, chosen by title in the link chooser's 内部链接 tab and stored
by id, so that it follows the article to a new address."""

import json

import pytest
from django.urls import reverse
from wagtail.rich_text import expand_db_html

from peninsula.content.models import Article
from peninsula.content.tests.admin_helpers import EDITOR, article_post, article_url, make_user
from peninsula.content.tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_user("zhao", EDITOR)


@pytest.fixture
def target():
    return ArticleFactory(title="港口复航：首批货轮靠泊", category=CategoryFactory(slug="china"))


def test_the_internal_link_tab_lists_articles_searched_by_title(client, editor, target):
    ArticleFactory(title="台风过境")
    ArticleFactory(title="港口草稿", live=False)
    client.force_login(editor)
    chooser = client.get(reverse("wagtailadmin_choose_page"), {"allow_external_link": "true"})
    assert chooser.status_code == 200
    answer = json.loads(chooser.content)
    assert answer["step"] == "browse"
    assert "港口复航：首批货轮靠泊" in answer["html"] and "台风过境" in answer["html"]
    assert "港口草稿" not in answer["html"]
    assert "外部链接" in answer["html"]

    found = client.get(reverse("wagtailadmin_choose_page"), {"q": "港口"}).content.decode()
    assert f'data-id="{target.pk}"' in found
    assert f'data-url="{target.get_absolute_url()}"' in found
    assert "台风过境" not in found
    assert (
        "没有标题含"
        in client.get(reverse("wagtailadmin_choose_page"), {"q": "无此稿"}).content.decode()
    )


def test_the_chooser_is_for_signed_in_editors_only(client):
    assert client.get(reverse("wagtailadmin_choose_page")).status_code == 302


def test_a_chosen_article_is_stored_by_id_and_drawn_with_its_current_address(
    client, editor, target
):
    article = ArticleFactory(live=False, owner=editor)
    client.force_login(editor)
    body = f'<p>详见<a linktype="article" id="{target.pk}">此前报道</a>。</p>'
    client.post(
        article_url("edit", article.pk), article_post(article.category, title="后续", body=body)
    )
    stored = Article.objects.get(pk=article.pk).get_latest_revision_as_object().body
    assert f'<a id="{target.pk}" linktype="article">此前报道</a>' in stored or (
        'linktype="article"' in stored and f'id="{target.pk}"' in stored
    )
    assert f'href="{target.get_absolute_url()}"' in expand_db_html(stored)

    # The editor shows the link with the article's address.
    edit = client.get(article_url("edit", article.pk)).content.decode()
    assert (
        target.get_absolute_url().replace("/", "\\/") in edit or target.get_absolute_url() in edit
    )

    target.category = CategoryFactory(slug="world")
    target.save()
    assert 'href="/world/' in expand_db_html(stored)


def test_a_link_to_an_article_readers_cannot_see_leads_nowhere(target):
    Article.objects.filter(pk=target.pk).update(live=False)
    html = expand_db_html(f'<p><a linktype="article" id="{target.pk}">旧闻</a></p>')
    assert html == "<p><a>旧闻</a></p>"
    assert expand_db_html('<p><a linktype="article" id="999999">无</a></p>') == "<p><a>无</a></p>"


def test_the_reader_page_links_to_the_article(client, target):
    ArticleFactory(
        title="后续报道",
        category=target.category,
        body=f'<p>详见<a linktype="article" id="{target.pk}">此前报道</a>。</p>',
    )
    page = client.get(Article.objects.get(title="后续报道").get_absolute_url())
    assert f'<a href="{target.get_absolute_url()}">此前报道</a>' in page.content.decode()
