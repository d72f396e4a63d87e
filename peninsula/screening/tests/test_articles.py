"""The lists screen articles: saving warns, publishing a blocked word is refused."""

import pytest

from peninsula.content.models import Article
from peninsula.content.tests.admin_helpers import EDITOR, article_post, article_url, make_user
from peninsula.content.tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = make_user("zhao", EDITOR, family_name="王", given_name="小明")
    client.force_login(user)
    return user


def messages_of(answer):
    return [str(m) for m in answer.context["messages"]] if answer.context else []


def test_saving_a_draft_with_listed_words_warns_and_saves(client, editor, words):
    words({"赌博": "block", "加微信": "hold"})
    category = CategoryFactory()
    answer = client.post(
        article_url("add"),
        article_post(category, title="警惕网络賭博", body="<p>有人让你加 微 信？</p>"),
        follow=True,
    )
    article = Article.objects.get()
    assert article.title == "警惕网络賭博" and not article.live
    warnings = " ".join(messages_of(answer))
    assert "赌博（禁止发布）" in warnings and "加微信（转人工审核）" in warnings


def test_publishing_a_blocked_word_is_refused_on_its_field(client, editor, words):
    words({"赌博": "block"})
    article = ArticleFactory(owner=editor, live=False)
    answer = client.post(
        article_url("edit", article.pk),
        article_post(article.category, title="标题", body="<p>网上賭 博害人</p>", action="publish"),
    )
    assert answer.status_code == 200
    assert "赌博" in str(answer.context["form"].errors["body"])
    article.refresh_from_db()
    assert not article.live


def test_publishing_with_mask_or_hold_words_warns_only(client, editor, words):
    words({"广告": "mask"})
    article = ArticleFactory(owner=editor, live=False)
    answer = client.post(
        article_url("edit", article.pk),
        article_post(article.category, title="广告法修订", action="publish"),
        follow=True,
    )
    article.refresh_from_db()
    assert article.live and article.title == "广告法修订"  # articles are never rewritten
    assert any("广告（替换为＊）" in m for m in messages_of(answer))


def test_a_clean_article_gets_no_warning(client, editor, words):
    words({"赌博": "block"})
    article = ArticleFactory(owner=editor, live=False)
    answer = client.post(
        article_url("edit", article.pk),
        article_post(article.category, title="今日天气", action="publish"),
        follow=True,
    )
    article.refresh_from_db()
    assert article.live
    assert not [m for m in messages_of(answer) if "敏感词" in m]
