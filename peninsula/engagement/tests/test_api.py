import json

import pytest
from django.utils import timezone

from peninsula.content.models import Article
from peninsula.content.tests.factories import ArticleFactory
from peninsula.core.site import site_defaults
from peninsula.engagement import services
from peninsula.engagement.models import DailyStat, Like
from peninsula.engagement.tests.conftest import BROWSER_UA
from peninsula.engagement.visitors import VISITOR_COOKIE, client_address, is_crawler

pytestmark = pytest.mark.django_db


def url(article_id, action):
    return f"/api/articles/{article_id}/{action}"


def post(client, path, **headers):
    """A post with an empty body, as fetch() and sendBeacon() send it."""
    return client.post(path, b"", content_type="text/plain", **headers)


def test_view_counts_once_and_answers_the_totals(browser_client):
    article = ArticleFactory()
    first = post(browser_client, url(article.pk, "view"))
    second = post(browser_client, url(article.pk, "view"))
    assert first.status_code == 200
    assert first["Content-Type"] == "application/json"
    assert first["Cache-Control"] == "no-store"
    assert json.loads(first.content) == {"views": 1, "likes": 0, "liked": False}
    assert json.loads(second.content)["views"] == 2
    services.counters_flush()  # with Redis, views reach the database in batches
    article.refresh_from_db()
    assert article.views == 2
    day = DailyStat.objects.get(article=article)
    assert (day.day, day.views) == (timezone.localdate(), 2)


def test_view_sets_a_long_lived_httponly_visitor_cookie(browser_client):
    article = ArticleFactory()
    response = post(browser_client, url(article.pk, "view"))
    cookie = response.cookies[VISITOR_COOKIE]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) > 365 * 24 * 3600
    again = post(browser_client, url(article.pk, "view"))
    assert VISITOR_COOKIE not in again.cookies


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; "
        "+https://openai.com/gptbot)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; "
        "+claudebot@anthropic.com)",
        "CCBot/2.0 (https://commoncrawl.org/faq/)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; PerplexityBot/1.0; "
        "+https://perplexity.ai/perplexitybot)",
        "Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile "
        "Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)",
        "meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)",
        "python-requests/2.32.3",
        "",
    ],
)
def test_crawlers_do_not_count_but_get_the_counts(browser_client, user_agent):
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(views=7, likes=2)
    response = post(browser_client, url(article.pk, "view"), HTTP_USER_AGENT=user_agent)
    assert response.status_code == 200
    assert json.loads(response.content)["views"] == 7
    article.refresh_from_db()
    assert article.views == 7
    assert not DailyStat.objects.exists()


def test_browsers_are_not_taken_for_crawlers():
    assert not is_crawler(BROWSER_UA)
    assert not is_crawler(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
    )


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_PURPOSE": "prefetch"},
        {"HTTP_SEC_PURPOSE": "prefetch;prerender"},
        {"HTTP_PURPOSE": "prefetch"},
        {"HTTP_X_MOZ": "prefetch"},
    ],
)
def test_prefetch_and_prerender_do_not_count(browser_client, headers):
    article = ArticleFactory()
    response = post(browser_client, url(article.pk, "view"), **headers)
    assert json.loads(response.content)["views"] == 0
    article.refresh_from_db()
    assert article.views == 0


def test_like_counts_once_per_visitor(browser_client, client):
    article = ArticleFactory()
    first = post(browser_client, url(article.pk, "like"))
    again = post(browser_client, url(article.pk, "like"))
    assert json.loads(first.content) == {"views": 0, "likes": 1, "liked": True}
    assert json.loads(again.content) == {"views": 0, "likes": 1, "liked": True}
    assert Like.objects.filter(article=article).count() == 1
    stats = json.loads(browser_client.get(url(article.pk, "stats")).content)
    assert stats == {"views": 0, "likes": 1, "liked": True}
    assert DailyStat.objects.get(article=article).likes == 1


def test_another_visitor_adds_a_like_and_sees_it_not_yet_liked(browser_client):
    from django.test import Client

    article = ArticleFactory()
    post(browser_client, url(article.pk, "like"))
    other = Client(HTTP_USER_AGENT=BROWSER_UA, HTTP_SEC_FETCH_SITE="same-origin")
    assert json.loads(other.get(url(article.pk, "stats")).content)["liked"] is False
    assert json.loads(post(other, url(article.pk, "like")).content)["likes"] == 2


def test_a_forged_visitor_cookie_gets_a_fresh_visitor(browser_client):
    article = ArticleFactory()
    browser_client.cookies[VISITOR_COOKIE] = "someone-else:forged"
    response = post(browser_client, url(article.pk, "like"))
    assert response.status_code == 200
    assert response.cookies[VISITOR_COOKIE].value != "someone-else:forged"
    assert Like.objects.get().visitor_id != "someone-else"


