from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks

from . import services


@hooks.register("register_account_menu_item")
def two_step_menu_item(request):
    """A link on the admin's Account page (its "More actions" tab) to the two-step settings."""
    on = services.totp_device_for(request.user) is not None
    return {
        "url": reverse("accounts:two-step"),
        "label": _("Two-step verification"),
        "help_text": _("On: signing in asks for a code from your app.")
        if on
        else _("Off: add a code from an authenticator app to signing in."),
    }
