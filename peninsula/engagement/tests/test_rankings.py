import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.template import engines
from django.utils import translation

from peninsula.content.models import Article
from peninsula.content.tests.factories import ArticleFactory, CategoryFactory
from peninsula.engagement import jobs, rankings
from peninsula.engagement.models import DailyStat, HourlyStat, Ranking
from peninsula.engagement.services import hour_start

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# 00:30 on 10 March in Shanghai is still 9 March in UTC: days follow the site's time zone.
NOW = dt.datetime(2025, 3, 10, 0, 30, tzinfo=SHANGHAI)


def daily(article, day, views, likes=0):
    DailyStat.objects.create(article=article, day=day, views=views, likes=likes)


def ids(kind, category=None):
    return [item["id"] for item in rankings.compute(kind, category and category.pk, now=NOW)]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def articles(frozen):
    published = NOW - dt.timedelta(days=30)
    a, b, c = (ArticleFactory(published_at=published + dt.timedelta(minutes=i)) for i in range(3))
    today, yesterday = dt.date(2025, 3, 10), dt.date(2025, 3, 9)
    daily(a, today, 5)
    daily(b, yesterday, 8)
    daily(c, today - dt.timedelta(days=2), 50)
    daily(a, today - dt.timedelta(days=7), 1000)  # outside every window
    Article.objects.filter(pk=a.pk).update(views=1005, likes=1)
    Article.objects.filter(pk=b.pk).update(views=8, likes=9)
    Article.objects.filter(pk=c.pk).update(views=50, likes=1)
    return a, b, c


def test_trending_windows_count_calendar_days_in_the_site_time_zone(articles):
    a, b, c = articles
    assert ids("trending_7d") == [c.pk, b.pk, a.pk]
    scores = {i["id"]: i["count"] for i in rankings.compute("trending_7d", now=NOW)}
    assert scores == {a.pk: 5, b.pk: 8, c.pk: 50}
    assert ids("trending_30d") == [a.pk, c.pk, b.pk]


def test_the_7_day_window_moves_at_midnight(articles):
    a, _b, _c = articles
    a_week_later = NOW + dt.timedelta(days=6)
    with time_machine.travel(a_week_later, tick=False):
        assert [i["id"] for i in rankings.compute("trending_7d", now=a_week_later)] == [a.pk]


def test_all_time_and_most_liked_rankings(articles):
    a, b, c = articles
    assert ids("most_read") == [a.pk, c.pk, b.pk]
    # Equal likes: the more recently published article first.
    assert ids("most_liked") == [b.pk, c.pk, a.pk]


def test_unpublished_articles_never_appear(articles):
    _a, b, _c = articles
    b.live = False
    b.save()
    future = ArticleFactory(published_at=NOW + dt.timedelta(hours=1))
    daily(future, dt.date(2025, 3, 10), 999)
    Article.objects.filter(pk=future.pk).update(views=999, likes=999)
    for kind in rankings.KINDS:
        assert b.pk not in ids(kind)
        assert future.pk not in ids(kind)


def test_category_rankings_include_subcategories(frozen):
    news = CategoryFactory()
    world = CategoryFactory(parent=news)
    other = CategoryFactory()
    in_news = ArticleFactory(category=news)
    in_world = ArticleFactory(category=world)
    elsewhere = ArticleFactory(category=other)
    for views, article in enumerate((in_news, in_world, elsewhere), start=1):
        Article.objects.filter(pk=article.pk).update(views=views)
        daily(article, dt.date(2025, 3, 10), views)
        HourlyStat.objects.create(article=article, hour=hour_start(NOW), views=views)
    for kind in ("most_read", "trending_24h", "trending_7d", "trending_30d"):
        assert ids(kind, news) == [in_world.pk, in_news.pk]
        assert ids(kind, world) == [in_world.pk]
        assert ids(kind) == [elsewhere.pk, in_world.pk, in_news.pk]


def test_the_job_precomputes_every_list_and_requests_only_read_them(
    articles, django_assert_num_queries
):
    a, b, c = articles
    category = a.category
    jobs.refresh_rankings()
    assert Ranking.objects.count() == len(rankings.KINDS) * (1 + 3)
    template = engines["jinja2"].from_string(
        '{{ ranking_list("most_read") }}'
        '{{ ranking_list("trending_7d", category=category, limit=2) }}'
    )
    # A web process reads the job's rows, one query per list, then answers from its memo.
    with django_assert_num_queries(2):
        html = template.render({"category": category})
    assert html.index(a.title) < html.index(c.title) < html.index(b.title)
    assert f'href="{a.get_absolute_url()}"' in html
    with django_assert_num_queries(0):
        assert template.render({"category": category}) == html


def test_the_tag_works_before_the_job_has_run(articles):
    a, b, _c = articles
    with translation.override("en"):
        html = engines["jinja2"].from_string('{{ ranking_list("most_liked", limit=1) }}').render()
    assert "<ol" in html and b.title in html and a.title not in html
    assert "Most liked" in html


def test_editing_an_article_drops_the_stale_lists(articles, django_capture_on_commit_callbacks):
    a, _b, _c = articles
    jobs.refresh_rankings()
    with django_capture_on_commit_callbacks(execute=True):
        a.title = "A new headline"
        a.save()
    assert not Ranking.objects.exists()
    assert rankings.get("most_read")[0]["title"] == "A new headline"


def test_lists_computed_while_an_article_changes_are_not_stored(articles, monkeypatch):
    edited = articles[0]
    real_compute = rankings.compute

    def compute_while_an_editor_publishes(kind, category_id=None, **kwargs):
        items = real_compute(kind, category_id, **kwargs)
        if kind == rankings.KINDS[-1] and category_id is None:
            Article.objects.filter(pk=edited.pk).update(title="Renamed")
            rankings.invalidate()  # what publishing runs once it commits
        return items

    monkeypatch.setattr(rankings, "compute", compute_while_an_editor_publishes)
    assert rankings.refresh_all() == 0
    assert not Ranking.objects.exists()
    monkeypatch.undo()
    titles = {item["id"]: item["title"] for item in rankings.get("most_read")}
    assert titles[edited.pk] == "Renamed"


def test_an_unknown_kind_is_an_error_naming_the_kinds():
    with pytest.raises(ValueError, match="most_read"):
        engines["jinja2"].from_string('{{ ranking_list("hottest") }}').render()