def test_likes_past_the_rate_answer_429_with_retry_after(browser_client, settings, window_start):
    settings.PENINSULA_LIKE_RATE = "3/m"
    articles = ArticleFactory.create_batch(4)
    statuses = [post(browser_client, url(a.pk, "like")).status_code for a in articles]
    assert statuses == [200, 200, 200, 429]
    refused = post(browser_client, url(articles[0].pk, "like"))
    body = json.loads(refused.content)
    assert refused.status_code == 429
    assert body["status"] == 429 and body["error"]
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert Like.objects.count() == 3


def test_the_rate_limit_is_per_client_address(browser_client, settings, window_start):
    settings.PENINSULA_LIKE_RATE = "1/h"
    article, other = ArticleFactory.create_batch(2)
    assert post(browser_client, url(article.pk, "like"), REMOTE_ADDR="10.0.0.1").status_code == 200
    assert post(browser_client, url(other.pk, "like"), REMOTE_ADDR="10.0.0.1").status_code == 429
    assert post(browser_client, url(other.pk, "like"), REMOTE_ADDR="10.0.0.2").status_code == 200


def test_client_address_trusts_forwarded_for_only_from_trusted_proxies(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    forwarded = {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9, 10.1.1.1"}
    assert client_address({"REMOTE_ADDR": "10.0.0.5", **forwarded}) == "203.0.113.9"
    assert client_address({"REMOTE_ADDR": "198.51.100.7", **forwarded}) == "198.51.100.7"
    settings.TRUSTED_PROXIES = []
    assert client_address({"REMOTE_ADDR": "10.0.0.5", **forwarded}) == "10.0.0.5"


@pytest.mark.parametrize("action", ["view", "like", "stats"])
def test_unknown_and_unpublished_articles_answer_404_json(browser_client, action):
    draft = ArticleFactory(live=False)
    future = ArticleFactory(published_at=timezone.now() + timezone.timedelta(days=1))
    expired = ArticleFactory(expire_at=timezone.now() - timezone.timedelta(minutes=1))
    for article_id in (draft.pk, future.pk, expired.pk, 999_999, 10**30):
        if action == "stats":
            response = browser_client.get(url(article_id, action))
        else:
            response = post(browser_client, url(article_id, action))
        assert response.status_code == 404, article_id
        assert json.loads(response.content)["status"] == 404
    assert Article.objects.filter(views__gt=0).count() == 0
    assert not Like.objects.exists()


def test_an_article_unpublished_after_being_viewed_answers_404(
    browser_client, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    assert post(browser_client, url(article.pk, "view")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        article.live = False
        article.save()
    assert post(browser_client, url(article.pk, "view")).status_code == 404


@pytest.mark.parametrize(
    ("method", "action", "allow"),
    [("get", "view", "POST"), ("put", "like", "POST"), ("post", "stats", "GET, HEAD")],
)
def test_wrong_method_answers_405_json(browser_client, method, action, allow):
    article = ArticleFactory()
    response = getattr(browser_client, method)(url(article.pk, action), b"", "text/plain")
    assert response.status_code == 405
    assert response["Allow"] == allow
    assert json.loads(response.content)["status"] == 405


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '"text"', "\xff\xfe"])
def test_malformed_body_answers_400_json(browser_client, body):
    article = ArticleFactory()
    for action in ("view", "like"):
        response = browser_client.post(url(article.pk, action), body, content_type="text/plain")
        assert response.status_code == 400
        assert json.loads(response.content)["status"] == 400
    article.refresh_from_db()
    assert (article.views, article.likes) == (0, 0)


def test_a_json_object_body_is_accepted(browser_client):
    article = ArticleFactory()
    response = browser_client.post(url(article.pk, "view"), {"referrer": "x"}, "application/json")
    assert json.loads(response.content)["views"] == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_SEC_FETCH_SITE": None, "HTTP_ORIGIN": "https://evil.example"},
    ],
)
def test_cross_site_posts_are_refused(client, headers):
    article = ArticleFactory()
    headers = {k: v for k, v in headers.items() if v is not None}
    for action in ("view", "like"):
        response = post(client, url(article.pk, action), HTTP_USER_AGENT=BROWSER_UA, **headers)
        assert response.status_code == 403
        assert json.loads(response.content)["status"] == 403
    article.refresh_from_db()
    assert (article.views, article.likes) == (0, 0)


def test_same_origin_header_passes(client):
    article = ArticleFactory()
    response = post(
        client, url(article.pk, "like"), HTTP_USER_AGENT=BROWSER_UA, HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code == 200


def test_stats_reads_without_writing(browser_client, django_assert_num_queries):
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(views=3, likes=4)
    site_defaults()  # memoised for seconds: read now, so that only the endpoint's queries count
    with django_assert_num_queries(2):
        response = browser_client.get(url(article.pk, "stats"))
    assert json.loads(response.content) == {"views": 3, "likes": 4, "liked": False}
