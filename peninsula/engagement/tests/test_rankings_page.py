"""The rolling 24-hour window (hourly counts), the 排行榜 page and its API."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from peninsula.content.tests.factories import ArticleFactory, CategoryFactory
from peninsula.engagement import rankings, services
from peninsula.engagement.models import DailyStat, HourlyStat, Ranking

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
START = dt.datetime(2025, 3, 10, 0, 30, tzinfo=SHANGHAI)


def view_at(moment, article, times=1):
    """Readers view the article at `moment`; the batch is written then, as the flusher would."""
    with time_machine.travel(moment, tick=False):
        for _ in range(times):
            services.view_record(article_id=article.pk)
        services.counters_flush()


def trending(now, category=None):
    with time_machine.travel(now, tick=False):
        items = rankings.compute("trending_24h", category and category.pk, now=now)
    return {item["id"]: item["count"] for item in items}


@pytest.fixture
def old():
    with time_machine.travel(START - dt.timedelta(days=30), tick=False):
        return ArticleFactory(), ArticleFactory()


def test_views_are_filed_by_the_hour_they_are_written(old):
    a, _b = old
    view_at(START, a, times=3)
    view_at(START + dt.timedelta(minutes=20), a, times=2)
    view_at(START + dt.timedelta(hours=1), a)
    rows = list(HourlyStat.objects.filter(article=a).order_by("hour").values_list("hour", "views"))
    first = START.astimezone(dt.UTC).replace(minute=0)
    assert rows == [(first, 5), (first + dt.timedelta(hours=1), 1)]
    # The daily rows and the total still count every view.
    assert DailyStat.objects.get(article=a).views == 6
    a.refresh_from_db()
    assert a.views == 6


def test_the_24_hours_roll_by_the_hour_not_by_the_calendar_day(old):
    a, b = old
    view_at(START, a, times=3)  # 00:30 on 10 March, site time
    view_at(START + dt.timedelta(hours=12), b, times=2)  # 12:30 on 10 March
    assert trending(START + dt.timedelta(hours=12)) == {a.pk: 3, b.pk: 2}
    # 23 hours on, 23:30 the same day: both still counted.
    assert trending(START + dt.timedelta(hours=23)) == {a.pk: 3, b.pk: 2}
    # 24 hours on, 00:30 on 11 March: a's hour has left the window, though "today and
    # yesterday" would still count it for a whole day more.
    assert trending(START + dt.timedelta(hours=24)) == {b.pk: 2}
    assert trending(START + dt.timedelta(hours=36)) == {}
    # The 7-day list, by calendar days, keeps them both.
    with time_machine.travel(START + dt.timedelta(hours=36), tick=False):
        week = rankings.compute("trending_7d", now=START + dt.timedelta(hours=36))
    assert [item["id"] for item in week] == [a.pk, b.pk]


def test_the_refresh_job_forgets_hours_older_than_two_days(old):
    a, _b = old
    view_at(START, a)
    view_at(START + dt.timedelta(hours=47), a)
    with time_machine.travel(START + dt.timedelta(hours=50), tick=False):
        rankings.refresh_all()
    assert list(HourlyStat.objects.values_list("views", flat=True)) == [1]


def test_the_refresh_job_purges_the_rankings_pages_only_when_an_order_changes(
    old, django_capture_on_commit_callbacks, monkeypatch
):
    a, b = old
    purged = []
    monkeypatch.setattr(
        "peninsula.pagecache.purge.get_store",
        lambda: type("Store", (), {"purge": lambda self, p: purged.append(p)})(),
    )
    view_at(START, a, times=2)
    view_at(START, b)
    with time_machine.travel(START, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            rankings.refresh_all()
        assert [tuple(p.prefixes) for p in purged] == [("/rankings/",)]
        view_at(START, a)  # more views, same order: no purge
        with django_capture_on_commit_callbacks(execute=True):
            rankings.refresh_all()
        assert len(purged) == 1
        view_at(START, b, times=5)  # b overtakes a
        with django_capture_on_commit_callbacks(execute=True):
            rankings.refresh_all()
        assert len(purged) == 2


def test_the_rankings_page_shows_every_list_site_wide_and_per_category(client, old):
    a, b = old
    view_at(START, a, times=2)
    with time_machine.travel(START, tick=False):
        rankings.refresh_all()
        response = client.get(reverse("engagement:rankings"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "排行榜" in html
    for kind in ("trending_24h", "trending_7d", "trending_30d", "most_read", "most_liked"):
        assert f"ranking--{kind}" in html
    assert "24小时" in html and "30天" in html
    assert a.title in html
    category_url = reverse("engagement:rankings-category", kwargs={"slug": a.category.slug})
    assert f'href="{category_url}"' in html
    with time_machine.travel(START, tick=False):
        response = client.get(category_url)
    assert response.status_code == 200
    assert a.title in response.content.decode()
    assert b.title not in response.content.decode()  # b is in another category


def test_an_unknown_category_is_a_404(client):
    response = client.get(reverse("engagement:rankings-category", kwargs={"slug": "nowhere"}))
    assert response.status_code == 404


def test_the_rankings_page_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(3):
        CategoryFactory()
    rankings.refresh_all()
    client.get(reverse("engagement:rankings"))
    rankings._memo.clear()
    with django_assert_max_num_queries(12):
        assert client.get(reverse("engagement:rankings")).status_code == 200


def test_a_category_slug_cannot_take_the_rankings_path():
    from django.core.exceptions import ValidationError

    category = CategoryFactory.build(slug="rankings")
    with pytest.raises(ValidationError):
        category.clean()


class TestApi:
    def test_a_ranking_as_json(self, client, old):
        a, b = old
        view_at(START, a, times=2)
        view_at(START, b, times=1)
        with time_machine.travel(START, tick=False):
            rankings.refresh_all()
            answer = client.get("/api/v1/rankings", {"kind": "trending_24h"})
        assert answer.status_code == 200
        data = answer.json()
        assert data["kind"] == "trending_24h" and data["category"] is None
        assert [(i["id"], i["count"]) for i in data["items"]] == [(a.pk, 2), (b.pk, 1)]
        assert data["items"][0]["url"] == f"http://testserver{a.get_absolute_url()}"

    def test_per_category_and_limit(self, client, old):
        a, b = old
        view_at(START, a)
        view_at(START, b)
        with time_machine.travel(START, tick=False):
            answer = client.get(
                "/api/v1/rankings",
                {"kind": "most_read", "category": b.category.slug, "limit": 1},
            )
        data = answer.json()
        assert data["category"]["slug"] == b.category.slug
        assert [i["id"] for i in data["items"]] == [b.pk]

    @pytest.mark.parametrize(
        "query",
        [{"kind": "hottest"}, {"limit": 0}, {"limit": 21}, {"category": "../x"}],
    )
    def test_bad_queries_are_400_with_a_message(self, client, query):
        answer = client.get("/api/v1/rankings", query)
        assert answer.status_code == 400
        assert answer.json()["detail"].startswith("Invalid request")

    def test_an_unknown_category_is_404(self, client):
        answer = client.get("/api/v1/rankings", {"category": "nowhere"})
        assert answer.status_code == 404
        assert not Ranking.objects.filter(category_id__gt=0).exists()
