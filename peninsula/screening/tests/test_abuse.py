"""The shared protections: limits per address and per visitor, the honeypot, the captcha."""

import json

import pytest
from captcha.models import CaptchaStore
from django.test import RequestFactory

from peninsula.engagement import visitors
from peninsula.screening import abuse
from peninsula.screening.models import ScreeningSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    settings.PENINSULA_ABUSE_RATES = {
        "comment": {"address": ["5/m", "8/h"], "visitor": ["2/m"]},
    }


def meta(address="10.0.0.1", visitor=None):
    environ = {"REMOTE_ADDR": address}
    if visitor:
        cookie = visitors.visitor_cookie_header(visitor, secure=False).split(";")[0]
        environ["HTTP_COOKIE"] = cookie
    return environ


def test_an_address_is_held_to_its_rate(rates):
    now = 3_600_000.0  # a whole hour: windows end 60 and 3,600 s later
    answers = [abuse.rate_limit_take(scope="comment", meta=meta(), now=now) for _ in range(7)]
    assert answers[:5] == [None] * 5
    assert answers[5] == answers[6] == 60
    assert abuse.rate_limit_take(scope="comment", meta=meta("10.0.0.2"), now=now) is None
    # the next minute allows three more, then the hour's eight are spent
    later = [abuse.rate_limit_take(scope="comment", meta=meta(), now=now + 60) for _ in range(4)]
    assert later[:3] == [None] * 3
    assert later[3] > 60


def test_a_visitor_is_held_to_its_rate_within_its_address(rates):
    now = 7_200_000.0
    first = [abuse.rate_limit_take(scope="comment", meta=meta(visitor="a"), now=now) for _ in "123"]
    assert first == [None, None, 60]
    # another reader behind the same address still posts
    assert abuse.rate_limit_take(scope="comment", meta=meta(visitor="b"), now=now) is None


def test_a_flood_stores_nothing_past_the_limit(rates):
    allowed = sum(
        abuse.rate_limit_take(scope="comment", meta=meta(), now=3_000_000.0) is None
        for _ in range(1000)
    )
    assert allowed == 5


def test_the_429_says_how_long_to_wait():
    request = RequestFactory().post("/submit/")
    response = abuse.too_many_response(request, 42, json=True)
    assert response.status_code == 429
    assert response["Retry-After"] == "42"
    body = json.loads(response.content)
    assert body["status"] == 429 and "42" in body["error"]
    assert "5" in abuse.too_many_message(250)  # minutes past two


def test_the_honeypot():
    assert abuse.honeypot_tripped({"website": "http://spam.example"})
    assert not abuse.honeypot_tripped({"website": "  "})
    assert not abuse.honeypot_tripped({})
    form = abuse.ProtectedForm(data={"website": "x"})
    assert form.is_valid() and form.honeypot_tripped


def switch_captcha(on):
    row = ScreeningSettings.load()
    row.captcha_enabled = on
    row.save()


def test_the_captcha_is_asked_only_when_switched_on(client):
    assert "captcha" not in abuse.ProtectedForm().fields
    assert client.get("/captcha/new/").json() == {"required": False}
    switch_captcha(True)
    form = abuse.ProtectedForm(data={})
    assert "captcha" in form.fields and not form.is_valid()
    answer = client.get("/captcha/new/")
    assert answer["Cache-Control"].startswith("max-age=0")
    challenge = answer.json()
    assert challenge["required"] is True
    image = client.get(challenge["image_url"])
    assert image.status_code == 200 and image["Content-Type"] == "image/png"


def test_a_captcha_answer_counts_once():
    challenge = abuse.captcha_challenge()
    store = CaptchaStore.objects.get(hashkey=challenge["key"])
    assert not abuse.captcha_check(key=challenge["key"], answer="wrong")
    assert not abuse.captcha_check(key=challenge["key"], answer=store.response)  # used up
    challenge = abuse.captcha_challenge()
    response = CaptchaStore.objects.get(hashkey=challenge["key"]).response
    assert abuse.captcha_check(key=challenge["key"], answer=response.upper())
    assert not abuse.captcha_check(key=challenge["key"], answer=response)


def test_the_captcha_form_field_accepts_the_right_answer():
    switch_captcha(True)
    key = CaptchaStore.generate_key()
    wrong = abuse.ProtectedForm(data={"captcha_0": key, "captcha_1": "nope"})
    assert not wrong.is_valid() and "captcha" in wrong.errors
    key = CaptchaStore.generate_key()
    response = CaptchaStore.objects.get(hashkey=key).response
    right = abuse.ProtectedForm(data={"captcha_0": key, "captcha_1": response})
    assert right.is_valid(), right.errors
