"""The comments endpoint of a popular article is served from the page cache, and moderation
purges it: a removed comment is gone from the next answer."""

import json

import pytest

from peninsula.comments import services
from peninsula.comments.models import Status

from .conftest import site_rules

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(store, settings):
    settings.ROOT_URLCONF = "config.urls"  # the page cache's tests use stand-in pages
    site_rules(moderation="post")


def test_moderation_purges_the_cached_comments(
    site,
    wsgi,
    article,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.comment_post(article=article, name="甲", text="第一条").comment
        services.comment_post(article=article, name="乙", text="第二条")
    paths = [
        f"/api/articles/{article.pk}/comments",
        f"/api/articles/{article.pk}/comments/hot",
        f"/comments/{article.pk}/",
    ]
    for path in paths:
        assert wsgi(path).cache == "MISS"
        reply = wsgi(path)
        assert reply.cache == "HIT", path
        assert "第一条" in reply.body
    with django_capture_on_commit_callbacks(execute=True):
        services.comments_moderate(ids=[first.pk], status=Status.REJECTED)
    for path in paths:
        reply = wsgi(path)
        assert reply.cache == "MISS", path
        assert "第一条" not in reply.body
    assert json.loads(wsgi(paths[0]).body)["count"] == 1
    # Posting, moderating and reading leave the article page itself in the cache.
    assert wsgi(article.get_absolute_url()).cache == "MISS"
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_post(article=article, name="丙", text="第三条")
    assert wsgi(article.get_absolute_url()).cache == "HIT"
    assert wsgi(paths[0]).cache == "MISS"


def test_the_answer_to_a_post_is_never_stored(site, wsgi, article):
    for _ in range(2):
        reply = wsgi(f"/comments/{article.pk}/?held=1")
        assert reply.status == 200 and reply.cache is None
