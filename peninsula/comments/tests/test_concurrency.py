"""Posts, moderation and 顶 from many threads at once, each with its own connection: the
article's 评论(N) and each comment's 顶 stay exact."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from peninsula.comments import services
from peninsula.comments.models import Comment, Status, Upvote
from peninsula.content.models import Article
from peninsula.content.tests.factories import ArticleFactory

from .conftest import BROWSER_UA, site_rules

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6
POSTS_PER_THREAD = 8


def _client():
    return Client(HTTP_USER_AGENT=BROWSER_UA, HTTP_SEC_FETCH_SITE="same-origin")


def _in_thread(func):
    def run(*args):
        try:
            return func(*args)
        finally:
            connection.close()

    return run


@_in_thread
def _post_comments(article_id):
    client = _client()
    statuses = []
    for i in range(POSTS_PER_THREAD):
        response = client.post(
            f"/comments/{article_id}/post",
            {"name": "并发", "text": f"评论 {i}"},
            content_type="application/json",
        )
        statuses.append(response.status_code)
    return statuses


@_in_thread
def _upvote(comment_id):
    client = _client()  # a new visitor: its first 顶 counts, its second does not
    return [client.post(f"/api/comments/{comment_id}/up").status_code for _ in range(2)]


@_in_thread
def _moderate(ids, status):
    return services.comments_moderate(ids=ids, status=status)


def _run(func, args):
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(lambda a: func(*a), args))


@pytest.fixture
def unlimited(settings):
    settings.REDIS_URL = ""


def test_concurrent_posts_count_exactly(unlimited):
    site_rules(moderation="post")
    article = ArticleFactory()
    results = _run(_post_comments, [(article.pk,)] * THREADS)
    assert all(status == 201 for statuses in results for status in statuses)
    expected = THREADS * POSTS_PER_THREAD
    assert Comment.objects.public().count() == expected
    assert Article.objects.get(pk=article.pk).comments == expected


def test_concurrent_moderation_counts_each_change_once(unlimited):
    article = ArticleFactory()
    ids = [
        services.comment_post(article=article, name="甲", text=f"待审 {i}").comment.pk
        for i in range(20)
    ]
    # Six moderators approve overlapping halves at once, then reject them at once.
    halves = [(ids[:15], Status.APPROVED), (ids[5:], Status.APPROVED)] * 3
    changed = _run(_moderate, halves)
    assert sum(changed) == 20
    assert Article.objects.get(pk=article.pk).comments == 20
    changed = _run(_moderate, [(ids[:12], Status.REJECTED), (ids[8:], Status.SPAM)] * 3)
    assert Article.objects.get(pk=article.pk).comments == 0
    assert Comment.objects.public().count() == 0


def test_concurrent_upvotes_count_once_per_visitor(unlimited):
    site_rules(moderation="post")
    article = ArticleFactory()
    comment = services.comment_post(article=article, name="甲", text="顶我").comment
    results = _run(_upvote, [(comment.pk,)] * 12)
    assert all(statuses == [200, 200] for statuses in results)
    comment.refresh_from_db()
    assert comment.upvotes == Upvote.objects.filter(comment=comment).count() == 12
    answer = json.loads(_client().get(f"/api/articles/{article.pk}/comments").content)
    assert answer["comments"][0]["upvotes"] == 12
