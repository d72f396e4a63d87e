"""Views per day, drawn on the server as SVG: on the dashboard (the site) and for each article."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from peninsula.content.tests.admin_helpers import EDITOR, make_user
from peninsula.content.tests.factories import ArticleFactory
from peninsula.engagement.models import DailyStat
from peninsula.newsroom import charts

pytestmark = pytest.mark.django_db


def bars(html):
    """{day: views} of the chart's bars."""
    return {
        day: int(views)
        for day, views in re.findall(r'<rect [^>]*data-day="([\d-]+)" data-views="(\d+)"', html)
    }


def test_views_per_day_fills_the_days_without_reads():
    article, other = ArticleFactory(), ArticleFactory()
    today = dt.date(2026, 3, 10)
    DailyStat.objects.create(article=article, day=today, views=7)
    DailyStat.objects.create(article=other, day=today, views=5)
    DailyStat.objects.create(article=article, day=today - dt.timedelta(days=2), views=3)
    DailyStat.objects.create(article=article, day=today - dt.timedelta(days=30), views=99)

    mine = charts.views_per_day(article_id=article.pk, today=today)
    assert len(mine) == charts.DAYS
    assert mine[-1] == (today, 7)
    assert mine[-3] == (today - dt.timedelta(days=2), 3)
    assert sum(views for _day, views in mine) == 10
    assert charts.views_per_day(today=today)[-1] == (today, 12)


@pytest.mark.parametrize(
    ("value", "top"), [(0, 1), (1, 1), (3, 5), (7, 10), (10, 10), (11, 20), (4321, 5000)]
)
def test_the_scale_ends_on_a_round_number(value, top):
    assert charts.nice_ceiling(value) == top


def test_bars_are_as_tall_as_their_share_of_the_scale():
    today = dt.date(2026, 3, 10)
    chart = charts.chart([(today - dt.timedelta(days=1), 5), (today, 10)])
    low, high = chart["bars"]
    assert chart["peak"] == 10
    assert high.height == pytest.approx(2 * low.height)
    assert high.y + high.height == pytest.approx(chart["baseline"])
    assert chart["total"] == 15


def test_the_dashboard_and_the_article_show_views_per_day_without_a_script(client):
    editor = make_user("zhao", EDITOR)
    article = ArticleFactory(title="台风过境")
    today = timezone.localdate()
    DailyStat.objects.create(article=article, day=today, views=42)
    DailyStat.objects.create(article=article, day=today - dt.timedelta(days=1), views=8)
    client.force_login(editor)

    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    chart = dashboard[dashboard.index('data-newsroom="site-views"') :]
    chart = chart[: chart.index("</section>")]
    assert "<svg" in chart and "<script" not in chart
    assert bars(chart)[today.isoformat()] == 42
    assert "共 50 次" in chart

    page = client.get(reverse("newsroom_admin:article_views", args=[article.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert bars(html)[(today - dt.timedelta(days=1)).isoformat()] == 8
    assert "阅读统计" in html
