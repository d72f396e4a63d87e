"""Static pages, friend links and ads: shown where they belong, purged on change, scheduled, and
ads never able to run script whatever HTML an editor posts."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data

from peninsula.content.tests.admin_helpers import EDITOR, make_user
from peninsula.core.tests.hostile import PAYLOADS, html_problems
from peninsula.furniture import furniture, jobs
from peninsula.furniture.models import Ad, FriendLink, StaticPage

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(timezone.datetime(2026, 3, 1, 9, 0))
AD_ADD = "wagtailsnippets_furniture_ad:add"


@pytest.fixture(autouse=True)
def _fresh():
    furniture.forget()
    jobs.reset()
    yield
    furniture.forget()


def ad_slots(html):
    return re.findall(r'<aside class="ad-slot".*?</aside>', html, re.DOTALL)


def test_the_standard_pages_exist_and_are_linked_from_every_footer(client):
    titles = list(StaticPage.objects.values_list("title", flat=True))
    assert titles == ["关于我们", "联系我们", "免责声明", "版权声明"]
    home = client.get("/").content.decode()
    for slug in ("about", "contact", "disclaimer", "copyright"):
        assert f'href="/pages/{slug}/"' in home
    page = client.get("/pages/copyright/")
    assert page.status_code == 200
    assert "<h1" in page.content.decode() and "版权声明" in page.content.decode()
    assert client.get("/pages/nope/").status_code == 404


def test_friend_links_are_in_the_footer_in_order(client):
    FriendLink.objects.create(name="新华网", url="https://www.xinhuanet.com/", sort_order=2)
    FriendLink.objects.create(name="人民网", url="http://www.people.com.cn/", sort_order=1)
    FriendLink.objects.create(name="隐藏", url="https://example.com/", enabled=False)
    html = client.get("/search/").content.decode()
    assert html.index("人民网") < html.index("新华网")
    assert "隐藏" not in html


def test_an_ad_is_labelled_and_shown_only_in_its_position_and_window(client):
    with time_machine.travel(NOW, tick=False):
        Ad.objects.create(
            name="春季促销",
            position="home-sidebar",
            html="<p>春季大促</p>",
            link="https://shop.example.com/",
            starts_at=NOW + timedelta(hours=1),
            ends_at=NOW + timedelta(hours=2),
        )
        assert ad_slots(client.get("/").content.decode()) == []
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        [slot] = ad_slots(client.get("/").content.decode())
        assert "春季大促" in slot and "广告" in slot
        assert 'rel="sponsored noopener"' in slot
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        assert ad_slots(client.get("/").content.decode()) == []


def test_the_scheduler_purges_when_an_ad_starts_or_ends():
    Ad.objects.create(name="a", position="p", html="<p>x</p>", starts_at=NOW, ends_at=NOW)
    assert jobs.purge_timed_ads(NOW - timedelta(seconds=30)) == []
    assert len(jobs.purge_timed_ads(NOW + timedelta(seconds=5))) == 1
    assert jobs.purge_timed_ads(NOW + timedelta(seconds=20)) == []


def test_ads_posted_with_xss_payloads_never_run_script(client):
    client.force_login(make_user("zhao", EDITOR))
    for index, payload in enumerate(PAYLOADS):
        data = {
            "name": f"ad {index}",
            "position": "home-sidebar",
            "image": "",
            "alt": payload,
            "html": f"<p>广告 {index}</p>{payload}",
            "link": "https://example.com/",
            "starts_at": "",
            "ends_at": "",
            "enabled": "on",
            "sort_order": index,
        }
        response = client.post(reverse(AD_ADD), nested_form_data(data))
        assert response.status_code == 302, payload
    assert Ad.objects.count() == len(PAYLOADS)
    for ad in Ad.objects.all():
        assert html_problems(ad.html) == [], ad.html
    client.logout()
    furniture.forget()
    [slot] = ad_slots(client.get("/").content.decode())
    assert slot.count('class="ad"') == len(PAYLOADS)
    assert html_problems(slot) == [], slot


def test_an_ad_link_must_be_a_web_address(client):
    client.force_login(make_user("zhao", EDITOR))
    for link in ("javascript:alert(1)", "data:text/html,<script>alert(1)</script>"):
        data = {"name": "x", "position": "p", "html": "<p>x</p>", "link": link, "sort_order": 0}
        response = client.post(reverse(AD_ADD), nested_form_data(data))
        assert response.status_code == 200
    assert not Ad.objects.exists()


def test_html_written_around_save_is_cleaned_on_the_way_out(client):
    ad = Ad.objects.create(name="x", position="home-sidebar", html="<p>ok</p>")
    Ad.objects.filter(pk=ad.pk).update(html='<p>ok</p><img src=x onerror="alert(1)">')
    furniture.forget()
    [slot] = ad_slots(client.get("/").content.decode())
    assert "onerror" not in slot and "ok" in slot


def test_the_footer_costs_no_query_once_read(client, django_assert_max_num_queries):
    FriendLink.objects.create(name="人民网", url="http://www.people.com.cn/")
    furniture.footer()
    furniture.ads("home-sidebar")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        furniture.footer()
        furniture.ads("home-sidebar")
    assert len(queries) == 0
