"""The 评论审核 queue in the Chinese admin: bulk approve, reject and spam, a reply, the held
comments on the dashboard; an editor's deletion leaves the count right."""

import pytest
from django.urls import reverse

from peninsula.comments import services
from peninsula.comments.models import Comment, Status
from peninsula.content.models import Article
from peninsula.content.tests.admin_helpers import EDITOR, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = make_user("zhao", EDITOR, family_name="赵", given_name="编辑")
    client.force_login(user)
    return user


@pytest.fixture
def held(article):
    return [
        services.comment_post(article=article, name=f"网友{i}", text=f"待审评论{i}").comment
        for i in range(3)
    ]


def count_of(article):
    return Article.objects.values_list("comments", flat=True).get(pk=article.pk)


def bulk(client, action, comments):
    query = "&".join(f"id={c.pk}" for c in comments)
    url = reverse("wagtail_bulk_action", args=("comments", "comment", action)) + "?" + query
    confirm = client.get(url)
    assert confirm.status_code == 200
    return client.post(url)


def test_the_queue_lists_held_comments_in_chinese(client, editor, held):
    url = reverse(Comment.snippet_viewset.get_url_name("list"))
    page = client.get(url, {"status": "pending"}).content.decode()
    assert "<title>评论 - " in page and "待审核" in page and "送审原因" in page
    for comment in held:
        assert comment.text in page
    assert "通过" in page  # the bulk action's name
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "3 条评论待审核" in dashboard
    assert "待审评论0" in dashboard


def test_bulk_approve_reject_and_spam(client, editor, held, article):
    bulk(client, "approve", held[:2])
    assert count_of(article) == 2
    assert Comment.objects.get(pk=held[0].pk).moderated_by == editor
    bulk(client, "reject", held[:1])
    assert count_of(article) == 1
    bulk(client, "spam", held[1:])
    assert count_of(article) == 0
    statuses = list(Comment.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [Status.REJECTED, Status.SPAM, Status.SPAM]


def test_an_editor_replies_and_the_held_comment_is_approved(client, editor, held, article):
    url = reverse("comments_admin:reply", args=[held[0].pk])
    page = client.get(url)
    assert page.status_code == 200 and "待审评论0" in page.content.decode()
    response = client.post(url, {"action": "reply", "text": "感谢指正，已更新。"})
    assert response.status_code == 302
    reply = Comment.objects.get(is_staff_reply=True)
    assert reply.parent_id == held[0].pk and reply.status == Status.APPROVED
    assert reply.name == "赵编辑"
    assert Comment.objects.get(pk=held[0].pk).status == Status.APPROVED
    assert count_of(article) == 2
    client.post(url, {"action": "spam"})
    assert Comment.objects.get(pk=held[0].pk).status == Status.SPAM
    assert count_of(article) == 1


def test_deleting_an_approved_comment_leaves_the_count(client, editor, held, article):
    services.comments_moderate(ids=[c.pk for c in held], status=Status.APPROVED)
    assert count_of(article) == 3
    held[0].delete()
    assert count_of(article) == 2


def test_readers_cannot_moderate(client, held):
    url = reverse("comments_admin:reply", args=[held[0].pk])
    assert client.post(url, {"action": "approve"}).status_code == 302  # to the login page
    assert Comment.objects.get(pk=held[0].pk).status == Status.PENDING
