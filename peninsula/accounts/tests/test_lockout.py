"""Brute force against the admin sign-in: django-axes locks one username from one address."""

import datetime as dt

import pytest
from django.test import RequestFactory

from peninsula.core.net import client_ip

from .conftest import PASSWORD, is_signed_in, login, make_staff

pytestmark = pytest.mark.django_db


def fail_until_locked(client, username, **extra):
    responses = [login(client, username, "wrong-password", **extra) for _ in range(5)]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    return responses[-1]


def test_the_right_password_is_refused_once_the_failure_limit_is_reached(client, staff, axes_on):
    fail_until_locked(client, "editor")

    response = login(client, "editor", PASSWORD)

    assert response.status_code == 429
    assert not is_signed_in(client)


def test_the_lockout_page_is_in_the_admins_look_and_says_how_long(client, staff, axes_on):
    response = fail_until_locked(client, "editor")
    html = response.content.decode()

    assert response["Content-Type"].startswith("text/html")
    assert '<html lang="zh-hans"' in html
    assert "wagtailadmin/css/core.css" in html
    assert "登录已暂停" in html
    assert "请在 1\xa0小时后再试" in html  # the cool-off, in words


def test_other_users_and_other_addresses_still_sign_in(client, staff, axes_on):
    make_staff("reporter")
    fail_until_locked(client, "editor")

    assert login(client, "reporter").status_code == 302
    client.logout()
    assert login(client, "editor", REMOTE_ADDR="192.0.2.50").status_code == 302
    assert is_signed_in(client)


def test_the_lock_lifts_after_the_cool_off(client, staff, axes_on, time_machine):
    time_machine.move_to("2026-03-02 09:00:00+08:00", tick=False)
    fail_until_locked(client, "editor")

    time_machine.shift(dt.timedelta(minutes=59))
    assert login(client, "editor").status_code == 429
    # That attempt started the hour again.
    time_machine.shift(dt.timedelta(minutes=59))
    assert login(client, "editor").status_code == 429
    time_machine.shift(dt.timedelta(minutes=61))
    assert login(client, "editor").status_code == 302
    assert is_signed_in(client)


def test_behind_a_trusted_proxy_the_forwarded_client_is_locked(client, staff, axes_on):
    axes_on.TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = {"REMOTE_ADDR": "10.0.0.5"}
    fail_until_locked(client, "editor", HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)

    forged = "198.51.100.1, 203.0.113.9"
    assert login(client, "editor", HTTP_X_FORWARDED_FOR=forged, **proxy).status_code == 429
    assert login(client, "editor", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy).status_code == 302


def test_an_untrusted_client_cannot_dodge_the_lock_with_forwarded_for(client, staff, axes_on):
    axes_on.TRUSTED_PROXIES = ["10.0.0.0/8"]
    fail_until_locked(client, "editor", REMOTE_ADDR="198.51.100.20")

    dodge = login(client, "editor", REMOTE_ADDR="198.51.100.20", HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert dodge.status_code == 429


def test_client_ip_reads_the_right_most_untrusted_hop(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "fd00::/8"]
    factory = RequestFactory()
    chain = "192.0.2.1, 203.0.113.9, 10.1.1.1"
    request = factory.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=chain)
    assert client_ip(request) == "203.0.113.9"
    assert client_ip(factory.get("/", REMOTE_ADDR="fd00::1")) == "fd00::1"
    assert client_ip(factory.get("/", REMOTE_ADDR="203.0.113.9")) == "203.0.113.9"
