"""Hostile requests on every public endpoint answer 4xx (or a page with a message) and change
nothing stored (item 11 of issue 6): a fixed list of classic attacks, then hypothesis."""

import hashlib
import io
import json
from urllib.parse import quote
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import given
from hypothesis import strategies as st

from peninsula.content.models import Article, Author, Category
from peninsula.content.tests.factories import AuthorFactory, CategoryFactory
from peninsula.core.models import SiteSettings
from peninsula.core.tests.hostile import FUZZ
from peninsula.engagement.models import DailyStat, Like
from peninsula.syndication.tests.factories import make_article

pytestmark = pytest.mark.django_db

# {a} an article id, {c} a category slug, {t} a tag slug, {u} an author slug, {x} the hostile
# value as a path segment; the query parameters each endpoint reads.
ENDPOINTS = [
    ("/", ["page", "before", "after"]),
    ("/{c}/", ["page", "before", "after"]),
    ("/{x}/", ["page"]),
    ("/{c}/{a}.html", ["page"]),
    ("/{c}/{x}.html", []),
    ("/{x}/{a}.html", []),
    ("/tag/{t}/", ["page", "before"]),
    ("/tag/{x}/", []),
    ("/author/{u}/", ["page", "after"]),
    ("/author/{x}/", []),
    ("/archive/2024/", ["page"]),
    ("/archive/{x}/", []),
    ("/archive/2024/{x}/", []),
    ("/search/", ["q", "category", "date_from", "date_to", "page"]),
    ("/feeds/rss/", []),
    ("/feeds/atom/category/{x}/", []),
    ("/feeds/rss/tag/{x}/", []),
    ("/feeds/atom/author/{x}/", []),
    ("/sitemap.xml", ["p"]),
    ("/sitemap-{x}.xml", ["p"]),
    ("/sitemap-articles.xml", ["p"]),
    ("/robots.txt", []),
    ("/api/v1/articles", ["q", "cursor", "limit", "category", "tag", "author", "date_from"]),
    ("/api/v1/articles/{a}", []),
    ("/api/v1/articles/{x}", []),
    ("/api/v1/{x}", []),
    ("/api/v1/categories", []),
    ("/api/v1/tags", ["limit"]),
    ("/api/v1/authors", ["limit"]),
    ("/api/articles/{a}/stats", []),
    ("/api/articles/{x}/stats", []),
    ("/api/articles/{x}/like", []),
    ("/media/{x}", []),
    ("/static/{x}", []),
    ("/documents/{x}/", []),
    ("/i18n/setlang/", ["language", "next"]),
]
HOSTILE = [
    "' OR '1'='1",
    "1 OR 1=1",
    "1; DROP TABLE content_article;--",
    "1' UNION SELECT username, password FROM auth_user--",
    '" OR ""="',
    "1)) OR pg_sleep(5)--",
    "%' AND 1=0 UNION ALL SELECT NULL--",
    "../../etc/passwd",
    "../../../../../../etc/passwd%00.html",
    "..%2f..%2f..%2fetc%2fpasswd",
    "%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "%252e%252e%252fetc%252fpasswd",
    "....//....//etc/passwd",
    "..\\..\\..\\windows\\win.ini",
    "/etc/passwd",
    "file:///etc/passwd",
    "\x00",
    "a\x00b",
    "%00",
    "\r\nSet-Cookie: pwned=1",
    "\ud800",
    "\ufeff\u202e\u200b",
    "аdmin",  # Cyrillic а
    "ｓｃｒｉｐｔ",
    "ℌ𝔢𝔩𝔩𝔬",
    "١٢٣",
    "𝟏𝟐𝟑",
    "-1",
    "0",
    "-9223372036854775809",
    "9223372036854775808",
    "99999999999999999999999999999999",
    "9" * 400,
    "1e309",
    "NaN",
    "Infinity",
    "null",
    "[]",
    '{"$gt": ""}',
    "true",
    "<script>alert(1)</script>",
    "{{7*7}}",
    "${jndi:ldap://127.0.0.1/a}",
    "%s%s%s%n",
    "A" * 5000,
]
# Raw percent-escapes a client sends as they are: invalid UTF-8 and encoded traversal.
RAW_ESCAPES = ["%ff", "%c0%af", "%c0%ae%c0%ae%c0%af", "%ed%a0%80", "%fe%ff", "%2e%2e%2f", "%00"]
ALLOWED = {200, 301, 302, 400, 403, 404, 405, 413}


@pytest.fixture
def site(db):
    SiteSettings.objects.create()
    news = CategoryFactory(slug="news")
    kim = AuthorFactory(slug="kim")
    article = make_article(category=news, tags=["summit"], authors=[kim])
    Article.objects.filter(pk=article.pk).update(views=5, likes=2)
    Like.objects.create(article=article, visitor_id="v" * 32)
    return {
        "a": str(article.pk),
        "c": news.slug,
        "t": article.tags.get().slug,
        "u": kim.slug,
    }


def snapshot():
    """Counts of every stored thing a request could touch, and a hash of the article rows."""
    rows = Article.objects.order_by("pk").values_list()
    digest = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    counts = [m.objects.count() for m in (Article, Category, Author, Like, DailyStat)]
    return digest, counts


