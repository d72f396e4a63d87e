"""Abuse: the honeypot, limits per address and per visitor (a clear 429), a flood that stores
nothing past the limit, the captcha, sensitive words, and links held or made nofollow ugc."""

import json
from datetime import timedelta

import pytest
import time_machine
from captcha.models import CaptchaStore
from django.test import Client
from django.utils import timezone

from peninsula.comments.models import Comment, Status
from peninsula.screening.models import ScreeningSettings, SensitiveWord

from .conftest import BROWSER_UA, post, site_rules

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    settings.PENINSULA_ABUSE_RATES = {
        **settings.PENINSULA_ABUSE_RATES,
        "comment": {"address": ["10/m"], "visitor": ["5/m"]},
    }


def test_the_honeypot_answers_as_held_and_stores_nothing(reader, article, post_moderated):
    response = post(reader, article, website="http://spam.example")
    assert response.status_code == 202
    assert json.loads(response.content)["status"] == "held"
    fields = {"name": "机器人", "text": "x", "website": "y"}
    form = reader.post(f"/comments/{article.pk}/post", fields)
    assert form.status_code == 302
    assert Comment.objects.count() == 0


def test_a_flood_from_one_address_stores_nothing_past_the_limit(article, post_moderated, limits):
    statuses = []
    # 1,000 posts within one minute (the clock stands still: the windows are fixed minutes).
    start = (timezone.now() + timedelta(hours=1)).replace(second=5, microsecond=0)
    with time_machine.travel(start, tick=False):
        for i in range(1000):  # a fresh client each time: no visitor cookie to tell apart
            client = Client(HTTP_USER_AGENT=BROWSER_UA, HTTP_SEC_FETCH_SITE="same-origin")
            statuses.append(post(client, article, text=f"刷屏 {i}").status_code)
    assert statuses.count(201) == 10
    assert statuses.count(429) == 990
    assert Comment.objects.count() == 10


def test_429_says_how_long_to_wait(reader, article, post_moderated, limits):
    # The first post has no visitor cookie yet; then the visitor's 5 a minute come first.
    for _ in range(6):
        assert post(reader, article).status_code == 201
    refused = post(reader, article)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    body = json.loads(refused.content)
    assert (body["status"] == 429 and "秒" in body["error"]) or "second" in body["error"]
    page = reader.post(f"/comments/{article.pk}/post", {"name": "甲", "text": "无脚本"})
    assert page.status_code == 429
    assert "text/html" in page["Content-Type"]
    assert Comment.objects.count() == 6


def test_the_captcha_when_switched_on(reader, article, post_moderated):
    row = ScreeningSettings.load()
    row.captcha_enabled = True
    row.save()
    refused = post(reader, article)
    assert refused.status_code == 400
    assert "captcha" in json.loads(refused.content)["fields"]
    challenge = reader.get("/captcha/new/").json()
    answer = CaptchaStore.objects.get(hashkey=challenge["key"]).response
    accepted = post(reader, article, captcha_0=challenge["key"], captcha_1=answer)
    assert accepted.status_code == 201
    again = post(reader, article, captcha_0=challenge["key"], captcha_1=answer)
    assert again.status_code == 400  # a key answers once
    page = reader.get(f"/comments/{article.pk}/")
    assert 'name="captcha_1"' in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"  # its key is this reader's


def test_sensitive_words_block_hold_and_mask(reader, article, post_moderated):
    SensitiveWord.objects.create(word="傻逼", action="mask")
    SensitiveWord.objects.create(word="赌博网站", action="hold")
    SensitiveWord.objects.create(word="法轮", action="block")
    masked = post(reader, article, text="你才是傻 逼")
    assert masked.status_code == 201
    assert "傻" not in json.loads(masked.content)["comment"]["html"]
    assert Comment.objects.get().text == "你才是＊ ＊"
    held = post(reader, article, text="欢迎访问赌博网站")
    assert held.status_code == 202
    comment = Comment.objects.get(text="欢迎访问赌博网站")
    assert comment.status == Status.PENDING and "赌博网站" in comment.held_reason
    blocked = post(reader, article, text="法 轮")
    assert blocked.status_code == 400
    assert Comment.objects.count() == 2
    blocked_name = post(reader, article, name="法轮", text="正常内容")
    assert blocked_name.status_code == 400


def test_links_are_held_when_the_site_says_so(reader, article):
    site_rules(moderation="post", links="nofollow")
    shown = json.loads(post(reader, article, text="见 https://example.com/x").content)
    assert 'rel="nofollow ugc noopener"' in shown["comment"]["html"]
    site_rules(moderation="post", links="hold")
    held = post(reader, article, text="见 https://example.com/y")
    assert held.status_code == 202
    assert Comment.objects.get(text__endswith="/y").held_reason == "links"
    assert post(reader, article, text="没有链接").status_code == 201
