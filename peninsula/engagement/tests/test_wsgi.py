"""The lean WSGI path answers view posts like the Django view, and hands everything else on."""

import json

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

from peninsula.content.tests.factories import ArticleFactory
from peninsula.engagement import services
from peninsula.engagement.tests.conftest import BROWSER_UA
from peninsula.engagement.visitors import VISITOR_COOKIE
from peninsula.engagement.wsgi import ViewCounterApp

pytestmark = pytest.mark.django_db


class Recorder:
    """Stands in for Django: records that the request was handed on."""

    def __init__(self):
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        start_response("418 I'm a teapot", [])
        return [b""]


def call(app, method, path, body=b"", **headers):
    headers = {"HTTP_USER_AGENT": BROWSER_UA, "HTTP_SEC_FETCH_SITE": "same-origin", **headers}
    environ = RequestFactory().generic(method, path, body, "text/plain", **headers).environ
    if not body:
        environ["CONTENT_LENGTH"] = ""
    seen = {}

    def start_response(status, response_headers):
        seen["status"], seen["headers"] = status, response_headers

    content = b"".join(app(environ, start_response))
    return seen["status"], dict(seen["headers"]), content


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """As Django's test client does: the test's transaction must outlive each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def lean():
    return ViewCounterApp(Recorder())


def test_a_view_post_is_answered_without_django(lean):
    article = ArticleFactory()
    status, headers, content = call(lean, "POST", f"/api/articles/{article.pk}/view")
    assert status == "200 OK"
    assert json.loads(content) == {"views": 1, "likes": 0, "liked": False}
    assert headers["Cache-Control"] == "no-store"
    assert headers["Set-Cookie"].startswith(f"{VISITOR_COOKIE}=")
    assert "HttpOnly" in headers["Set-Cookie"] and "SameSite=Lax" in headers["Set-Cookie"]
    assert lean.app.calls == 0
    services.counters_flush()  # with Redis, views reach the database in batches
    article.refresh_from_db()
    assert article.views == 1


def test_a_crawler_gets_counts_without_counting(lean):
    article = ArticleFactory()
    status, _, content = call(
        lean, "POST", f"/api/articles/{article.pk}/view", HTTP_USER_AGENT="ClaudeBot/1.0"
    )
    assert status == "200 OK"
    assert json.loads(content)["views"] == 0
    assert lean.app.calls == 0


@pytest.mark.parametrize(
    ("method", "path_suffix", "body", "headers"),
    [
        ("GET", "view", b"", {}),
        ("POST", "like", b"", {}),
        ("POST", "view", b"{oops", {}),
        ("POST", "view", b"", {"HTTP_SEC_FETCH_SITE": "cross-site"}),
    ],
)
def test_everything_else_goes_to_django(lean, method, path_suffix, body, headers):
    article = ArticleFactory()
    status, _, _ = call(lean, method, f"/api/articles/{article.pk}/{path_suffix}", body, **headers)
    assert status.startswith("418")
    article.refresh_from_db()
    assert article.views == 0


def test_a_small_json_object_body_is_answered_without_django(lean):
    article = ArticleFactory()
    status, _, content = call(lean, "POST", f"/api/articles/{article.pk}/view", b'{"a": 1}')
    assert status == "200 OK"
    assert json.loads(content)["views"] == 1
    assert lean.app.calls == 0


def test_a_body_handed_on_can_still_be_read_by_django():
    from config.wsgi import application

    article = ArticleFactory()
    status, _, content = call(application, "POST", f"/api/articles/{article.pk}/view", b"[1]")
    assert status.startswith("400")
    assert json.loads(content)["status"] == 400


def test_unpublished_articles_get_the_404_without_django(lean, client):
    draft = ArticleFactory(live=False)
    status, headers, content = call(lean, "POST", f"/api/articles/{draft.pk}/view")
    assert status == "404 Not Found"
    assert lean.app.calls == 0
    assert headers["Cache-Control"] == "no-store"
    django = client.post(f"/api/articles/{draft.pk}/view", b"", "text/plain")
    assert django.status_code == 404
    assert content == django.content
    assert headers["Content-Language"] == django["Content-Language"]


def test_the_production_entry_point_uses_the_lean_path():
    from config.wsgi import application

    while not isinstance(application, ViewCounterApp):
        application = application.app  # the page cache, when on, wraps the view counter
    assert application.app.__class__.__name__ == "WSGIHandler"


def test_the_lean_path_and_the_view_agree_on_404(client):
    from config.wsgi import application

    status, _, content = call(application, "POST", "/api/articles/424242/view")
    assert status.startswith("404")
    assert json.loads(content)["status"] == 404