def url_for(template, site, segment):
    return template.format(**site, x=segment)


def assert_clean_answer(response, label):
    status = response.status_code
    assert status < 500, (label, status, response.content[:300])
    assert status in ALLOWED, (label, status, response.content[:300])
    if status >= 400:
        kind = response.get("Content-Type", "")
        if kind.startswith("application/json"):
            body = json.loads(response.content)
            assert body.get("detail") or body.get("error"), label
        else:
            assert response.content.strip(), label


def _encoded(value):
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


@pytest.mark.parametrize("template, params", ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_fixed_hostile_values(client, site, template, params):
    before = snapshot()
    for value in HOSTILE:
        encoded = _encoded(value)
        if "{x}" in template:
            for segment in {encoded, quote(value.encode("utf-8", "surrogatepass"), safe="/")}:
                url = url_for(template, site, segment)
                assert_clean_answer(client.get(url), url)
        base = url_for(template, site, "x")
        for name in params:
            url = f"{base}?{name}={encoded}"
            assert_clean_answer(client.get(url), url)
        if params:
            url = base + "?" + "&".join(f"{name}={encoded}" for name in params)
            assert_clean_answer(client.get(url), url)
    for raw in RAW_ESCAPES:
        url = url_for(template, site, raw)
        assert_clean_answer(client.get(url), url)
        for name in params:
            url = f"{url_for(template, site, 'x')}?{name}={raw}"
            assert_clean_answer(client.get(url), url)
    assert snapshot() == before


def test_search_answers_bad_input_with_a_message(client, site):
    for params in ({"date_from": "2024-13-45"}, {"category": "' OR 1=1--"}):
        response = client.get("/search/", params)
        assert response.status_code == 200
        assert b'class="errorlist' in response.content or b"error" in response.content


@pytest.mark.parametrize("url", ["/search/?q=%00", "/tag/a%00b/", "/feeds/rss/tag/x%00/"])
def test_a_nul_character_anywhere_in_the_address_is_refused(client, site, url):
    response = client.get(url)
    assert response.status_code == 400
    assert b"NUL" in response.content


COUNTERS = ["/api/articles/{a}/view", "/api/articles/{a}/like"]
BAD_BODIES = [
    ("application/json", b"[1, 2, 3]"),
    ("application/json", b"\xff\xfe\x00{"),
    ("application/json", b'{"a": "\xc0\xaf"}'),
    (
        "text/xml",
        b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>",
    ),
    ("application/x-www-form-urlencoded", b"a=%ff%c0%af&b=' OR 1=1--"),
    ("application/json", b"' OR '1'='1"),
    ("application/json", b"null"),
    ("application/json", b"9" * 5000),
]


@pytest.mark.parametrize("template", COUNTERS)
def test_counter_posts_with_bad_bodies_change_nothing(client, site, template):
    before = snapshot()
    url = url_for(template, site, "")
    for content_type, body in BAD_BODIES:
        response = client.post(url, body, content_type=content_type)
        assert response.status_code == 400, (content_type, body[:40], response.content[:200])
        assert json.loads(response.content)["error"]
    assert snapshot() == before


@pytest.mark.parametrize(
    "url",
    [
        "/api/articles/{a}/view",
        "/api/articles/{a}/like",
        "/api/articles/{a}/stats",
        "/api/v1/articles",
        "/search/",
        "/",
        "/i18n/setlang/",
    ],
)
@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded"])
def test_oversized_bodies_are_refused_cleanly(client, site, url, content_type):
    before = snapshot()
    body = b"{" + b'"a": "' + b"x" * (3 * 1024 * 1024) + b'"}'
    if content_type != "application/json":
        body = b"a=" + b"x" * (3 * 1024 * 1024)
    response = client.post(url_for(url, site, ""), body, content_type=content_type)
    assert_clean_answer(response, url)
    assert response.status_code in (400, 403, 405, 413), response.status_code
    if url.startswith("/api/"):
        assert response["Content-Type"].startswith("application/json"), response.content[:200]
    assert snapshot() == before


@pytest.mark.parametrize("url", ["/", "/search/", "/api/v1/articles", "/{c}/", "/feeds/rss/"])
def test_oversized_query_strings_are_refused_cleanly(client, site, url):
    before = snapshot()
    for query in ("q=" + "x" * 100_000, "&".join(f"k{n}=v" for n in range(20_000))):
        response = client.get(f"{url_for(url, site, '')}?{query}")
        assert_clean_answer(response, url)
    assert snapshot() == before


@pytest.mark.parametrize("template", ["/api/articles/{a}/view", "/api/articles/{a}/like"])
@pytest.mark.parametrize("method", ["get", "put", "patch", "delete", "options"])
def test_wrong_methods_on_counters(client, site, template, method):
    before = snapshot()
    response = getattr(client, method)(url_for(template, site, ""))
    assert response.status_code == 405
    assert json.loads(response.content)["error"]
    assert snapshot() == before


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
@pytest.mark.parametrize("url", ["/", "/{c}/{a}.html", "/api/v1/articles", "/feeds/rss/"])
def test_wrong_methods_on_pages(client, site, url, method):
    before = snapshot()
    response = getattr(client, method)(url_for(url, site, ""), b"<x/>", content_type="text/xml")
    assert_clean_answer(response, (method, url))
    assert snapshot() == before


# Hypothesis: arbitrary text and bytes as a path segment and as query values.
FUZZ_TEMPLATES = [t for t, _ in ENDPOINTS if "{x}" in t]
FUZZ_QUERIES = [(t, p) for t, p in ENDPOINTS if p]
segments = st.one_of(
    st.text(max_size=60),
    st.binary(max_size=40).map(lambda b: quote(b, safe="")),
    st.sampled_from(HOSTILE + RAW_ESCAPES),
)


@FUZZ
@given(template=st.sampled_from(FUZZ_TEMPLATES), segment=segments)
def test_fuzzed_path_segments(client, site, template, segment):
    before = snapshot()
    encoded = (
        segment if "%" in segment else quote(segment.encode("utf-8", "surrogatepass"), safe="")
    )
    url = url_for(template, site, encoded)
    assert_clean_answer(client.get(url), url)
    assert snapshot() == before


@FUZZ
@given(
    endpoint=st.sampled_from(FUZZ_QUERIES),
    values=st.lists(
        st.one_of(st.text(max_size=60), st.binary(max_size=40)), min_size=1, max_size=3
    ),
)
def test_fuzzed_query_values(client, site, endpoint, values):
    before = snapshot()
    template, params = endpoint
    raw = [v if isinstance(v, bytes) else v.encode("utf-8", "surrogatepass") for v in values]
    query = "&".join(
        f"{name}={quote(value, safe='')}" for name, value in zip(params, raw, strict=False)
    )
    url = f"{url_for(template, site, '')}?{query}"
    assert_clean_answer(client.get(url), url)
    assert snapshot() == before


# The production WSGI stack (page cache and view-counter wrappers around Django), with environs
# built by hand so that raw bytes reach it exactly as a server passes them on.
@pytest.fixture
def wsgi_app(settings, tmp_path, monkeypatch):
    from config.wsgi import application
    from peninsula.pagecache.store import reset_store
    from peninsula.pagecache.wsgi import PageCacheApp

    settings.PAGECACHE_DIR = tmp_path / "pagecache"
    settings.PAGECACHE_KEY_PREFIX = f"test-hostile-{tmp_path.name}"
    reset_store()
    layer = application
    while not isinstance(layer, PageCacheApp):
        layer = layer.app
    monkeypatch.setattr(layer, "_store", None)
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield application
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)
    reset_store()


