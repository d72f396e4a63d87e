"""The `pl` cookie carries the articles a visitor liked, so a returning visitor's view answers
`liked` without reading the database; a missing, altered or borrowed cookie is ignored."""

import json

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from peninsula.content.tests.factories import ArticleFactory
from peninsula.engagement import services, visitors
from peninsula.engagement.models import Like
from peninsula.engagement.tests.test_wsgi import Recorder, call
from peninsula.engagement.wsgi import ViewCounterApp

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def lean():
    return ViewCounterApp(Recorder())


def cookies(**values):
    return "; ".join(f"{name}={value}" for name, value in values.items())


def set_cookie(headers, name):
    value = headers.get("Set-Cookie", "")
    return value.split(";", 1)[0].split("=", 1)[1] if value.startswith(f"{name}=") else None


def signed_visitor(visitor):
    return visitors._signer().sign(visitor)


def test_a_returning_visitor_gets_the_cookie_once_then_costs_no_query(
    lean, django_assert_num_queries
):
    liked, other = ArticleFactory.create_batch(2)
    Like.objects.create(article=liked, visitor_id="a" * 32)
    pv = signed_visitor("a" * 32)
    status, headers, content = call(
        lean, "POST", f"/api/articles/{other.pk}/view", HTTP_COOKIE=cookies(pv=pv)
    )
    assert status == "200 OK"
    assert json.loads(content)["liked"] is False
    pl = set_cookie(headers, visitors.LIKED_COOKIE)
    assert pl is not None
    for article, expected in ((liked, True), (other, False)):
        services.article_is_published(article.pk)  # publication state and totals cached
        services.view_record(article_id=article.pk)
        with django_assert_num_queries(0):
            _, headers, content = call(
                lean, "POST", f"/api/articles/{article.pk}/view", HTTP_COOKIE=cookies(pv=pv, pl=pl)
            )
        assert json.loads(content)["liked"] is expected
        assert "Set-Cookie" not in headers


def test_a_like_sends_the_cookie_with_the_new_article(browser_client, lean):
    first, second = ArticleFactory.create_batch(2)
    browser_client.post(f"/api/articles/{first.pk}/like", b"", "text/plain")
    response = browser_client.post(f"/api/articles/{second.pk}/like", b"", "text/plain")
    pv = browser_client.cookies[visitors.VISITOR_COOKIE].value  # set by the first like
    pl = response.cookies[visitors.LIKED_COOKIE].value
    visitor = visitors._signer().unsign(pv)
    environ = {"HTTP_COOKIE": cookies(pv=pv, pl=pl)}
    assert visitors.liked_from(environ, visitor) == {first.pk, second.pk}


@pytest.mark.parametrize("whose", ["altered", "another visitor's"])
def test_a_cookie_that_is_not_this_visitors_is_ignored(lean, whose):
    article = ArticleFactory()
    Like.objects.create(article=article, visitor_id="b" * 32)
    pl = visitors._liked_value("c" * 32, [article.pk])
    if whose == "altered":
        pl = visitors._liked_value("b" * 32, []).replace("b" * 32, "b" * 31 + "c")
    environ_cookie = cookies(pv=signed_visitor("b" * 32), pl=pl)
    assert visitors.liked_from({"HTTP_COOKIE": environ_cookie}, "b" * 32) is None
    _, headers, content = call(
        lean, "POST", f"/api/articles/{article.pk}/view", HTTP_COOKIE=environ_cookie
    )
    assert json.loads(content)["liked"] is True  # from the database
    assert set_cookie(headers, visitors.LIKED_COOKIE) is not None  # and a valid cookie again


def test_too_many_likes_for_a_cookie_are_read_from_the_database(lean, monkeypatch):
    monkeypatch.setattr(visitors, "MAX_LIKED_IN_COOKIE", 2)
    articles = ArticleFactory.create_batch(3)
    for article in articles:
        Like.objects.create(article=article, visitor_id="d" * 32)
    _, headers, content = call(
        lean,
        "POST",
        f"/api/articles/{articles[0].pk}/view",
        HTTP_COOKIE=cookies(pv=signed_visitor("d" * 32)),
    )
    assert json.loads(content)["liked"] is True
    assert "Set-Cookie" not in headers


def test_the_like_past_the_limit_drops_the_cookie(browser_client, monkeypatch):
    monkeypatch.setattr(visitors, "MAX_LIKED_IN_COOKIE", 1)
    first, second = ArticleFactory.create_batch(2)
    response = browser_client.post(f"/api/articles/{first.pk}/like", b"", "text/plain")
    assert response.cookies[visitors.LIKED_COOKIE].value
    response = browser_client.post(f"/api/articles/{second.pk}/like", b"", "text/plain")
    assert response.cookies[visitors.LIKED_COOKIE].value == ""  # deleted
    answer = browser_client.post(f"/api/articles/{second.pk}/view", b"", "text/plain")
    assert json.loads(answer.content)["liked"] is True
