import base64
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from peninsula.content.tests.factories import ArticleFactory, AuthorFactory, CategoryFactory
from peninsula.core.models import SiteSettings
from peninsula.syndication.tests.factories import make_article

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def site_settings(db):
    return SiteSettings.objects.create()


def get(client, url, status=200, **params):
    response = client.get(url, params)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def ids(page):
    return [item["id"] for item in page["items"]]


def test_list_has_published_articles_newest_first(client):
    now = timezone.now()
    old = ArticleFactory(published_at=now - timezone.timedelta(days=2))
    new = make_article(
        published_at=now - timezone.timedelta(hours=1),
        tags=["朝鲜"],
        authors=[AuthorFactory(name="Kim", slug="kim")],
    )
    ArticleFactory(live=False)
    ArticleFactory(published_at=now + timezone.timedelta(hours=1))

    page = get(client, "/api/v1/articles")

    assert ids(page) == [new.pk, old.pk]
    assert page["next_cursor"] is None
    item = page["items"][0]
    assert item["url"] == "http://testserver" + new.get_absolute_url()
    assert item["category"]["slug"] == new.category.slug
    assert item["authors"] == [
        {
            "id": new.authors.get().pk,
            "name": "Kim",
            "slug": "kim",
            "url": "http://testserver/author/kim/",
        }
    ]
    assert item["tags"] == [
        {"name": "朝鲜", "slug": "朝鲜", "url": "http://testserver/tag/%E6%9C%9D%E9%B2%9C/"}
    ]
    assert item["published_at"].endswith("+08:00")
    assert datetime.fromisoformat(item["published_at"]) == new.published_at.replace(microsecond=0)
    assert "body" not in item


def test_filters_by_category_with_subcategories_tag_author_and_language(client):
    news = CategoryFactory(slug="news")
    korea = CategoryFactory(slug="korea", parent=news)
    kim = AuthorFactory(slug="kim")
    parent = make_article(category=news, language="en", tags=["summit"])
    child = make_article(category=korea, authors=[kim])
    other = ArticleFactory()

    assert set(ids(get(client, "/api/v1/articles", category="news"))) == {parent.pk, child.pk}
    assert ids(get(client, "/api/v1/articles", category="korea")) == [child.pk]
    assert ids(get(client, "/api/v1/articles", category="unknown")) == []
    assert ids(get(client, "/api/v1/articles", tag="summit")) == [parent.pk]
    assert ids(get(client, "/api/v1/articles", author="kim")) == [child.pk]
    assert ids(get(client, "/api/v1/articles", language="en")) == [parent.pk]
    assert set(ids(get(client, "/api/v1/articles", language="zh"))) == {child.pk, other.pk}


def test_date_filters_are_inclusive_days_in_site_time(client):
    # 01:36 in Shanghai is still the 21st in UTC: the filter must use the site's day.
    early = ArticleFactory(published_at=datetime(2024, 9, 22, 1, 36, tzinfo=SHANGHAI))
    late = ArticleFactory(published_at=datetime(2024, 9, 23, 23, 59, tzinfo=SHANGHAI))
    ArticleFactory(published_at=datetime(2024, 9, 21, 23, 59, tzinfo=SHANGHAI))

    page = get(client, "/api/v1/articles", date_from="2024-09-22", date_to="2024-09-23")

    assert ids(page) == [late.pk, early.pk]
    assert ids(get(client, "/api/v1/articles", date_from="2024-09-23")) == [late.pk]


def test_cursor_walks_every_article_once_even_with_equal_times(client):
    same = timezone.now() - timezone.timedelta(hours=1)
    articles = [ArticleFactory(published_at=same) for _ in range(3)]
    articles += [ArticleFactory(published_at=same - timezone.timedelta(minutes=n)) for n in (1, 2)]
    expected = sorted(articles, key=lambda a: (a.published_at, a.pk), reverse=True)

    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = get(client, "/api/v1/articles", **params)
        seen += ids(page)
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert seen == [a.pk for a in expected]
    assert pages == 3


def _b64(text):
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor!",
        "AAAA",
        _b64("[1, 2]"),
        _b64('{"t": "2024-09-22T01:36:59+08:00"}'),
        _b64('{"t": "yesterday", "i": 3}'),
        _b64('{"t": "2024-09-22T01:36:59", "i": 3}'),
        _b64('{"t": "2024-09-22T01:36:59+08:00", "i": "3"}'),
        _b64('{"t": "2024-09-22T01:36:59+08:00", "i": 99999999999999999999999}'),
        _b64('{"o": 20}'),
    ],
)
def test_bad_cursor_is_a_clear_400(client, cursor):
    body = get(client, "/api/v1/articles", status=400, cursor=cursor)
    assert body == {
        "detail": "Invalid cursor: pass the next_cursor value of a previous response unchanged."
    }


@pytest.mark.parametrize(
    "params",
    [{"limit": "0"}, {"limit": "101"}, {"limit": "x"}, {"date_from": "2024-13-01"}, {"tag": "a b"}],
)
def test_bad_parameters_are_a_400_naming_the_parameter(client, params):
    body = get(client, "/api/v1/articles", status=400, **params)
    assert body["detail"].startswith("Invalid request: ")
    assert next(iter(params)) in body["detail"]


