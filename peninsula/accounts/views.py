"""Two-step verification pages in the Wagtail admin, and the page shown to a locked-out login."""

import math
from base64 import b32encode

import segno
from axes.helpers import get_cool_off
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from wagtail.admin.auth import require_admin_access

from . import services
from .forms import TokenForm


def lockout(request, original_response=None, credentials=None):
    """django-axes' lockout response (AXES_LOCKOUT_CALLABLE): the pause and how long it lasts,
    in the admin's look or, for a reader signing in on the site, the site's."""
    cool_off, now = get_cool_off(request), timezone.now()
    context = {"cool_off": timeuntil(now + cool_off, now) if cool_off else None}
    admin = request.path_info.startswith(reverse("wagtailadmin_home"))
    template = "accounts/lockout.html" if admin else "readers/lockout.html"
    response = render(request, template, context, status=429)
    response["Cache-Control"] = "private, no-store"
    return response


def _next_url(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return "wagtailadmin_home"


def _throttle_error(device):
    """django-otp doubles the wait after each wrong code in a row; say how long it is now."""
    allowed, info = device.verify_is_allowed()
    if allowed:
        return None
    locked_until = (info or {}).get("locked_until") or timezone.now()
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    return ngettext(
        "Too many wrong codes in a row. Wait %(count)d second, then enter the current code.",
        "Too many wrong codes in a row. Wait %(count)d seconds, then enter the current code.",
        seconds,
    ) % {"count": seconds}


@never_cache
def verify(request):
    """The second sign-in step: the password was right, now the code from the app."""
    user = request.user
    if not user.is_authenticated:
        return redirect("wagtailadmin_login")
    device = services.totp_device_for(user)
    if device is None or user.is_verified():
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = _throttle_error(device)
        if error is None:
            if services.totp_verify(user=user, token=form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect(_next_url(request))
            services.otp_failure_record(request=request, user=user)
            if getattr(request, "axes_locked_out", False):
                logout(request)
                return lockout(request)
            error = _("That code is wrong or has expired. Enter the code your app shows now.")
        form.add_error("token", error)
    context = {"form": form, "next": request.GET.get("next", "")}
    return render(request, "accounts/verify.html", context)


@require_admin_access
def two_step(request):
    """Whether two-step verification is on, with the buttons to turn it on or off."""
    if request.method == "POST":
        services.totp_device_start(user=request.user)
        return redirect("accounts:two-step-setup")
    device = services.totp_device_for(request.user)
    return render(request, "accounts/two_step.html", {"device": device, "form": TokenForm()})


@require_admin_access
@never_cache
def two_step_setup(request):
    """Shows the secret as a QR code (inline SVG made here) and turns it on with a first code."""
    device = services.totp_device_for(request.user, confirmed=False)
    if device is None:
        return redirect("accounts:two-step")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_device_confirm(device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            messages.success(request, _("Two-step verification is on."))
            return redirect("accounts:two-step")
        form.add_error("token", _("That code does not match. Check the time on your phone."))
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(scale=5, dark="#262626", title=_("QR code for your authenticator app"))
    context = {"form": form, "qr_svg": mark_safe(svg), "secret": _secret_for_typing(device)}
    return render(request, "accounts/two_step_setup.html", context)


def _secret_for_typing(device):
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@require_admin_access
@require_POST
def two_step_off(request):
    """Turning it off needs a current code, so a session left open cannot weaken the account."""
    user = request.user
    device = services.totp_device_for(user)
    if device is None:
        return redirect("accounts:two-step")
    form = TokenForm(request.POST)
    if form.is_valid():
        error = _throttle_error(device)
        if error is None and services.totp_verify(user=user, token=form.cleaned_data["token"]):
            services.totp_device_remove(user=user)
            messages.success(request, _("Two-step verification is off."))
            return redirect("accounts:two-step")
        form.add_error("token", error or _("That code is wrong or has expired."))
    return render(request, "accounts/two_step.html", {"device": device, "form": form}, status=400)
