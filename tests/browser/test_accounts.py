"""Two-step verification in a real browser: a staff user turns it on from the Account page by
scanning the QR code, then signs in with a code; screenshots go to artifacts/admin-2fa-*.png."""

import time

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

PASSWORD = "correct-horse-battery"


def code_for(device, *, steps_ahead=0):
    """What the phone shows; a step ahead because the code just used cannot be used again."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def sign_in_with_password(page, live_server):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_staff_turns_on_two_step_verification_and_signs_in_with_a_code(
    page, live_server, screenshot
):
    get_user_model().objects.create_superuser("editor", "editor@example.com", PASSWORD)
    sign_in_with_password(page, live_server)
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/account/")
    page.click("a[href='#tab-actions']")  # the Account page's "More actions" tab
    screenshot(page, "admin-2fa-account-menu")
    page.get_by_role("link", name="两步验证").click()
    page.get_by_role("button", name="设置两步验证").click()
    page.wait_for_url("**/admin/account/two-step/setup/")
    qr = page.locator("figure.two-step-qr svg")
    assert qr.bounding_box()["width"] >= 150
    screenshot(page, "admin-2fa-setup")

    device = TOTPDevice.objects.get(user__username="editor")
    assert page.locator(".js-secret").inner_text().replace(" ", "") in device.config_url
    page.fill("input[name=token]", code_for(device))
    page.get_by_role("button", name="开启", exact=True).click()
    page.wait_for_url("**/admin/account/two-step/")
    assert "两步验证已开启" in page.content()
    screenshot(page, "admin-2fa-enabled")

    page.context.clear_cookies()
    sign_in_with_password(page, live_server)
    page.wait_for_url("**/admin/login/verify/?next=*")
    screenshot(page, "admin-2fa-verify")
    assert page.locator("main").count() == 1
    page.fill("input[name=token]", "12ab")
    page.get_by_role("button", name="验证", exact=True).click()
    page.locator(".messages .error", has_text="请输入身份验证器应用显示的 6 位验证码").wait_for()
    screenshot(page, "admin-2fa-wrong")
    screenshot(page, "admin-2fa-wrong")

    device.refresh_from_db()
    page.fill("input[name=token]", code_for(device, steps_ahead=1))
    page.get_by_role("button", name="验证", exact=True).click()
    page.wait_for_url(f"{live_server.url}/admin/")
    screenshot(page, "admin-2fa-signed-in")
