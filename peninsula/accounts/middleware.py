"""Admin pages wait for the one-time code when the signed-in user has two-step verification on."""

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import reverse
from django_otp import user_has_device

# Pages a user between the password and the code may still open; the code page itself loads
# the admin's icon sprite and JavaScript catalogue.
OPEN_URL_NAMES = frozenset(
    {
        "wagtailadmin_login",
        "wagtailadmin_logout",
        "wagtailadmin_javascript_catalog",
        "wagtailadmin_sprite",
        "accounts:verify",
    }
)


class AdminTwoFactorMiddleware:
    """Redirects every /admin/ view to the code step until django-otp marks the session verified.

    Placed after django-otp's OTPMiddleware, which sets `request.user.is_verified()`. Users
    without a confirmed device are not affected.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path.startswith(reverse("wagtailadmin_home")):
            return None
        if request.resolver_match.view_name in OPEN_URL_NAMES:
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified() or not user_has_device(user):
            return None
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('accounts:verify')}?{query}")
