"""Optional two-step verification (TOTP) for admin users: set up, sign in with a code, turn off."""

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from peninsula.accounts import services

from .conftest import current_code, is_signed_in, login

pytestmark = pytest.mark.django_db

VERIFY = reverse("accounts:verify")
HOME = reverse("wagtailadmin_home")


@pytest.fixture
def device(staff):
    """A staff user who turned two-step verification on."""
    device = services.totp_device_start(user=staff)
    device.confirmed = True
    device.save()
    return device


def verify_url(next_url=HOME):
    return f"{VERIFY}?{urlencode({'next': next_url})}"


def test_the_account_page_links_to_the_two_step_settings(client, staff):
    client.force_login(staff)

    html = client.get(reverse("wagtailadmin_account")).content.decode()

    assert f'href="{reverse("accounts:two-step")}"' in html


def test_setting_up_shows_an_inline_qr_code_and_turns_on_with_a_code(client, staff, frozen):
    client.force_login(staff)
    assert "js-two-step-status" in client.get(reverse("accounts:two-step")).content.decode()

    response = client.post(reverse("accounts:two-step"))
    assert response.url == reverse("accounts:two-step-setup")
    html = client.get(response.url).content.decode()
    assert "<svg" in html
    assert "otpauth" not in html  # the secret is inside the QR image, not in a link
    assert "http" not in html.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org/2000/svg", ""
    )
    device = TOTPDevice.objects.get(user=staff)
    assert not device.confirmed

    response = client.post(reverse("accounts:two-step-setup"), {"token": current_code(device)})

    assert response.url == reverse("accounts:two-step")
    device.refresh_from_db()
    assert device.confirmed
    # The session that turned it on counts as verified.
    assert client.get(HOME).status_code == 200


def test_setting_up_refuses_a_wrong_code(client, staff, frozen):
    client.force_login(staff)
    client.post(reverse("accounts:two-step"))
    device = TOTPDevice.objects.get(user=staff)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("accounts:two-step-setup"), {"token": wrong})

    assert response.status_code == 200
    assert "验证码不匹配" in response.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed


def test_after_the_password_every_admin_page_asks_for_the_code(client, device, frozen):
    assert login(client, "editor").status_code == 302
    assert is_signed_in(client)

    for url in (HOME, reverse("wagtailadmin_account"), reverse("accounts:two-step")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == verify_url(url)
    page = client.get(verify_url())
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()


def test_a_wrong_code_is_refused_with_a_clear_message(client, device, frozen):
    login(client, "editor")
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"

    response = client.post(VERIFY, {"token": wrong, "next": HOME})

    assert response.status_code == 200
    assert "验证码错误或已过期" in response.content.decode()
    assert client.get(HOME).status_code == 302
    bad = client.post(VERIFY, {"token": "12ab56", "next": HOME})
    assert "请输入身份验证器应用显示的 6 位验证码" in bad.content.decode()


def test_the_right_code_opens_the_admin(client, device, frozen):
    login(client, "editor")

    response = client.post(VERIFY, {"token": current_code(device), "next": "/admin/pages/"})

    assert response.status_code == 302
    assert response.url == "/admin/pages/"
    assert client.get(HOME).status_code == 200


def test_a_used_code_cannot_be_replayed(client, device, frozen):
    code = current_code(device)
    login(client, "editor")
    client.post(VERIFY, {"token": code, "next": HOME})
    client.logout()

    login(client, "editor")
    response = client.post(VERIFY, {"token": code, "next": HOME})

    assert "验证码错误或已过期" in response.content.decode()


def test_the_code_step_only_redirects_within_the_site(client, device, frozen):
    login(client, "editor")

    response = client.post(VERIFY, {"token": current_code(device), "next": "https://evil.test/"})

    assert response.url == HOME


def test_wrong_codes_in_a_row_make_even_the_right_code_wait(client, device, frozen):
    login(client, "editor")
    for wait in (1, 2, 4):
        wrong = client.post(VERIFY, {"token": "000000", "next": HOME})
        assert "验证码错误或已过期" in wrong.content.decode()
        early = client.post(VERIFY, {"token": current_code(device), "next": HOME})
        assert f"请等待 {wait} 秒" in early.content.decode()
        frozen.shift(dt.timedelta(seconds=wait))

    assert client.post(VERIFY, {"token": current_code(device), "next": HOME}).url == HOME


def test_wrong_codes_count_toward_the_login_lockout(client, device, frozen, axes_on):
    login(client, "editor")
    responses = []
    for _ in range(5):
        frozen.shift(dt.timedelta(seconds=20))  # past django-otp's own growing wait
        responses.append(client.post(VERIFY, {"token": "000000", "next": HOME}))

    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert not is_signed_in(client)
    frozen.shift(dt.timedelta(seconds=30))
    assert login(client, "editor").status_code == 429


def test_users_without_a_device_are_not_asked_for_a_code(client, staff, device):
    from .conftest import make_staff

    make_staff("reporter")
    login(client, "reporter")

    assert client.get(HOME).status_code == 200


def test_turning_off_needs_a_current_code(client, device, frozen):
    login(client, "editor")
    client.post(VERIFY, {"token": current_code(device), "next": HOME})
    frozen.shift(dt.timedelta(seconds=60))

    refused = client.post(reverse("accounts:two-step-off"), {"token": "000000"})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=device.user).exists()

    frozen.shift(dt.timedelta(seconds=5))
    device.refresh_from_db()
    response = client.post(reverse("accounts:two-step-off"), {"token": current_code(device)})

    assert response.url == reverse("accounts:two-step")
    assert not TOTPDevice.objects.filter(user=device.user).exists()
    client.logout()
    login(client, "editor")
    assert client.get(HOME).status_code == 200
