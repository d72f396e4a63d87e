"""Posting, moderation modes, closing, replies and the JSON a page reads."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from peninsula.comments import services
from peninsula.comments.models import (
    ArticleCommentRule,
    CategoryCommentRule,
    Comment,
    Status,
)
from peninsula.content.models import Article
from peninsula.content.tests.factories import ArticleFactory, CategoryFactory

from .conftest import post, site_rules

pytestmark = pytest.mark.django_db


def listing(client, article, suffix="", query=""):
    response = client.get(f"/api/articles/{article.pk}/comments{suffix}{query}")
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def count_of(article):
    return Article.objects.values_list("comments", flat=True).get(pk=article.pk)


def test_pre_moderation_holds_until_an_editor_approves(reader, article):
    response = post(reader, article, text="第一条评论", email="a@example.com")
    assert response.status_code == 202
    assert json.loads(response.content)["status"] == "held"
    assert listing(reader, article)["comments"] == []
    assert count_of(article) == 0

    comment = Comment.objects.get()
    assert comment.status == Status.PENDING and comment.held_reason == "pre-moderation"
    assert services.comments_moderate(ids=[comment.pk], status=Status.APPROVED) == 1
    data = listing(reader, article)
    assert [c["html"] for c in data["comments"]] == ["第一条评论"]
    assert data["count"] == count_of(article) == 1
    assert "a@example.com" not in json.dumps(data)  # the email is never shown

    # Approving twice, then rejecting twice, moves the count once each way.
    assert services.comments_moderate(ids=[comment.pk], status=Status.APPROVED) == 0
    assert count_of(article) == 1
    services.comments_moderate(ids=[comment.pk], status=Status.REJECTED)
    services.comments_moderate(ids=[comment.pk], status=Status.SPAM)
    assert count_of(article) == 0
    assert listing(reader, article)["comments"] == []


def test_post_moderation_shows_at_once_and_is_removable(reader, article, post_moderated):
    response = post(reader, article)
    assert response.status_code == 201
    body = json.loads(response.content)
    assert body["status"] == "approved"
    assert listing(reader, article)["count"] == 1
    services.comments_moderate(ids=[body["comment"]["id"]], status=Status.REJECTED)
    assert listing(reader, article)["comments"] == []
    assert count_of(article) == 0


def test_category_rules_override_the_site_and_the_nearest_wins(reader):
    parent = CategoryFactory(name="国际")
    child = CategoryFactory(name="亚洲", parent=parent)
    article = ArticleFactory(category=child)
    site_rules(moderation="pre")
    CategoryCommentRule.objects.create(category=parent, moderation="post")
    assert post(reader, article).status_code == 201
    CategoryCommentRule.objects.create(category=child, moderation="pre")
    assert post(reader, article).status_code == 202
    ArticleCommentRule.objects.create(article=article, moderation="post")
    assert post(reader, article).status_code == 201


def test_closed_per_article_per_category_and_after_days(
    reader, article, post_moderated, django_capture_on_commit_callbacks
):
    rule = ArticleCommentRule.objects.create(article=article, closed=True)
    response = post(reader, article)
    assert response.status_code == 403
    assert "关闭" in json.loads(response.content)["error"] or "closed" in response.content.decode()
    assert listing(reader, article)["open"] is False
    rule.delete()

    CategoryCommentRule.objects.create(category=article.category, closed=True)
    assert post(reader, article).status_code == 403
    CategoryCommentRule.objects.all().delete()

    site_rules(moderation="post", close_after_days=7)
    with django_capture_on_commit_callbacks(execute=True):  # articles_changed, on commit
        article.published_at = timezone.now() - timedelta(days=8)
        article.save()
    assert post(reader, article).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        article.published_at = timezone.now() - timedelta(days=6)
        article.save()
    assert post(reader, article).status_code == 201
    assert Comment.objects.count() == 1


def test_one_level_of_replies(reader, article, post_moderated):
    first = json.loads(post(reader, article, text="主评论").content)["comment"]["id"]
    reply = json.loads(post(reader, article, text="回复", parent=first).content)["comment"]
    assert reply["parent"] == first
    deeper = json.loads(post(reader, article, text="再回复", parent=reply["id"]).content)
    assert deeper["comment"]["parent"] == first  # a reply to a reply joins the thread
    data = listing(reader, article)
    assert len(data["comments"]) == 1
    assert [r["html"] for r in data["comments"][0]["replies"]] == ["回复", "再回复"]
    assert data["count"] == 3

    other = ArticleFactory()
    response = post(reader, other, text="跨文章回复", parent=first)
    assert response.status_code == 400


def test_newest_and_hottest_orders_and_pages(reader, article, post_moderated):
    site_rules(moderation="post", page_size=2)
    ids = [
        json.loads(post(reader, article, text=f"评论{i}").content)["comment"]["id"]
        for i in range(5)
    ]
    Comment.objects.filter(pk=ids[1]).update(upvotes=9)
    Comment.objects.filter(pk=ids[3]).update(upvotes=5)
    newest = listing(reader, article)
    assert [c["id"] for c in newest["comments"]] == [ids[4], ids[3]]
    assert newest["pages"] == 3
    assert [c["id"] for c in listing(reader, article, query="?page=3")["comments"]] == [ids[0]]
    hottest = listing(reader, article, "/hot")
    assert [c["id"] for c in hottest["comments"]] == [ids[1], ids[3]]
    for query in ("?page=4", "?page=01", "?page=1", "?page=x"):
        assert reader.get(f"/api/articles/{article.pk}/comments{query}").status_code == 404


def test_bad_input_gets_clear_errors(reader, article, post_moderated):
    response = post(reader, article, name="", text="")
    assert response.status_code == 400
    assert set(json.loads(response.content)["fields"]) == {"name", "text"}
    response = post(reader, article, text="字" * 2001)
    assert response.status_code == 400
    response = reader.post(f"/comments/{article.pk}/post", "[1]", content_type="application/json")
    assert response.status_code == 400
    response = reader.post(f"/comments/{article.pk}/post", "{", content_type="application/json")
    assert response.status_code == 400
    assert reader.post("/comments/999999/post", {}).status_code == 404
    cross = post(reader, article, headers={"Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 403
    assert Comment.objects.count() == 0


def test_unpublished_articles_have_no_comments(reader):
    draft = ArticleFactory(live=False)
    assert reader.get(f"/api/articles/{draft.pk}/comments").status_code == 404
    assert post(reader, draft).status_code == 404


def test_upvote_counts_once_per_visitor(reader, article, post_moderated):
    comment_id = json.loads(post(reader, article).content)["comment"]["id"]
    first = reader.post(f"/api/comments/{comment_id}/up")
    assert json.loads(first.content) == {"id": comment_id, "upvotes": 1, "added": True}
    again = reader.post(f"/api/comments/{comment_id}/up")
    assert json.loads(again.content)["upvotes"] == 1
    assert reader.post("/api/comments/999999/up").status_code == 404


def test_the_form_without_javascript(reader, article):
    page = reader.get(f"/comments/{article.pk}/")
    assert page.status_code == 200
    assert 'name="text"' in page.content.decode()
    response = reader.post(f"/comments/{article.pk}/post", {"name": "甲", "text": "无脚本评论"})
    assert response.status_code == 302
    assert response["Location"].endswith("?held=1#comment-form")
    held = reader.get(response["Location"])
    assert "审核" in held.content.decode() or "approved" in held.content.decode()
    bad = reader.post(f"/comments/{article.pk}/post", {"name": "甲", "text": ""})
    assert bad.status_code == 400
    assert "comment-form__error" in bad.content.decode()


def test_the_article_page_and_cards_say_how_many(reader, article, post_moderated):
    post(reader, article)
    page = reader.get(article.get_absolute_url()).content.decode()
    assert f'href="/comments/{article.pk}/"' in page
    assert 'class="js-comment-count">1<' in page
    home = reader.get("/").content.decode()
    assert f'<a class="card__comments" href="/comments/{article.pk}/">' in home


def test_each_article_page_s_comments_section_is_its_own(reader, article, post_moderated):
    """The section is rendered once (comments.jinja2tags) and each article's values filled in:
    its id, its count, where the form posts and where signing in comes back to."""
    other = ArticleFactory(category=article.category)
    post(reader, article)
    for shown, count in [(article, 1), (other, 0), (article, 1)]:
        page = reader.get(shown.get_absolute_url()).content.decode()
        path = shown.get_absolute_url()
        section = page[page.index('<section id="comments"') :]
        assert f'data-article-id="{shown.pk}"' in section
        assert f'<span class="js-comment-count">{count}</span>)</h2>' in section
        assert f'href="/comments/{shown.pk}/">' in section
        assert f'action="/comments/{shown.pk}/post"' in section
        assert f'?next={path}%23comments"' in section
        assert f'name="next" value="{path}#comments"' in section
