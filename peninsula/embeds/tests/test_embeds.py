"""Embeds from the allowed providers only, and a CSP that frames exactly those."""

import re

import pytest
from django.core.cache import cache
from wagtail.embeds import embeds
from wagtail.embeds.exceptions import EmbedException

from peninsula.content.tests.factories import ArticleFactory
from peninsula.core.models import SiteSettings
from peninsula.embeds import allowlist, providers
from peninsula.embeds.models import EmbedSettings

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
BILIBILI = "https://www.bilibili.com/video/BV1GJ411x7h7/"


@pytest.fixture(autouse=True)
def fresh():
    cache.clear()
    allowlist.forget()
    yield
    allowlist.forget()


def allow(*keys):
    settings_row = EmbedSettings.load()
    settings_row.providers = list(keys)
    settings_row.save()
    allowlist.forget()


def csp(response):
    return dict(
        part.strip().split(" ", 1)
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    )


@pytest.mark.parametrize(
    ("url", "player"),
    [
        (YOUTUBE, "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ?t=3", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        (BILIBILI, "https://player.bilibili.com/player.html?bvid=BV1GJ411x7h7&autoplay=0"),
        (
            "https://v.youku.com/v_show/id_XNTk0MjM0NjU2OA==.html",
            "https://player.youku.com/embed/XNTk0MjM0NjU2OA==",
        ),
        (
            "https://v.qq.com/x/cover/mzc00200abc/u3512345678.html",
            "https://v.qq.com/txp/iframe/player.html?vid=u3512345678&autoplay=false",
        ),
    ],
)
def test_each_provider_turns_a_page_address_into_its_player(url, player):
    found = providers.match(url, list(providers.PROVIDERS))
    assert found is not None and found[1] == player


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/",  # not a video
        "https://www.youtube.com/watch?v=<script>",
        "https://evil.example/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "javascript:alert(1)//www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://vimeo.com/about",
    ],
)
def test_other_addresses_are_not_players(url):
    assert providers.match(url, list(providers.PROVIDERS)) is None


def test_only_allowed_providers_can_be_embedded():
    allow("bilibili")
    with pytest.raises(EmbedException):
        embeds.get_embed(YOUTUBE)
    embed = embeds.get_embed(BILIBILI)
    assert 'src="https://player.bilibili.com/player.html?bvid=BV1GJ411x7h7&amp;autoplay=0"' in (
        embed.html
    )
    assert 'loading="lazy"' in embed.html and "title=" in embed.html


def test_an_article_shows_an_allowed_video_and_its_csp_frames_exactly_the_allowed(client):
    SiteSettings.objects.create(site_name="半岛新闻网")
    allow("youtube", "bilibili")
    article = ArticleFactory(body=f'<p>视频：</p><embed embedtype="media" url="{BILIBILI}"/>')
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    figure = re.search(r'<figure class="embed embed--video">.*?</figure>', html, re.S)[0]
    assert "<iframe" in figure and "player.bilibili.com" in figure
    assert "style=" not in figure  # the CSP allows no inline style
    policy = csp(response)
    assert policy["frame-src"].split() == [
        "https://www.youtube-nocookie.com",
        "https://player.bilibili.com",
    ]
    assert policy["frame-ancestors"] == "'none'"


def test_without_allowed_providers_no_frame_is_allowed_and_no_embed_is_shown(client):
    SiteSettings.objects.create(site_name="半岛新闻网")
    article = ArticleFactory(body=f'<p>视频：</p><embed embedtype="media" url="{YOUTUBE}"/>')
    response = client.get(article.get_absolute_url())
    assert "frame-src" not in csp(response)
    assert csp(response)["default-src"] == "'self'"
    assert "<iframe" not in response.content.decode()


def test_the_admin_keeps_its_own_policy(admin_client):
    allow("youtube")
    response = admin_client.get("/admin/")
    assert "youtube" not in response.get("Content-Security-Policy", "")


def test_json_answers_read_no_embed_settings(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    allow("youtube")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/categories")
    assert response.status_code == 200
    assert not any("embeds_embedsettings" in q["sql"] for q in queries.captured_queries)
    assert "frame-src" not in response.get("Content-Security-Policy", "")