def test_detail_has_the_body_and_the_translation(client):
    english = ArticleFactory(language="en", body="<p>Denuclearization talks</p>")
    chinese = ArticleFactory(language="zh", translation=english)
    chinese.save()

    body = get(client, f"/api/v1/articles/{english.pk}")

    assert body["body"] == "<p>Denuclearization talks</p>"
    assert body["translation"] == {
        "id": chinese.pk,
        "language": "zh",
        "url": "http://testserver" + chinese.get_absolute_url(),
    }


@pytest.mark.parametrize("article_id", ["draft", "999999"])
def test_unknown_or_unpublished_article_is_a_json_404(client, article_id):
    draft = ArticleFactory(live=False)
    path = f"/api/v1/articles/{draft.pk if article_id == 'draft' else article_id}"
    assert get(client, path, status=404) == {"detail": "No published article has this id."}


def test_out_of_range_id_is_a_400(client):
    get(client, f"/api/v1/articles/{2**70}", status=400)


def test_categories_are_a_tree(client):
    news = CategoryFactory(name="新闻", slug="news")
    CategoryFactory(name="韩国", slug="korea", parent=news)
    CategoryFactory(name="体育", slug="sports")

    tree = get(client, "/api/v1/categories")

    assert [(c["slug"], [k["slug"] for k in c["children"]]) for c in tree] == [
        ("news", ["korea"]),
        ("sports", []),
    ]
    assert tree[0]["url"] == "http://testserver/news/"


def test_tags_and_authors_count_published_articles(client):
    kim = AuthorFactory(name="Kim", slug="kim")
    AuthorFactory(name="Lee", slug="lee")
    make_article(tags=["朝鲜", "summit"], authors=[kim])
    make_article(tags=["朝鲜"], authors=[kim])
    make_article(tags=["draft"], authors=[kim], live=False)

    tags = get(client, "/api/v1/tags")
    assert [(t["slug"], t["articles"]) for t in tags] == [("朝鲜", 2), ("summit", 1)]
    authors = get(client, "/api/v1/authors")
    assert [(a["slug"], a["articles"]) for a in authors] == [("kim", 2), ("lee", 0)]
    assert [t["slug"] for t in get(client, "/api/v1/tags", limit=1)] == ["朝鲜"]


def test_unknown_endpoint_is_a_json_404(client):
    assert "detail" in get(client, "/api/v1/nothing/here", status=404)


def test_openapi_schema_describes_every_endpoint(client):
    schema = get(client, "/api/v1/openapi.json")

    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/articles",
        "/api/v1/articles/{article_id}",
        "/api/v1/categories",
        "/api/v1/rankings",
        "/api/v1/tags",
        "/api/v1/authors",
    }
    params = {p["name"] for p in schema["paths"]["/api/v1/articles"]["get"]["parameters"]}
    assert params == {
        "q",
        "category",
        "tag",
        "author",
        "language",
        "date_from",
        "date_to",
        "cursor",
        "limit",
    }


def test_docs_page_loads_its_assets_from_this_site(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


@pytest.mark.parametrize("count", [3, 12])
def test_list_queries_do_not_grow_with_the_page(client, django_assert_num_queries, count):
    for _ in range(count):
        make_article(tags=["a"], authors=[AuthorFactory()])

    # Articles with categories, then authors, tags and cover images (prefetched).
    with django_assert_num_queries(3):
        get(client, "/api/v1/articles", limit=20)


def test_search_ranks_like_the_search_page_and_pages_by_cursor(client):
    now = timezone.now()
    body_match = ArticleFactory(
        title="谈判陷入僵局",
        body="<p>朝鲜坚持先解除制裁，美国要求推进无核化。</p>",
        published_at=now - timezone.timedelta(hours=1),
    )
    title_match = ArticleFactory(
        title="朝鲜无核化谈判或获动力",
        body="<p>双方领导人通信。</p>",
        published_at=now - timezone.timedelta(days=3),
    )
    ArticleFactory(title="体育新闻", body="<p>足球比赛。</p>")
    ArticleFactory(title="朝鲜草稿", body="<p>无核化</p>", live=False)

    first = get(client, "/api/v1/articles", q="朝鲜 无核化", limit=1)
    assert ids(first) == [title_match.pk]
    second = get(client, "/api/v1/articles", q="朝鲜 无核化", limit=1, cursor=first["next_cursor"])
    assert ids(second) == [body_match.pk]
    assert second["next_cursor"] is None


def test_search_applies_the_filters_and_rejects_a_date_cursor(client):
    news = CategoryFactory(slug="news")
    inside = ArticleFactory(title="Kim summit talks", category=news, language="en")
    ArticleFactory(title="Kim summit talks again", language="en")
    chronological = get(client, "/api/v1/articles", limit=1)["next_cursor"]

    assert ids(get(client, "/api/v1/articles", q="summit", category="news")) == [inside.pk]
    assert ids(get(client, "/api/v1/articles", q="!!!")) == []
    assert ids(get(client, "/api/v1/articles", q="summit", category="unknown")) == []
    get(client, "/api/v1/articles", status=400, q="summit", cursor=chronological)