def call_wsgi(app, raw_path, *, method="GET", query=b"", body=b"", content_type=""):
    environ = {
        "REQUEST_METHOD": method,
        # A server decodes the request target's bytes as latin-1 (PEP 3333).
        "PATH_INFO": raw_path.decode("latin-1"),
        "QUERY_STRING": query.decode("latin-1"),
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": content_type,
        "wsgi.input": io.BytesIO(body),
    }
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = int(status.split()[0]), dict(headers)

    content = b"".join(app(environ, start_response))
    return answer["status"], answer["headers"], content


RAW_PATHS = [
    b"/\xff/",
    b"/\xc0\xaf/",
    b"/news/\xff.html",
    b"/tag/\xed\xa0\x80/",
    b"/../../etc/passwd",
    b"/static/../../etc/passwd",
    b"/media/../../../etc/passwd",
    b"/media/%2e%2e/%2e%2e/etc/passwd",
    b"/static/..%2f..%2fconfig/settings/base.py",
    b"/search/\x00",
    b"/api/articles/\xff/view",
    b"/api/v1/articles/\xc0\xaf",
    b"/feeds/rss/tag/\xff\xfe/",
]


@pytest.mark.parametrize("raw_path", RAW_PATHS)
def test_raw_invalid_bytes_through_the_wsgi_stack(wsgi_app, site, raw_path):
    before = snapshot()
    for method in ("GET", "HEAD", "POST"):
        status, _headers, content = call_wsgi(wsgi_app, raw_path, method=method)
        assert status < 500 and status in ALLOWED, (raw_path, method, status, content[:200])
        assert b"root:" not in content
    status, _, _ = call_wsgi(wsgi_app, b"/", query=b"page=\xff&q=\xc0\xaf&before=%ff")
    assert status in (200, 404)
    assert snapshot() == before


def test_raw_bodies_through_the_wsgi_stack(wsgi_app, site):
    before = snapshot()
    path = f"/api/articles/{site['a']}/view".encode()
    for body, content_type in [
        (b"\xff\xfe\xfd", "application/json"),
        (b"x" * (3 * 1024 * 1024), "application/json"),
        (b"<a/>", "text/xml"),
    ]:
        status, headers, content = call_wsgi(
            wsgi_app, path, method="POST", body=body, content_type=content_type
        )
        assert status in (400, 413), (body[:20], status, content[:200])
        assert headers["Content-Type"].startswith("application/json")
    assert snapshot() == before
